// The checks on reps and teams that need the rest of the directory: the team exists (and takes reps), backup and
// escalation reps exist. Run in the transaction that writes the entry. A reference the directory cannot satisfy is a
// conflict with its current state (409), not a malformed request: the same body is fine once the rep or team exists.
import type { PoolClient } from 'pg';
import { readRep, readTeam } from '../../db/directory';
import type { Rep, Team } from '../../src/directory-file';
import { badRequest, HttpError, httpError, type FieldIssue } from '../errors';

export function notFound(kind: 'rep' | 'team', id: string): never {
  throw httpError(404, 'id', `no ${kind} ${id}`);
}

export async function checkTeamReferences(tx: PoolClient, team: Team): Promise<void> {
  const issues: FieldIssue[] = [];
  for (const [i, level] of team.escalation.entries()) {
    if (!(await readRep(tx, level.repId)))
      issues.push({ field: `escalation.${i}.repId`, message: `no rep ${level.repId}` });
  }
  if (issues.length) throw conflict(issues);
}

function conflict(issues: FieldIssue[]): HttpError {
  return new HttpError(409, issues.map((i) => i.message).join('; '), issues, 'DirectoryReference');
}

export async function checkRepReferences(tx: PoolClient, rep: Rep): Promise<void> {
  const ownBackup = rep.outOfOffice.flatMap((window, i): FieldIssue[] =>
    window.backupRepId === rep.id
      ? [{ field: `outOfOffice.${i}.backupRepId`, message: 'a rep cannot be their own backup' }]
      : [],
  );
  if (ownBackup.length) throw badRequest(ownBackup);
  const issues: FieldIssue[] = [];
  const team = await readTeam(tx, rep.teamId);
  if (!team) issues.push({ field: 'teamId', message: `no team ${rep.teamId}` });
  else if (!team.active && rep.active) issues.push({ field: 'teamId', message: `team ${rep.teamId} is deactivated` });
  for (const [i, window] of rep.outOfOffice.entries()) {
    if (!window.backupRepId) continue;
    if (!(await readRep(tx, window.backupRepId)))
      issues.push({ field: `outOfOffice.${i}.backupRepId`, message: `no rep ${window.backupRepId}` });
  }
  if (issues.length) throw conflict(issues);
}
