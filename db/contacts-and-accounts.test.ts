// The matcher against a real Postgres (a database of this file's own, copied from the migrated template).
import fc from 'fast-check';
import { escapeLiteral, type Pool, type QueryResult } from 'pg';
import { ApplicationFailure } from '@temporalio/common';
import { testDirectory } from '../test/support/directory';
import { upsertDirectory } from './directory';
import {
  createMatcher,
  importAccounts,
  matchQueries,
  similarNamesSql,
  upsertAccount,
  withNameSearchSettings,
  type MatchLeadInput,
} from './contacts-and-accounts';
import { createPool } from './pool';
import { companyNameKey, trigramSimilarity } from '../src/matching/company-name';
import { copyOfTemplateDatabase } from '../test/support/database';

let databaseUrl: string;
let db: Pool;
let matchLead: ReturnType<typeof createMatcher>['matchLead'];
const ids: Record<string, string> = {};

const nothing: MatchLeadInput = { emailKey: null, phone: null, companyDomain: null, company: null };

async function addContact(
  email: string,
  c: { phone?: string; accountId?: string; owner?: string; updatedAt?: string } = {},
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO contacts (email_normalised, name, owner_rep_id, phone, account_id, updated_at) VALUES ($1, $1, $2, $3, $4, coalesce($5::timestamptz, now())) RETURNING id`,
    [email, c.owner ?? null, c.phone ?? null, c.accountId ?? null, c.updatedAt ?? null],
  );
  return rows[0]!.id;
}

beforeAll(async () => {
  databaseUrl = await copyOfTemplateDatabase();
  db = createPool(databaseUrl);
  await upsertDirectory(db, testDirectory);
  matchLead = createMatcher(db).matchLead;

  for (const [label, account] of Object.entries({
    acme: { name: 'The Acme Company Ltd', domain: 'acme.example', ownerRepId: 'ana', country: 'GB' },
    mueller: { name: 'Müller Technik GmbH', domain: 'mueller-technik.de', ownerRepId: 'ben', country: 'DE' },
    northwind: { name: 'Northwind Traders', domain: 'northwind.example', ownerRepId: 'ana' },
    zentrix: { name: 'Zentrix Analytics Inc.', ownerRepId: 'ben', country: 'US' },
    orbis: { name: 'Orbis Systems', domain: 'orbis.example' },
    smith: { name: 'Smith Consulting LLC', domain: 'smith-consulting.example', ownerRepId: 'ana', country: 'US' },
    global: { name: 'Global Services Ltd', country: 'GB' },
  })) {
    ids[label] = (await upsertAccount(db, account)).accountId;
  }
  ids.priya = await addContact('priya@acme.example', { owner: 'ben', phone: '+442079460958', accountId: ids.acme });
  ids.loner = await addContact('loner@gmail.com', { owner: 'ana', phone: '+4930123456789' });
  // Two colleagues behind one switchboard number; Omar's record is the fresher.
  ids.olga = await addContact('olga@orbis.example', {
    phone: '+12125550100',
    accountId: ids.orbis,
    updatedAt: '2026-01-01T00:00:00Z',
  });
  ids.omar = await addContact('omar@orbis.example', {
    phone: '+12125550100',
    accountId: ids.orbis,
    owner: 'ana',
    updatedAt: '2026-06-01T00:00:00Z',
  });
});

afterAll(async () => {
  await db.end();
});

describe('contact', () => {
  test('exact email key: the contact, its owner, and its account through it', async () => {
    const match = await matchLead({ ...nothing, emailKey: 'priya@acme.example', company: 'Something Else Entirely' });
    expect(match).toEqual({
      contact: {
        contactId: ids.priya,
        ownerRepId: 'ben',
        accountId: ids.acme,
        method: 'email',
        reason: `email key priya@acme.example is known contact ${ids.priya}, owned by ben`,
      },
      account: {
        accountId: ids.acme,
        name: 'The Acme Company Ltd',
        ownerRepId: 'ana',
        method: 'contact',
        confidence: 1,
        reason: `contact ${ids.priya} belongs to account 'The Acme Company Ltd' (id ${ids.acme}), owned by ana`,
      },
    });
  });

  test('the email key is matched as given: canonicalising it is intake’s job', async () => {
    expect((await matchLead({ ...nothing, emailKey: 'Priya@acme.example' })).contact).toBeNull();
  });

  test('an unknown email with a known phone is the phone’s contact', async () => {
    const match = await matchLead({ ...nothing, emailKey: 'p.shah@gmail.com', phone: '+442079460958' });
    expect(match.contact).toMatchObject({
      contactId: ids.priya,
      method: 'phone',
      reason: `phone +442079460958 is known contact ${ids.priya}, owned by ben`,
    });
    expect(match.account).toMatchObject({ accountId: ids.acme, method: 'contact' });
  });

  test('a phone shared by colleagues is the most recently updated contact, and the reason says so', async () => {
    const match = await matchLead({ ...nothing, phone: '+12125550100' });
    expect(match.contact).toMatchObject({ contactId: ids.omar, ownerRepId: 'ana' });
    expect(match.contact?.reason).toBe(
      `phone +12125550100 is known contact ${ids.omar}, owned by ana; 2 contacts share this phone, the most recently updated is taken`,
    );
  });

  test('a contact without an account still finds its account by domain', async () => {
    const match = await matchLead({ ...nothing, emailKey: 'loner@gmail.com', companyDomain: 'northwind.example' });
    expect(match.contact).toMatchObject({ contactId: ids.loner, accountId: null, ownerRepId: 'ana' });
    expect(match.account).toMatchObject({ accountId: ids.northwind, method: 'domain', confidence: 1 });
  });
});

describe('account', () => {
  test('a new person at a known domain: the account with confidence 1, no contact', async () => {
    const match = await matchLead({
      ...nothing,
      emailKey: 'new.person@mueller-technik.de',
      companyDomain: 'mueller-technik.de',
      company: 'Zentrix',
    });
    expect(match).toEqual({
      contact: null,
      account: {
        accountId: ids.mueller,
        name: 'Müller Technik GmbH',
        ownerRepId: 'ben',
        method: 'domain',
        confidence: 1,
        reason: `domain mueller-technik.de is account 'Müller Technik GmbH' (id ${ids.mueller}), owned by ben`,
      },
    });
  });

  test('"ACME Co." is "The Acme Company Ltd": same key, 0.98', async () => {
    const { account } = await matchLead({ ...nothing, company: 'ACME Co.' });
    expect(account).toEqual({
      accountId: ids.acme,
      name: 'The Acme Company Ltd',
      ownerRepId: 'ana',
      method: 'name',
      confidence: 0.98,
      reason: "name 'ACME Co.' = account 'The Acme Company Ltd' (same key 'acme')",
    });
  });

  test('"Mueller Technik" and "Muller Technik" are "Müller Technik GmbH"', async () => {
    for (const company of ['Mueller Technik', 'Muller Technik']) {
      expect((await matchLead({ ...nothing, company })).account).toMatchObject({
        accountId: ids.mueller,
        method: 'name',
        confidence: 0.98,
        ownerRepId: 'ben',
      });
    }
  });

  test('a misspelt name matches by similarity, with the similarity as confidence', async () => {
    expect((await matchLead({ ...nothing, company: 'Muller Technick' })).account).toEqual({
      accountId: ids.mueller,
      name: 'Müller Technik GmbH',
      ownerRepId: 'ben',
      method: 'name',
      confidence: 0.72,
      reason:
        "name 'Muller Technick' ~ account 'Müller Technik GmbH' (similarity 0.72; distinctive words 'muller' vs 'muller' 1.00)",
    });
  });

  test('a company at a domain no account has falls back to the name', async () => {
    const { account } = await matchLead({
      ...nothing,
      companyDomain: 'zentrix-analytics.example',
      company: 'Zentrix Analytics',
    });
    expect(account).toMatchObject({ accountId: ids.zentrix, method: 'name', confidence: 0.98 });
  });

  test('a merely similar, unrelated company is no match, though pg_trgm’s default threshold (0.3) would take it', async () => {
    for (const [company, account] of [
      ['Northwind Logistics', 'Northwind Traders'],
      ['Zentrix Robotics', 'Zentrix Analytics Inc.'],
    ] as const) {
      const similarity = trigramSimilarity(companyNameKey(company), companyNameKey(account));
      expect(similarity).toBeGreaterThan(0.3);
      expect(similarity).toBeLessThan(0.6);
      expect(await matchLead({ ...nothing, company })).toEqual({ contact: null, account: null });
    }
  });

  test('a shared generic word does not make a match, even when it carries the similarity past 0.6', async () => {
    expect(
      trigramSimilarity(companyNameKey('Smyth Consulting'), companyNameKey('Smith Consulting LLC')),
    ).toBeGreaterThan(0.6);
    expect(await matchLead({ ...nothing, company: 'Smyth Consulting' })).toEqual({ contact: null, account: null });
  });

  test('a name of generic words only is matched among names like it', async () => {
    expect((await matchLead({ ...nothing, company: 'Global Servces' })).account).toMatchObject({
      accountId: ids.global,
      method: 'name',
    });
    expect((await matchLead({ ...nothing, company: 'Zentrix Global Services' })).account).toBeNull();
  });

  test('a free-mail lead: intake passes no company domain, so the name decides', async () => {
    const { account } = await matchLead({
      emailKey: 'someone@gmail.com',
      phone: null,
      companyDomain: null,
      company: 'Acme Ltd',
    });
    expect(account).toMatchObject({ accountId: ids.acme, method: 'name' });
  });

  test('a free-mail domain passed as the company domain is refused, not matched, and not retried', async () => {
    const attempt = matchLead({ ...nothing, companyDomain: 'gmail.com', company: 'Acme Ltd' });
    await expect(attempt).rejects.toBeInstanceOf(ApplicationFailure);
    await expect(attempt).rejects.toMatchObject({
      type: 'MatchInputError',
      nonRetryable: true,
      message: "companyDomain: gmail.com is a free-mail provider, not a company's domain",
    });
  });

  test('nothing known: no contact, no account', async () => {
    expect(
      await matchLead({
        emailKey: 'x@unknown.example',
        phone: '+33123456789',
        companyDomain: 'unknown.example',
        company: 'Quixotic Widgets SARL',
      }),
    ).toEqual({ contact: null, account: null });
  });

  test('two accounts with one key: the older, at lower confidence, and the reason names the other', async () => {
    const twin = await upsertAccount(db, { name: 'Zentrix Analytics Ltd', country: 'GB' });
    try {
      const { account } = await matchLead({ ...nothing, company: 'Zentrix Analytics' });
      expect(account).toMatchObject({ accountId: ids.zentrix, confidence: 0.88 });
      expect(account?.reason).toContain(`account 'Zentrix Analytics Ltd' (id ${twin.accountId}) has the same key`);
    } finally {
      await db.query('DELETE FROM accounts WHERE id = $1', [twin.accountId]);
    }
  });

  test('the name search’s settings hold for its own request only: the pooled connection keeps its defaults', async () => {
    const single = createPool(databaseUrl);
    single.options.max = 1;
    const threshold = `SELECT current_setting('pg_trgm.similarity_threshold') AS threshold`;
    try {
      const inside = (await single.query(withNameSearchSettings(0.5, threshold))) as unknown as Array<
        QueryResult<{ threshold: string }>
      >;
      expect(inside[1]?.rows[0]?.threshold).toBe('0.5');
      expect(
        (await createMatcher(single).matchLead({ ...nothing, company: 'Muller Technick' })).account?.accountId,
      ).toBe(ids.mueller);
      const { rows } = await single.query<{ threshold: string; seqscan: string }>(
        `SELECT current_setting('pg_trgm.similarity_threshold') AS threshold, current_setting('enable_seqscan') AS seqscan`,
      );
      expect(rows[0]).toEqual({ threshold: '0.3', seqscan: 'on' });
    } finally {
      await single.end();
    }
  });
});

test('each lookup is answered by its index', async () => {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    // The test tables are tiny, so a sequential scan would win on cost; forbidding it shows an index can serve.
    await client.query('SET LOCAL enable_seqscan = off');
    const plan = async (sql: string, ...params: unknown[]) => {
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params);
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    };
    // The matcher runs these as prepared statements, which settle on a generic plan (no parameter value known).
    await client.query('SET LOCAL plan_cache_mode = force_generic_plan');
    const genericPlan = async (query: keyof typeof matchQueries, param: string) => {
      await client.query(`PREPARE ${query} AS ${matchQueries[query]}`);
      return plan(`EXECUTE ${query}(${escapeLiteral(param)})`);
    };
    const usesIndex = (index: string) => new RegExp(`Index (?:Only )?Scan (?:using|on) ${index}\\b`);
    expect(await genericPlan('contactByEmailKey', 'priya@acme.example')).toMatch(
      usesIndex('contacts_email_normalised_key'),
    );
    expect(await genericPlan('contactByPhone', '+12125550100')).toMatch(usesIndex('contacts_phone'));
    expect(await genericPlan('accountByDomain', 'acme.example')).toMatch(usesIndex('accounts_domain'));
    expect(await genericPlan('accountsByNameKey', 'muller technik')).toMatch(usesIndex('accounts_name_key'));
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
});

test('the similar-names search uses its trigram index even on a table this small, as the matcher sends it', async () => {
  const plan = async (key: string, distinctive: string) => {
    const { threshold, sql } = similarNamesSql(key, distinctive);
    const results = (await db.query(withNameSearchSettings(threshold, `EXPLAIN ${sql}`))) as unknown as Array<
      QueryResult<{ 'QUERY PLAN': string }>
    >;
    return (results[1]?.rows ?? []).map((r) => r['QUERY PLAN']).join('\n');
  };
  expect(await plan('muller technick', 'muller')).toMatch(/Bitmap Index Scan on accounts_name_core_trgm\b/);
  expect(await plan('global servces', '')).toMatch(/Bitmap Index Scan on accounts_name_key_trgm\b/);
});

test('property: the domain’s trigram similarity agrees with pg_trgm’s', async () => {
  const word = fc.constantFrom(
    'acme',
    'mueller',
    'muller',
    'technik',
    'zentrix',
    'analytics',
    'north',
    'wind',
    'northwind',
    'orbis',
    'a',
    'ab',
    '3m',
    'garcia',
    'société',
  );
  const key = fc.array(word, { minLength: 1, maxLength: 3 }).map((w) => w.join(' '));
  await fc.assert(
    fc.asyncProperty(key, key, async (a, b) => {
      const { rows } = await db.query<{ similarity: number }>('SELECT similarity($1, $2) AS similarity', [a, b]);
      expect(trigramSimilarity(a, b)).toBeCloseTo(rows[0]!.similarity, 5);
    }),
    { numRuns: 60 },
  );
});

describe('upsertAccount', () => {
  test('the domain identifies an account: a second upsert updates it in place', async () => {
    const first = await upsertAccount(db, { name: 'Helio Energy Inc', domain: 'helio.example', ownerRepId: 'ana' });
    const second = await upsertAccount(db, {
      name: 'Helio Energy Corporation',
      domain: 'https://www.helio.example',
      ownerRepId: 'ben',
      employees: 120,
    });
    expect(first.created).toBe(true);
    expect(second).toEqual({
      accountId: first.accountId,
      nameKey: 'helio energy',
      domain: 'helio.example',
      created: false,
    });
    const { rows } = await db.query('SELECT name, owner_rep_id, employees FROM accounts WHERE id = $1', [
      first.accountId,
    ]);
    expect(rows[0]).toEqual({ name: 'Helio Energy Corporation', owner_rep_id: 'ben', employees: 120 });
  });

  test('without a domain, the name key and country identify it', async () => {
    const first = await upsertAccount(db, { name: 'Pampa Logística S.A.', country: 'AR' });
    const again = await upsertAccount(db, { name: 'Pampa Logistica SA', country: 'AR', ownerRepId: 'ana' });
    const elsewhere = await upsertAccount(db, { name: 'Pampa Logistica SA', country: 'UY' });
    expect(again).toMatchObject({ accountId: first.accountId, created: false });
    expect(elsewhere.created).toBe(true);
    expect(elsewhere.accountId).not.toBe(first.accountId);
  });

  test('an unknown owner is refused naming the field, and nothing is written', async () => {
    await expect(
      upsertAccount(db, { name: 'Ghost Corp', domain: 'ghost.example', ownerRepId: 'nobody' }),
    ).rejects.toThrow("ownerRepId: no rep 'nobody'");
    expect((await db.query("SELECT 1 FROM accounts WHERE domain = 'ghost.example'")).rowCount).toBe(0);
  });

  test('a free-mail domain can never be an account’s', async () => {
    await expect(upsertAccount(db, { name: 'Gmail Users', domain: 'gmail.com' })).rejects.toThrow(
      /^domain: gmail\.com is a free-mail provider/,
    );
  });
});

describe('importAccounts', () => {
  test('loads a batch, updating accounts whose domain exists, and they are matchable at once', async () => {
    const result = await importAccounts(db, [
      { name: 'Kestrel Robotics GmbH', domain: 'kestrel-robotics.example', country: 'DE' },
      { name: 'Orbis Systems Group', domain: 'orbis.example' },
      { name: 'Lumen Conseil SARL', country: 'FR' },
    ]);
    expect(result).toEqual({ inserted: 2, updated: 1 });
    expect((await matchLead({ ...nothing, company: 'Kestrel Robotics' })).account).toMatchObject({
      name: 'Kestrel Robotics GmbH',
      confidence: 0.98,
    });
    expect((await matchLead({ ...nothing, companyDomain: 'orbis.example' })).account).toMatchObject({
      accountId: ids.orbis,
      name: 'Orbis Systems Group',
    });
  });

  test('a domain twice in one batch is refused, naming both places', async () => {
    await expect(
      importAccounts(db, [
        { name: 'A', domain: 'twice.example' },
        { name: 'B' },
        { name: 'C', domain: 'www.twice.example' },
      ]),
    ).rejects.toThrow('accounts.2.domain: twice.example is also accounts.0.domain');
  });
});
