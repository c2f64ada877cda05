// The sales directory in Postgres: each rep and team stored as the JSON its zod schema validated. Read by routing,
// written by the directory file loader and the admin API. (The load routing decides over is in db/offers.ts.)
import type { Pool, PoolClient } from 'pg';
import { withTransaction } from './pool';
import {
  DirectoryFileError,
  DirectoryFileSchema,
  RepSchema,
  TeamSchema,
  type DirectoryFileInput,
  type Rep,
  type Team,
} from '../src/directory-file';
import { prepared } from './pool';

export interface Directory {
  /** Active teams only: a deactivated team takes no leads. */
  teams: Team[];
  /** Every rep, active or not, so routing can say why a deactivated one was skipped. */
  reps: Rep[];
}

/** Stored documents are validated again on the way out: defaults added since they were written apply. */
function storedRep(doc: unknown): Rep {
  const parsed = RepSchema.safeParse(doc);
  if (!parsed.success)
    throw new DirectoryFileError(
      `stored rep ${JSON.stringify((doc as { id?: unknown })?.id)} no longer validates: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

function storedTeam(doc: unknown): Team {
  const parsed = TeamSchema.safeParse(doc);
  if (!parsed.success)
    throw new DirectoryFileError(
      `stored team ${JSON.stringify((doc as { id?: unknown })?.id)} no longer validates: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

// Parsed directories by directory_version: routing reads the directory for every lead, and re-reading and
// re-parsing a thousand reps each time cost more than the decision itself, and kept routing's per-directory caches
// (rep index, calendars) cold. Keyed by version alone: versions are random, so databases do not share one unless
// they hold the same rows. A few entries, so several databases in one process do not evict each other at every read.
const parsedDirectories = new Map<string, Directory>();
const maxParsedDirectories = 4;

const versionStatement = prepared('directory.version', 'SELECT version FROM directory_version');

/**
 * The directory as the caller's transaction sees it. Shared between callers until the directory changes, and
 * frozen: treat it as read-only (copy what you need to change).
 */
export async function loadDirectory(db: Pool | PoolClient): Promise<Directory> {
  // As current as reading the rows: any committed write to reps or teams changed the version this statement sees
  // (the triggers of migrations/1732520000000_directory_version.sql set it in the writing transaction).
  const current = (await db.query<{ version: string }>(versionStatement([]))).rows[0]!.version;
  const cached = parsedDirectories.get(current);
  if (cached) {
    // Most recently used last, so eviction takes the one unused longest.
    parsedDirectories.delete(current);
    parsedDirectories.set(current, cached);
    return cached;
  }
  // The version and the rows from one statement, so from one snapshot: under READ COMMITTED a write committing
  // between two statements would otherwise file newer rows under the older version.
  const { rows } = await db.query<{ version: string; teams: unknown[]; reps: unknown[] }>(
    `SELECT version,
            (SELECT coalesce(json_agg(doc ORDER BY id), '[]') FROM teams WHERE active) AS teams,
            (SELECT coalesce(json_agg(doc ORDER BY id), '[]') FROM reps) AS reps
       FROM directory_version`,
  );
  const { version, teams, reps } = rows[0]!;
  const directory = freezeDirectory({ teams: teams.map(storedTeam), reps: reps.map(storedRep) });
  parsedDirectories.set(version, directory);
  if (parsedDirectories.size > maxParsedDirectories) parsedDirectories.delete(parsedDirectories.keys().next().value!);
  return directory;
}

// A caller that changed the shared directory would change it for every later lead: make that an error instead.
// Down to each rep and team only: deeper values may be zod's defaults, shared with every other parse.
function freezeDirectory(directory: Directory): Directory {
  for (const entry of [...directory.teams, ...directory.reps]) Object.freeze(entry);
  Object.freeze(directory.teams);
  Object.freeze(directory.reps);
  return Object.freeze(directory);
}

/**
 * Writes a directory file (validated here, errors naming the place: `reps.3.teamId: no team nowhere`): teams first,
 * then reps, replacing the stored version of each entry it names. Entries it does not name are left alone, so reps
 * created through the admin API survive a reload of the file.
 */
export async function upsertDirectory(
  db: Pool,
  file: DirectoryFileInput,
  { onlyNew = false }: { onlyNew?: boolean } = {},
): Promise<{ written: number; kept: number }> {
  const parsed = DirectoryFileSchema.safeParse(file);
  if (!parsed.success)
    throw new DirectoryFileError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; '),
    );
  // onlyNew seeds: an entry already stored may carry an admin's edits (an away toggle, a leave window) that a
  // restart must not undo, so only entries the database does not have yet are written.
  return withTransaction(db, async (tx) => {
    let written = 0;
    for (const team of parsed.data.teams)
      written += onlyNew ? Number(await insertTeam(tx, team)) : (await writeTeam(tx, team), 1);
    for (const rep of parsed.data.reps)
      written += onlyNew ? Number(await insertRep(tx, rep)) : (await writeRep(tx, rep), 1);
    return { written, kept: parsed.data.teams.length + parsed.data.reps.length - written };
  });
}

/** Inserts or replaces one team; reactivates it (a team in a file or written by an admin is meant to take leads). */
export async function writeTeam(db: Pool | PoolClient, team: Team): Promise<void> {
  await db.query(
    `INSERT INTO teams (id, doc, active) VALUES ($1, $2, true)
     ON CONFLICT (id) DO UPDATE SET doc = $2, active = true, updated_at = now()`,
    [team.id, JSON.stringify(team)],
  );
}

export async function writeRep(db: Pool | PoolClient, rep: Rep): Promise<void> {
  await db.query(
    `INSERT INTO reps (id, doc) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET doc = $2, updated_at = now()`,
    [rep.id, JSON.stringify(rep)],
  );
}

/** Creates a team; false when the id is taken (by a concurrent create too: the primary key decides). */
export async function insertTeam(db: Pool | PoolClient, team: Team): Promise<boolean> {
  const { rowCount } = await db.query(
    'INSERT INTO teams (id, doc, active) VALUES ($1, $2, true) ON CONFLICT (id) DO NOTHING',
    [team.id, JSON.stringify(team)],
  );
  return rowCount === 1;
}

/** Creates a rep; false when the id is taken. */
export async function insertRep(db: Pool | PoolClient, rep: Rep): Promise<boolean> {
  const { rowCount } = await db.query('INSERT INTO reps (id, doc) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [
    rep.id,
    JSON.stringify(rep),
  ]);
  return rowCount === 1;
}

export interface StoredTeam {
  team: Team;
  active: boolean;
  updatedAt: string;
}

export interface StoredRep {
  rep: Rep;
  updatedAt: string;
}

export async function listTeams(db: Pool | PoolClient): Promise<StoredTeam[]> {
  const { rows } = await db.query<{ doc: unknown; active: boolean; updated_at: Date }>(
    'SELECT doc, active, updated_at FROM teams ORDER BY id',
  );
  return rows.map((r) => ({ team: storedTeam(r.doc), active: r.active, updatedAt: r.updated_at.toISOString() }));
}

export async function readTeam(db: Pool | PoolClient, id: string, { lock = false } = {}): Promise<StoredTeam | null> {
  const { rows } = await db.query<{ doc: unknown; active: boolean; updated_at: Date }>(
    `SELECT doc, active, updated_at FROM teams WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
    [id],
  );
  const row = rows[0];
  return row ? { team: storedTeam(row.doc), active: row.active, updatedAt: row.updated_at.toISOString() } : null;
}

export async function setTeamActive(db: Pool | PoolClient, id: string, active: boolean): Promise<void> {
  await db.query('UPDATE teams SET active = $2, updated_at = now() WHERE id = $1', [id, active]);
}

export async function listReps(
  db: Pool | PoolClient,
  filter: { teamId?: string; active?: boolean } = {},
): Promise<StoredRep[]> {
  const { rows } = await db.query<{ doc: unknown; updated_at: Date }>(
    `SELECT doc, updated_at FROM reps WHERE ($1::text IS NULL OR team_id = $1) AND ($2::boolean IS NULL OR active = $2) ORDER BY id`,
    [filter.teamId ?? null, filter.active ?? null],
  );
  return rows.map((r) => ({ rep: storedRep(r.doc), updatedAt: r.updated_at.toISOString() }));
}

const readRepStatement = prepared('reps.read', 'SELECT doc, updated_at FROM reps WHERE id = $1');
const readRepForUpdateStatement = prepared(
  'reps.read-for-update',
  'SELECT doc, updated_at FROM reps WHERE id = $1 FOR UPDATE',
);

export async function readRep(db: Pool | PoolClient, id: string, { lock = false } = {}): Promise<StoredRep | null> {
  const { rows } = await db.query<{ doc: unknown; updated_at: Date }>(
    lock ? readRepForUpdateStatement([id]) : readRepStatement([id]),
  );
  const row = rows[0];
  return row ? { rep: storedRep(row.doc), updatedAt: row.updated_at.toISOString() } : null;
}

/** Whether the rep is a manager: named in the escalation chain of an active team. */
export async function isEscalationManager(db: Pool | PoolClient, repId: string): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT 1 FROM teams WHERE active AND escalation @> jsonb_build_array(jsonb_build_object('repId', $1::text)) LIMIT 1`,
    [repId],
  );
  return rows.length > 0;
}
