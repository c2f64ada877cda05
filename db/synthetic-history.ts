// A synthetic history for the dashboard benchmark and the browser tests: a directory, three policy versions, and up
// to a million leads with their routing decisions, offers, outcomes and shadow decisions, written set-based (one
// INSERT ... SELECT over generate_series per table and chunk). Every choice is a hash of the lead number and the
// seed, so a seed always gives the same history, whatever the chunking. Never used by leadrelay itself.
import type { Pool, PoolClient } from 'pg';
import type { DirectoryFileInput, RepInput } from '../src/directory-file';
import { upsertDirectory } from './directory';
import { activatePolicy, draftPolicy, InvalidPolicyError, listPolicies, shadowPolicy } from './policies';
import { withTransaction } from './pool';
import { seededUniform } from '../src/learning/random';

export interface SyntheticHistoryOptions {
  leads: number;
  /** Spread over this many days ending at `end`. */
  days: number;
  /** The newest lead is received shortly before this instant; nothing in the history happens after it. */
  end: Date;
  /** Default 1. */
  seed?: number;
  /** First lead number, so a second call adds more leads without colliding (ids are `syn-<n>`). Default 0. */
  offset?: number;
}

export interface SyntheticDirectory {
  teams: string[];
  reps: string[];
  managers: string[];
  headOfSales: string;
}

const uploadedBy = 'synthetic-history';
const headOfSales = 'head-of-sales';
const repsPerTeam = 8;
/** Leads per statement: large enough that per-statement overhead vanishes, small enough for the temp tables. */
const chunkSize = 50_000;
/** Chunks seeded at once: Postgres runs each statement on one core. */
const parallelChunks = 2;

/** The teams, in the order the seeding SQL indexes them, with the time zone their reps work in. */
const teams = [
  { id: 'cloud', name: 'Cloud', timeZone: 'Europe/Berlin' },
  { id: 'data', name: 'Data & Analytics', timeZone: 'Europe/Berlin' },
  { id: 'security', name: 'Security', timeZone: 'America/New_York' },
  { id: 'enterprise', name: 'Enterprise', timeZone: 'America/Chicago' },
  { id: 'smb', name: 'SMB', timeZone: 'Europe/London' },
] as const;

const firstNames = [
  'Avery', 'Blake', 'Casey', 'Dana', 'Eli', 'Farah', 'Gabe', 'Hana', 'Ivan', 'Jules', 'Kai', 'Lena', 'Milo', 'Nora',
  'Omar', 'Priya', 'Quinn', 'Rosa', 'Sami', 'Tara', 'Uma', 'Vik', 'Wren', 'Xena', 'Yara', 'Zane', 'Ada', 'Bo',
  'Cleo', 'Dev', 'Esme', 'Finn', 'Gia', 'Hugo', 'Iris', 'Jon', 'Kira', 'Leo', 'Maya', 'Nils', 'Olga', 'Pia',
]; // prettier-ignore
const lastNames = ['Cole', 'Berg', 'Okafor', 'Silva', 'Novak', 'Haas', 'Ito', 'Lund', 'Marsh', 'Reyes', 'Shah', 'Voss'];

const teamRepIds = (team: string) => Array.from({ length: repsPerTeam }, (_, i) => `${team}-rep-${i + 1}`);

function syntheticDirectoryFile(): DirectoryFileInput {
  const reps: RepInput[] = [];
  let person = 0;
  const rep = (id: string, teamId: string, timeZone: string, weight = 1): RepInput => {
    const name = `${firstNames[person % firstNames.length]} ${lastNames[(person * 7) % lastNames.length]}`;
    person += 1;
    return { id, name, email: `${id}@example.test`, teamId, timeZone, weight };
  };
  for (const team of teams) {
    reps.push(rep(`${team.id}-mgr`, team.id, team.timeZone));
    // The first two reps of each team take twice the round-robin share.
    teamRepIds(team.id).forEach((id, i) => reps.push(rep(id, team.id, team.timeZone, i < 2 ? 2 : 1)));
  }
  reps.push(rep(headOfSales, 'enterprise', 'America/Chicago'));
  return {
    teams: teams.map((t) => ({
      id: t.id,
      name: t.name,
      alertEmail: `${t.id}-alerts@example.test`,
      escalation: [
        { repId: `${t.id}-mgr`, slaMinutes: 15 },
        { repId: headOfSales, slaMinutes: 60 },
      ],
      catchAllRealertMinutes: 60,
    })),
    reps,
  };
}

/**
 * The three policies of the history: v1 routes every team by weighted round robin; v2 (live from 60% of the period)
 * moves cloud and data to best fit, smb to least loaded, and adds a first-touch SLA; v3 (the shadow from 85%) also
 * sends urgent tier-A leads to enterprise and security to best fit. Rule names are those the decisions record.
 */
function syntheticPolicyYaml(version: 1 | 2 | 3): string {
  const strategyOf = (team: string) =>
    version === 1
      ? 'weighted-round-robin'
      : team === 'cloud' || team === 'data' || (version === 3 && team === 'security')
        ? 'best-fit'
        : team === 'smb'
          ? 'least-loaded'
          : 'weighted-round-robin';
  const rule = (name: string, when: string, team: string, hot = false) =>
    [`  - name: ${name}`, `    when: ${when}`, `    team: ${team}`, `    strategy: ${strategyOf(team)}`]
      .concat(hot ? ['    maxCandidates: 2'] : [])
      .join('\n');
  const lines = [
    ['cloud', 'cloud-migration'],
    ['data', 'data-analytics'],
    ['security', 'cybersecurity'],
  ] as const;
  return [
    `# Synthetic history, policy version ${version} (db/synthetic-history.ts).`,
    'maxCandidates: 3',
    'sla:',
    '  - name: hot',
    '    when: { tier: A }',
    '    within: 5 minutes',
    '  - name: warm',
    '    when: { tier: B }',
    '    within: 30 minutes',
    '  - name: cold',
    '    within: 4 hours',
    'rules:',
    ...(version === 3 ? [rule('strategic', '{ tier: A, urgency: now }', 'enterprise', true)] : []),
    ...lines.flatMap(([team, line]) => [
      rule(`${team}-hot`, `{ serviceLine: ${line}, tier: A }`, team, true),
      rule(team, `{ serviceLine: ${line} }`, team),
    ]),
    rule('enterprise-hot', '{ serviceLine: managed-it, companySize: { min: 500 }, tier: A }', 'enterprise', true),
    rule('enterprise', '{ serviceLine: managed-it, companySize: { min: 500 } }', 'enterprise'),
    rule('smb-hot', '{ serviceLine: [managed-it, support], tier: A }', 'smb', true),
    rule('smb-support', '{ serviceLine: support }', 'smb'),
    rule('smb', '{ serviceLine: managed-it }', 'smb'),
    'default:',
    '  team: smb',
    '  strategy: weighted-round-robin',
    ...(version === 1
      ? []
      : [
          'firstTouch:',
          '  sla:',
          '    - name: hot',
          '      when: { tier: A }',
          '      within: 30 minutes',
          '    - name: rest',
          '      within: 4 hours',
          'learning:',
          '  convertsOn: opportunity',
          '  segmentBy: [serviceLine, tier]',
        ]),
    '',
  ].join('\n');
}

/**
 * Teams, reps (with weights), an escalation chain per team (its manager, then the head of sales), and three
 * routing policy versions: v1 retired, v2 active, v3 the shadow. Idempotent: entries already stored are left as
 * they are, and the policies are made once. Their activation times are set by the first seedSyntheticHistory.
 */
export async function seedSyntheticDirectory(db: Pool): Promise<SyntheticDirectory> {
  await upsertDirectory(db, syntheticDirectoryFile(), { onlyNew: true });
  const existing = (await listPolicies(db)).filter((p) => p.uploadedBy === uploadedBy);
  if (existing.length === 0) {
    const versions: number[] = [];
    for (const version of [1, 2, 3] as const) {
      const drafted = await draftPolicy(db, syntheticPolicyYaml(version), { uploadedBy });
      if (!drafted.ok) throw new InvalidPolicyError(drafted.errors, `synthetic policy ${version}`);
      versions.push(drafted.policy.version);
    }
    await activatePolicy(db, versions[0]!);
    await activatePolicy(db, versions[1]!);
    await shadowPolicy(db, versions[2]!);
  }
  return {
    teams: teams.map((t) => t.id),
    reps: teams.flatMap((t) => teamRepIds(t.id)),
    managers: teams.map((t) => `${t.id}-mgr`),
    headOfSales,
  };
}

interface Period {
  v1: number;
  v2: number;
  v3: number;
  /** When v2 went live: leads before it were routed by v1. */
  v2At: Date;
  /** When v3 began to shadow v2. */
  v3At: Date;
}

/**
 * The synthetic policies' versions and times. The first history seeded sets the times from its period (v1 at its
 * start, v2 at 60%, v3 shadowing from 85%); later calls keep them, so added leads agree with the stored policies.
 */
async function settlePeriod(tx: PoolClient, start: Date, days: number): Promise<Period> {
  const { rows } = await tx.query<{
    version: number;
    status: string;
    activated_at: Date | null;
    shadowed_at: Date | null;
  }>(
    `SELECT version, status, activated_at, shadowed_at FROM routing_policies WHERE uploaded_by = $1 ORDER BY version`,
    [uploadedBy],
  );
  const [v1, v2, v3] = rows;
  if (rows.length !== 3 || v1?.status !== 'retired' || v2?.status !== 'active' || v3?.status !== 'shadow')
    throw new Error(
      'the synthetic policies are missing or were changed: run seedSyntheticDirectory on a fresh database',
    );
  const { rows: seeded } = await tx.query(`SELECT 1 FROM leads WHERE id LIKE 'syn-%' LIMIT 1`);
  if (seeded.length > 0)
    return { v1: v1.version, v2: v2.version, v3: v3.version, v2At: v2.activated_at!, v3At: v3.shadowed_at! };
  const at = (share: number) => new Date(start.getTime() + share * days * 86_400_000);
  // Uploaded a day before each went live, as an admin would.
  await tx.query(
    `UPDATE routing_policies p SET activated_at = t.activated_at, shadowed_at = t.shadowed_at,
            uploaded_at = coalesce(t.activated_at, t.shadowed_at) - interval '1 day'
       FROM unnest($1::int[], $2::timestamptz[], $3::timestamptz[]) AS t(version, activated_at, shadowed_at)
      WHERE p.version = t.version`,
    [
      [v1.version, v2.version, v3.version],
      [at(0), at(0.6), null],
      [null, null, at(0.85)],
    ],
  );
  return { v1: v1.version, v2: v2.version, v3: v3.version, v2At: at(0.6), v3At: at(0.85) };
}

/**
 * A rep's habits, the same in every history: how often they accept, how quickly, how often they let an offer time
 * out rather than decline, how well they convert, and why routing passes them over. (The chain answers at fixed
 * rates: managers accept three escalations in four, the head of sales seven in ten.)
 */
interface RepHabits {
  id: string;
  team: string;
  /** 1..8 for the reps who take leads; 0 the manager, 9 the head of sales. */
  pos: number;
  acceptP: number;
  /** Of the offers they do not accept, the share they let time out rather than decline. */
  timeoutP: number;
  /** Answer time as a share of the SLA, roughly. */
  speed: number;
  /** Conversion multiplier. */
  skill: number;
  /** How far best-fit's estimate of them is off (1: calibrated). */
  bias: number;
  /** How often they are unavailable when a lead comes, and mostly why. */
  excludeP: number;
  habit: string;
}

/** Why a rep is usually unavailable: mostly outside hours (time zones) and away, a few at capacity. */
const habitCodes = ['outside-hours', 'away', 'out-of-office', 'at-capacity', 'at-tier-capacity'];

/** Reasons a rep is skipped when it is not their habit, as often as they come up: deactivation is rare. */
const anyCodes = [
  ...['outside-hours', 'outside-hours', 'outside-hours', 'away', 'out-of-office', 'at-capacity', 'at-capacity'],
  ...['at-tier-capacity', 'holiday', 'deactivated'],
];

function repHabits(): RepHabits[] {
  // Seeded, so the habits (and every figure that depends on them) are the same on every run.
  const random = seededUniform(7919);
  const between = (lo: number, hi: number) => Math.round((lo + (hi - lo) * random()) * 1000) / 1000;
  const habits: RepHabits[] = [];
  for (const team of teams) {
    const ids = [`${team.id}-mgr`, ...teamRepIds(team.id)];
    ids.forEach((id, pos) =>
      habits.push({
        id,
        team: team.id,
        pos,
        acceptP: pos === 0 ? 0.75 : between(0.45, 0.88),
        timeoutP: between(0.15, 0.85),
        speed: between(0.12, 1),
        skill: between(0.6, 1.5),
        bias: between(0.9, 1.1),
        excludeP: between(0.04, 0.2),
        habit: habitCodes[Math.floor(random() ** 2 * habitCodes.length)]!,
      }),
    );
  }
  habits.push({
    id: headOfSales,
    team: 'enterprise',
    pos: 9,
    acceptP: 0.7,
    timeoutP: 0.5,
    speed: 0.5,
    skill: 1.2,
    bias: 1,
    excludeP: 0,
    habit: 'away',
  });
  return habits;
}

const companies = [
  'Acme Logistics', 'Brightwave', 'Cobalt Health', 'Dunmore Foods', 'Everline Bank', 'Fjord Analytics',
  'Granite Insurance', 'Harbor Retail', 'Ionic Labs', 'Juniper Schools', 'Kestrel Energy', 'Lumen Media',
  'Meridian Travel', 'Northpass', 'Orchid Pharma', 'Pinecrest Hotels', 'Quarry Mining', 'Redwood Legal',
  'Sable Motors', 'Tidewater Ports', 'Umbra Games', 'Vantage Realty', 'Willow Clinics', 'Xeno Robotics',
  'Yarrow Farms', 'Zephyr Air', 'Atlas Freight', 'Beacon Credit', 'Cedar Software', 'Delta Textiles',
]; // prettier-ignore
const messages: Record<string, string> = {
  'cloud-migration': 'We want to move our data centre workloads to the cloud this year.',
  'data-analytics': 'Looking for help building a data warehouse and dashboards.',
  cybersecurity: 'We need a security assessment and ongoing monitoring.',
  'managed-it': 'Can you run our IT helpdesk and devices?',
  support: 'Our existing service has an issue, who can help?',
  other: 'Question about your services.',
};
const declineReasons = ['busy with another deal', 'not my territory', 'out sick today', 'conflict of interest'];
const lostReasons = ['no budget', 'chose a competitor', 'went silent', 'timing: next year', 'not a fit'];

/**
 * Inserts `leads` leads received over `days` days before `end`, with their routing decisions, offers, outcomes and
 * (after the shadow began) shadow decisions. Needs seedSyntheticDirectory first. About 3% are spam; leads older
 * than two days are closed (assigned) but for ~0.3% stuck in the catch-all queue or needing attention; the last two
 * days hold the open ones. Chunks of 50,000 leads commit one by one, two at a time: a failure keeps the chunks
 * committed before it. Returns the rows written.
 */
export async function seedSyntheticHistory(
  db: Pool,
  options: SyntheticHistoryOptions,
): Promise<{ leads: number; offers: number; outcomes: number }> {
  const seed = options.seed ?? 1;
  const offset = options.offset ?? 0;
  const { leads, days, end } = options;
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 2 ** 31) throw new RangeError(`seed ${seed}: an int 0..2^31`);
  if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`offset ${offset}: an int >= 0`);
  if (!Number.isSafeInteger(leads) || leads < 0) throw new RangeError(`leads ${leads}: an int >= 0`);
  if (!(days > 0)) throw new RangeError(`days ${days}: more than 0`);
  const start = new Date(end.getTime() - days * 86_400_000);
  const period = await withTransaction(db, (tx) => settlePeriod(tx, start, days));
  const totals = { leads: 0, offers: 0, outcomes: 0 };
  // Reps keep their habits whatever the seed: a history added by a second call shows the same people.
  const habits = repHabits();
  const chunks: Array<{ lo: number; hi: number }> = [];
  for (let lo = offset; lo < offset + leads; lo += chunkSize)
    chunks.push({ lo, hi: Math.min(lo + chunkSize, offset + leads) });
  // A few chunks at once, each in a transaction of its own on its own connection: one backend is busy with one
  // statement at a time, and the rows do not depend on which chunk goes first.
  let failed = false;
  const work = async () => {
    for (let chunk = chunks.shift(); chunk && !failed; chunk = chunks.shift()) {
      const range = chunk;
      const written = await withTransaction(db, (tx) =>
        seedChunk(tx, { ...range, seed, days, end, start, period, habits }),
      ).catch((err: unknown) => {
        failed = true;
        throw err;
      });
      totals.leads += written.leads;
      totals.offers += written.offers;
      totals.outcomes += written.outcomes;
    }
  };
  // Every worker settles before an error is thrown, so none is still writing when the caller moves on.
  const settled = await Promise.allSettled(Array.from({ length: parallelChunks }, work));
  const failure = settled.find((r) => r.status === 'rejected');
  if (failure) throw failure.reason;
  return totals;
}

interface Chunk {
  lo: number;
  hi: number;
  seed: number;
  days: number;
  end: Date;
  start: Date;
  period: Period;
  habits: RepHabits[];
}

const reasonOf = (code: string, tier: string) => `CASE ${code}
  WHEN 'outside-hours' THEN 'outside working hours'
  WHEN 'away' THEN 'marked away'
  WHEN 'out-of-office' THEN 'out of office, no backup'
  WHEN 'at-capacity' THEN 'at capacity: 6 open offers of 6'
  WHEN 'at-tier-capacity' THEN 'at capacity for tier ' || ${tier} || ' leads'
  WHEN 'holiday' THEN 'public holiday'
  ELSE 'deactivated' END`;

const tieBreaks: Record<string, string> = {
  'weighted-round-robin':
    'weighted round robin: lowest credit after the lead (leads dealt ÷ weight) first, then lowest credit now, then rep id',
  'least-loaded': 'least loaded: fewest open offers, then fewest open offers of this tier, then rep id',
  'best-fit':
    "best fit: a rep below the fairness floor first, then the highest draw from each rep's conversion estimate (Thompson sampling)",
};

const sqlText = (values: readonly string[]) => `ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')}]`;

async function seedChunk(tx: PoolClient, c: Chunk): Promise<{ leads: number; offers: number; outcomes: number }> {
  // A uniform number in [0, 1) from lead number `n` and draw `k` (< 1024): the same for the same seed and lead,
  // however the leads are chunked. Each attribute has its own draw, so changing one leaves the others alone.
  const base = c.seed * 1024;
  const u = (k: number | string, n = 'n') =>
    `((hashint8extended(${n}, ${base} + ${k}) & 2147483647)::float8 / 2147483648)`;
  const end = '$1::timestamptz';
  await tx.query(`SET LOCAL statement_timeout = 0`);
  await tx.query(`SET LOCAL work_mem = '256MB'`);
  // date_trunc('day') and isodow in UTC, whatever the server's time zone; to_char renders UTC as Z.
  await tx.query(`SET LOCAL TimeZone = 'UTC'`);

  // The reps who take leads, indexed by team (in `teams` order) and place: rep `pos` of team `t` is [t * 8 + pos].
  const teamReps = teams.flatMap((t) => c.habits.filter((h) => h.team === t.id && h.pos >= 1 && h.pos <= repsPerTeam));
  await tx.query(
    `CREATE TEMP TABLE syn_rep ON COMMIT DROP AS
     SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::float8[], $5::float8[], $6::float8[], $7::float8[])
       AS r(id, team, pos, timeout_p, speed, skill, bias)`,
    [
      c.habits.map((h) => h.id),
      c.habits.map((h) => h.team),
      c.habits.map((h) => h.pos),
      c.habits.map((h) => h.timeoutP),
      c.habits.map((h) => h.speed),
      c.habits.map((h) => h.skill),
      c.habits.map((h) => h.bias),
    ],
  );
  await tx.query(
    `CREATE TEMP TABLE syn_team ON COMMIT DROP AS
     SELECT t.id, t.name, t.alert_email,
            array_append(array(SELECT r.id FROM syn_rep r WHERE r.team = t.id AND r.pos BETWEEN 1 AND ${repsPerTeam} ORDER BY r.pos),
                         t.id || '-mgr') AS claimers
       FROM teams t WHERE t.id = ANY ($1::text[])`,
    [teams.map((t) => t.id)],
  );
  const repArray = (values: number[]) => `ARRAY[${values.join(',')}]::float8[]`;
  const acceptP = repArray(teamReps.map((h) => h.acceptP));
  const excludeP = repArray(teamReps.map((h) => h.excludeP));
  const habit = sqlText(teamReps.map((h) => h.habit));
  const skillBias = repArray(teamReps.map((h) => Math.round(h.skill * h.bias * 1000) / 1000));
  const anyCode = `(${sqlText(anyCodes)})`;
  const tierFactor = `CASE tier WHEN 'A' THEN 1.1 WHEN 'B' THEN 1 ELSE 0.9 END`;

  // Every lead's attributes, its exclusions and (for the strategies that do not rank by fit) its offer order.
  // OFFSET 0 keeps each step a step: pulled up into the next, its expressions (hashes included) would be evaluated
  // again at every reference.
  await tx.query(
    `CREATE TEMP TABLE syn_lead ON COMMIT DROP AS
     WITH drawn AS (
       SELECT n, date_trunc('day', ${end} - (${u(1)} * $2::float8) * interval '1 day') AS day0,
              ${u(2)} AS u_weekend, ${u(3)} AS u_business, ${u(4)} AS h1, ${u(5)} AS h2, ${u(6)} AS h3,
              ${u(7)} AS u_source, ${u(8)} AS u_spam, ${u(9)} AS u_tier, ${u(10)} AS u_score, ${u(11)} AS u_urgency,
              ${u(12)} AS u_line, ${u(13)} AS u_fate
         FROM generate_series($3::bigint, $4::bigint - 1) n OFFSET 0
     ), timed AS (
       -- Weekends are quieter (two thirds of their leads move to the working days before); the working day peaks
       -- early afternoon UTC, and a fifth of the leads come at any hour.
       SELECT d.*,
              CASE WHEN extract(isodow FROM day0) >= 6 AND u_weekend < 0.65
                   THEN day0 - (extract(isodow FROM day0) - 5 + floor(h3 * 5)) * interval '1 day' ELSE day0 END
                + (CASE WHEN u_business < 0.8 THEN 480 + (h1 + h2 + h3) / 3 * 660 ELSE h1 * 1440 END) * interval '1 minute'
                AS seasonal
         FROM drawn d OFFSET 0
     ), attributed AS (
       SELECT n, u_fate, u_score, u_urgency,
              date_trunc('milliseconds',
                CASE WHEN seasonal >= $5::timestamptz AND seasonal <= ${end} - interval '1 minute' THEN seasonal
                     ELSE $5::timestamptz + h2 * ($2::float8 * 86400 - 60) * interval '1 second' END) AS received_at,
              CASE WHEN u_source < 0.6 THEN 'web-form' WHEN u_source < 0.85 THEN 'chat' ELSE 'partner' END AS source,
              u_spam < 0.03 AS spam,
              CASE WHEN u_spam < 0.03 THEN 'C' WHEN u_tier < 0.2 THEN 'A' WHEN u_tier < 0.65 THEN 'B' ELSE 'C' END AS tier,
              -- 0: no rule (the default route), 1-4: cloud, data, security, enterprise, 5-6: smb managed IT, support
              CASE WHEN u_line < 0.10 THEN 0 WHEN u_line < 0.34 THEN 1 WHEN u_line < 0.54 THEN 2
                   WHEN u_line < 0.70 THEN 3 WHEN u_line < 0.84 THEN 4 WHEN u_line < 0.92 THEN 5 ELSE 6 END AS route
         FROM timed OFFSET 0
     ), routed AS (
       SELECT a.*,
              (ARRAY[4, 0, 1, 2, 3, 4, 4])[route + 1] AS team_idx,
              (ARRAY['smb', 'cloud', 'data', 'security', 'enterprise', 'smb', 'smb'])[route + 1] AS team,
              (ARRAY['other', 'cloud-migration', 'data-analytics', 'cybersecurity', 'managed-it', 'managed-it', 'support'])[route + 1]
                AS service_line,
              CASE WHEN spam THEN floor(u_score * 15) WHEN tier = 'A' THEN 75 + floor(u_score * 26)
                   WHEN tier = 'B' THEN 45 + floor(u_score * 30) ELSE 5 + floor(u_score * 40) END::int AS score,
              CASE WHEN spam THEN 'none'
                   WHEN tier = 'A' THEN CASE WHEN u_urgency < 0.5 THEN 'now' WHEN u_urgency < 0.9 THEN 'this-week' ELSE 'this-month' END
                   WHEN tier = 'B' THEN CASE WHEN u_urgency < 0.1 THEN 'now' WHEN u_urgency < 0.5 THEN 'this-week'
                                             WHEN u_urgency < 0.85 THEN 'this-month' ELSE 'none' END
                   ELSE CASE WHEN u_urgency < 0.1 THEN 'this-week' WHEN u_urgency < 0.5 THEN 'this-month' ELSE 'none' END
              END AS urgency,
              -- The hot rules offer two candidates, the others three.
              CASE WHEN tier = 'A' AND route > 0 THEN 2 ELSE 3 END AS c,
              received_at > ${end} - interval '2 days' AS recent,
              CASE WHEN received_at < $6::timestamptz THEN $7::int ELSE $8::int END AS policy_version,
              CASE tier WHEN 'A' THEN 0.35 WHEN 'B' THEN 0.18 ELSE 0.08 END AS base_rate,
              -- Three distinct places in the team (an odd step around eight), each excluded at its rep's own rate:
              -- none for about half the leads, one for a third, rarely three.
              ${u(14)} AS u_pick, 1 + 2 * floor(${u(15)} * 4)::int AS pick_step
         FROM attributed a OFFSET 0
     ), ruled AS (
       SELECT r.*,
              CASE WHEN spam OR route = 0 THEN NULL WHEN tier = 'A' THEN team || '-hot'
                   WHEN route = 6 THEN 'smb-support' ELSE team END AS rule,
              CASE WHEN spam THEN NULL
                   WHEN NOT recent THEN CASE WHEN u_fate < 0.0015 THEN 'stuck' WHEN u_fate < 0.003 THEN 'attention' ELSE 'normal' END
                   -- The last two days: some reps have not answered yet (some past the deadline), some leads wait
                   -- on a manager or in the catch-all queue, a few need a person, a few offer emails are not out.
                   ELSE CASE WHEN u_fate < 0.05 THEN 'stalled' WHEN u_fate < 0.07 THEN 'stalled-escalated'
                             WHEN u_fate < 0.08 THEN 'stuck' WHEN u_fate < 0.095 THEN 'attention'
                             WHEN u_fate < 0.105 THEN 'unsent' ELSE 'normal' END
              END AS fate,
              1 + floor(u_pick * 8)::int AS p1,
              1 + (floor(u_pick * 8)::int + pick_step) % 8 AS p2,
              1 + (floor(u_pick * 8)::int + 2 * pick_step) % 8 AS p3
         FROM routed r OFFSET 0
     ), skipped AS (
       SELECT r.*,
              CASE WHEN spam THEN NULL
                   WHEN policy_version = $7::int OR route = 0 THEN 'weighted-round-robin'
                   WHEN team_idx IN (0, 1) THEN 'best-fit'
                   WHEN team_idx = 4 THEN 'least-loaded'
                   ELSE 'weighted-round-robin' END AS strategy,
              ${u(16)} < least(1, (${excludeP})[team_idx * 8 + p1] * 1.6) AS e1,
              ${u(17)} < least(1, (${excludeP})[team_idx * 8 + p2] * 1.6) AS e2,
              ${u(18)} < least(1, (${excludeP})[team_idx * 8 + p3] * 1.6) AS e3,
              CASE WHEN ${u(19)} < 0.6 THEN (${habit})[team_idx * 8 + p1] ELSE ${anyCode}[1 + floor(${u(22)} * ${anyCodes.length})::int] END AS x1,
              CASE WHEN ${u(20)} < 0.6 THEN (${habit})[team_idx * 8 + p2] ELSE ${anyCode}[1 + floor(${u(23)} * ${anyCodes.length})::int] END AS x2,
              CASE WHEN ${u(21)} < 0.6 THEN (${habit})[team_idx * 8 + p3] ELSE ${anyCode}[1 + floor(${u(24)} * ${anyCodes.length})::int] END AS x3,
              -- Round robin: a rotation of the team from a weighted start (the first two reps weigh 2); least loaded:
              -- from any start.
              CASE WHEN policy_version = $7::int OR route = 0 OR team_idx IN (2, 3)
                   THEN CASE WHEN ${u(25)} < 0.2 THEN 1 WHEN ${u(25)} < 0.4 THEN 2 ELSE 3 + floor((${u(25)} - 0.4) * 10)::int END
                   ELSE 1 + floor(${u(25)} * 8)::int END AS start
         FROM ruled r OFFSET 0
     )
     SELECT n, received_at, source, spam, tier, score, urgency, team, team_idx, service_line, rule, c, fate, recent,
            policy_version, strategy, base_rate,
            CASE WHEN e1 THEN p1 END AS x_pos1, CASE WHEN e2 THEN p2 END AS x_pos2, CASE WHEN e3 THEN p3 END AS x_pos3,
            CASE WHEN spam THEN '[]'::jsonb ELSE
              CASE WHEN e1 THEN jsonb_build_array(jsonb_build_object('repId', team || '-rep-' || p1, 'reason', ${reasonOf('x1', 'tier')}, 'code', x1, 'role', 'team')) ELSE '[]' END ||
              CASE WHEN e2 THEN jsonb_build_array(jsonb_build_object('repId', team || '-rep-' || p2, 'reason', ${reasonOf('x2', 'tier')}, 'code', x2, 'role', 'team')) ELSE '[]' END ||
              CASE WHEN e3 THEN jsonb_build_array(jsonb_build_object('repId', team || '-rep-' || p3, 'reason', ${reasonOf('x3', 'tier')}, 'code', x3, 'role', 'team')) ELSE '[]' END
            END AS excluded,
            array_remove(array_remove(array_remove(
              ('{1,2,3,4,5,6,7,8,1,2,3,4,5,6,7,8}'::int[])[start:start + 7],
              CASE WHEN e1 THEN p1 END), CASE WHEN e2 THEN p2 END), CASE WHEN e3 THEN p3 END) AS rotation
       FROM skipped`,
    [c.end, c.days, c.lo, c.hi, c.start, c.period.v2At, c.period.v1, c.period.v2],
  );

  // Best fit ranks the team by draws from each rep's estimate: leads x reps for those leads only, sorted once (a
  // sorted subquery's rows reach the aggregates in its order; ORDER BY in an aggregate would sort once per lead).
  await tx.query(
    `CREATE TEMP TABLE syn_fit ON COMMIT DROP AS
     WITH per_rep AS (
       SELECT l.n, r.pos, r.id, l.x_pos1, l.x_pos2, l.x_pos3,
              round((l.base_rate * (${skillBias})[l.team_idx * 8 + r.pos] * (0.9 + 0.2 * ${u('150 + r.pos', 'l.n')}))::numeric, 4) AS estimate,
              round(least(0.999, greatest(0.001, l.base_rate * (${skillBias})[l.team_idx * 8 + r.pos]
                                                 + (${u('160 + r.pos', 'l.n')} - 0.5) * 0.2))::numeric, 4) AS draw
         FROM syn_lead l JOIN syn_rep r ON r.team = l.team AND r.pos BETWEEN 1 AND ${repsPerTeam}
        WHERE l.strategy = 'best-fit' AND NOT l.spam
        ORDER BY l.n, draw DESC, r.pos OFFSET 0
     )
     SELECT n,
            array_agg(pos) FILTER (WHERE pos IS DISTINCT FROM x_pos1 AND pos IS DISTINCT FROM x_pos2 AND pos IS DISTINCT FROM x_pos3) AS rotation,
            jsonb_object_agg(id, draw) AS draws, jsonb_object_agg(id, estimate) AS estimates
       FROM per_rep GROUP BY n`,
  );
  // The offer order, and how far down it the lead goes: the first candidate who would accept, else the manager,
  // the head of sales, the catch-all queue. Slot a is the offer that ends it (accepted, or left open by the fate).
  await tx.query(
    `CREATE TEMP TABLE syn_route ON COMMIT DROP AS
     WITH ordered AS (
       SELECT l.*, coalesce(f.rotation, l.rotation) AS cand, f.draws, f.estimates
         FROM syn_lead l LEFT JOIN syn_fit f USING (n)
        WHERE NOT l.spam OFFSET 0
     ), answered AS (
       SELECT o.*,
              CASE WHEN ${u(26)} < least(0.97, (${acceptP})[team_idx * 8 + cand[1]] * ${tierFactor}) THEN 1
                   WHEN ${u(27)} < least(0.97, (${acceptP})[team_idx * 8 + cand[2]] * ${tierFactor}) THEN 2
                   WHEN c >= 3 AND ${u(28)} < least(0.97, (${acceptP})[team_idx * 8 + cand[3]] * ${tierFactor}) THEN 3
              END AS first_accepting
         FROM ordered o OFFSET 0
     ), ended AS (
       SELECT a.*,
              CASE WHEN fate = 'stuck' THEN c + 3
                   WHEN fate = 'unsent' THEN 1
                   WHEN fate = 'stalled-escalated' THEN c + 1 + (${u(46)} < 0.3)::int
                   WHEN first_accepting IS NOT NULL THEN first_accepting
                   WHEN ${u(29)} < 0.75 THEN c + 1
                   WHEN ${u(33)} < 0.7 THEN c + 2
                   ELSE c + 3 END AS a
         FROM answered a OFFSET 0
     )
     SELECT e.*, a + CASE WHEN fate = 'attention' AND a < c + 3 THEN 1 ELSE 0 END AS slots
       FROM ended e`,
  );

  // Offers: one row per slot up to the one that ends the lead, timed one after another (an offer opens when the
  // one before closes), then cut at the end instant: what had not happened yet is left out or left open.
  const slotDraw = (j: number) => u(`200 + k * 8 + ${j}`);
  await tx.query(
    `CREATE TEMP TABLE syn_offer ON COMMIT DROP AS
     WITH slots AS (
       SELECT r.n, k, r.c, r.a, r.fate, r.tier, r.team, r.received_at, r.slots,
              CASE WHEN k = r.c + 3 OR (r.fate = 'attention' AND k = r.a + 1) THEN 3 WHEN k > r.c THEN k - r.c ELSE 0 END
                AS level,
              r.fate = 'attention' AND k = r.slots AS attention_slot,
              r.fate = 'unsent' AS unsent,
              CASE WHEN k < r.a THEN 'missed'
                   WHEN k > r.a OR r.fate IN ('stalled', 'stalled-escalated', 'stuck', 'unsent') THEN 'open'
                   WHEN r.fate = 'attention' THEN CASE WHEN r.a < r.c + 3 THEN 'withdrawn' ELSE 'open' END
                   ELSE 'accepted' END AS plan,
              r.cand[k] AS pos
         FROM syn_route r JOIN generate_series(1, 7) k ON k <= r.slots OFFSET 0
     ), who AS (
       SELECT s.*,
              CASE s.level WHEN 0 THEN s.team || '-rep-' || s.pos WHEN 1 THEN s.team || '-mgr' WHEN 2 THEN '${headOfSales}'
                   ELSE t.claimers[1 + floor(${slotDraw(0)} * cardinality(t.claimers))::int] END AS rep,
              CASE WHEN s.level = 3 THEN t.claimers END AS claimers,
              CASE s.level WHEN 0 THEN CASE s.tier WHEN 'A' THEN 5 WHEN 'B' THEN 30 ELSE 240 END WHEN 1 THEN 15 ELSE 60 END
                AS sla_minutes,
              -- Seconds until the mail server took the offer email: a few, sometimes minutes.
              CASE WHEN ${slotDraw(1)} < 0.02 THEN 30 + 270 * ${slotDraw(2)} ELSE 0.8 + exp(0.5 + 1.2 * (${slotDraw(2)} + ${slotDraw(3)} - 1)) END AS told_s
         FROM slots s JOIN syn_team t ON t.id = s.team OFFSET 0
     ), planned AS (
       SELECT w.*,
              CASE WHEN w.plan <> 'missed' THEN w.plan WHEN ${slotDraw(4)} < coalesce(h.timeout_p, 0.5) THEN 'timed-out' ELSE 'declined' END
                AS outcome,
              coalesce(h.speed, 0.5) AS speed
         FROM who w LEFT JOIN syn_rep h ON h.id = w.rep AND w.level < 3 OFFSET 0
     ), answered AS (
       SELECT p.*,
              -- Seconds from being told to the answer: each rep at their own pace, within the SLA.
              CASE outcome
                WHEN 'timed-out' THEN sla_minutes * 60
                WHEN 'declined' THEN sla_minutes * 60 * least(0.95, speed * (0.05 + 0.95 * ${slotDraw(5)}))
                WHEN 'accepted' THEN CASE WHEN level = 3 THEN 3600 * (0.02 + 0.9 * ${slotDraw(5)})
                                          ELSE sla_minutes * 60 * least(0.95, 0.01 + speed * power(${slotDraw(5)}, 1.5)) END
                WHEN 'withdrawn' THEN least(sla_minutes * 60 * 0.9, 20 + 600 * ${slotDraw(5)})
              END AS answer_s,
              1.2 + 2.8 * ${u(34)} AS intake_s
         FROM planned p OFFSET 0
     ), placed AS (
       SELECT a.*,
              a.received_at + (intake_s + coalesce(sum(told_s + answer_s) OVER before, 0)) * interval '1 second' AS offered_plan,
              a.received_at + (intake_s + coalesce(sum(told_s + answer_s) OVER before, 0) + told_s) * interval '1 second' AS told_plan,
              a.received_at + (intake_s + sum(told_s + answer_s) OVER upto) * interval '1 second' AS closed_plan
         FROM answered a
       WINDOW before AS (PARTITION BY n ORDER BY k ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING),
              upto AS (PARTITION BY n ORDER BY k ROWS UNBOUNDED PRECEDING)
     ), cut AS (
       SELECT p.*,
              CASE WHEN told_plan < ${end} AND NOT unsent THEN date_trunc('milliseconds', told_plan) END AS told_at,
              CASE WHEN outcome <> 'open' AND closed_plan < ${end} THEN date_trunc('milliseconds', closed_plan) END AS closed_at
         FROM placed p
        WHERE offered_plan < ${end} OFFSET 0
     )
     SELECT n, k AS offer_number, level, attention_slot, rep,
            CASE level WHEN 0 THEN 'candidate' WHEN 3 THEN 'catch-all' ELSE 'escalation' END AS kind,
            coalesce(claimers, ARRAY[rep]) AS rep_ids,
            date_trunc('milliseconds', offered_plan) AS offered_at, told_at,
            told_at + sla_minutes * interval '1 minute' AS deadline,
            CASE WHEN closed_at IS NULL THEN 'open' ELSE outcome END AS status,
            CASE WHEN closed_at IS NOT NULL AND outcome IN ('accepted', 'declined') THEN rep END AS answered_by,
            CASE WHEN closed_at IS NULL THEN NULL
                 WHEN outcome = 'declined' THEN (${sqlText(declineReasons)})[1 + floor(${slotDraw(6)} * ${declineReasons.length})::int]
                 WHEN outcome = 'withdrawn' THEN 'the offer email could not be sent: the mail server refused the recipient'
            END AS reason,
            closed_at
       FROM cut`,
    [c.end],
  );
  // Each lead as its last offer left it, and (for owned leads) the funnel it will go down: how far, and when.
  // Conversion depends on the tier and on the owner's skill; best fit's estimates were made from the same rates.
  const funnelDraw = (j: number) => u(60 + j);
  await tx.query(
    `CREATE TEMP TABLE syn_done ON COMMIT DROP AS
     WITH last AS (
       SELECT DISTINCT ON (n) n, level, status, offered_at, told_at, deadline, closed_at, answered_by, rep_ids, attention_slot
         FROM syn_offer ORDER BY n, offer_number DESC
     ), state AS (
       SELECT l.n, l.spam, l.tier, l.recent, l.policy_version, l.base_rate,
              o.level, o.offered_at, o.told_at, o.deadline, o.closed_at, o.rep_ids,
              CASE WHEN l.spam THEN 'rejected-spam'
                   WHEN o.status = 'open' AND o.attention_slot THEN 'needs-attention'
                   WHEN o.status = 'open' AND o.level = 3 THEN 'catch-all'
                   WHEN o.status = 'open' AND o.told_at IS NULL THEN 'notifying'
                   WHEN o.status = 'open' AND o.level = 0 THEN 'offered'
                   WHEN o.status = 'open' THEN 'escalated'
                   ELSE 'assigned' END AS status,
              CASE WHEN o.status = 'accepted' THEN o.closed_at END AS accepted_at,
              CASE WHEN o.status = 'accepted' THEN o.answered_by END AS owner,
              -- v2 gives the owner 30 minutes (tier A) or 4 hours to report a first touch.
              CASE WHEN l.policy_version = $2::int AND l.recent THEN CASE l.tier WHEN 'A' THEN 30 ELSE 240 END END AS touch_minutes
         FROM syn_lead l LEFT JOIN last o USING (n) OFFSET 0
     ), drawn AS (
       SELECT s.*, ${funnelDraw(0)} AS uf,
              least(0.95, s.base_rate * coalesce(h.skill, 1)) AS p_opportunity,
              s.accepted_at + (2 + 478 * power(${funnelDraw(1)}, 3) * (0.5 + coalesce(h.speed, 0.5))) * interval '1 minute' AS t_touch
         FROM state s LEFT JOIN syn_rep h ON h.id = s.owner OFFSET 0
     ), funnel AS (
       SELECT d.*,
              uf < greatest(0.9, least(1, p_opportunity * 1.95)) AS touched,
              uf < least(1, p_opportunity * 1.95) AS met,
              uf < least(1, p_opportunity * 1.4) AS qualified,
              uf < p_opportunity AS opportunity,
              uf < p_opportunity * 0.4 AS won,
              -- Days between stages: a meeting within days, an opportunity about a week after the first touch, a
              -- deal two weeks after that.
              t_touch + (0.5 + 2.5 * ${funnelDraw(2)}) * interval '1 day' AS t_meeting,
              t_touch + (0.5 + 2.5 * ${funnelDraw(2)} + 0.5 + 2.5 * ${funnelDraw(3)}) * interval '1 day' AS t_qualified,
              t_touch + (0.5 + 2.5 * ${funnelDraw(2)} + 0.5 + 2.5 * ${funnelDraw(3)} + 1 + 3 * ${funnelDraw(4)}) * interval '1 day'
                AS t_opportunity,
              t_touch + (0.5 + 2.5 * ${funnelDraw(2)} + 0.5 + 2.5 * ${funnelDraw(3)} + 1 + 3 * ${funnelDraw(4)} + 3 + 20 * ${funnelDraw(5)})
                * interval '1 day' AS t_won
         FROM drawn d OFFSET 0
     ), closed AS (
       SELECT x.*,
              NOT won AND ${funnelDraw(6)} < 0.45 AS lost,
              CASE WHEN opportunity THEN t_opportunity WHEN qualified THEN t_qualified WHEN met THEN t_meeting
                   WHEN touched THEN t_touch ELSE accepted_at END + (2 + 20 * ${funnelDraw(7)}) * interval '1 day' AS t_lost,
              touched AND t_touch <= ${end} AS touch_reported
         FROM funnel x OFFSET 0
     )
     SELECT n, tier, owner, accepted_at, level, rep_ids, offered_at,
            touched, met, qualified, opportunity, won, lost,
            t_touch, t_meeting, t_qualified, t_opportunity, t_won, t_lost,
            CASE WHEN status = 'assigned' AND touch_minutes IS NOT NULL AND NOT touch_reported
                      AND accepted_at + touch_minutes * interval '1 minute' < ${end} THEN 'first-touch-overdue'
                 ELSE status END AS status,
            CASE WHEN status = 'rejected-spam' THEN NULL
                 WHEN status = 'assigned' THEN
                   CASE WHEN touch_minutes IS NULL OR touch_reported THEN NULL
                        WHEN accepted_at + touch_minutes * interval '1 minute' < ${end}
                          -- Overdue: the next step is telling the manager, one SLA later.
                          THEN accepted_at + 2 * touch_minutes * interval '1 minute'
                        ELSE accepted_at + touch_minutes * interval '1 minute' END
                 -- Not told yet: the five minutes the mail server has.
                 ELSE coalesce(deadline, offered_at + interval '5 minutes') END AS sla_deadline,
            greatest(offered_at, told_at, closed_at) AS last_change
       FROM closed`,
    [c.end, c.period.v2],
  );

  const leads = await tx.query(
    `INSERT INTO leads (id, workflow_id, source, name, email, email_normalised, company, message, received_at, status,
                        team_id, score, tier, urgency, service_line, offered_rep_ids, owner_rep_id, escalation_level,
                        sla_deadline, policy_version, normalised, qualification, updated_at)
     SELECT 'syn-' || l.n, 'lead:syn-' || l.n, l.source, 'Synthetic Lead ' || l.n, 'lead' || l.n || '@example.test',
            'lead' || l.n || '@example.test',
            (${sqlText(companies)})[1 + floor(${u(35, 'l.n')} * ${companies.length})::int],
            CASE l.service_line ${Object.entries(messages)
              .map(([line, text]) => `WHEN '${line}' THEN '${text.replace(/'/g, "''")}'`)
              .join(' ')} END,
            l.received_at, d.status,
            CASE WHEN NOT l.spam THEN l.team END, l.score, l.tier, l.urgency, l.service_line,
            CASE WHEN d.status IN ('assigned', 'first-touch-overdue', 'rejected-spam') THEN '{}' ELSE d.rep_ids END,
            CASE WHEN d.status IN ('assigned', 'first-touch-overdue') THEN d.owner END,
            coalesce(d.level, 0), d.sla_deadline,
            CASE WHEN NOT l.spam THEN l.policy_version END,
            jsonb_build_object('source', l.source),
            jsonb_build_object('tier', l.tier, 'score', l.score, 'urgency', l.urgency, 'serviceLine', l.service_line,
                               'spam', l.spam),
            coalesce(d.last_change, l.received_at + interval '1 second')
       FROM syn_lead l JOIN syn_done d USING (n)
      ORDER BY l.n`,
  );

  // Decisions: the plan's explanation as the dashboard reads it (rule, strategy, candidates, exclusions, fit). What
  // a rule, strategy and tier decide is built once per combination and merged into each lead's own parts: building
  // a whole plan per lead with jsonb_build_object cost four times as much.
  const slaOf = (tier: string, what: 'name' | 'text') =>
    `CASE ${tier} WHEN 'A' THEN '${what === 'name' ? 'hot' : '5 minutes'}' WHEN 'B' THEN '${what === 'name' ? 'warm' : '30 minutes'}' ELSE '${what === 'name' ? 'cold' : '4 hours'}' END`;
  await tx.query(
    `CREATE TEMP TABLE syn_plan ON COMMIT DROP AS
     SELECT r.team, r.rule, r.strategy, r.tier, r.c, r.policy_version,
            jsonb_build_object(
              'teamId', r.team, 'policyVersion', r.policy_version, 'stages', '[]'::jsonb,
              -- The catch-all stage in outline (who may claim is on the catch-all offer): a fifth of the plan's size.
              'catchAll', jsonb_build_object('kind', 'catch-all', 'level', 3, 'repIds', '[]'::jsonb, 'sla', '{}'::jsonb,
                                             'slaText', '', 'why', '', 'alertEmail', t.alert_email)) AS plan,
            jsonb_build_object(
              'rule', coalesce('rule ' || r.rule, 'the default route') || ' → team ' || t.name,
              'ruleName', r.rule, 'ruleTrace', '[]'::jsonb, 'teamName', t.name, 'strategy', r.strategy,
              'fallback', NULL, 'maxCandidates', r.c, 'candidateDetails', '[]'::jsonb,
              'tieBreak', CASE r.strategy ${Object.entries(tieBreaks)
                .map(([strategy, text]) => `WHEN '${strategy}' THEN '${text.replace(/'/g, "''")}'`)
                .join(' ')} END,
              'sla', jsonb_build_object('name', ${slaOf('r.tier', 'name')}, 'text', ${slaOf('r.tier', 'text')},
                                        'why', 'tier ' || r.tier),
              'policyVersion', r.policy_version, 'fairness', NULL) AS explanation
       FROM (SELECT DISTINCT team, rule, strategy, tier, c, policy_version FROM syn_route) r
       JOIN syn_team t ON t.id = r.team`,
  );
  const repList = (positions: string) =>
    `CASE WHEN cardinality(${positions}) > 0
          THEN ('["' || r.team || '-rep-' || array_to_string(${positions}, '","' || r.team || '-rep-') || '"]')::jsonb
          ELSE '[]'::jsonb END`;
  await tx.query(
    `INSERT INTO routing_decisions (lead_id, policy_version, team_id, plan, decided_at)
     SELECT 'syn-' || r.n, r.policy_version, r.team,
            p.plan || jsonb_build_object('explanation', p.explanation || jsonb_build_object(
              'candidates', ${repList('r.cand[1:r.c]')}, 'notReached', ${repList('r.cand[r.c + 1:]')},
              'excluded', r.excluded,
              'decidedAt', to_char(r.received_at + interval '1 second', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
              'fit', CASE WHEN r.strategy = 'best-fit' THEN jsonb_build_object(
                       'segmentKey', 'serviceLine=' || r.service_line || '|tier=' || r.tier,
                       'segment', 'tier ' || r.tier || ' ' || r.service_line || ' leads',
                       'seed', (hashint8extended(r.n, ${base} + 36) & 2147483647),
                       'draws', r.draws, 'estimates', r.estimates, 'convertsOn', 'opportunity',
                       -- The fairness floor puts a rep first now and then; otherwise the draws decided.
                       'owedRepId', CASE WHEN ${u(37, 'r.n')} < 0.05 THEN r.team || '-rep-' || r.cand[1] END,
                       'propensity', CASE WHEN ${u(37, 'r.n')} < 0.05 THEN 1 ELSE round((0.25 + 0.7 * ${u(38, 'r.n')})::numeric, 4) END)
                     END)),
            r.received_at + interval '1 second'
       FROM syn_route r
       JOIN syn_plan p ON p.team = r.team AND p.rule IS NOT DISTINCT FROM r.rule AND p.strategy = r.strategy
                      AND p.tier = r.tier AND p.c = r.c AND p.policy_version = r.policy_version
      ORDER BY r.n`,
  );

  const offers = await tx.query(
    `INSERT INTO lead_offers (lead_id, offer_number, kind, level, rep_ids, offered_at, told_at, deadline, status,
                              answered_by, reason, closed_at)
     SELECT 'syn-' || n, offer_number, kind, level, rep_ids, offered_at, told_at, deadline, status, answered_by, reason,
            closed_at
       FROM syn_offer ORDER BY n, offer_number`,
  );

  // Outcomes of owned leads, each stage after the one before, none after the end instant.
  const outcomes = await tx.query(
    `INSERT INTO lead_outcomes (lead_id, event, at, amount, currency, reason, external_id, reported_by, rep_id)
     SELECT 'syn-' || d.n, e.event, date_trunc('milliseconds', e.at), e.amount,
            CASE WHEN e.amount IS NOT NULL THEN 'USD' END, e.reason, 'syn-' || e.event,
            CASE WHEN e.event = 'first-touch' AND ${u(39, 'd.n')} < 0.7 THEN d.owner ELSE 'crm' END, d.owner
       FROM syn_done d
      CROSS JOIN LATERAL (VALUES
        ('first-touch', d.touched, d.t_touch, NULL::numeric, NULL::text),
        ('meeting-booked', d.met, d.t_meeting, NULL, NULL),
        ('qualified', d.qualified, d.t_qualified, NULL, NULL),
        ('opportunity', d.opportunity, d.t_opportunity, NULL, NULL),
        ('won', d.won, d.t_won,
         round((CASE d.tier WHEN 'A' THEN 12000 WHEN 'B' THEN 6000 ELSE 3000 END * exp(2 * ${u(40, 'd.n')}))::numeric, -2), NULL),
        ('lost', d.lost, d.t_lost, NULL, (${sqlText(lostReasons)})[1 + floor(${u(41, 'd.n')} * ${lostReasons.length})::int])
      ) AS e(event, happened, at, amount, reason)
      WHERE d.status = 'assigned' AND e.happened AND e.at <= ${end}
      ORDER BY d.n, e.at`,
    [c.end],
  );

  // The shadow (v3) beside the live decision, for leads routed after it began: it agrees on most; it sends urgent
  // tier-A leads to enterprise, ranks some reps differently, and now and then cannot route at all.
  await tx.query(
    `INSERT INTO shadow_decisions (lead_id, policy_version, live_version, decided_at, live_team_id, live_rule,
                                   live_first_rep, team_id, rule, first_rep, propensity, plan, problem)
     SELECT 'syn-' || n, $2::int, policy_version, received_at + interval '1 second', team, rule, team || '-rep-' || cand[1],
            CASE WHEN problem IS NULL THEN shadow_team END,
            CASE WHEN problem IS NULL THEN shadow_rule END,
            CASE WHEN problem IS NULL THEN shadow_first END,
            CASE WHEN problem IS NOT NULL THEN NULL
                 -- v3 ranks cloud, data and security by best fit: a chance, not a certainty, of the first offer.
                 WHEN shadow_team IN ('cloud', 'data', 'security') AND shadow_rule IS NOT NULL AND shadow_rule <> 'strategic'
                   THEN round((0.25 + 0.7 * ${u(42)})::numeric, 4)
                 ELSE 1 END,
            NULL, problem
       FROM (
         SELECT r.*,
                CASE WHEN ${u(43)} < 0.004 THEN 'no rule matched and the policy has no default'
                     WHEN ${u(43)} < 0.01 THEN 'team ' || r.team || ' has no rep available' END AS problem,
                CASE WHEN strategic THEN 'enterprise' ELSE r.team END AS shadow_team,
                CASE WHEN strategic THEN 'strategic' ELSE r.rule END AS shadow_rule,
                CASE WHEN strategic THEN 'enterprise-rep-' || (1 + floor(${u(44)} * 8)::int)
                     WHEN ${u(45)} < CASE WHEN r.team IN ('security', 'cloud', 'data') THEN 0.72 ELSE 0.85 END
                       THEN r.team || '-rep-' || r.cand[1]
                     ELSE r.team || '-rep-' || r.cand[2] END AS shadow_first
           FROM (SELECT *, tier = 'A' AND urgency = 'now' AND team <> 'enterprise' AS strategic FROM syn_route) r
          WHERE r.received_at >= $1::timestamptz
       ) s
      ORDER BY n`,
    [c.period.v3At, c.period.v3],
  );
  return { leads: leads.rowCount ?? 0, offers: offers.rowCount ?? 0, outcomes: outcomes.rowCount ?? 0 };
}
