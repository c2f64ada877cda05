// Fuzzing the API on the real stack with fast-check: thousands of generated bodies, headers, paths and credentials
// across every route. No answer may be a 5xx, and every 4xx must name a field; where the generator knows which
// field it broke, that field must be the one named.
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { buildUnlimitedApi, createHarness, type Harness } from '../support/harness';
import { createTestCredentials, type Issues, type TestCredentials } from './credentials-support';

let h: Harness;
let creds: TestCredentials;
let api: FastifyInstance;
beforeAll(async () => {
  h = await createHarness();
  creds = await createTestCredentials(h);
  api = buildUnlimitedApi(h);
});
afterAll(async () => {
  await api?.close();
  await h?.teardown();
});

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
interface Case {
  method: Method;
  url: string;
  headers: Record<string, string>;
  payload?: string;
  /** The fields the generator broke: a 4xx must name one of them. */
  broken?: string[];
}

const hex = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n });
const printable = (max: number) =>
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: max });
const segment = fc.oneof(
  hex(24),
  hex(24).map((id) => `${id}.${1 + (id.charCodeAt(0) % 9)}`),
  fc.string({ maxLength: 40 }).map(encodeURIComponent),
  fc.constantFrom('ana', 'cloud', '1', '0', '-1', '%00', '..', 'a'.repeat(300)),
);

const routes: Array<{ method: Method; path: (s: string) => string }> = [
  { method: 'POST', path: () => '/v1/leads' },
  { method: 'POST', path: () => '/v1/leads/web-form' },
  { method: 'POST', path: () => '/v1/leads/chat' },
  { method: 'POST', path: () => '/v1/leads/partner' },
  { method: 'GET', path: (s) => `/v1/leads/${s}` },
  { method: 'GET', path: (s) => `/v1/leads/${s}/timeline` },
  { method: 'GET', path: () => '/v1/me/offers' },
  { method: 'POST', path: (s) => `/v1/offers/${s}/accept` },
  { method: 'POST', path: (s) => `/v1/offers/${s}/decline` },
  { method: 'GET', path: () => '/v1/admin/teams' },
  { method: 'POST', path: () => '/v1/admin/teams' },
  { method: 'GET', path: (s) => `/v1/admin/teams/${s}` },
  { method: 'PATCH', path: (s) => `/v1/admin/teams/${s}` },
  { method: 'POST', path: (s) => `/v1/admin/teams/${s}/deactivate` },
  { method: 'GET', path: (s) => `/v1/admin/reps?teamId=${s}&active=${s}` },
  { method: 'POST', path: () => '/v1/admin/reps' },
  { method: 'PATCH', path: (s) => `/v1/admin/reps/${s}` },
  { method: 'PUT', path: (s) => `/v1/admin/reps/${s}/away` },
  { method: 'POST', path: (s) => `/v1/admin/reps/${s}/out-of-office` },
  { method: 'DELETE', path: (s) => `/v1/admin/reps/${s}/out-of-office/${s}` },
  { method: 'POST', path: () => '/v1/admin/policies' },
  { method: 'GET', path: (s) => `/v1/admin/policies/${s}` },
  { method: 'POST', path: (s) => `/v1/admin/policies/${s}/simulate` },
  { method: 'POST', path: (s) => `/v1/admin/policies/${s}/activate` },
  { method: 'GET', path: (s) => `/v1/${s}` },
  { method: 'GET', path: () => '/openapi.json' },
  { method: 'GET', path: () => '/health' },
];

const fieldNames = [
  'name',
  'email',
  'phone',
  'company',
  'website',
  'message',
  'country',
  'companySize',
  'externalId',
  'pageUrl',
  'source',
  'transcript',
  'visitor',
  'leads',
  'reason',
  'id',
  'teamId',
  'active',
  'away',
  'timeZone',
  'workingHours',
  'outOfOffice',
  'capacity',
  'weight',
  'escalation',
  'alertEmail',
  'yaml',
  'from',
  'until',
  'backupRepId',
];
const anyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  printable(60),
  fc.emailAddress(),
  fc.constantFrom('', ' ', '+44 20 7946 0958', 'DE', '09:00-17:00', '2026-12-01', 'UTC', 'A'),
);
const objectWithKnownFields = fc.dictionary(fc.constantFrom(...fieldNames), anyValue, { maxKeys: 6 });
const credential = fc.constantFrom<keyof TestCredentials | 'none' | 'ana' | 'ben' | 'garbage' | 'basic'>(
  'admin',
  'intake',
  'reader',
  'partner',
  'ana',
  'ben',
  'none',
  'garbage',
  'basic',
);

function authHeader(who: string): Record<string, string> {
  if (who === 'none') return {};
  if (who === 'garbage') return { authorization: 'Bearer lrk_0123456789abcdef.' + 'x'.repeat(43) };
  if (who === 'basic') return { authorization: 'Basic YWRtaW46YWRtaW4=' };
  const token =
    who === 'ana' || who === 'ben' ? creds.reps[who] : creds[who as 'admin' | 'intake' | 'reader' | 'partner'];
  return { authorization: `Bearer ${token}` };
}

/** Anything at all, at any route, as anyone. */
const randomCase: fc.Arbitrary<Case> = fc
  .record({
    route: fc.constantFrom(...routes),
    segment,
    who: credential,
    body: fc.oneof(
      objectWithKnownFields.map((o) => JSON.stringify(o)),
      fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
      printable(200),
      fc.constant('{"name":'),
      fc.constant(''),
    ),
    contentType: fc.oneof(
      fc.constantFrom(
        'application/json',
        'application/json; charset=utf-8',
        'text/plain',
        'application/yaml',
        'application/x-www-form-urlencoded',
        'multipart/form-data',
      ),
      printable(30).map((s) => s.trim() || 'x/y'),
    ),
    idempotencyKey: fc.option(printable(260), { nil: undefined }),
  })
  .map(({ route, segment: s, who, body, contentType, idempotencyKey }) => ({
    method: route.method,
    url: route.path(s),
    headers: {
      ...authHeader(who),
      ...(route.method === 'GET' ? {} : { 'content-type': contentType }),
      ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }),
    },
    ...(route.method === 'GET' ? {} : { payload: body }),
  }));

// Values a field cannot take, by what the field expects: a 400 must name the field they were put in.
const nonEmptyArray = fc.array(fc.integer(), { minLength: 1, maxLength: 3 });
const nonEmptyObject = fc.dictionary(
  fc.string({ unit: fc.constantFrom(...'xyz'), minLength: 1, maxLength: 4 }),
  fc.integer(),
  { minKeys: 1, maxKeys: 2 },
);
const notText = fc.oneof(fc.boolean(), fc.integer(), nonEmptyArray, nonEmptyObject);
const notBoolean = fc.oneof(printable(10), fc.integer(), nonEmptyArray, nonEmptyObject);
const notNumber = fc.oneof(fc.boolean(), nonEmptyArray, nonEmptyObject);
const notStructure = fc.oneof(fc.boolean(), fc.integer(), printable(20));
const unknownKey = fc
  .string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), minLength: 1, maxLength: 12 })
  .map((k) => `x_${k}`);

const validForm = {
  name: 'Priya Shah',
  email: 'priya@acme-corp.example',
  company: 'Acme Corp',
  message: 'Cloud migration, ASAP',
};
const validChat = {
  transcript: [{ from: 'visitor', text: 'Hi, I am priya@acme-corp.example, we need help with Azure' }],
};
const validPartnerLead = { externalId: 'P-1', name: 'Ola', email: 'ola@fjord-energy.example' };
const validRep = { id: 'fuzz-rep', name: 'Fuzz', email: 'fuzz@leadrelay.test', teamId: 'cloud' };
const validTeam = { id: 'fuzz-team', name: 'Fuzz', alertEmail: 'fuzz@leadrelay.test' };

/** A valid body with one field given a value it cannot take, or one unknown field added. */
function broken(valid: Record<string, unknown>, fields: Record<string, fc.Arbitrary<unknown>>) {
  return fc
    .oneof(
      fc
        .constantFrom(...Object.keys(fields))
        .chain((field) => (fields[field] as fc.Arbitrary<unknown>).map((value) => ({ field, value }))),
      fc.record({ field: unknownKey, value: anyValue }),
    )
    .map(({ field, value }) => ({ body: { ...valid, [field]: value }, field }));
}

const text = (...names: string[]) => Object.fromEntries(names.map((n) => [n, notText]));

const brokenCase: fc.Arbitrary<Case> = fc.oneof(
  fc
    .record({
      b: broken(validForm, {
        ...text('name', 'email', 'phone', 'company', 'website', 'message', 'country', 'externalId', 'pageUrl'),
        companySize: notNumber,
      }),
      key: printable(40),
    })
    .map(({ b, key }) => ({
      method: 'POST' as const,
      url: '/v1/leads/web-form',
      headers: {
        ...authHeader('intake'),
        'content-type': 'application/json',
        ...(key.trim() ? { 'idempotency-key': key } : {}),
      },
      payload: JSON.stringify(b.body),
      broken: [b.field],
    })),
  broken(validChat, {
    ...text('pageUrl', 'country', 'externalId'),
    transcript: notStructure,
    visitor: notStructure,
  }).map((b) => ({
    method: 'POST' as const,
    url: '/v1/leads/chat',
    headers: { ...authHeader('intake'), 'content-type': 'application/json' },
    payload: JSON.stringify(b.body),
    broken: [b.field],
  })),
  broken(validPartnerLead, { ...text('externalId', 'name', 'email', 'phone', 'message'), companySize: notNumber }).map(
    (b) => ({
      method: 'POST' as const,
      url: '/v1/leads/partner',
      headers: { ...authHeader('partner'), 'content-type': 'application/json' },
      payload: JSON.stringify({ leads: [b.body] }),
      broken: [`leads.0.${b.field}`],
    }),
  ),
  broken(validRep, {
    ...text('id', 'name', 'email', 'teamId', 'timeZone'),
    active: notBoolean,
    away: notBoolean,
    weight: fc.oneof(notNumber, printable(5)),
    capacity: notStructure,
    workingHours: notStructure,
    outOfOffice: notStructure,
  }).map((b) => ({
    method: 'POST' as const,
    url: '/v1/admin/reps',
    headers: { ...authHeader('admin'), 'content-type': 'application/json' },
    payload: JSON.stringify(b.body),
    broken: [b.field],
  })),
  broken(validTeam, {
    ...text('id', 'name', 'alertEmail'),
    escalation: notStructure,
    catchAllRealertMinutes: fc.oneof(notNumber, printable(5)),
  }).map((b) => ({
    method: 'POST' as const,
    url: '/v1/admin/teams',
    headers: { ...authHeader('admin'), 'content-type': 'application/json' },
    payload: JSON.stringify(b.body),
    broken: [b.field],
  })),
  fc.record({ value: notText, offer: hex(24) }).map(({ value, offer }) => ({
    method: 'POST' as const,
    url: `/v1/offers/${offer}.1/decline`,
    headers: { ...authHeader('ana'), 'content-type': 'application/json' },
    payload: JSON.stringify({ reason: value }),
    broken: ['reason'],
  })),
  fc
    .record({
      header: fc.oneof(
        printable(80),
        fc.constantFrom('Bearer', 'Bearer ', 'bearer lrk_', 'Token abc', `Bearer ${'A'.repeat(500)}`),
      ),
      route: fc.constantFrom(
        ...routes.filter((r) => r.path('x').startsWith('/v1/') && !r.path('x').startsWith('/v1/x')),
      ),
    })
    .map(({ header, route }) => ({
      method: route.method,
      url: route.path(`${'0'.repeat(24)}.1`),
      headers: { authorization: header, 'content-type': 'application/json' },
      payload: route.method === 'GET' ? undefined : '{}',
      broken: ['Authorization'],
    })),
);

/** Plausible submissions with generated details: most are accepted (202), and any refusal still names its field. */
const plausibleIntake: fc.Arbitrary<Case> = fc
  .record({
    name: fc.option(printable(40), { nil: undefined }),
    email: fc.oneof(
      fc.stringMatching(/^[a-z][a-z0-9]{0,10}(\.[a-z0-9]{1,8})?@[a-z][a-z0-9]{1,12}\.(com|de|co\.uk|io|org|fr)$/),
      fc.emailAddress(),
    ),
    company: fc.option(printable(40), { nil: undefined }),
    message: printable(300),
    companySize: fc.option(fc.oneof(fc.nat(100_000), fc.constantFrom('1-10', '50-200', '1000+')), { nil: undefined }),
    key: fc.option(printable(30), { nil: undefined }),
  })
  .map(({ key, ...form }) => ({
    method: 'POST' as const,
    url: '/v1/leads/web-form',
    headers: {
      ...authHeader('intake'),
      'content-type': 'application/json',
      ...(key?.trim() ? { 'idempotency-key': key } : {}),
    },
    payload: JSON.stringify(form),
  }));

const oversizeCase: fc.Arbitrary<Case> = fc
  .constantFrom('/v1/leads/web-form', '/v1/leads/chat', '/v1/admin/reps')
  .map((url) => ({
    method: 'POST' as const,
    url,
    headers: { ...authHeader(url.includes('admin') ? 'admin' : 'intake'), 'content-type': 'application/json' },
    // Over the route's cap: 64 KiB for a form or a rep, 1 MiB for a chat transcript.
    payload: JSON.stringify({ message: 'x'.repeat(url.endsWith('/chat') ? 1025 * 1024 : 70 * 1024) }),
    broken: ['body'],
  }));

test('fuzz: no 5xx for any input, and every 4xx names the offending field', async () => {
  let requests = 0;
  const byStatus = new Map<number, number>();
  const check = async (c: Case) => {
    const res = await api.inject({
      method: c.method,
      url: c.url,
      headers: c.headers,
      ...(c.payload === undefined ? {} : { payload: c.payload }),
    });
    requests += 1;
    byStatus.set(res.statusCode, (byStatus.get(res.statusCode) ?? 0) + 1);
    const what = `${c.method} ${c.url} ${JSON.stringify(c.headers)} ${c.payload?.slice(0, 300) ?? ''} -> ${res.statusCode} ${res.body.slice(0, 300)}`;
    if (res.statusCode >= 500) throw new Error(`5xx: ${what}`);
    if (res.statusCode < 400) return;
    const body = res.json<Partial<Issues>>();
    const fields = (body.issues ?? []).map((i) => i.field);
    if (
      typeof body.error !== 'string' ||
      fields.length === 0 ||
      fields.some((f) => typeof f !== 'string' || f.length === 0)
    )
      throw new Error(`4xx without a named field: ${what}`);
    if ((body.issues ?? []).some((i) => typeof i.message !== 'string' || i.message.length === 0))
      throw new Error(`4xx issue without a message: ${what}`);
    // A broken field is named, unless the request was refused before its body was read (credentials).
    const names = (f: string) => fields.some((field) => field === f || field.startsWith(`${f}.`));
    if (c.broken && !c.broken.some(names) && !fields.includes('Authorization'))
      throw new Error(`4xx names ${fields.join(', ')}, not ${c.broken.join(' or ')}: ${what}`);
    if (c.broken?.includes('Authorization') && ![401, 403].includes(res.statusCode) && res.statusCode !== 400)
      throw new Error(`bad credentials answered ${res.statusCode}: ${what}`);
  };

  await fc.assert(fc.asyncProperty(randomCase, check), { numRuns: 3000 });
  await fc.assert(fc.asyncProperty(brokenCase, check), { numRuns: 2200 });
  await fc.assert(fc.asyncProperty(plausibleIntake, check), { numRuns: 150 });
  await fc.assert(fc.asyncProperty(oversizeCase, check), { numRuns: 30 });

  const statuses = [...byStatus.entries()].sort((a, b) => a[0] - b[0]).map(([status, n]) => `${status}: ${n}`);
  console.log(`fuzz: ${requests} requests, no 5xx, every 4xx named its field (${statuses.join(', ')})`);
  expect(requests).toBeGreaterThanOrEqual(5000);
  // The fuzzer reached past the front door: validation refusals and real successes both happened.
  expect(byStatus.get(400) ?? 0).toBeGreaterThan(1000);
  expect(byStatus.get(202) ?? 0).toBeGreaterThan(25);
});
