// The shapes a lead takes inside leadrelay. Free of zod so the workflow bundle stays small and eval-free.
import type { NormalisedLead } from './intake/normalised-lead';

export type { NormalisedLead } from './intake/normalised-lead';

/** Exact-match key for dedupe: case and surrounding whitespace never make two people. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export const leadStatuses = ['received', 'offered', 'escalated', 'catch-all', 'assigned', 'rejected-spam'] as const;
export type LeadStatus = (typeof leadStatuses)[number];

/** Intake (dedupe, qualification, routing) is machine work; a lead still there after this is stuck. */
export const intakeDeadlineMs = 5 * 60_000;

export interface LeadWorkflowInput {
  leadId: string;
  /** The submission as intake normalised it (web form, chat or partner lead). */
  lead: NormalisedLead;
  /** ISO-8601; when the API accepted the lead. */
  receivedAt: string;
}

/** A later submission from the same person (a chat after the form), merged into the running lead. */
export interface MergedSubmission {
  submissionId: string;
  lead: NormalisedLead;
  receivedAt: string;
}

/** Whom a lead is about, in one line, for memos, emails and logs. */
export function describePerson(of: LeadWorkflowInput | NormalisedLead): string {
  const { name, company, source, email, phone } = 'lead' in of ? of.lead : of;
  return `${name ?? email ?? phone ?? 'unknown person'}${company ? ` (${company})` : ''} via ${source}`;
}

export interface KnownContact {
  contactId: string;
  ownerRepId: string | null;
}
