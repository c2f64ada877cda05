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
 * One line on what the lead is and where it stands, for the Web UI's memo: no name, email or words of the person,
 * e.g. "web-form lead, tier A (82), cloud-migration — offered: offer 1 to ana (level 0) until 2025-03-10T09:05:00.000Z".
 */
export function summariseLead(source: string, lead: LeadMemoFacts): string {
  const q = lead.qualification;
  const grade = q ? `, tier ${q.tier} (${q.score}), ${q.serviceLine}` : '';
  const offer = lead.currentOffer;
  const until = lead.deadline ? ` until ${lead.deadline}` : '';
  const now = lead.owner
    ? `assigned to ${lead.owner}${lead.status === 'first-touch-overdue' ? ` — first touch overdue${until}` : ''}`
    : offer
      ? `${lead.status}: offer ${offer.offerNumber} to ${offer.repIds.join(', ') || 'any rep'} (level ${offer.level})${until}`
      : `${lead.status}${until}`;
  return `${source} lead${grade} — ${now}`;
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

/** An offer as it opens: to whom and why them. Its deadline counts once its rep is told. */
export function describeOfferOpened(o: OfferView, why: string): string {
  return `offer ${o.offerNumber} (${o.kind}, level ${o.level}) to ${o.repIds.join(', ') || 'any rep'}: ${why}`;
}

/** The offer's email reached the mail server: the rep knows, and the SLA runs from here. */
export function describeOfferTold(o: OfferView & { toldAt: string; deadline: string }, slaText: string): string {
  return `${o.repIds.join(', ')} told of offer ${o.offerNumber} at ${o.toldAt}: answer due by ${o.deadline} (${slaText})`;
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
    case 'withdrawn':
      return `offer ${o.offerNumber}: withdrawn from ${to}${o.reason ? `: ${o.reason}` : ''}`;
    case 'open':
      return `offer ${o.offerNumber}: open for ${to || 'any rep'}${o.deadline ? ` until ${o.deadline}` : ''}`;
  }
}

/** Why an offer no longer takes answers, completing "offer 2 is closed: …". */
export function describeClosed(o: OfferView): string {
  if (o.outcome === 'timed-out') return `it expired at ${o.deadline}`;
  if (o.outcome === 'withdrawn') return 'it was withdrawn: the lead needs attention';
  return `it was ${o.outcome}${o.answeredBy ? ` by ${o.answeredBy}` : ''}`;
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
