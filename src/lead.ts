// The shapes a lead takes inside leadrelay. Free of zod so the workflow bundle stays small and eval-free.
import type { NormalisedLead } from './intake/normalised-lead';

export type { NormalisedLead } from './intake/normalised-lead';

/** Exact-match key for dedupe: case and surrounding whitespace never make two people. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * `notifying`: an offer is made and its email is on its way (its SLA starts once the mail server takes it).
 * `needs-attention`: a step failed in a way retrying cannot cure; the lead waits in the catch-all queue for a
 * person, with the reason on its timeline.
 * `first-touch-overdue`: owned, but its owner reported no first contact within the policy's first-touch SLA.
 */
export const leadStatuses = [
  'received',
  'notifying',
  'offered',
  'escalated',
  'catch-all',
  'needs-attention',
  'assigned',
  'first-touch-overdue',
  'rejected-spam',
] as const;
export type LeadStatus = (typeof leadStatuses)[number];

/** Intake (dedupe, qualification, routing) is machine work; a lead still there after this is stuck. */
export const intakeDeadlineMs = 5 * 60_000;

/** A later submission from the same person (a chat after the form), merged into the running lead. */
export interface MergedSubmission {
  submissionId: string;
  lead: NormalisedLead;
  receivedAt: string;
}

/**
 * What the lead's workflow is told of a merged submission: ids, never the person's words. The merge step reads
 * the submission from Postgres, where the API stored it.
 */
export interface MergeNotice {
  submissionId: string;
  source: string;
  receivedAt: string;
}

/** Whom a lead is about, in one line, for memos, emails and logs. */
export function describePerson(of: NormalisedLead): string {
  const { name, company, source, email, phone } = of;
  return `${name ?? email ?? phone ?? 'unknown person'}${company ? ` (${company})` : ''} via ${source}`;
}

export interface KnownContact {
  contactId: string;
  ownerRepId: string | null;
}
