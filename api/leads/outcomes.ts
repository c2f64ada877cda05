// Outcomes through the API: a CRM integration (an `outcomes:write` key) or the rep who owns the lead reports what
// became of it. A retry under the same external id is answered with the stored outcome and writes nothing.
import type { Pool } from 'pg';
import type { Principal } from '../../db/credentials';
import { readLeadRecord, wasOfferedTo } from '../../db/lead-records';
import { listOutcomes, reportOutcomeOf } from '../../db/outcomes';
import { describeOutcome, type OutcomeInput, type StoredOutcome } from '../../src/outcomes';
import { httpError } from '../errors';

export interface OutcomeView extends StoredOutcome {
  summary: string;
}

const view = (o: StoredOutcome): OutcomeView => ({ ...o, summary: describeOutcome(o) });

export async function reportOutcome(
  db: Pool,
  principal: Principal | null,
  leadId: string,
  input: OutcomeInput,
): Promise<{ created: boolean; outcome: OutcomeView }> {
  if (!principal) throw httpError(401, 'Authorization', 'send Authorization: Bearer <token>');
  if (principal.kind === 'rep') {
    const record = await readLeadRecord(db, leadId);
    if (!record) throw httpError(404, 'id', `no lead ${leadId}`);
    if (record.owner !== principal.repId)
      throw httpError(
        403,
        'id',
        `lead ${leadId} is not owned by ${principal.repId}: only its owner reports its outcomes`,
      );
  }
  const report = await reportOutcomeOf(
    db,
    leadId,
    input,
    principal.kind === 'rep' ? principal.repId : `api-key:${principal.name}`,
  );
  switch (report.result) {
    case 'no-lead':
      throw httpError(404, 'id', `no lead ${leadId}`);
    case 'unowned':
      throw httpError(
        409,
        'id',
        `lead ${leadId} has no owner yet: an outcome is credited to the rep who owns the lead`,
      );
    case 'conflict':
      throw httpError(
        409,
        'externalId',
        `external id ${report.externalId} already records ${describeOutcome(report.outcome)} at ${report.outcome.at}`,
      );
    default:
      return { created: report.result === 'created', outcome: view(report.outcome) };
  }
}

export async function readOutcomes(
  db: Pool,
  principal: Principal | null,
  leadId: string,
): Promise<{ leadId: string; outcomes: OutcomeView[] }> {
  if (!principal) throw httpError(401, 'Authorization', 'send Authorization: Bearer <token>');
  const record = await readLeadRecord(db, leadId);
  if (!record) throw httpError(404, 'id', `no lead ${leadId}`);
  if (
    principal.kind === 'rep' &&
    record.owner !== principal.repId &&
    !(await wasOfferedTo(db, leadId, principal.repId))
  )
    throw httpError(403, 'id', `lead ${leadId} was not offered to ${principal.repId}`);
  return { leadId, outcomes: (await listOutcomes(db, leadId)).map(view) };
}
