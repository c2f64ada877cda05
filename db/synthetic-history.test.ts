// The synthetic history the dashboard benchmark and browser test seed, against a real Postgres: it must look like
// what leadrelay itself writes, or the dashboard is measured and shown on data it will never see.
import type { Pool } from 'pg';
import { createPool } from './pool';
import { seedSyntheticDirectory, seedSyntheticHistory, type SyntheticHistoryOptions } from './synthetic-history';
import { copyOfTemplateDatabase } from '../test/support/database';

const end = new Date('2026-03-02T15:00:00.000Z');
const options: SyntheticHistoryOptions = { leads: 3000, days: 30, end, seed: 5 };
const dayMs = 86_400_000;

async function seededDatabase(): Promise<Pool> {
  const db = createPool(await copyOfTemplateDatabase());
  await seedSyntheticDirectory(db);
  return db;
}

async function count(db: Pool, sql: string, values: unknown[] = []): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT (${sql})::int AS n`, values);
  return rows[0]!.n;
}

async function statusCounts(db: Pool): Promise<Record<string, number>> {
  const { rows } = await db.query<{ status: string; n: number }>(
    'SELECT status, count(*)::int AS n FROM leads GROUP BY status ORDER BY status',
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

describe('one history of 3,000 leads over 30 days', () => {
  let db: Pool;
  let written: { leads: number; offers: number; outcomes: number };
  beforeAll(async () => {
    db = await seededDatabase();
    written = await seedSyntheticHistory(db, options);
  });
  afterAll(async () => {
    await db?.end();
  });

  test('writes every lead within the period, and a routing decision for each that is not spam', async () => {
    expect(written.leads).toBe(3000);
    expect(await count(db, 'SELECT count(*) FROM leads')).toBe(3000);
    expect(await count(db, 'SELECT count(*) FROM lead_offers')).toBe(written.offers);
    expect(await count(db, 'SELECT count(*) FROM lead_outcomes')).toBe(written.outcomes);
    expect(
      await count(db, 'SELECT count(*) FROM leads WHERE received_at < $1 OR received_at >= $2', [
        new Date(end.getTime() - options.days * dayMs),
        end,
      ]),
    ).toBe(0);
    const spam = await count(db, `SELECT count(*) FROM leads WHERE status = 'rejected-spam'`);
    expect(spam).toBeGreaterThan(30);
    expect(spam).toBeLessThan(200);
    expect(await count(db, 'SELECT count(*) FROM routing_decisions')).toBe(3000 - spam);
    expect(
      await count(
        db,
        `SELECT count(*) FROM leads l LEFT JOIN routing_decisions d ON d.lead_id = l.id
          WHERE (l.status = 'rejected-spam') <> (d.lead_id IS NULL) OR d.team_id IS DISTINCT FROM l.team_id
             OR d.policy_version IS DISTINCT FROM l.policy_version`,
      ),
    ).toBe(0);
  });

  test('the directory and the three policies are seeded once, the policies dated within the period', async () => {
    await seedSyntheticDirectory(db);
    const { rows } = await db.query<{ status: string; activated_at: Date | null; shadowed_at: Date | null }>(
      'SELECT status, activated_at, shadowed_at FROM routing_policies ORDER BY version',
    );
    expect(rows.map((r) => r.status)).toEqual(['retired', 'active', 'shadow']);
    const start = end.getTime() - options.days * dayMs;
    expect(rows[0]!.activated_at!.getTime()).toBe(start);
    expect(rows[1]!.activated_at!.getTime()).toBe(start + 0.6 * options.days * dayMs);
    expect(rows[2]!.shadowed_at!.getTime()).toBe(start + 0.85 * options.days * dayMs);
    expect(await count(db, 'SELECT count(*) FROM teams')).toBe(5);
    expect(await count(db, 'SELECT count(*) FROM reps')).toBe(5 * 9 + 1);
    // Leads follow the policy that was live when they came in; the shadow decided beside v2 only after it began.
    expect(
      await count(db, 'SELECT count(*) FROM leads WHERE policy_version = 1 AND received_at >= $1', [
        rows[1]!.activated_at,
      ]),
    ).toBe(0);
    expect(
      await count(
        db,
        `SELECT count(*) FROM shadow_decisions s JOIN leads l ON l.id = s.lead_id
          WHERE l.received_at < $1 OR s.live_version <> 2 OR s.policy_version <> 3`,
        [rows[2]!.shadowed_at],
      ),
    ).toBe(0);
    expect(await count(db, 'SELECT count(*) FROM shadow_decisions')).toBeGreaterThan(300);
  });

  test('every owned lead has exactly one accepted offer, answered by its owner, at the level it records', async () => {
    expect(
      await count(
        db,
        `SELECT count(*) FROM leads l
          WHERE l.status IN ('assigned', 'first-touch-overdue')
            AND (l.owner_rep_id IS NULL
                 OR (SELECT count(*) FROM lead_offers o WHERE o.lead_id = l.id AND o.status = 'accepted') <> 1
                 OR NOT EXISTS (SELECT 1 FROM lead_offers o WHERE o.lead_id = l.id AND o.status = 'accepted'
                                   AND o.answered_by = l.owner_rep_id AND o.level = l.escalation_level))`,
      ),
    ).toBe(0);
    expect(
      await count(
        db,
        `SELECT count(*) FROM leads l
          WHERE l.status NOT IN ('assigned', 'first-touch-overdue')
            AND (l.owner_rep_id IS NOT NULL OR EXISTS (SELECT 1 FROM lead_offers o WHERE o.lead_id = l.id AND o.status = 'accepted'))`,
      ),
    ).toBe(0);
    // Most leads are taken on their first offer; some go up the chain.
    const firstAccepted = await count(
      db,
      `SELECT count(*) FROM lead_offers WHERE offer_number = 1 AND status = 'accepted'`,
    );
    expect(firstAccepted / (await count(db, 'SELECT count(*) FROM routing_decisions'))).toBeGreaterThan(0.55);
    expect(await count(db, `SELECT count(*) FROM lead_offers WHERE kind = 'escalation'`)).toBeGreaterThan(50);
  });

  test('offers are told after they open and close after that, one at a time, and nothing happens after the end', async () => {
    expect(
      await count(
        db,
        `SELECT count(*) FROM lead_offers
          WHERE closed_at < offered_at OR told_at < offered_at OR closed_at < told_at OR deadline < told_at
             OR (status = 'open') <> (closed_at IS NULL) OR (told_at IS NULL) <> (deadline IS NULL)
             OR greatest(offered_at, told_at, closed_at) > $1`,
        [end],
      ),
    ).toBe(0);
    // An offer opens when the one before it closes.
    expect(
      await count(
        db,
        `SELECT count(*) FROM lead_offers a JOIN lead_offers b ON b.lead_id = a.lead_id AND b.offer_number = a.offer_number + 1
          WHERE a.closed_at IS NULL OR b.offered_at < a.closed_at`,
      ),
    ).toBe(0);
    expect(
      await count(
        db,
        `SELECT count(*) FROM (SELECT 1 FROM lead_offers WHERE status = 'open' GROUP BY lead_id HAVING count(*) > 1) x`,
      ),
    ).toBe(0);
  });

  test('outcomes follow the funnel, after the lead was taken and before the end', async () => {
    const funnel = `CASE event WHEN 'first-touch' THEN 0 WHEN 'meeting-booked' THEN 1 WHEN 'qualified' THEN 2
                                WHEN 'opportunity' THEN 3 WHEN 'won' THEN 4 END`;
    // Every stage reached has every earlier stage before it.
    expect(
      await count(
        db,
        `SELECT count(*) FROM lead_outcomes later
           JOIN (VALUES (0), (1), (2), (3)) AS earlier(rank) ON earlier.rank < ${funnel.replace(/event/g, 'later.event')}
          WHERE NOT EXISTS (SELECT 1 FROM lead_outcomes o WHERE o.lead_id = later.lead_id
                               AND ${funnel.replace(/event/g, 'o.event')} = earlier.rank AND o.at < later.at)`,
      ),
    ).toBe(0);
    expect(
      await count(
        db,
        `SELECT count(*) FROM lead_outcomes o JOIN leads l ON l.id = o.lead_id
           JOIN lead_offers a ON a.lead_id = o.lead_id AND a.status = 'accepted'
          WHERE o.at > $1 OR o.at < a.closed_at OR o.rep_id <> l.owner_rep_id OR l.status <> 'assigned'
             OR (o.event = 'won') <> (o.amount IS NOT NULL)
             OR (o.event = 'won' AND EXISTS (SELECT 1 FROM lead_outcomes x WHERE x.lead_id = o.lead_id AND x.event = 'lost'))`,
        [end],
      ),
    ).toBe(0);
    // Shares among the leads of the first week, whose deals had time to close.
    const firstWeek = [new Date(end.getTime() - (options.days - 7) * dayMs)];
    const owned = await count(
      db,
      `SELECT count(*) FROM leads WHERE status = 'assigned' AND received_at < $1`,
      firstWeek,
    );
    const share = async (event: string) =>
      (await count(
        db,
        'SELECT count(*) FROM lead_outcomes o JOIN leads l ON l.id = o.lead_id WHERE o.event = $2 AND l.received_at < $1',
        [...firstWeek, event],
      )) / owned;
    expect(await share('first-touch')).toBeGreaterThan(0.8);
    expect(await share('meeting-booked')).toBeGreaterThan(0.25);
    expect(await share('won')).toBeGreaterThan(0.03);
    expect(await share('won')).toBeLessThan(await share('opportunity'));
    expect(await share('lost')).toBeGreaterThan(0.1);
  });

  test('open leads all have a deadline; old leads are closed but for a few, the last two days hold the open ones', async () => {
    const open = `status NOT IN ('assigned', 'rejected-spam')`;
    expect(await count(db, `SELECT count(*) FROM leads WHERE ${open} AND sla_deadline IS NULL`)).toBe(0);
    expect(
      await count(
        db,
        `SELECT count(*) FROM leads l JOIN lead_offers o ON o.lead_id = l.id AND o.status = 'open'
          WHERE o.told_at IS NOT NULL AND o.deadline IS DISTINCT FROM l.sla_deadline`,
      ),
    ).toBe(0);
    const twoDaysBefore = new Date(end.getTime() - 2 * dayMs);
    const old = await count(db, `SELECT count(*) FROM leads WHERE received_at <= $1`, [twoDaysBefore]);
    expect(
      await count(db, `SELECT count(*) FROM leads WHERE received_at <= $1 AND ${open}`, [twoDaysBefore]),
    ).toBeLessThanOrEqual(old * 0.005);
    const { rows } = await db.query<{ status: string }>(
      `SELECT DISTINCT status FROM leads WHERE received_at > $1 AND ${open}`,
      [twoDaysBefore],
    );
    expect(rows.length).toBeGreaterThanOrEqual(3);
    // Some of them stalled: their deadline passed with nobody answering.
    expect(await count(db, `SELECT count(*) FROM leads WHERE ${open} AND sla_deadline < $1`, [end])).toBeGreaterThan(0);
  });

  test('best-fit decisions (cloud and data under v2) carry an estimate for every rep of the team', async () => {
    const { rows } = await db.query<{ team_id: string; policy_version: number; reps: number }>(
      `SELECT d.team_id, d.policy_version,
              min((SELECT count(*) FROM jsonb_object_keys(d.plan -> 'explanation' -> 'fit' -> 'estimates')))::int AS reps
         FROM routing_decisions d WHERE d.plan -> 'explanation' ->> 'strategy' = 'best-fit'
        GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    expect(rows).toEqual([
      { team_id: 'cloud', policy_version: 2, reps: 8 },
      { team_id: 'data', policy_version: 2, reps: 8 },
    ]);
  });
});

test('a second call with an offset adds leads beside the first, under the policies the first dated', async () => {
  const db = await seededDatabase();
  try {
    await seedSyntheticHistory(db, { ...options, leads: 500 });
    const before = await db.query<{ activated_at: Date }>('SELECT activated_at FROM routing_policies ORDER BY version');
    // A different period on the second call: its leads spread over it, the policies stay as the first call set them.
    const added = await seedSyntheticHistory(db, { ...options, leads: 700, seed: 6, offset: 500, days: 10 });
    expect(added.leads).toBe(700);
    expect(await count(db, 'SELECT count(*) FROM leads')).toBe(1200);
    expect(await count(db, `SELECT count(*) FROM leads WHERE id = 'syn-500'`)).toBe(1);
    const after = await db.query<{ activated_at: Date }>('SELECT activated_at FROM routing_policies ORDER BY version');
    expect(after.rows).toEqual(before.rows);
    // The same numbers again collide, rather than quietly adding nothing.
    await expect(seedSyntheticHistory(db, { ...options, leads: 10, offset: 100 })).rejects.toThrow(/duplicate key/);
  } finally {
    await db.end();
  }
});

test('over four months, owners convert about as best fit estimated, and those estimated higher convert more', async () => {
  const db = await seededDatabase();
  try {
    await seedSyntheticHistory(db, { ...options, leads: 5000, days: 120 });
    // Leads older than three weeks: their opportunities had time to happen.
    const { rows } = await db.query<{ leads: number; predicted: number; converted: number; high: number; low: number }>(
      `SELECT count(*)::int AS leads, avg(estimate) AS predicted, avg(converted::int)::float8 AS converted,
              (avg(converted::int) FILTER (WHERE estimate >= 0.25))::float8 AS high,
              (avg(converted::int) FILTER (WHERE estimate < 0.12))::float8 AS low
         FROM (SELECT (d.plan -> 'explanation' -> 'fit' -> 'estimates' ->> l.owner_rep_id)::float8 AS estimate,
                      EXISTS (SELECT 1 FROM lead_outcomes o WHERE o.lead_id = l.id AND o.event IN ('opportunity', 'won')) AS converted
                 FROM routing_decisions d JOIN leads l ON l.id = d.lead_id
                WHERE d.plan -> 'explanation' ->> 'strategy' = 'best-fit' AND l.status = 'assigned' AND l.received_at < $1) x
        WHERE estimate IS NOT NULL`,
      [new Date(end.getTime() - 21 * dayMs)],
    );
    const fit = rows[0]!;
    expect(fit.leads).toBeGreaterThan(400);
    expect(Math.abs(fit.converted - fit.predicted)).toBeLessThan(0.05);
    expect(fit.high).toBeGreaterThan(2 * fit.low);
  } finally {
    await db.end();
  }
});

test('the same seed gives the same history; another seed another', async () => {
  const [first, second] = await Promise.all([seededDatabase(), seededDatabase()]);
  try {
    await seedSyntheticHistory(first, options);
    await seedSyntheticHistory(second, options);
    const fingerprint = (db: Pool) =>
      db.query<{ leads: string; offers: string; outcomes: string }>(
        `SELECT (SELECT md5(string_agg(id || status || received_at || coalesce(owner_rep_id, ''), ',' ORDER BY id)) FROM leads) AS leads,
                (SELECT md5(string_agg(lead_id || offer_number || status || coalesce(closed_at::text, ''), ',' ORDER BY lead_id, offer_number)) FROM lead_offers) AS offers,
                (SELECT md5(string_agg(lead_id || event || at, ',' ORDER BY lead_id, event)) FROM lead_outcomes) AS outcomes`,
      );
    expect(await statusCounts(second)).toEqual(await statusCounts(first));
    expect((await fingerprint(second)).rows).toEqual((await fingerprint(first)).rows);

    const other = await seededDatabase();
    try {
      await seedSyntheticHistory(other, { ...options, seed: 9 });
      expect((await fingerprint(other)).rows[0]!.leads).not.toBe((await fingerprint(first)).rows[0]!.leads);
    } finally {
      await other.end();
    }
  } finally {
    await Promise.all([first.end(), second.end()]);
  }
});
