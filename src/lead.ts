// The shapes a lead takes inside leadrelay. Free of zod so the workflow bundle stays small and eval-free.
import type { NormalisedLead } from './intake/normalised-lead';
import type { LeadSubmission } from './lead-submission';

export type { LeadSubmission } from './lead-submission';
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

/** The input of leads started before intake normalisation; kept so their histories replay and they finish. */
export interface LegacyLeadWorkflowInput {
  leadId: string;
  submission: LeadSubmission;
  receivedAt: string;
}

export type AnyLeadWorkflowInput = LeadWorkflowInput | LegacyLeadWorkflowInput;

/** A later submission from the same person (a chat after the form), merged into the running lead. */
export interface MergedSubmission {
  submissionId: string;
  lead: NormalisedLead;
  receivedAt: string;
}

/** Whom a lead is about, in one line, for memos, emails and logs. */
export function describePerson(input: AnyLeadWorkflowInput): string {
  const { name, company, source } = 'lead' in input ? input.lead : input.submission;
  const contact = 'lead' in input ? (input.lead.email ?? input.lead.phone) : input.submission.email;
  return `${name ?? contact ?? 'unknown person'}${company ? ` (${company})` : ''} via ${source}`;
}

export interface KnownContact {
  contactId: string;
  ownerRepId: string | null;
}
