// The dashboard's routes on a real Postgres: who may read it and which teams they see, the browser sign-in, the date
// range, and each chart's CSV.
import Fastify, { type FastifyInstance } from 'fastify';
import type { Pool } from 'pg';
import { createApiKey, createRepToken, revokeCredential } from '../../db/credentials';
import { upsertDirectory } from '../../db/directory';
import { createPool } from '../../db/pool';
import { dashboardCookie, dashboardPages, parseRange, registerDashboard } from '../../api/dashboard/routes';
import { copyOfTemplateDatabase } from '../support/database';
import { testDirectory } from '../support/directory';

let db: Pool;
let app: FastifyInstance;
let admin: string;
let intake: string;
let manager: string;
let managerTokenId: string;
let rep: string;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  db = createPool(await copyOfTemplateDatabase());
  await upsertDirectory(db, testDirectory);
  admin = (await createApiKey(db, { name: 'dash-admin', scopes: ['admin'] })).token;
  intake = (await createApiKey(db, { name: 'dash-intake', scopes: ['leads:write', 'leads:read'] })).token;
  // head is on the cloud team's chain only; ana on none.
  const head = await createRepToken(db, 'head');
  manager = head.token;
  managerTokenId = head.tokenId;
  rep = (await createRepToken(db, 'ana')).token;
  const received = new Date(Date.UTC(2031, 5, 10, 9));
  for (const [id, team] of [
    ['dash-cloud', 'cloud'],
    ['dash-dach', 'dach'],
  ] as const)
    await db.query(
      `INSERT INTO leads (id, workflow_id, source, name, email, email_normalised, message, received_at, status, team_id,
                          tier, escalation_level, sla_deadline, company)
       VALUES ($1, 'lead:' || $1, 'web-form', 'X', $1 || '@x.example', $1 || '@x.example', 'hi', $2, 'catch-all', $3,
               'B', 3, $2::timestamptz + interval '1 hour', 'Acme, "Quoted" Ltd')`,
      [id, received, team],
    );
  app = Fastify();
  await registerDashboard(app, {
    db,
    linkSecret: 'dashboard-test-secret-that-is-long-enough-0123456789',
    webUiUrl: 'http://localhost:8233',
    namespace: 'default',
    now: () => new Date(Date.UTC(2031, 5, 12, 12)),
  });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await db?.end();
});

test('every page renders its charts for an admin key, with a CSV link per chart', async () => {
  for (const page of dashboardPages) {
    const res = await app.inject({
      url: `/dashboard/${page.slug}?from=2031-06-01&to=2031-06-12`,
      headers: bearer(admin),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.body).toContain(`<h1>${page.title}</h1>`);
    expect(res.body).toMatch(
      new RegExp(`href="/dashboard/${page.slug}/[a-z-]+\\.csv\\?from=2031-06-01&to=2031-06-12"`),
    );
  }
});

test('the stalls page lists queued leads with links to their page and the Web UI, and a manager sees only their teams', async () => {
  const all = await app.inject({ url: '/dashboard/stalls', headers: bearer(admin) });
  expect(all.body).toContain('href="/dashboard/leads/dash-cloud"');
  expect(all.body).toContain('href="http://localhost:8233/namespaces/default/workflows/lead%3Adash-dach"');
  const mine = await app.inject({ url: '/dashboard/stalls', headers: bearer(manager) });
  expect(mine.statusCode).toBe(200);
  expect(mine.body).toContain('Teams you manage: Cloud');
  expect(mine.body).toContain('dash-cloud');
  expect(mine.body).not.toContain('dash-dach');
  expect((await app.inject({ url: '/dashboard/leads/dash-cloud', headers: bearer(manager) })).statusCode).toBe(200);
  // Another team's lead is answered as one that does not exist.
  expect((await app.inject({ url: '/dashboard/leads/dash-dach', headers: bearer(manager) })).statusCode).toBe(404);
});

test('only managers and admin keys are let in', async () => {
  const noOne = await app.inject({ url: '/dashboard/speed?from=2031-06-01' });
  expect(noOne.statusCode).toBe(303);
  expect(noOne.headers.location).toBe('/dashboard/sign-in?next=%2Fdashboard%2Fspeed%3Ffrom%3D2031-06-01');
  const key = await app.inject({ url: '/dashboard/speed', headers: bearer(intake) });
  expect(key.statusCode).toBe(403);
  expect(key.body).toContain('managers and admin keys');
  const notManager = await app.inject({ url: '/dashboard/speed', headers: bearer(rep) });
  expect(notManager.statusCode).toBe(403);
  expect(notManager.body).toContain('rep ana manages no team');
  expect((await app.inject({ url: '/dashboard/speed', headers: bearer('lrk_nope.nope') })).statusCode).toBe(401);
  expect((await app.inject({ url: '/dashboard/speed/by-day.csv' })).statusCode).toBe(401);
});

test('a browser signs in with its token, holds a cookie for /dashboard only, and loses it when the token is revoked', async () => {
  const refused = await app.inject({
    method: 'POST',
    url: '/dashboard/sign-in',
    payload: { token: rep, next: '/dashboard/fairness' },
  });
  expect(refused.statusCode).toBe(403);
  const signIn = await app.inject({
    method: 'POST',
    url: '/dashboard/sign-in',
    payload: { token: manager, next: 'https://evil.example/steal' },
  });
  expect(signIn.statusCode).toBe(303);
  // Never a redirect off the dashboard.
  expect(signIn.headers.location).toBe('/dashboard');
  const setCookie = String(signIn.headers['set-cookie']);
  expect(setCookie).toMatch(
    new RegExp(`^${dashboardCookie}=[^;]+; Path=/dashboard; Max-Age=28800; HttpOnly; SameSite=Strict`),
  );
  expect(setCookie).not.toContain(manager.split('.')[1]!);
  const cookie = setCookie.split(';')[0]!;
  const page = await app.inject({ url: '/dashboard/fairness', headers: { cookie } });
  expect(page.statusCode).toBe(200);
  expect(page.body).toContain('rep head');
  await revokeCredential(db, managerTokenId);
  expect((await app.inject({ url: '/dashboard/fairness', headers: { cookie } })).statusCode).toBe(303);
});

test('a range that cannot be read is refused naming its field', async () => {
  const bad = await app.inject({ url: '/dashboard/speed?from=2031-02-30', headers: bearer(admin) });
  expect(bad.statusCode).toBe(400);
  expect(bad.body).toContain('not a day of the calendar');
  const now = new Date(Date.UTC(2031, 5, 12));
  expect(() => parseRange({ from: '2031-06-13', to: '2031-06-12' }, now)).toThrow('from (2031-06-13) is after to');
  expect(() => parseRange({ to: 'June' }, now)).toThrow('a day as YYYY-MM-DD');
  expect(() => parseRange({ from: '2020-01-01' }, now)).toThrow('a range is at most 1096 days');
  expect(parseRange({}, now)).toEqual({ from: '2031-05-14', to: '2031-06-12' });
  try {
    parseRange({ to: 'June' }, now);
  } catch (error) {
    expect((error as { issues: unknown }).issues).toEqual([{ field: 'to', message: 'a day as YYYY-MM-DD' }]);
  }
});

test("a chart's CSV holds its rows, quoted where needed, and an unknown chart is a 404 that lists the real ones", async () => {
  const csv = await app.inject({
    url: '/dashboard/stalls/queues.csv?from=2031-06-01&to=2031-06-12',
    headers: bearer(admin),
  });
  expect(csv.statusCode).toBe(200);
  expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
  expect(csv.headers['content-disposition']).toBe(
    'attachment; filename="leadrelay-stalls-queues-2031-06-01-2031-06-12.csv"',
  );
  const lines = csv.body.trimEnd().split('\r\n');
  expect(lines[0]).toBe('lead,workflow_id,queue,team,tier,source,company,received,deadline,level');
  expect(lines).toContain(
    'dash-cloud,lead:dash-cloud,catch-all,Cloud,B,web-form,"Acme, ""Quoted"" Ltd",2031-06-10T09:00:00.000Z,2031-06-10T10:00:00.000Z,3',
  );
  const missing = await app.inject({ url: '/dashboard/stalls/nope.csv', headers: bearer(admin) });
  expect(missing.statusCode).toBe(404);
  expect(missing.body).toContain('queues.csv');
});

test("the shadow's offline estimate is computed on request, for admin keys only", async () => {
  const mine = await app.inject({ url: '/dashboard/shadow-estimate', headers: bearer(admin) });
  expect(mine.statusCode).toBe(200);
  expect(mine.body).toContain('No policy has run as the shadow');
  const manager2 = (await createRepToken(db, 'mgr')).token;
  const refused = await app.inject({ url: '/dashboard/shadow-estimate', headers: bearer(manager2) });
  expect(refused.statusCode).toBe(403);
  expect(refused.body).toContain('admin keys only');
});

test('the marked days are recomputed on a timer too, so marks never pile up while nobody reads', async () => {
  await db.query(`UPDATE leads SET updated_at = now() WHERE id = 'dash-cloud'`);
  const marked = async () =>
    Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM dashboard_changes')).rows[0]!.n);
  expect(await marked()).toBeGreaterThan(0);
  const ticking = Fastify();
  await registerDashboard(ticking, {
    db,
    linkSecret: 'dashboard-test-secret-that-is-long-enough-0123456789',
    webUiUrl: null,
    namespace: 'default',
    refreshEveryMs: 50,
  });
  await ticking.ready();
  try {
    for (let i = 0; i < 100 && (await marked()) > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await marked()).toBe(0);
  } finally {
    await ticking.close();
  }
});
