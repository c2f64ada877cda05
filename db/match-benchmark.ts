// The statements of the match benchmark (scripts/bench-match.ts) that are its own: a bulk seed of contacts over
// the accounts, samples of them to build leads from, the indexes it rebuilds after seeding, and EXPLAIN ANALYZE of
// the matcher's statements. Never used by leadrelay itself.
import type { Pool, PoolClient, QueryResult } from 'pg';
import { withNameSearchSettings } from './contacts-and-accounts';

/** The words and numbers contacts are made of; every choice among them is a hash of the row number. */
export interface ContactSeed {
  count: number;
  seed: number;
  firstNames: readonly string[];
  lastNames: readonly string[];
  /** Mailboxes of contacts whose account has no domain. */
  freeMailDomains: readonly string[];
  /** Owners for the 60% of contacts that have one. */
  repIds: readonly string[];
  /** Phone plans by account country: country code, dialling code, digits after it. */
  dialPlans: ReadonlyArray<{ country: string; dial: string; digits: number }>;
}

/**
 * One INSERT ... SELECT over generate_series: contacts spread over the accounts (85% linked), mailboxes at
 * the account's domain (free-mail when it has none), 80% with a personal phone in the account country's plan,
 * 5% with the account's switchboard number, 60% owned. Deterministic: every choice is a hash of the row number.
 */
export async function seedContacts(pool: Pool, s: ContactSeed): Promise<void> {
  // Temporary tables live on one connection.
  const db = await pool.connect();
  try {
    await seedContactsOn(db, s);
  } finally {
    db.release();
  }
}

async function seedContactsOn(db: PoolClient, s: ContactSeed): Promise<void> {
  await db.query(`
    CREATE TEMP TABLE seed_dial (country text PRIMARY KEY, dial text, digits int);
    CREATE TEMP TABLE seed_accounts AS SELECT row_number() OVER (ORDER BY id) AS n, id, domain, name, country FROM accounts;
    CREATE INDEX ON seed_accounts (n);`);
  await db.query(`INSERT INTO seed_dial SELECT * FROM unnest($1::text[], $2::text[], $3::int[])`, [
    s.dialPlans.map((d) => d.country),
    s.dialPlans.map((d) => d.dial),
    s.dialPlans.map((d) => d.digits),
  ]);
  await db.query('ANALYZE seed_accounts');
  // Hash-derived choices: h0 picks the account, h1 the person, h2 the phone digits, h3 the rest.
  await db.query(
    `INSERT INTO contacts (email_normalised, name, company, owner_rep_id, phone, account_id)
     SELECT lower(f.first) || '.' || lower(l.last) || '.' || g || '@' || coalesce(s.domain, ($3::text[])[1 + abs(h.h3 % array_length($3::text[], 1))]),
            f.first || ' ' || l.last,
            s.name,
            CASE WHEN abs(h.h3 % 10) < 6 THEN ($4::text[])[1 + abs((h.h3 / 10) % array_length($4::text[], 1))] END,
            CASE WHEN abs(h.h3 % 20) = 0 THEN '+' || d.dial || '9' || lpad((s.n % (10 ^ (d.digits - 1))::bigint)::text, d.digits - 1, '0')
                 WHEN abs(h.h3 % 10) < 8 THEN '+' || d.dial || (2 + abs(h.h2 % 7))::text || lpad(abs((h.h2 / 7) % (10 ^ (d.digits - 1))::bigint)::text, d.digits - 1, '0') END,
            CASE WHEN abs((h.h3 / 1000) % 100) < 85 THEN s.id END
       FROM generate_series(1, $5::int) g
       CROSS JOIN LATERAL (SELECT hashint8extended(g, $6) AS h0, hashint8extended(g, $6 + 1) AS h1, hashint8extended(g, $6 + 2) AS h2, hashint8extended(g, $6 + 3) AS h3) h
       JOIN seed_accounts s ON s.n = 1 + abs(h.h0 % (SELECT count(*) FROM seed_accounts))
       JOIN seed_dial d ON d.country = s.country
       JOIN LATERAL (SELECT ($1::text[])[1 + abs(h.h1 % array_length($1::text[], 1))] AS first) f ON true
       JOIN LATERAL (SELECT ($2::text[])[1 + abs((h.h1 / 100) % array_length($2::text[], 1))] AS last) l ON true`,
    [s.firstNames, s.lastNames, s.freeMailDomains, s.repIds, s.count, s.seed],
  );
  await db.query('DROP TABLE seed_dial, seed_accounts');
}

/** Indexes on accounts and contacts that enforce nothing (not unique, no constraint): dropped for a bulk load. */
export interface DroppableIndex {
  name: string;
  /** pg_get_indexdef: the CREATE INDEX statement that makes it again, exactly as the migration did. */
  definition: string;
}

export async function droppableIndexes(db: Pool | PoolClient): Promise<DroppableIndex[]> {
  const { rows } = await db.query<DroppableIndex>(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i
      WHERE i.indrelid IN ('accounts'::regclass, 'contacts'::regclass) AND NOT i.indisunique
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`,
  );
  return rows;
}

export async function dropIndexes(db: Pool | PoolClient, indexes: readonly DroppableIndex[]): Promise<void> {
  for (const index of indexes) await db.query(`DROP INDEX ${index.name}`);
}

/** Builds the indexes again, on one connection given enough memory to sort a million rows. */
export async function rebuildIndexes(pool: Pool, indexes: readonly DroppableIndex[]): Promise<void> {
  const builder = await pool.connect();
  try {
    await builder.query(`SET maintenance_work_mem = '256MB'`);
    for (const index of indexes) await builder.query(index.definition);
  } finally {
    builder.release();
  }
}

export async function vacuumAnalyzeContactsAndAccounts(db: Pool | PoolClient): Promise<void> {
  await db.query('VACUUM ANALYZE accounts');
  await db.query('VACUUM ANALYZE contacts');
}

export interface SeededCounts {
  contacts: number;
  accounts: number;
  withPhone: number;
  linked: number;
  /** The database's size as Postgres writes it: "1234 MB". */
  size: string;
}

export async function seededCounts(db: Pool | PoolClient): Promise<SeededCounts> {
  const { rows } = await db.query<{
    contacts: string;
    accounts: string;
    with_phone: string;
    linked: string;
    size: string;
  }>(
    `SELECT (SELECT count(*) FROM contacts) AS contacts, (SELECT count(*) FROM accounts) AS accounts,
            (SELECT count(*) FROM contacts WHERE phone IS NOT NULL) AS with_phone, (SELECT count(*) FROM contacts WHERE account_id IS NOT NULL) AS linked,
            pg_size_pretty(pg_database_size(current_database())) AS size`,
  );
  const c = rows[0]!;
  return {
    contacts: Number(c.contacts),
    accounts: Number(c.accounts),
    withPhone: Number(c.with_phone),
    linked: Number(c.linked),
    size: c.size,
  };
}

export async function serverVersion(db: Pool | PoolClient): Promise<string> {
  const { rows } = await db.query<{ server_version: string }>('SHOW server_version');
  return rows[0]?.server_version ?? 'unknown';
}

/** The highest contact and account ids: sample ids are drawn below them. */
export async function maxIds(db: Pool | PoolClient): Promise<{ contacts: number; accounts: number }> {
  const { rows } = await db.query<{ contacts: string; accounts: string }>(
    'SELECT (SELECT max(id) FROM contacts) AS contacts, (SELECT max(id) FROM accounts) AS accounts',
  );
  return { contacts: Number(rows[0]?.contacts), accounts: Number(rows[0]?.accounts) };
}

export interface SampledContact {
  emailKey: string;
  phone: string | null;
  company: string | null;
  emailDomain: string;
  accountId: string | null;
  /** The account a right match finds: the contact's, else (an unlinked contact) the one at their mail domain. */
  expectedAccountId: string | null;
}

/** The contacts among `ids` (ids without a row are skipped), only those with a phone if asked. */
export async function sampleContacts(
  db: Pool | PoolClient,
  ids: readonly string[],
  { withPhone = false }: { withPhone?: boolean } = {},
): Promise<SampledContact[]> {
  const { rows } = await db.query<{
    email_normalised: string;
    phone: string | null;
    company: string | null;
    email_domain: string;
    account_id: string | null;
    expected: string | null;
  }>(
    `SELECT c.email_normalised, c.phone, c.company, split_part(c.email_normalised, '@', 2) AS email_domain, c.account_id, coalesce(c.account_id, d.id) AS expected
       FROM contacts c LEFT JOIN accounts d ON d.domain = split_part(c.email_normalised, '@', 2)
      WHERE c.id = ANY($1) AND (NOT $2 OR c.phone IS NOT NULL)`,
    [ids, withPhone],
  );
  return rows.map((r) => ({
    emailKey: r.email_normalised,
    phone: r.phone,
    company: r.company,
    emailDomain: r.email_domain,
    accountId: r.account_id,
    expectedAccountId: r.expected,
  }));
}

/** The accounts among `ids`, only those with a domain if asked. */
export async function sampleAccounts(
  db: Pool | PoolClient,
  ids: readonly string[],
  { withDomain = false }: { withDomain?: boolean } = {},
): Promise<Array<{ id: string; domain: string | null; name: string }>> {
  const { rows } = await db.query<{ id: string; domain: string | null; name: string }>(
    'SELECT id, domain, name FROM accounts WHERE id = ANY($1) AND (NOT $2 OR domain IS NOT NULL)',
    [ids, withDomain],
  );
  return rows;
}

export async function isAccountNameKey(db: Pool | PoolClient, key: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM accounts WHERE name_key = $1', [key]);
  return Boolean(rowCount);
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of one of the matcher's statements, run as the matcher runs it: the name search in
 * one request with its similarity threshold. Returns the plan's lines.
 */
export async function explainAnalyze(
  db: Pool,
  statement: { sql: string; params: unknown[]; threshold?: number },
): Promise<string[]> {
  const explain = `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${statement.sql}`;
  const result =
    statement.threshold === undefined
      ? await db.query<{ 'QUERY PLAN': string }>(explain, statement.params)
      : // A multi-statement query answers with one result per statement.
        (
          (await db.query(withNameSearchSettings(statement.threshold, explain))) as unknown as Array<
            QueryResult<{ 'QUERY PLAN': string }>
          >
        )[1]!;
  return result.rows.map((row) => row['QUERY PLAN']);
}
