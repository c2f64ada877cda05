// Creating, changing, deactivating and reactivating a team: each in one transaction with the team's row locked,
// validated whole (TeamSchema) and against the rest of the directory. Teams are never deleted.
import type { Pool } from 'pg';
import { insertTeam, listReps, readTeam, setTeamActive, writeTeam, type StoredTeam } from '../../../db/directory';
import { loadActivePolicy } from '../../../db/policies';
import { withTransaction } from '../../../db/pool';
import { TeamSchema, type Team } from '../../../src/directory-file';
import { badRequest, httpError, issuesFromZod } from '../../errors';
import { checkTeamReferences, notFound } from '../directory-references';
import { definedFields } from '../schemas';

export async function createTeam(db: Pool, team: Team): Promise<StoredTeam> {
  return withTransaction(db, async (tx) => {
    await checkTeamReferences(tx, team);
    if (!(await insertTeam(tx, team)))
      throw httpError(409, 'id', `team ${team.id} exists; PATCH /v1/admin/teams/${team.id} to change it`);
    return (await readTeam(tx, team.id)) as StoredTeam;
  });
}

export async function updateTeam(db: Pool, id: string, patch: Record<string, unknown>): Promise<StoredTeam> {
  return withTransaction(db, async (tx) => {
    const current = await readTeam(tx, id, { lock: true });
    if (!current) return notFound('team', id);
    const merged = TeamSchema.safeParse({ ...current.team, ...definedFields(patch) });
    if (!merged.success) throw badRequest(issuesFromZod(merged.error.issues));
    await checkTeamReferences(tx, merged.data);
    await writeTeam(tx, merged.data);
    // writeTeam reactivates; a PATCH keeps the team's active flag as it was.
    if (!current.active) await setTeamActive(tx, id, false);
    return (await readTeam(tx, id)) as StoredTeam;
  });
}

/** Refused while the team has active reps or the active routing policy sends leads to it. */
export async function deactivateTeam(db: Pool, id: string): Promise<StoredTeam> {
  return withTransaction(db, async (tx) => {
    const current = await readTeam(tx, id, { lock: true });
    if (!current) return notFound('team', id);
    const reps = await listReps(tx, { teamId: id, active: true });
    if (reps.length)
      throw httpError(
        409,
        'id',
        `team ${id} still has active reps (${reps.map((r) => r.rep.id).join(', ')}): move or deactivate them first`,
      );
    const active = await loadActivePolicy(tx);
    const routed = active
      ? [
          ...active.policy.rules.filter((r) => r.team === id).map((r) => `rule "${r.name}"`),
          ...(active.policy.default?.team === id ? ['the default route'] : []),
        ]
      : [];
    if (routed.length)
      throw httpError(
        409,
        'id',
        `the active routing policy (version ${active?.version}) sends leads to team ${id} (${routed.join(', ')}): activate a policy without it first`,
      );
    await setTeamActive(tx, id, false);
    return (await readTeam(tx, id)) as StoredTeam;
  });
}

export async function activateTeam(db: Pool, id: string): Promise<StoredTeam> {
  if (!(await readTeam(db, id))) return notFound('team', id);
  await setTeamActive(db, id, true);
  return (await readTeam(db, id)) as StoredTeam;
}
