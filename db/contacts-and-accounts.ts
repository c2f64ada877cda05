// Contacts and accounts in Postgres. Dedupe and account matching: the known contact a lead is (email key, then
// phone) and the account it belongs to (the contact's, then the domain's, then the closest company name by
// pg_trgm). Accounts written by imports; owners written when a lead is assigned.
import { escapeLiteral, type Pool, type PoolClient, type QueryResult, type QueryResultRow } from 'pg';
import { ApplicationFailure } from '@temporalio/common';
import {
  chooseNameMatch,
  companyNameKey,
  distinctiveSimilarityThreshold,
  distinctiveWords,
  nameSimilarityThreshold,
} from '../src/matching/company-name';
import {
  describeContactAccount,
  describeContactMatch,
  describeDomainAccount,
  type AccountMatch,
  type ContactMatch,
  type ContactRow,
  type LeadMatch,
} from '../src/matching/lead-match';
import {
  MatchInputError,
  parseAccountInput,
  parseMatchLeadInput,
  type AccountInput,
  type MatchLeadInput,
  type ParsedMatchLeadInput,
} from '../src/matching/match-input';
import { prepared } from './pool';

export type { LeadMatch, ContactMatch, AccountMatch } from '../src/matching/lead-match';
export type { MatchLeadInput, AccountInput } from '../src/matching/match-input';

/** Enough to see a runner-up next to the best candidate. */
const nameCandidateLimit = 5;

/**
 * The statements the matcher runs (and similarNamesSql below), exported so the tests and the benchmark EXPLAIN
 * exactly these. Each is an index scan: contacts_email_normalised_key, contacts_phone, accounts_domain,
 * accounts_name_key.
 */
export const matchQueries = {
  contactByEmailKey: `
    SELECT c.id, c.owner_rep_id, a.id AS account_id, a.name AS account_name, a.owner_rep_id AS account_owner_rep_id, 1 AS shared_by
      FROM contacts c LEFT JOIN accounts a ON a.id = c.account_id
     WHERE c.email_normalised = $1`,
  contactByPhone: `
    SELECT c.id, c.owner_rep_id, a.id AS account_id, a.name AS account_name, a.owner_rep_id AS account_owner_rep_id, count(*) OVER () AS shared_by
      FROM contacts c LEFT JOIN accounts a ON a.id = c.account_id
     WHERE c.phone = $1
     ORDER BY c.updated_at DESC, c.id DESC
     LIMIT 1`,
  accountByDomain: `SELECT id, name, owner_rep_id FROM accounts WHERE domain = $1`,
  accountsByNameKey: `SELECT id, name, name_key, owner_rep_id FROM accounts WHERE name_key = $1 ORDER BY id LIMIT ${nameCandidateLimit}`,
} as const;

/**
 * Accounts with a name similar to `key`, for chooseNameMatch to decide among: those whose distinctive words
 * are similar (GIN trigram on name_core), or for a name of generic words only, names of generic words only
 * similar as a whole (GIN trigram on name_key). Asked only when no account has the key itself
 * (matchQueries.accountsByNameKey): planning this statement alone costs more than that whole lookup.
 *
 * `%` is what a trigram index answers (a `similarity(...) >= x` filter would read every row); its threshold
 * is the setting pg_trgm.similarity_threshold, set by withNameSearchSettings in the same request. The text is
 * built, not parameterised, for that: keys hold only letters, digits and spaces, and are escaped as well.
 */
export function similarNamesSql(key: string, distinctive: string): { threshold: number; sql: string } {
  const k = escapeLiteral(key);
  const similar = distinctive
    ? `name_core % ${escapeLiteral(distinctive)} AND similarity(name_key, ${k}) >= ${nameSimilarityThreshold}`
    : `name_key % ${k} AND name_core = ''`;
  return {
    threshold: distinctive ? distinctiveSimilarityThreshold : nameSimilarityThreshold,
    sql: `SELECT id, name, name_key, owner_rep_id FROM accounts WHERE ${similar} ORDER BY similarity(name_key, ${k}) DESC, id LIMIT ${nameCandidateLimit}`,
  };
}

/**
 * Wraps the similar-names statement as the matcher sends it: settings and statement in one simple query,
 * which runs as one implicit transaction, so set_config(..., is_local) lasts for it only and never leaks into
 * the pooled connection; one round trip instead of four for BEGIN/SET/SELECT/COMMIT.
 * enable_seqscan off: the planner prices `%` like `=`, where it costs a trigram comparison per row; on a
 * table of a few thousand accounts it chose a sequential scan that took 2-5 ms instead of 0.1 ms.
 */
export function withNameSearchSettings(threshold: number, sql: string): string {
  return `SELECT set_config('pg_trgm.similarity_threshold', '${threshold}', true), set_config('enable_seqscan', 'off', true); ${sql}`;
}

/**
 * Each of matchQueries as a prepared statement: each pooled connection plans it once, where planning an unnamed
 * statement cost more than executing it (0.25 ms against 0.05 ms on 1M contacts).
 */
const matchStatements = Object.fromEntries(
  Object.entries(matchQueries).map(([query, text]) => [query, prepared(`leadrelay-match-${query}`, text)]),
) as Record<keyof typeof matchQueries, ReturnType<typeof prepared>>;

function runPrepared<Row extends QueryResultRow>(
  db: Pool,
  query: keyof typeof matchQueries,
  value: string,
): Promise<QueryResult<Row>> {
  return db.query<Row>(matchStatements[query]([value]));
}

interface ContactQueryRow {
  id: string;
  owner_rep_id: string | null;
  account_id: string | null;
  account_name: string | null;
  account_owner_rep_id: string | null;
  shared_by: string | number;
}

interface AccountQueryRow {
  id: string;
  name: string;
  owner_rep_id: string | null;
}

export function createMatcher(db: Pool) {
  async function findContact(lead: ParsedMatchLeadInput): Promise<{ match: ContactMatch; row: ContactRow } | null> {
    const lookups = [
      { method: 'email', key: lead.emailKey, query: 'contactByEmailKey' },
      { method: 'phone', key: lead.phone, query: 'contactByPhone' },
    ] as const;
    for (const { method, key, query } of lookups) {
      if (key === null) continue;
      const { rows } = await runPrepared<ContactQueryRow>(db, query, key);
      const found = rows[0];
      if (!found) continue;
      const row: ContactRow = {
        contactId: found.id,
        ownerRepId: found.owner_rep_id,
        account:
          found.account_id === null
            ? null
            : { accountId: found.account_id, name: found.account_name ?? '', ownerRepId: found.account_owner_rep_id },
      };
      return { match: describeContactMatch(method, key, row, Number(found.shared_by)), row };
    }
    return null;
  }

  async function findAccountByName(company: string): Promise<AccountMatch | null> {
    const key = companyNameKey(company);
    if (key === '') return null;
    let { rows } = await runPrepared<AccountQueryRow & { name_key: string }>(db, 'accountsByNameKey', key);
    if (rows.length === 0) {
      const { threshold, sql } = similarNamesSql(key, distinctiveWords(key));
      // A multi-statement query answers with one result per statement.
      const results = (await db.query(withNameSearchSettings(threshold, sql))) as unknown as Array<
        QueryResult<AccountQueryRow & { name_key: string }>
      >;
      rows = results[1]?.rows ?? [];
    }
    const chosen = chooseNameMatch(
      company,
      rows.map((r) => ({ accountId: r.id, name: r.name, nameKey: r.name_key })),
    );
    if (!chosen) return null;
    const owner = rows.find((r) => r.id === chosen.accountId)?.owner_rep_id ?? null;
    return {
      accountId: chosen.accountId,
      name: chosen.name,
      ownerRepId: owner,
      method: 'name',
      confidence: chosen.confidence,
      reason: chosen.reason,
    };
  }

  /**
   * Who is this lead? The contact by exact email key, else by phone; the account through that contact, else
   * by the company's domain (confidence 1), else by company name: the same key (0.98), else the most similar
   * name (similarity >= 0.6, and distinctive words >= 0.5; see src/matching/company-name.ts). The caller
   * passes a company domain only for a business address or website, never a free-mail one.
   */
  async function matchLead(input: MatchLeadInput): Promise<LeadMatch> {
    const lead = parseOrFail(input);
    const contact = await findContact(lead);
    const contactAccount = contact?.row.account;
    if (contact && contactAccount)
      return { contact: contact.match, account: describeContactAccount({ ...contact.row, account: contactAccount }) };
    if (lead.companyDomain) {
      const { rows } = await runPrepared<AccountQueryRow>(db, 'accountByDomain', lead.companyDomain);
      const found = rows[0];
      if (found)
        return {
          contact: contact?.match ?? null,
          account: describeDomainAccount(lead.companyDomain, {
            accountId: found.id,
            name: found.name,
            ownerRepId: found.owner_rep_id,
          }),
        };
    }
    const account = lead.company ? await findAccountByName(lead.company) : null;
    return { contact: contact?.match ?? null, account };
  }

  return { matchLead };
}

function parseOrFail(input: MatchLeadInput): ParsedMatchLeadInput {
  try {
    return parseMatchLeadInput(input);
  } catch (err) {
    // Retrying cannot fix the input: fail the activity at once, with the field in the message.
    if (err instanceof MatchInputError)
      throw ApplicationFailure.create({ type: 'MatchInputError', message: err.message, nonRetryable: true });
    throw err;
  }
}

export interface StoredAccount {
  accountId: string;
  nameKey: string;
  domain: string | null;
  created: boolean;
}

/**
 * Creates or updates an account; the given fields replace the stored ones. An account is identified by its
 * domain; one without a domain by its name key and country among the accounts without a domain (two calls
 * at the same moment for a new domain-less account may both insert).
 */
export async function upsertAccount(db: Pool, input: AccountInput): Promise<StoredAccount> {
  const account = parseAccountInput(input);
  const values = [
    account.name,
    account.nameKey,
    account.nameCore,
    account.domain,
    account.ownerRepId,
    account.country,
    account.employees,
  ];
  const sql = account.domain
    ? `INSERT INTO accounts (name, name_key, name_core, domain, owner_rep_id, country, employees) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (domain) WHERE domain IS NOT NULL DO UPDATE
         SET name = EXCLUDED.name, name_key = EXCLUDED.name_key, name_core = EXCLUDED.name_core, owner_rep_id = EXCLUDED.owner_rep_id,
             country = EXCLUDED.country, employees = EXCLUDED.employees, updated_at = now()
       RETURNING id, (xmax = 0) AS created`
    : `WITH existing AS (
         SELECT id FROM accounts WHERE domain IS NULL AND name_key = $2 AND country IS NOT DISTINCT FROM $6 ORDER BY id LIMIT 1 FOR UPDATE
       ), updated AS (
         UPDATE accounts a SET name = $1, owner_rep_id = $5, employees = $7, updated_at = now() FROM existing e WHERE a.id = e.id RETURNING a.id
       ), inserted AS (
         INSERT INTO accounts (name, name_key, name_core, domain, owner_rep_id, country, employees)
         SELECT $1, $2, $3, $4, $5, $6, $7 WHERE NOT EXISTS (SELECT 1 FROM existing) RETURNING id
       )
       SELECT id, false AS created FROM updated UNION ALL SELECT id, true AS created FROM inserted`;
  const { rows } = await db.query<{ id: string; created: boolean }>(sql, values).catch((err: unknown) => {
    throw explainForeignKey(err, account.ownerRepId);
  });
  const row = rows[0];
  if (!row) throw new Error(`upsertAccount: no row returned for ${account.name}`);
  return { accountId: row.id, nameKey: account.nameKey, domain: account.domain, created: row.created };
}

/**
 * Loads many accounts in one statement (CRM imports, the benchmark's seed): those with a domain are upserted
 * on it, those without are always added. A domain twice in one batch is refused, naming both places.
 */
export async function importAccounts(
  db: Pool,
  inputs: readonly AccountInput[],
): Promise<{ inserted: number; updated: number }> {
  const accounts = inputs.map((input, i) => parseAccountInput(input, `accounts.${i}.`));
  const seen = new Map<string, number>();
  accounts.forEach((a, i) => {
    if (!a.domain) return;
    const first = seen.get(a.domain);
    if (first !== undefined)
      throw new MatchInputError(`accounts.${i}.domain: ${a.domain} is also accounts.${first}.domain`);
    seen.set(a.domain, i);
  });
  if (accounts.length === 0) return { inserted: 0, updated: 0 };
  const { rows } = await db
    .query<{ inserted: boolean }>(
      `INSERT INTO accounts (name, name_key, name_core, domain, owner_rep_id, country, employees)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[])
       ON CONFLICT (domain) WHERE domain IS NOT NULL DO UPDATE
         SET name = EXCLUDED.name, name_key = EXCLUDED.name_key, name_core = EXCLUDED.name_core, owner_rep_id = EXCLUDED.owner_rep_id,
             country = EXCLUDED.country, employees = EXCLUDED.employees, updated_at = now()
       RETURNING (xmax = 0) AS inserted`,
      [
        accounts.map((a) => a.name),
        accounts.map((a) => a.nameKey),
        accounts.map((a) => a.nameCore),
        accounts.map((a) => a.domain),
        accounts.map((a) => a.ownerRepId),
        accounts.map((a) => a.country),
        accounts.map((a) => a.employees),
      ],
    )
    .catch((err: unknown) => {
      throw explainForeignKey(err, null);
    });
  const inserted = rows.filter((r) => r.inserted).length;
  return { inserted, updated: rows.length - inserted };
}

function explainForeignKey(err: unknown, ownerRepId: string | null): unknown {
  const pgError = err as { code?: string; constraint?: string; detail?: string };
  if (pgError.code !== '23503' || pgError.constraint !== 'accounts_owner_rep_id_fkey') return err;
  return new MatchInputError(
    ownerRepId ? `ownerRepId: no rep '${ownerRepId}'` : `ownerRepId: ${pgError.detail ?? 'no such rep'}`,
  );
}

// ---- ownership, written when a lead is assigned ---------------------------------------------------------------

/** Gives the account an owner unless it has one: an owner an admin or an earlier lead set is never replaced. */
export async function claimAccountOwner(db: Pool | PoolClient, accountId: string, repId: string): Promise<void> {
  await db.query('UPDATE accounts SET owner_rep_id = $2, updated_at = now() WHERE id = $1 AND owner_rep_id IS NULL', [
    accountId,
    repId,
  ]);
}

/** A known contact gets the rep as its owner, and the account if it had none. */
export async function setContactOwner(
  db: Pool | PoolClient,
  contactId: string,
  { repId, accountId }: { repId: string; accountId: string | null },
): Promise<void> {
  await db.query(
    'UPDATE contacts SET owner_rep_id = $2, account_id = COALESCE(account_id, $3), updated_at = now() WHERE id = $1',
    [contactId, repId, accountId],
  );
}

export interface NewContact {
  name: string | null;
  company: string | null;
  phone: string | null;
  ownerRepId: string;
  accountId: string | null;
}

/** The contact with this email key, made if new, owned by the rep from now on. Returns its id. */
export async function upsertContactByEmail(
  db: Pool | PoolClient,
  emailKey: string,
  c: NewContact,
): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO contacts (email_normalised, name, company, phone, owner_rep_id, account_id) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (email_normalised) DO UPDATE SET owner_rep_id = $5, updated_at = now() RETURNING id`,
    [emailKey, c.name, c.company, c.phone, c.ownerRepId, c.accountId],
  );
  return rows[0]?.id ?? null;
}

/** A new contact known only by phone (a chat, a partner lead). Returns its id. */
export async function insertPhoneContact(
  db: Pool | PoolClient,
  c: NewContact & { phone: string },
): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(
    'INSERT INTO contacts (name, company, phone, owner_rep_id, account_id) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [c.name, c.company, c.phone, c.ownerRepId, c.accountId],
  );
  return rows[0]?.id ?? null;
}
