// The directory routing reads for every lead, against a real Postgres: parsed once and shared while it is
// unchanged, read afresh after any write to reps or teams, whatever made it, and never mixed up between databases.
import type { Pool } from 'pg';
import { testDirectory } from '../test/support/directory';
import {
  insertRep,
  insertTeam,
  loadDirectory,
  readRep,
  setTeamActive,
  upsertDirectory,
  writeRep,
  writeTeam,
} from './directory';
import { createPool, withTransaction } from './pool';
import type { RepInput, TeamInput } from '../src/directory-file';
import { RepSchema, TeamSchema } from '../src/directory-file';
import { copyOfTemplateDatabase } from '../test/support/database';

const pools: Pool[] = [];

/** A database of its own, copied from the migrated template: every copy starts with the same directory version. */
async function copyOfTemplate(): Promise<Pool> {
  const pool = createPool(await copyOfTemplateDatabase());
  pools.push(pool);
  return pool;
}

const team = (input: TeamInput) => TeamSchema.parse(input);
const rep = (input: RepInput) => RepSchema.parse(input);
const repIn = async (db: Pool, id: string) => (await loadDirectory(db)).reps.find((r) => r.id === id);

let db: Pool;
beforeAll(async () => {
  db = await copyOfTemplate();
  await upsertDirectory(db, testDirectory);
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
});

test('read again with nothing changed, the directory is the one already parsed, inside a transaction too', async () => {
  const first = await loadDirectory(db);
  expect(first.reps.map((r) => r.id)).toEqual(['ana', 'ben', 'cleo', 'dieter', 'dora', 'head', 'mgr', 'wendy']);
  expect(await loadDirectory(db)).toBe(first);
  await withTransaction(db, async (tx) => expect(await loadDirectory(tx)).toBe(first));
});

test('a rep changed by the away toggle, the directory file or plain SQL is routed over as changed from the next read', async () => {
  const before = await loadDirectory(db);
  expect(before.reps.find((r) => r.id === 'ana')).toMatchObject({ away: false });

  // As PUT /v1/admin/reps/:id/away writes it.
  const ana = (await readRep(db, 'ana'))!.rep;
  await writeRep(db, { ...ana, away: true });
  const toggled = await loadDirectory(db);
  expect(toggled).not.toBe(before);
  expect(toggled.reps.find((r) => r.id === 'ana')).toMatchObject({ away: true });

  await upsertDirectory(db, {
    teams: [{ id: 'cloud', name: 'Cloud', alertEmail: 'sales-ops@leadrelay.test' }],
    reps: [{ id: 'ben', name: 'Benedikt', email: 'ben@leadrelay.test', teamId: 'cloud' }],
  });
  expect(await repIn(db, 'ben')).toMatchObject({ name: 'Benedikt' });

  await db.query(`UPDATE reps SET doc = jsonb_set(doc, '{weight}', '3') WHERE id = 'ben'`);
  expect(await repIn(db, 'ben')).toMatchObject({ name: 'Benedikt', weight: 3 });
});

test('a team renamed, deactivated or reactivated is routed over as changed from the next read', async () => {
  const before = await loadDirectory(db);
  expect(before.teams.find((t) => t.id === 'partners')).toMatchObject({ name: 'Partners' });

  await writeTeam(db, { ...before.teams.find((t) => t.id === 'partners')!, name: 'Channel partners' });
  expect((await loadDirectory(db)).teams.find((t) => t.id === 'partners')).toMatchObject({ name: 'Channel partners' });

  await setTeamActive(db, 'partners', false);
  expect((await loadDirectory(db)).teams.map((t) => t.id)).not.toContain('partners');
  await setTeamActive(db, 'partners', true);
  expect((await loadDirectory(db)).teams.map((t) => t.id)).toContain('partners');
});

test('a deleted rep or team is gone from the next read', async () => {
  await insertTeam(db, team({ id: 'interim', name: 'Interim', alertEmail: 'interim@leadrelay.test' }));
  await insertRep(db, rep({ id: 'temp', name: 'Temp', email: 'temp@leadrelay.test', teamId: 'interim' }));
  const before = await loadDirectory(db);
  expect(before.reps.map((r) => r.id)).toContain('temp');
  expect(before.teams.map((t) => t.id)).toContain('interim');

  await db.query(`DELETE FROM reps WHERE id = 'temp'`);
  expect((await loadDirectory(db)).reps.map((r) => r.id)).not.toContain('temp');
  await db.query(`DELETE FROM teams WHERE id = 'interim'`);
  expect((await loadDirectory(db)).teams.map((t) => t.id)).not.toContain('interim');
});

test('an emptied directory (TRUNCATE) is read as empty', async () => {
  const other = await copyOfTemplate();
  await upsertDirectory(other, testDirectory);
  expect((await loadDirectory(other)).reps).toHaveLength(8);
  await other.query('TRUNCATE reps, teams CASCADE');
  expect(await loadDirectory(other)).toEqual({ teams: [], reps: [] });
});

test('a transaction routes over its own uncommitted change; others keep the committed directory, also after a rollback', async () => {
  const committed = await loadDirectory(db);
  const cleo = (await readRep(db, 'cleo'))!.rep;
  expect(cleo.away).toBe(true);
  const rolledBack = new Error('rolled back');
  await expect(
    withTransaction(db, async (tx) => {
      await writeRep(tx, { ...cleo, away: false });
      expect((await loadDirectory(tx)).reps.find((r) => r.id === 'cleo')).toMatchObject({ away: false });
      expect(await loadDirectory(db)).toBe(committed);
      throw rolledBack;
    }),
  ).rejects.toBe(rolledBack);
  expect(await loadDirectory(db)).toBe(committed);
});

test('databases used from one process each get their own directory, though copies of one template start at the same version', async () => {
  const [left, right] = [await copyOfTemplate(), await copyOfTemplate()];
  expect(await loadDirectory(left)).toEqual({ teams: [], reps: [] });
  expect(await loadDirectory(right)).toEqual({ teams: [], reps: [] });

  await upsertDirectory(left, {
    teams: [{ id: 'north', name: 'North', alertEmail: 'north@leadrelay.test' }],
    reps: [{ id: 'nia', name: 'Nia', email: 'nia@leadrelay.test', teamId: 'north' }],
  });
  await upsertDirectory(right, {
    teams: [{ id: 'south', name: 'South', alertEmail: 'south@leadrelay.test' }],
    reps: [{ id: 'sol', name: 'Sol', email: 'sol@leadrelay.test', teamId: 'south' }],
  });
  for (let round = 0; round < 2; round++) {
    expect((await loadDirectory(left)).reps.map((r) => r.id)).toEqual(['nia']);
    expect((await loadDirectory(right)).reps.map((r) => r.id)).toEqual(['sol']);
    expect((await loadDirectory(db)).reps.map((r) => r.id)).toContain('ana');
  }
});

test('the shared directory refuses changes: a caller that needs another copies it', async () => {
  const directory = await loadDirectory(db);
  expect(() => directory.reps.push(directory.reps[0]!)).toThrow(TypeError);
  expect(() => directory.teams.sort()).toThrow(TypeError);
  expect(() => Object.assign(directory.reps[0]!, { away: true })).toThrow(TypeError);
  expect(await loadDirectory(db)).toBe(directory);
});

test('two transactions writing the same reps in opposite orders queue up rather than deadlock', async () => {
  const own = await copyOfTemplate();
  await upsertDirectory(own, testDirectory);
  const a = await own.connect();
  const b = await own.connect();
  const weight = (id: string, w: number) =>
    `UPDATE reps SET doc = jsonb_set(doc, '{weight}', '${w}') WHERE id = '${id}'`;
  try {
    await a.query('BEGIN');
    await b.query('BEGIN');
    await a.query(weight('ana', 2));
    // b waits for a's version lock before it touches ben, so a can still write ben: with the version bumped after
    // each statement instead, b would hold ben while waiting for the version, and Postgres would abort one of them.
    const bWrites = b.query(weight('ben', 3)).then(() => b.query(weight('ana', 3)));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await a.query(weight('ben', 2));
    await a.query('COMMIT');
    await bWrites;
    await b.query('COMMIT');
  } finally {
    a.release();
    b.release();
  }
  const reps = (await loadDirectory(own)).reps;
  expect(reps.find((r) => r.id === 'ana')?.weight).toBe(3);
  expect(reps.find((r) => r.id === 'ben')?.weight).toBe(3);
});
