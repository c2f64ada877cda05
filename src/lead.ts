// The shapes a lead takes inside leadrelay. Free of zod so the workflow bundle stays small and eval-free.
import type { LeadSubmission } from './lead-submission';

export type { LeadSubmission } from './lead-submission';

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
  submission: LeadSubmission;
  /** ISO-8601; when the API accepted the lead. */
  receivedAt: string;
}

export interface KnownContact {
  contactId: string;
  ownerRepId: string | null;
}
