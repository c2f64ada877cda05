// Correcting the classifier's reading of a lead: the reps it was offered to or who own it, the managers on its
// team's escalation chain, and admin keys. Corrections are stored and join the corpus the model retrains on.
import type { Pool } from 'pg';
import type { Principal } from '../../db/credentials';
import { insertCorrection, listCorrections, readLeadReading } from '../../db/corrections';
import { loadDirectory } from '../../db/directory';
import { readLeadRecord, wasOfferedTo } from '../../db/lead-records';
import { describeCorrection, type CorrectionInput, type StoredCorrection } from '../../src/corrections';
import { httpError } from '../errors';

/** Who may correct: returns the name the correction is recorded under, or throws 401/403/404. */
async function authoriseCorrection(db: Pool, principal: Principal | null, leadId: string): Promise<string> {
  if (!principal) throw httpError(401, 'Authorization', 'send Authorization: Bearer <token>');
  const record = await readLeadRecord(db, leadId);
  if (!record) throw httpError(404, 'id', `no lead ${leadId}`);
  if (principal.kind === 'api-key') return `api-key:${principal.name}`;
  const repId = principal.repId;
  if (record.owner === repId || record.offers.some((o) => o.repIds.includes(repId))) return repId;
  if (await wasOfferedTo(db, leadId, repId)) return repId;
  // A manager: on the escalation chain of the team the lead was routed to.
  const team = record.teamId ? (await loadDirectory(db)).teams.find((t) => t.id === record.teamId) : undefined;
  if (team?.escalation.some((level) => level.repId === repId)) return repId;
  throw httpError(403, 'id', `lead ${leadId} was not offered to ${repId}, and ${repId} manages none of its team`);
}

export interface CorrectionView extends StoredCorrection {
  summary: string;
}

const view = (c: StoredCorrection): CorrectionView => ({ ...c, summary: describeCorrection(c) });

export async function correctLead(
  db: Pool,
  principal: Principal | null,
  leadId: string,
  input: CorrectionInput,
): Promise<CorrectionView> {
  const correctedBy = await authoriseCorrection(db, principal, leadId);
  const was = await readLeadReading(db, leadId);
  if (!was) throw httpError(409, 'id', `lead ${leadId} has not been qualified yet: there is no reading to correct`);
  return view(await insertCorrection(db, { leadId, correctedBy, was, ...input }));
}

export async function readCorrections(
  db: Pool,
  principal: Principal | null,
  leadId: string,
): Promise<{ leadId: string; corrections: CorrectionView[] }> {
  await authoriseCorrection(db, principal, leadId);
  return { leadId, corrections: (await listCorrections(db, leadId)).map(view) };
}
