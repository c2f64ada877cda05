// The checks on reps and teams that need the rest of the directory: the team exists (and takes reps), backup and
// escalation reps exist. Run in the transaction that writes the entry.
import type { PoolClient } from 'pg';
import { readRep, readTeam } from '../../db/directory';
import type { Rep, Team } from '../../src/directory-file';
import { badRequest, httpError, type FieldIssue } from '../errors';

export function notFound(kind: 'rep' | 'team', id: string): never {
  throw httpError(404, 'id', `no ${kind} ${id}`);
}

export async function checkTeamReferences(tx: PoolClient, team: Team): Promise<void> {
  const issues: FieldIssue[] = [];
  for (const [i, level] of team.escalation.entries()) {
    if (!(await readRep(tx, level.repId)))
      issues.push({ field: `escalation.${i}.repId`, message: `no rep ${level.repId}` });
  }
  if (issues.length) throw badRequest(issues);
}

export async function checkRepReferences(tx: PoolClient, rep: Rep): Promise<void> {
  const issues: FieldIssue[] = [];
  const team = await readTeam(tx, rep.teamId);
  if (!team) issues.push({ field: 'teamId', message: `no team ${rep.teamId}` });
  else if (!team.active && rep.active) issues.push({ field: 'teamId', message: `team ${rep.teamId} is deactivated` });
  for (const [i, window] of rep.outOfOffice.entries()) {
    if (!window.backupRepId) continue;
    if (window.backupRepId === rep.id)
      issues.push({ field: `outOfOffice.${i}.backupRepId`, message: 'a rep cannot be their own backup' });
    else if (!(await readRep(tx, window.backupRepId)))
      issues.push({ field: `outOfOffice.${i}.backupRepId`, message: `no rep ${window.backupRepId}` });
  }
  if (issues.length) throw badRequest(issues);
}
