// The words of every email leadrelay sends (text and simple HTML), so their content is tested without SMTP.
import type { StageKind } from './routing/plan';

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

/** The lead as an email shows it; a NormalisedLead fits. */
export interface EmailLead {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  company?: string | null;
  source: string;
  /** The message, or a chat's visitor lines. */
  text: string;
}

/** The qualification as an email shows it; a Qualification fits. */
export interface EmailScore {
  score: number;
  tier: string;
  urgency: string;
  serviceLine: string;
  parts: Array<{ points: number; reason: string }>;
  /** `low` when the classifier was unsure (Qualification.confidenceLevel); the email then says so. */
  confidenceLevel?: string;
  /** What it was unsure of, in words (Qualification.unsure). */
  unsure?: string | null;
}

export interface EmailRecipient {
  name: string;
  /** IANA zone; deadlines are written in it when known, else in UTC. */
  timeZone?: string | null;
}

/** One line of a lead's history (a lead_events row). */
export interface LeadEventLine {
  at: string;
  kind: string;
  summary: string;
}

export interface OfferEmailInput {
  leadId: string;
  offerNumber: number;
  lead: EmailLead;
  qualification: EmailScore;
  stageKind: StageKind;
  level: number;
  /** ISO-8601: the SLA deadline, which is also when the links stop working. */
  deadline: string;
  whyYou: string;
  rep: EmailRecipient;
  /** Signed single-use links (links/offer-links.ts `offerLinkUrls`). */
  links: { accept: string; decline: string };
  /** The rep's "my offers" page (`myOffersUrl`), if the sender offers one. */
  myOffersUrl?: string;
}

export interface ReminderEmailInput extends OfferEmailInput {
  /** ISO-8601: when the reminder goes out (half the SLA), to say how long is left. */
  remindedAt: string;
}

export interface EscalationEmailInput extends OfferEmailInput {
  /** The lead's events so far, oldest first. */
  history: LeadEventLine[];
}

export interface CatchAllAlertInput {
  leadId: string;
  /** The catch-all offer a claim accepts. */
  offerNumber: number;
  lead: EmailLead;
  round: number;
  claimants: string[];
  /** Why the lead needs a person, when a step failed that retrying cannot cure; null when the chain let it pass. */
  problem?: string | null;
  /** Why the lead is offered again, when its owner reported no first touch in time. */
  reoffered?: string | null;
  /** The lead's story: event lines, or already-written sentences. */
  history: Array<string | LeadEventLine>;
  /** The API as reps reach it: the alert links to its claim page, `<apiUrl>/claim/<leadId>.<offerNumber>`. */
  apiUrl: string;
  timeZone?: string | null;
}

export class NotificationInputError extends Error {}

const excerptLength = 600;

export function composeOfferEmail(input: OfferEmailInput): EmailContent {
  const o = readOffer(input);
  const headline = input.stageKind === 'escalation' ? `Escalated lead (level ${input.level})` : 'New lead';
  return {
    subject: `${headline}: ${o.who} — tier ${input.qualification.tier}, answer by ${o.deadlineShort}`,
    text: [
      `${headline} for you, ${input.rep.name}: ${o.contactLine}.`,
      '',
      ...actionText(o),
      '',
      ...leadText(input, o),
      '',
      ...footerText(input, o),
    ].join('\n'),
    html: page(`${headline}: ${o.who}`, [
      `<p>${esc(headline)} for you, ${esc(input.rep.name)}: ${esc(o.contactLine)}.</p>`,
      actionHtml(o),
      leadHtml(input, o),
      footerHtml(input, o),
    ]),
  };
}

export function composeReminderEmail(input: ReminderEmailInput): EmailContent {
  const o = readOffer(input);
  const remindedAt = instant(input.remindedAt, 'remindedAt');
  const left = Math.max(0, Math.round((o.deadline.getTime() - remindedAt.getTime()) / 60_000));
  const leftText = left === 1 ? '1 minute' : `${left} minutes`;
  return {
    subject: `Reminder: ${leftText} left to answer — ${o.who}, tier ${input.qualification.tier}`,
    text: [
      `Reminder, ${input.rep.name}: lead ${o.who} is still waiting for your answer. ${leftText} left: after ${o.deadlineLong} it moves on.`,
      '',
      ...actionText(o),
      '',
      ...leadText(input, o),
      '',
      ...footerText(input, o),
    ].join('\n'),
    html: page(`Reminder: ${leftText} left — ${o.who}`, [
      `<p>Reminder, ${esc(input.rep.name)}: lead ${esc(o.who)} is still waiting for your answer. <strong>${esc(leftText)} left</strong>: after ${esc(o.deadlineLong)} it moves on.</p>`,
      actionHtml(o),
      leadHtml(input, o),
      footerHtml(input, o),
    ]),
  };
}

/** To a manager up the chain: the offer itself, why it reached them, and everything that happened so far. */
export function composeEscalationEmail(input: EscalationEmailInput): EmailContent {
  const o = readOffer(input);
  const passes = input.history.filter((e) => passKinds.has(e.kind));
  const history = input.history.map(
    (e) => `${formatInstant(instant(e.at, 'history.at'), o.timeZone, 'short')} — ${e.kind}: ${e.summary}`,
  );
  const why = [`Why it reached you (level ${input.level}): ${input.whyYou}`, ...passes.map((e) => `  - ${e.summary}`)];
  return {
    subject: `Escalated lead (level ${input.level}): ${o.who} — tier ${input.qualification.tier}, answer by ${o.deadlineShort}`,
    text: [
      `Escalated to you, ${input.rep.name}: ${o.contactLine}.`,
      ...why,
      '',
      ...actionText(o),
      '',
      ...leadText({ ...input, whyYou: '' }, o),
      '',
      'History:',
      ...(history.length ? history.map((line) => `  ${line}`) : ['  (nothing recorded yet)']),
      '',
      ...footerText(input, o),
    ].join('\n'),
    html: page(`Escalated lead (level ${input.level}): ${o.who}`, [
      `<p>Escalated to you, ${esc(input.rep.name)}: ${esc(o.contactLine)}.</p>`,
      `<p><strong>Why it reached you (level ${input.level}):</strong> ${esc(input.whyYou)}</p>`,
      passes.length ? `<ul>${passes.map((e) => `<li>${esc(e.summary)}</li>`).join('')}</ul>` : '',
      actionHtml(o),
      leadHtml({ ...input, whyYou: '' }, o),
      `<h2>History</h2>${history.length ? `<ol>${history.map((line) => `<li>${esc(line)}</li>`).join('')}</ol>` : '<p>(nothing recorded yet)</p>'}`,
      footerHtml(input, o),
    ]),
  };
}

export function composeCatchAllAlert(ctx: CatchAllAlertInput): EmailContent {
  const who = describeWho(ctx.lead);
  const contact = contactOf(ctx.lead);
  const history = ctx.history.map((h) =>
    typeof h === 'string'
      ? h
      : `${formatInstant(instant(h.at, 'history.at'), ctx.timeZone ?? null, 'short')} — ${h.kind}: ${h.summary}`,
  );
  const claimUrl = claimPageUrl(ctx.apiUrl, ctx.leadId, ctx.offerNumber);
  const claimText = [
    `  Claim it as yourself: ${claimUrl}`,
    '  (sign in there with your rep token, or use the Claim button on the "All your open offers" page linked from your own offer emails)',
  ];
  const subject = `ALERT: ${ctx.problem ? 'lead needs attention' : ctx.reoffered ? 'owner never contacted lead' : 'nobody owns lead'} ${who} — catch-all queue${ctx.round > 1 ? `, reminder ${ctx.round}` : ''}`;
  const named = `${ctx.leadId} (${who}${contact ? ` <${contact}>` : ''})`;
  const opening = ctx.problem
    ? `Lead ${named} needs a person: ${ctx.problem}.`
    : ctx.reoffered
      ? `Lead ${named} is ${ctx.reoffered}.`
      : `Every candidate and the whole escalation chain let lead ${named} pass.`;
  const claimants = ctx.claimants.length ? `Any of ${ctx.claimants.join(', ')}` : 'Any rep';
  return {
    subject,
    text: [
      opening,
      `It waits in the catch-all queue. ${claimants} can claim it:`,
      ...claimText,
      '',
      'History:',
      ...history.map((line) => `  - ${line}`),
    ].join('\n'),
    html: page(subject, [
      `<p>${esc(opening)}</p>`,
      `<p>It waits in the catch-all queue. ${esc(claimants)} can claim it:</p>`,
      `<p>${button(claimUrl, 'Claim it as yourself', '#0a7d36')}</p>`,
      `<p style="color:#555;font-size:.9em">The claim page asks for your rep token; or use the Claim button on the “All your open offers” page linked from your own offer emails. The lead goes to whoever claims it.</p>`,
      `<h2>History</h2><ul>${history.map((line) => `<li>${esc(line)}</li>`).join('')}</ul>`,
    ]),
  };
}

/** An owned lead nobody reported contacting, as its owner and their manager are told of it. */
export interface FirstTouchEmailInput {
  leadId: string;
  lead: EmailLead;
  qualification: EmailScore;
  owner: { id: string; name: string };
  /** ISO-8601: when the owner took the lead, and when its first touch was due. */
  assignedAt: string;
  dueAt: string;
  /** What happens next unless a first touch is reported, and when (ISO-8601); null when nothing more happens. */
  next: { kind: 'tell-manager' | 'reoffer'; at: string } | null;
  /** The reader: the owner for the nudge, the manager (or the team's alert address) for the notice. */
  reader: EmailRecipient;
}

export interface FirstTouchNudgeInput extends FirstTouchEmailInput {
  /** The signed link that records the first touch (links/offer-links.ts `firstTouchUrl`). */
  touchUrl: string;
}

/** To the owner, when the first touch is due: contact the person, then say so with one click. */
export function composeFirstTouchNudge(input: FirstTouchNudgeInput): EmailContent {
  const f = readFirstTouch(input);
  const touchUrl = httpUrl(input.touchUrl, 'touchUrl');
  const subject = `Not contacted yet: ${f.who} — tier ${input.qualification.tier}, first touch was due ${f.dueShort}`;
  const opening = `${input.reader.name}, you took lead ${f.who} at ${f.assignedLong}, and no first contact is recorded. It was due by ${f.dueLong}.`;
  const action = 'Contact them now, then record it (your CRM may record it for you):';
  return {
    subject,
    text: [opening, f.nextLine, '', action, `  I contacted them: ${touchUrl}`, '', ...f.leadLines, '', f.footer].join(
      '\n',
    ),
    html: page(subject, [
      `<p>${esc(opening)} ${esc(f.nextLine)}</p>`,
      `<p>${esc(action)}</p>`,
      `<p>${button(touchUrl, 'I contacted them', '#0a7d36')}</p>`,
      f.leadHtml,
      `<p style="color:#555;font-size:.9em">${esc(f.footer)}</p>`,
    ]),
  };
}

/** To the owner's manager, one SLA after the nudge: who owns the lead and has not contacted it. */
export function composeFirstTouchManagerNotice(input: FirstTouchEmailInput): EmailContent {
  const f = readFirstTouch(input);
  const subject = `Untouched lead: ${input.owner.name} has not contacted ${f.who} — tier ${input.qualification.tier}`;
  const opening = `${input.reader.name}, ${input.owner.name} (${input.owner.id}) took lead ${f.who} at ${f.assignedLong} and has reported no first contact. It was due by ${f.dueLong}; ${input.owner.name} was reminded then.`;
  return {
    subject,
    text: [opening, f.nextLine, '', ...f.leadLines, '', f.footer].join('\n'),
    html: page(subject, [
      `<p>${esc(opening)} ${esc(f.nextLine)}</p>`,
      f.leadHtml,
      `<p style="color:#555;font-size:.9em">${esc(f.footer)}</p>`,
    ]),
  };
}

function readFirstTouch(input: FirstTouchEmailInput) {
  if (typeof input.reader?.name !== 'string' || !input.reader.name.trim())
    throw new NotificationInputError('reader.name is required');
  const timeZone = checkTimeZone(input.reader.timeZone ?? null, 'reader.timeZone');
  const due = instant(input.dueAt, 'dueAt');
  const who = describeWho(input.lead);
  const contact = [input.lead.email, input.lead.phone].filter(Boolean).join(', ') || 'no email or phone given';
  const next = input.next ? `${formatInstant(instant(input.next.at, 'next.at'), timeZone)}` : null;
  const nextLine = !input.next
    ? 'Nothing more happens automatically: the lead stays with its owner.'
    : input.next.kind === 'tell-manager'
      ? `Unless a first contact is recorded by ${next}, your manager is told.`
      : `Unless a first contact is recorded by ${next}, the lead is offered to the team again.`;
  const q = input.qualification;
  const excerpt = excerptOf(input.lead.text ?? '') || '(no message)';
  return {
    who,
    nextLine,
    dueLong: formatInstant(due, timeZone),
    dueShort: formatInstant(due, timeZone, 'short'),
    assignedLong: formatInstant(instant(input.assignedAt, 'assignedAt'), timeZone),
    leadLines: [
      `Contact: ${contact}, via ${input.lead.source}.`,
      `Score ${q.score} (tier ${q.tier}), urgency ${q.urgency}, service line ${q.serviceLine}.`,
      'Message:',
      excerpt,
    ],
    leadHtml: `<p>Contact: ${esc(contact)}, via ${esc(input.lead.source)}.<br>Score ${q.score} (tier ${esc(q.tier)}), urgency ${esc(q.urgency)}, service line ${esc(q.serviceLine)}.</p><blockquote style="margin:0;padding:.5em 1em;border-left:4px solid #ccc;white-space:pre-wrap">${esc(excerpt)}</blockquote>`,
    footer: `Lead ${input.leadId}, owned by ${input.owner.id}.`,
  };
}

/** The page where a claimant claims a catch-all offer as themselves (api/pages/claim-page.ts). */
export function claimPageUrl(apiUrl: string, leadId: string, offerNumber: number): string {
  return httpUrl(`${apiUrl.replace(/\/+$/, '')}/claim/${encodeURIComponent(leadId)}.${offerNumber}`, 'apiUrl');
}

/** Formats an instant for a reader in `timeZone` (UTC when unknown), e.g. "Wed, 2 Jan 2030, 04:05 America/Chicago". */
export function formatInstant(at: Date, timeZone: string | null, style: 'long' | 'short' = 'long'): string {
  const zone = timeZone ?? 'UTC';
  return `${instantFormat(zone, style).format(at)} ${zone}`;
}

// Building a DateTimeFormat loads the zone's rules and costs far more than formatting with it (about 0.1 ms
// each, and every email formats several instants), so each zone's formats are built once.
const instantFormats = new Map<string, Intl.DateTimeFormat>();

function instantFormat(zone: string, style: 'long' | 'short'): Intl.DateTimeFormat {
  const key = `${style} ${zone}`;
  let format = instantFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      weekday: 'short',
      ...(style === 'long' ? { day: 'numeric', month: 'short', year: 'numeric' } : {}),
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    instantFormats.set(key, format);
  }
  return format;
}

/** The message cut to an excerpt by code point, so it never ends in half an emoji. */
export function excerptOf(message: string, length = excerptLength): string {
  const chars = Array.from(message);
  return chars.length > length ? `${chars.slice(0, length).join('')}…` : message;
}

// ── Parts shared by the offer, reminder and escalation emails ───────────────────────────────────

interface OfferFacts {
  who: string;
  contactLine: string;
  deadline: Date;
  deadlineLong: string;
  deadlineShort: string;
  timeZone: string | null;
  accept: string;
  decline: string;
  excerpt: string;
}

/** Kinds of lead event that mean a rep let the lead pass. */
const passKinds = new Set(['declined', 'timed-out']);

function readOffer(input: OfferEmailInput): OfferFacts {
  if (typeof input.rep?.name !== 'string' || !input.rep.name.trim())
    throw new NotificationInputError('rep.name is required');
  const timeZone = checkTimeZone(input.rep.timeZone ?? null, 'rep.timeZone');
  const deadline = instant(input.deadline, 'deadline');
  const who = describeWho(input.lead);
  const contact = contactOf(input.lead);
  return {
    who,
    contactLine: `${who}${input.lead.email ? ` <${input.lead.email}>` : ''}${input.lead.phone ? `, ${input.lead.phone}` : ''}${contact ? '' : ' (no email or phone given)'}, via ${input.lead.source}`,
    deadline,
    deadlineLong: formatInstant(deadline, timeZone, 'long'),
    deadlineShort: formatInstant(deadline, timeZone, 'short'),
    timeZone,
    accept: httpUrl(input.links?.accept, 'links.accept'),
    decline: httpUrl(input.links?.decline, 'links.decline'),
    excerpt: excerptOf(input.lead.text ?? ''),
  };
}

function actionText(o: OfferFacts): string[] {
  return [`Answer by ${o.deadlineLong}, or the lead moves on.`, `Accept:  ${o.accept}`, `Decline: ${o.decline}`];
}

function actionHtml(o: OfferFacts): string {
  return `<p><strong>Answer by ${esc(o.deadlineLong)}</strong>, or the lead moves on.</p><p>${button(o.accept, 'Accept', '#0a7d36')} ${button(o.decline, 'Decline', '#8a1f11')}</p>`;
}

/** The warning an email carries when the classifier was unsure: the rep should read the message, not the labels. */
export function lowConfidenceText(q: Pick<EmailScore, 'confidenceLevel' | 'unsure'>): string[] {
  if (q.confidenceLevel !== 'low') return [];
  return [
    `Low confidence: ${q.unsure ?? 'the classifier is unsure of its reading'}. Read the message before trusting the labels.`,
  ];
}

function leadText(input: OfferEmailInput, o: OfferFacts): string[] {
  const q = input.qualification;
  return [
    `Score ${q.score} (tier ${q.tier}), urgency ${q.urgency}, service line ${q.serviceLine}.`,
    ...lowConfidenceText(q),
    ...q.parts.map((part) => `  ${signed(part.points)} ${part.reason}`),
    ...(input.whyYou ? ['', `Why you: ${input.whyYou}`] : []),
    '',
    'Message:',
    o.excerpt || '(no message)',
  ];
}

function leadHtml(input: OfferEmailInput, o: OfferFacts): string {
  const q = input.qualification;
  return [
    `<h2>Score ${q.score} (tier ${esc(q.tier)})</h2>`,
    `<p>Urgency ${esc(q.urgency)}, service line ${esc(q.serviceLine)}.</p>`,
    ...lowConfidenceText(q).map((line) => `<p><strong>${esc(line)}</strong></p>`),
    q.parts.length
      ? `<ul>${q.parts.map((p) => `<li>${esc(signed(p.points))} ${esc(p.reason)}</li>`).join('')}</ul>`
      : '',
    input.whyYou ? `<h2>Why you</h2><p>${esc(input.whyYou)}</p>` : '',
    `<h2>Message</h2><blockquote style="margin:0;padding:.5em 1em;border-left:4px solid #ccc;white-space:pre-wrap">${esc(o.excerpt || '(no message)')}</blockquote>`,
  ].join('');
}

function footerText(input: OfferEmailInput, o: OfferFacts): string[] {
  return [
    `Lead ${input.leadId}, offer ${input.offerNumber}. Each link works once and stops at ${o.deadlineLong}; opening it shows the lead first and asks you to confirm.`,
    ...(input.myOffersUrl ? [`All your open offers: ${httpUrl(input.myOffersUrl, 'myOffersUrl')}`] : []),
  ];
}

function footerHtml(input: OfferEmailInput, o: OfferFacts): string {
  return `<p style="color:#555;font-size:.9em">Lead ${esc(input.leadId)}, offer ${input.offerNumber}. Each link works once and stops at ${esc(o.deadlineLong)}; opening it shows the lead first and asks you to confirm.${
    input.myOffersUrl ? ` <a href="${esc(httpUrl(input.myOffersUrl, 'myOffersUrl'))}">All your open offers</a>.` : ''
  }</p>`;
}

function describeWho(lead: EmailLead): string {
  const name = lead.name?.trim() || lead.email?.trim() || lead.phone?.trim() || 'Unnamed contact';
  return `${name}${lead.company?.trim() ? ` (${lead.company.trim()})` : ''}`;
}

function contactOf(lead: EmailLead): string | null {
  return lead.email?.trim() || lead.phone?.trim() || null;
}

function signed(points: number): string {
  return points < 0 ? `${points}` : `+${points}`;
}

function instant(value: string, field: string): Date {
  const date = new Date(value);
  if (typeof value !== 'string' || !Number.isFinite(date.getTime()))
    throw new NotificationInputError(`${field} must be an ISO-8601 instant, got ${String(value)}`);
  return date;
}

function checkTimeZone(zone: string | null, field: string): string | null {
  if (zone === null) return null;
  try {
    instantFormat(zone, 'long');
  } catch {
    throw new NotificationInputError(`${field} is not an IANA time zone: ${zone}`);
  }
  return zone;
}

function httpUrl(value: string | undefined, field: string): string {
  // Links are written into href attributes; only web links may get there (never javascript: or data:).
  if (typeof value !== 'string' || !/^https?:\/\/[^\s"<>]+$/.test(value))
    throw new NotificationInputError(`${field} must be an http(s) URL, got ${String(value)}`);
  return value;
}

function button(href: string, label: string, colour: string): string {
  return `<a href="${esc(href)}" style="display:inline-block;padding:.7em 1.4em;margin:.2em .4em .2em 0;border-radius:6px;background:${colour};color:#fff;text-decoration:none;font-weight:bold">${esc(label)}</a>`;
}

function page(title: string, body: string[]): string {
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title></head><body style="font-family:system-ui,-apple-system,Segoe UI,sans-serif;line-height:1.4;max-width:40em;margin:0 auto;padding:1em"><h1 style="font-size:1.3em">${esc(title)}</h1>${body.join('')}</body></html>`;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
