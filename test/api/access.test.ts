// The API's front door on the real stack: the OpenAPI document, the error shape, API keys and rep tokens (and the
// keys CLI that mints them), scopes, and per-credential rate limits.
import { createHash } from 'node:crypto';
import { createHarness, type Harness } from '../support/harness';
import { buildApi } from '../../api/server';
import { main as keysCli } from '../../cli/keys';
import { bearer, call, createTestCredentials, fieldsOf, type TestCredentials } from './credentials-support';

let h: Harness;
let creds: TestCredentials;
beforeAll(async () => {
  h = await createHarness();
  creds = await createTestCredentials(h);
});
afterAll(async () => {
  await h?.teardown();
});

async function runKeys(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await keysCli(args, { out: (l) => out.push(l), err: (l) => err.push(l), db: h.db });
  return { code, out, err: err.join('\n') };
}

async function expectRefused(args: string[], message: string) {
  const result = await runKeys(args);
  expect({ code: result.code, out: result.out }).toEqual({ code: 2, out: [] });
  expect(result.err).toContain(message);
}

test('the OpenAPI 3.1 document lists every /v1 route with its security and the error shape, and /docs serves it', async () => {
  const res = await h.api.inject({ method: 'GET', url: '/openapi.json' });
  expect(res.statusCode).toBe(200);
  const doc = res.json<{
    openapi: string;
    paths: Record<
      string,
      Record<
        string,
        { security?: unknown[]; responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }> }
      >
    >;
    components: { schemas: Record<string, unknown> };
  }>();
  expect(doc.openapi).toBe('3.1.0');
  const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
  );
  console.log(`OpenAPI document: ${routes.length} routes`);
  expect(routes).toEqual(
    expect.arrayContaining([
      'POST /v1/leads',
      'GET /v1/leads/{id}',
      'GET /v1/leads/{id}/timeline',
      'GET /v1/me/offers',
      'POST /v1/offers/{offerId}/accept',
      'POST /v1/offers/{offerId}/decline',
      'POST /v1/admin/reps',
      'PATCH /v1/admin/reps/{id}',
      'POST /v1/admin/teams',
      'POST /v1/admin/policies',
      'POST /v1/admin/policies/{version}/activate',
    ]),
  );
  expect(routes.every((r) => r.includes(' /v1/'))).toBe(true);
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      expect({ route: `${method} ${path}`, secured: (op.security?.length ?? 0) > 0 }).toEqual({
        route: `${method} ${path}`,
        secured: true,
      });
      expect(op.responses['401']?.content?.['application/json']?.schema.$ref).toBe('#/components/schemas/Error');
    }
  }
  expect(doc.components.schemas).toHaveProperty('Error');
  expect(doc.components.schemas).toHaveProperty('FieldIssue');
  // The body schemas come from zod: strict objects refuse unknown fields in the document too.
  const declineBody = (
    doc.paths['/v1/offers/{offerId}/decline']?.post as unknown as {
      requestBody: { content: Record<string, { schema: { additionalProperties: boolean; required: string[] } }> };
    }
  ).requestBody;
  expect(declineBody.content['application/json']?.schema).toMatchObject({
    additionalProperties: false,
    required: ['reason'],
  });
  // An accept needs no body (the README's curl sends none): the document does not ask for one.
  expect(doc.paths['/v1/offers/{offerId}/accept']?.post).toMatchObject({ requestBody: { required: false } });
  expect(declineBody).toMatchObject({ required: true });

  const ui = await h.api.inject({ method: 'GET', url: '/docs' });
  expect(ui.statusCode).toBe(200);
  expect(ui.body).toContain("url: '/openapi.json'");
  const bundle = await h.api.inject({ method: 'GET', url: '/docs/static/swagger-ui-bundle.js' });
  expect(bundle.statusCode).toBe(200);
  expect(bundle.body).toContain('SwaggerUIBundle');
  expect((await h.api.inject({ method: 'GET', url: '/docs/static/..%2Fpackage.json' })).statusCode).toBe(404);
});

test("/docs/static serves Swagger UI's files and nothing else: names every object has are not files either", async () => {
  const statuses: unknown[] = [];
  for (const file of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
    const res = await h.api.inject({ method: 'GET', url: `/docs/static/${file}` });
    statuses.push({ file, status: res.statusCode, body: res.json<unknown>() });
  }
  expect(statuses).toEqual(
    ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'].map((file) => ({
      file,
      status: 404,
      body: { error: `no file ${file}`, issues: [{ field: 'file', message: `no file ${file}` }] },
    })),
  );
  expect((await h.api.inject({ method: 'GET', url: '/docs/static/index.css' })).statusCode).toBe(200);
});

test('keys CLI: a key is printed once, stored only as its sha256, scoped; rep tokens need a known rep; revoked tokens stop working', async () => {
  const created = await runKeys(['create', '--name', 'landing page', '--scope', 'leads:write']);
  expect(created.code).toBe(0);
  expect(created.out).toHaveLength(1);
  const token = created.out[0] ?? '';
  expect(token).toMatch(/^lrk_[0-9a-f]{16}\.[A-Za-z0-9_-]{43}$/);
  expect(created.err).toContain('shown once');
  const [id, secret] = token.slice(4).split('.') as [string, string];
  const { rows } = await h.db.query<{ name: string; scopes: string[]; secret_sha256: Buffer }>(
    'SELECT name, scopes, secret_sha256 FROM api_keys WHERE id = $1',
    [id],
  );
  expect(rows[0]).toMatchObject({ name: 'landing page', scopes: ['leads:write'] });
  expect(rows[0]?.secret_sha256.equals(createHash('sha256').update(secret).digest())).toBe(true);
  const stored = await h.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM api_keys k WHERE row_to_json(k)::text LIKE '%' || $1 || '%'`,
    [secret],
  );
  expect(stored.rows[0]?.n).toBe(0);

  // The new key works for what its scope allows, and only that.
  expect((await call(h, token, { method: 'POST', url: '/v1/leads', payload: {} })).status).toBe(400);
  expect((await call(h, token, { method: 'GET', url: '/v1/admin/reps' })).status).toBe(403);

  await expectRefused(['create', '--name', 'x', '--scope', 'leads:delete'], 'unknown scope leads:delete');
  await expectRefused(['create', '--scope', 'admin'], '--name is required');
  await expectRefused(['rep-token', '--rep', 'nobody'], 'no rep nobody');
  await expectRefused(['frobnicate'], 'unknown command frobnicate');

  const repToken = await runKeys(['rep-token', '--rep', 'ben']);
  expect(repToken.code).toBe(0);
  expect(repToken.out[0]).toMatch(/^lrr_[0-9a-f]{16}\./);
  expect((await call(h, repToken.out[0] ?? '', { method: 'GET', url: '/v1/me/offers' })).body).toMatchObject({
    repId: 'ben',
  });

  const listed = await runKeys(['list']);
  expect(
    listed.out.some(
      (line) => line.startsWith(`${id}\tapi-key\tlanding page\tleads:write\t`) && line.endsWith('active'),
    ),
  ).toBe(true);
  expect(listed.out.join('\n')).not.toContain(secret);

  expect((await runKeys(['revoke', id])).code).toBe(0);
  const revoked = await call(h, token, { method: 'POST', url: '/v1/leads', payload: {} });
  expect(revoked).toMatchObject({ status: 401, body: { issues: [{ field: 'Authorization' }] } });
  expect((await runKeys(['revoke', id])).code).toBe(2);
});

test('authentication: missing, malformed, forged and revoked tokens are 401; a credential outside its scope is 403', async () => {
  const missing = await call(h, null, { method: 'GET', url: '/v1/me/offers' });
  expect(missing.status).toBe(401);
  expect(fieldsOf(missing.body)).toEqual(['Authorization']);
  expect(
    (await call(h, null, { method: 'GET', url: '/v1/me/offers', headers: { authorization: 'Basic YTpi' } })).status,
  ).toBe(401);
  // The right key id with a wrong secret: found by id, refused by the comparison.
  const forged = creds.admin.slice(0, -4) + (creds.admin.endsWith('AAAA') ? 'BBBB' : 'AAAA');
  expect((await call(h, forged, { method: 'GET', url: '/v1/admin/reps' })).status).toBe(401);
  expect(
    (await call(h, 'lrk_0000000000000000.' + 'A'.repeat(43), { method: 'GET', url: '/v1/admin/reps' })).status,
  ).toBe(401);

  expect((await call(h, creds.intake, { method: 'GET', url: '/v1/admin/reps' })).status).toBe(403);
  expect((await call(h, creds.reader, { method: 'POST', url: '/v1/leads', payload: {} })).status).toBe(403);
  expect((await call(h, creds.reps.ana, { method: 'POST', url: '/v1/leads', payload: {} })).status).toBe(403);
  expect((await call(h, creds.reps.ana, { method: 'GET', url: '/v1/admin/reps' })).status).toBe(403);
  // Rep routes act as a rep: not even an admin key may act for one.
  const adminAsRep = await call(h, creds.admin, { method: 'GET', url: '/v1/me/offers' });
  expect(adminAsRep).toMatchObject({ status: 403, body: { issues: [{ field: 'Authorization' }] } });
  // Auth comes before validation: an unauthenticated caller learns nothing about the body.
  expect((await call(h, null, { method: 'POST', url: '/v1/admin/reps', payload: { nonsense: true } })).status).toBe(
    401,
  );

  // A deactivated rep's tokens stop working.
  const token = (await runKeys(['rep-token', '--rep', 'head'])).out[0] ?? '';
  expect((await call(h, token, { method: 'GET', url: '/v1/me/offers' })).status).toBe(200);
  expect((await call(h, creds.admin, { method: 'POST', url: '/v1/admin/reps/head/deactivate' })).status).toBe(200);
  expect((await call(h, token, { method: 'GET', url: '/v1/me/offers' })).status).toBe(401);
  expect((await call(h, creds.admin, { method: 'POST', url: '/v1/admin/reps/head/activate' })).status).toBe(200);
  expect((await call(h, token, { method: 'GET', url: '/v1/me/offers' })).status).toBe(200);
});

test('every 4xx names the field: unknown fields, bad JSON, oversize bodies, wrong content type, unknown routes', async () => {
  const unknown = await call(h, creds.admin, {
    method: 'PATCH',
    url: '/v1/admin/reps/ana',
    payload: { weight: 2, favouriteColour: 'blue' },
  });
  expect(unknown).toMatchObject({
    status: 400,
    body: { issues: [{ field: 'favouriteColour', message: 'unknown field favouriteColour' }] },
  });

  const badJson = await call(h, creds.admin, {
    method: 'PATCH',
    url: '/v1/admin/reps/ana',
    payload: '{"weight":',
    headers: { 'content-type': 'application/json' },
  });
  expect(badJson.status).toBe(400);
  expect(fieldsOf(badJson.body)).toEqual(['body']);

  const huge = await call(h, creds.admin, {
    method: 'PATCH',
    url: '/v1/admin/reps/ana',
    payload: JSON.stringify({ name: 'x'.repeat(70 * 1024) }),
    headers: { 'content-type': 'application/json' },
  });
  expect(huge.status).toBe(413);
  expect(fieldsOf(huge.body)).toEqual(['body']);

  const text = await call(h, creds.admin, {
    method: 'PATCH',
    url: '/v1/admin/reps/ana',
    payload: 'weight=2',
    headers: { 'content-type': 'text/plain' },
  });
  expect(text.status).toBe(415);
  expect(fieldsOf(text.body)).toEqual(['content-type']);

  const route = await call(h, creds.admin, { method: 'GET', url: '/v1/nothing-here' });
  expect(route).toMatchObject({ status: 404, body: { issues: [{ field: 'url' }] } });

  const query = await call(h, creds.admin, { method: 'GET', url: '/v1/admin/reps?active=maybe&colour=red' });
  expect(query.status).toBe(400);
  expect(fieldsOf(query.body).sort()).toEqual(['active', 'colour']);

  const badId = await call(h, creds.admin, { method: 'GET', url: '/v1/leads/not-a-lead' });
  expect(badId).toMatchObject({ status: 400, body: { issues: [{ field: 'id' }] } });
  const noLead = await call(h, creds.admin, { method: 'GET', url: '/v1/leads/0123456789abcdef01234567' });
  expect(noLead).toMatchObject({ status: 404, body: { issues: [{ field: 'id' }] } });
});

test("rate limits: per API key, and per rep across all of that rep's tokens; one client cannot spend another's budget", async () => {
  const api = buildApi({
    client: h.env.client,
    db: h.db,
    taskQueue: h.taskQueue,
    rateLimits: { perKey: 3, perRep: 2 },
  });
  try {
    const get = (token: string, url: string) => api.inject({ method: 'GET', url, headers: bearer(token) });
    for (let i = 0; i < 3; i++) expect((await get(creds.admin, '/v1/admin/teams')).statusCode).toBe(200);
    const limited = await get(creds.admin, '/v1/admin/teams');
    expect(limited.statusCode).toBe(429);
    expect(limited.json<{ issues: Array<{ field: string }>; reason: string }>()).toMatchObject({
      reason: 'RateLimited',
      issues: [{ field: 'Authorization' }],
    });
    expect(limited.headers['retry-after']).toBeDefined();
    // Another key has its own budget; a forged token naming the limited key's id is refused before any counting.
    expect((await get(creds.reader, '/v1/leads/0123456789abcdef01234567')).statusCode).toBe(404);
    expect((await get(`${creds.admin.slice(0, 21)}${'A'.repeat(43)}`, '/v1/admin/teams')).statusCode).toBe(401);

    const second = (await runKeys(['rep-token', '--rep', 'ana'])).out[0] ?? '';
    expect((await get(creds.reps.ana, '/v1/me/offers')).statusCode).toBe(200);
    expect((await get(second, '/v1/me/offers')).statusCode).toBe(200);
    expect((await get(creds.reps.ana, '/v1/me/offers')).statusCode).toBe(429);
    expect((await get(second, '/v1/me/offers')).statusCode).toBe(429);
    expect((await get(creds.reps.ben, '/v1/me/offers')).statusCode).toBe(200);
  } finally {
    await api.close();
  }
});

test('a method a path does not declare is 405 with Allow listing the declared ones, for every path of the document', async () => {
  const doc = (await h.api.inject({ method: 'GET', url: '/openapi.json' })).json<{
    paths: Record<string, Record<string, unknown>>;
  }>();
  const samples: Record<string, string> = {
    id: '0123456789abcdef01234567',
    offerId: '0123456789abcdef01234567.1',
    version: '1',
    index: '0',
  };
  const checked: string[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    const url = path.replace(/\{(\w+)\}/g, (_m, name: string) => samples[name] ?? 'x');
    const declared = Object.keys(ops).map((m) => m.toUpperCase());
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const) {
      // A literal path is its own resource even where a parametric one would match it: GET /v1/leads/partner is
      // 405, not a lead whose id is "partner".
      if (declared.includes(method)) continue;
      const res = await call(h, creds.admin, { method, url });
      const allow = String(res.headers.allow ?? '').split(', ');
      expect({ request: `${method} ${url}`, status: res.status, field: fieldsOf(res.body)[0] }).toEqual({
        request: `${method} ${url}`,
        status: 405,
        field: 'method',
      });
      expect(allow).toEqual(expect.arrayContaining(declared));
      expect(allow).not.toContain(method);
      checked.push(`${method} ${path}`);
    }
  }
  expect(checked.length).toBeGreaterThan(40);
  expect(checked).toContain('GET /v1/leads/partner');
  // A method whose request fails before routing (QUERY needs a content type) is still 405.
  const query = await call(h, creds.admin, { method: 'QUERY', url: '/v1/me/offers' });
  expect({ status: query.status, allow: query.headers.allow }).toEqual({ status: 405, allow: 'GET, HEAD' });
  // Without credentials too: which methods a path has is no secret (the document lists them).
  const anonymous = await call(h, null, { method: 'DELETE', url: `/v1/leads/${samples.id}` });
  expect(anonymous).toMatchObject({ status: 405, headers: { allow: 'GET, HEAD' } });
  // A path no route serves is still 404 (to an admin) and needs credentials first.
  expect((await call(h, creds.admin, { method: 'DELETE', url: '/v1/nothing-here' })).status).toBe(404);
  expect((await call(h, null, { method: 'DELETE', url: '/v1/nothing-here' })).status).toBe(401);
});

test('the document states the cross-field rule the API enforces on a form: an email or a phone, not blank', async () => {
  const doc = (await h.api.inject({ method: 'GET', url: '/openapi.json' })).json<{
    paths: Record<string, { post: { requestBody: { content: { 'application/json': { schema: FormSchema } } } } }>;
  }>();
  type Rule = { required: string[]; properties: Record<string, { type: string; pattern: string }> };
  type FormSchema = {
    anyOf?: Rule[];
    description?: string;
    properties: Record<string, { pattern?: string }>;
  };
  // What the document says a form needs, read as a client generating requests from it would.
  const satisfies = (schema: FormSchema, body: Record<string, unknown>) =>
    (schema.anyOf ?? []).some((rule) =>
      rule.required.every((field) => {
        const value = body[field];
        const want = rule.properties[field];
        return typeof value === 'string' && (!want?.pattern || new RegExp(want.pattern).test(value));
      }),
    ) &&
    Object.entries(schema.properties).every(([field, p]) => {
      const value = body[field];
      return typeof value !== 'string' || !p.pattern || new RegExp(p.pattern).test(value);
    });
  const bodies: Array<Record<string, unknown>> = [
    { name: 'Only A Name', message: 'hello' },
    { email: '   ', message: 'blank email' },
    { phone: '', email: null },
    { phone: 'call me' },
    { email: `doc.${Date.now()}@rules.example` },
    { phone: '+44 20 7946 0958' },
    { name: 'Both', email: `both.${Date.now()}@rules.example`, phone: '+1 312 555 0147' },
  ];
  for (const url of ['/v1/leads/web-form', '/v1/leads']) {
    const schema = doc.paths[url]?.post.requestBody.content['application/json'].schema as FormSchema;
    expect(schema.description).toMatch(/email.*or.*phone/);
    for (const body of bodies) {
      const res = await call(h, h.intakeToken, { method: 'POST', url, payload: body });
      expect({ url, body, documentSaysValid: satisfies(schema, body), apiAccepted: res.status === 202 }).toEqual({
        url,
        body,
        documentSaysValid: res.status === 202,
        apiAccepted: res.status === 202,
      });
    }
  }
});
