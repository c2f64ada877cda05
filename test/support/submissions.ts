// A lead's first submission as the API stores it before it starts the lead's workflow, for tests of the steps that
// read it from there.
import type { Pool } from 'pg';
import { insertSubmission } from '../../db/submissions';
import { normaliseWebForm } from '../../src/intake/normalise';
import { WebFormSchema } from '../../src/intake/schemas';

export async function storeWebForm(
  db: Pool,
  leadId: string,
  form: Record<string, unknown>,
  receivedAt: Date,
): Promise<void> {
  const lead = normaliseWebForm(WebFormSchema.parse(form));
  await insertSubmission(db, {
    submissionId: leadId,
    leadId,
    personKey: lead.emailKey ?? lead.phone,
    lead,
    receivedAt,
    merged: false,
    submittedBy: null,
  });
}
