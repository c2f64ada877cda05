// A lead's story in words: the summaries of its timeline and the memo line the Temporal Web UI shows, from plain
// data. The lead workflow tells it; nothing here decides anything.
import type { LeadStatus } from './lead';
import type { OfferAnswer, OfferView } from './offer';
import type { Qualification } from './qualification';

/** What the memo line is made of: the lead's state as the workflow's query shows it. */
export interface LeadMemoFacts {
  status: LeadStatus;
  deadline: string | null;
  owner: string | null;
  currentOffer: OfferView | null;
  qualification: Qualification | null;
}

/**
 * One line on whom the lead is about and where it stands, e.g. "Priya Shah (Acme Corp) via web-form, tier A (82),
 * cloud-migration — offered: offer 1 to ana (level 0) until 2025-03-10T09:05:00.000Z".
 */
export function summariseLead(person: string, lead: LeadMemoFacts): string {
  const q = lead.qualification;
  const grade = q ? `, tier ${q.tier} (${q.score}), ${q.serviceLine}` : '';
  const offer = lead.currentOffer;
  const now = offer
    ? `${lead.status}: offer ${offer.offerNumber} to ${offer.repIds.join(', ')} (level ${offer.level}) until ${offer.deadline}`
    : lead.owner
      ? `assigned to ${lead.owner}`
      : `${lead.status}${lead.deadline ? ` until ${lead.deadline}` : ''}`;
  return `${person}${grade} — ${now}`;
}

/** Dedupe's finding; matching states it, and a lead with no match is a new contact. */
export function describeMatch(match: { summary: string } | null): string {
  return match?.summary ?? 'new contact: no existing contact has this email';
}

/** The score and every point it is made of, or why the lead was thrown out as spam. */
export function describeQualification(
  q: Pick<Qualification, 'spam' | 'spamReason' | 'score' | 'tier' | 'urgency' | 'serviceLine' | 'parts'>,
): string {
  if (q.spam) return `rejected as spam: ${q.spamReason ?? 'spam'}`;
  const parts = q.parts.map((p) => `+${p.points} ${p.reason}`).join(', ');
  return `score ${q.score} (tier ${q.tier}), urgency ${q.urgency}, service line ${q.serviceLine}: ${parts}`;
}

/** An offer as it opens: to whom, until when, and why them. */
export function describeOfferOpened(o: OfferView, why: string): string {
  return `offer ${o.offerNumber} (${o.kind}, level ${o.level}) to ${o.repIds.join(', ')} until ${o.deadline}: ${why}`;
}

/** An offer as it stands or ended, for the timeline and the catch-all alert's history. */
export function describeOffer(o: OfferView): string {
  const to = o.repIds.join(', ');
  switch (o.outcome) {
    case 'accepted':
      return `offer ${o.offerNumber}: accepted by ${o.answeredBy}`;
    case 'declined':
      return `offer ${o.offerNumber}: declined by ${o.answeredBy}${o.reason ? ` ("${o.reason}")` : ''}`;
    case 'timed-out':
      return `offer ${o.offerNumber}: ${to} did not answer by ${o.deadline}`;
    case 'open':
      return `offer ${o.offerNumber}: open for ${to} until ${o.deadline}`;
  }
}

/** Why an offer no longer takes answers, completing "offer 2 is closed: …". */
export function describeClosed(o: OfferView): string {
  return o.outcome === 'timed-out'
    ? `it expired at ${o.deadline}`
    : `it was ${o.outcome}${o.answeredBy ? ` by ${o.answeredBy}` : ''}`;
}

export function describeAssignment(a: { repId: string; offerNumber: number }): string {
  return `${a.repId} owns the lead (accepted offer ${a.offerNumber})`;
}

/** A signal the workflow could not act on; its sender may have sent anything, so every field is read defensively. */
export function describeIgnoredSignal(
  signal: 'accept' | 'decline',
  answer: Partial<Record<keyof OfferAnswer, unknown>> | null | undefined,
  reason: string,
): string {
  return `${signal} signal from ${String(answer?.repId)} for offer ${String(answer?.offerNumber)} ignored: ${reason}`;
}
