// Admin routes on the real stack: the directory (reps, teams, availability) as stored and read back by routing,
// and the routing policy's life: upload with line-numbered errors, simulate, activate, roll back.
import { createHarness, type Harness } from '../support/harness';
import { loadDirectory, upsertDirectory } from '../../db/directory';
import { ensureDefaultPolicy, loadActivePolicy } from '../../db/policies';
import { createPool } from '../../db/pool';
import { call, createTestCredentials, fieldsOf, type TestCredentials } from './credentials-support';
import { copyOfTemplateDatabase } from '../support/database';

let h: Harness;
let creds: TestCredentials;
beforeAll(async () => {
  h = await createHarness();
  creds = await createTestCredentials(h);
});
afterAll(async () => {
  await h?.teardown();
});

const admin = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
  call(h, creds.admin, {
    method,
    url,
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });

const cloudPolicy = `# test policy
sla:
  - name: hot
    when: { tier: A }
    within: 5 minutes
  - name: rest
    within: 1 hour
rules:
  - name: Cloud work
    when:
      serviceLine: [cloud-migration, data-analytics]
    team: cloud
    strategy: owner-first
    fallback: least-loaded
default:
  team: cloud
  strategy: least-loaded
`;

test('teams: created, validated (with the field named), updated field by field, deactivated only when nothing depends on them', async () => {
  const bad = await admin('POST', '/v1/admin/teams', {
    id: 'Data Team',
    name: '',
    alertEmail: 'not-mail',
    escalation: [{ repId: 'mgr', slaMinutes: 0 }],
  });
  expect(bad.status).toBe(400);
  expect(fieldsOf(bad.body).sort()).toEqual(['alertEmail', 'escalation.0.slaMinutes', 'id', 'name']);
  const ghost = await admin('POST', '/v1/admin/teams', {
    id: 'data',
    name: 'Data',
    alertEmail: 'data@leadrelay.test',
    escalation: [{ repId: 'ghost', slaMinutes: 10 }],
  });
  expect(ghost).toMatchObject({
    status: 409,
    body: { issues: [{ field: 'escalation.0.repId', message: 'no rep ghost' }] },
  });

  const created = await admin('POST', '/v1/admin/teams', {
    id: 'data',
    name: 'Data',
    alertEmail: 'data@leadrelay.test',
    escalation: [{ repId: 'mgr', slaMinutes: 10 }],
  });
  expect(created.status).toBe(201);
  expect(created.headers.location).toBe('/v1/admin/teams/data');
  expect(created.body).toMatchObject({ active: true, team: { id: 'data', catchAllRealertMinutes: 60 } });
  expect(
    (await admin('POST', '/v1/admin/teams', { id: 'data', name: 'Again', alertEmail: 'data@leadrelay.test' })).status,
  ).toBe(409);

  const renamed = await admin('PATCH', '/v1/admin/teams/data', { name: 'Data & Analytics' });
  // Fields left out keep their value (not their default).
  expect(renamed.body).toMatchObject({
    team: {
      name: 'Data & Analytics',
      escalation: [{ repId: 'mgr', slaMinutes: 10 }],
      alertEmail: 'data@leadrelay.test',
    },
  });
  expect((await admin('PATCH', '/v1/admin/teams/data', { id: 'other' })).body.issues?.[0]).toMatchObject({
    field: 'id',
  });
  expect((await admin('PATCH', '/v1/admin/teams/nope', { name: 'x' })).status).toBe(404);

  // What routing reads is what was stored, and the mirror columns follow the document.
  expect((await loadDirectory(h.db)).teams.find((t) => t.id === 'data')).toMatchObject({ name: 'Data & Analytics' });
  const { rows } = await h.db.query<{ name: string; alert_email: string }>(
    `SELECT name, alert_email FROM teams WHERE id = 'data'`,
  );
  expect(rows[0]).toEqual({ name: 'Data & Analytics', alert_email: 'data@leadrelay.test' });

  expect(
    (await admin('POST', '/v1/admin/reps', { id: 'dana', name: 'Dana', email: 'dana@leadrelay.test', teamId: 'data' }))
      .status,
  ).toBe(201);
  const busy = await admin('POST', '/v1/admin/teams/data/deactivate');
  expect(busy).toMatchObject({ status: 409, body: { issues: [{ field: 'id' }] } });
  expect(busy.body.error).toContain('active reps (dana)');
  expect((await admin('POST', '/v1/admin/reps/dana/deactivate')).status).toBe(200);
  expect((await admin('POST', '/v1/admin/teams/data/deactivate')).body).toMatchObject({ active: false });
  expect((await loadDirectory(h.db)).teams.map((t) => t.id)).not.toContain('data');
  // A rep cannot be activated into a deactivated team.
  expect((await admin('POST', '/v1/admin/reps/dana/activate')).body.issues?.[0]).toMatchObject({
    field: 'teamId',
    message: 'team data is deactivated',
  });
  expect((await admin('POST', '/v1/admin/teams/data/activate')).body).toMatchObject({ active: true });
});

test('reps: availability, capacity, time zone and working hours validated by RepSchema; references checked; stored and read back by routing', async () => {
  const bad = await admin('POST', '/v1/admin/reps', {
    id: 'rosa',
    name: 'Rosa',
    email: 'rosa@leadrelay.test',
    teamId: 'cloud',
    timeZone: 'Mars/Olympus',
    workingHours: { mon: '09:00-25:00' },
    capacity: { total: -1 },
    nickname: 'ro',
  });
  expect(bad.status).toBe(400);
  expect(fieldsOf(bad.body)).toEqual(
    expect.arrayContaining(['timeZone', 'workingHours.mon', 'capacity.total', 'nickname']),
  );
  expect(
    (await admin('POST', '/v1/admin/reps', { id: 'rosa', name: 'Rosa', email: 'rosa@leadrelay.test', teamId: 'sales' }))
      .body.issues,
  ).toEqual([{ field: 'teamId', message: 'no team sales' }]);

  const created = await admin('POST', '/v1/admin/reps', {
    id: 'rosa',
    name: 'Rosa',
    email: 'rosa@leadrelay.test',
    teamId: 'cloud',
    timeZone: 'America/Chicago',
    workingHours: { mon: '08:00-16:00', tue: ['08:00-12:00', '13:00-17:00'] },
  });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({
    rep: {
      id: 'rosa',
      active: true,
      away: false,
      weight: 1,
      capacity: { total: null, perTier: {} },
      workingHours: { mon: ['08:00-16:00'] },
    },
  });

  expect((await admin('PUT', '/v1/admin/reps/rosa/away', { away: true })).body).toMatchObject({ rep: { away: true } });
  expect((await admin('PUT', '/v1/admin/reps/rosa/away', { away: 'yes' })).body.issues?.[0]).toMatchObject({
    field: 'away',
  });
  const capped = await admin('PATCH', '/v1/admin/reps/rosa', {
    capacity: { total: 4, perTier: { A: 1 } },
    weight: 2,
    timeZone: 'Europe/Madrid',
  });
  expect(capped.body).toMatchObject({
    rep: {
      capacity: { total: 4, perTier: { A: 1 } },
      weight: 2,
      timeZone: 'Europe/Madrid',
      away: true,
      workingHours: { mon: ['08:00-16:00'] },
    },
  });

  const ownBackup = await admin('POST', '/v1/admin/reps/rosa/out-of-office', {
    from: '2026-12-01',
    until: '2026-12-05',
    backupRepId: 'rosa',
  });
  expect(ownBackup.body.issues).toEqual([
    { field: 'outOfOffice.0.backupRepId', message: 'a rep cannot be their own backup' },
  ]);
  expect(
    (
      await admin('POST', '/v1/admin/reps/rosa/out-of-office', {
        from: '2026-12-01',
        until: '2026-12-05',
        backupRepId: 'zoe',
      })
    ).body.issues?.[0],
  ).toMatchObject({ field: 'outOfOffice.0.backupRepId', message: 'no rep zoe' });
  expect(
    (await admin('POST', '/v1/admin/reps/rosa/out-of-office', { from: '2026-12-05', until: '2026-12-01' })).body
      .issues?.[0],
  ).toMatchObject({ field: 'until' });
  const away = await admin('POST', '/v1/admin/reps/rosa/out-of-office', {
    from: '2026-12-01',
    until: '2026-12-05',
    backupRepId: 'ben',
    note: 'conference',
  });
  expect(away.body).toMatchObject({
    rep: { outOfOffice: [{ from: '2026-12-01', until: '2026-12-05', backupRepId: 'ben', note: 'conference' }] },
  });

  const rosa = (await loadDirectory(h.db)).reps.find((r) => r.id === 'rosa');
  expect(rosa).toMatchObject({
    away: true,
    weight: 2,
    timeZone: 'Europe/Madrid',
    outOfOffice: [{ backupRepId: 'ben' }],
    capacity: { total: 4, perTier: { A: 1 } },
  });

  expect((await admin('DELETE', '/v1/admin/reps/rosa/out-of-office/1')).status).toBe(404);
  expect((await admin('DELETE', '/v1/admin/reps/rosa/out-of-office/0')).body).toMatchObject({
    rep: { outOfOffice: [] },
  });
  expect((await admin('POST', '/v1/admin/reps/rosa/deactivate')).body).toMatchObject({ rep: { active: false } });
  const { rows } = await h.db.query<{ team_id: string; active: boolean; email: string }>(
    `SELECT team_id, active, email FROM reps WHERE id = 'rosa'`,
  );
  expect(rows[0]).toEqual({ team_id: 'cloud', active: false, email: 'rosa@leadrelay.test' });

  const listed = await admin('GET', '/v1/admin/reps?teamId=cloud&active=false');
  expect((listed.body.reps as Array<{ rep: { id: string } }>).map((r) => r.rep.id)).toEqual(['rosa']);
  expect((await admin('GET', '/v1/admin/reps/nobody')).status).toBe(404);

  // Reloading the directory file leaves reps created through the API alone.
  await upsertDirectory(h.db, {
    teams: [{ id: 'cloud', name: 'Cloud', alertEmail: 'sales-ops@leadrelay.test' }],
    reps: [{ id: 'ana', name: 'Ana', email: 'ana@leadrelay.test', teamId: 'cloud' }],
  });
  expect((await loadDirectory(h.db)).reps.map((r) => r.id)).toEqual(expect.arrayContaining(['ana', 'rosa']));
  await expect(upsertDirectory(h.db, { teams: [], reps: [] })).rejects.toThrow(/teams/);
});

test('policies: upload refuses mistakes with their line numbers; drafts are simulated against past leads, activated, and rolled back', async () => {
  const broken = await admin('POST', '/v1/admin/policies', {
    yaml: cloudPolicy.replace('within: 1 hour', 'within: soonish').replace('tier: A', 'tier: Z'),
  });
  expect(broken.status).toBe(400);
  expect(broken.body.reason).toBe('InvalidPolicy');
  expect(broken.body.issues?.map((i) => [i.field, i.line])).toEqual([
    ['yaml', 4],
    ['yaml', 7],
  ]);
  const unknownTeam = await admin('POST', '/v1/admin/policies', {
    yaml: cloudPolicy.replace('team: cloud\n    strategy: owner-first', 'team: galaxy\n    strategy: owner-first'),
  });
  expect(unknownTeam.body.issues?.[0]?.message).toContain('no team galaxy');
  expect(unknownTeam.body.issues?.[0]?.line).toBe(12);

  const before = await loadActivePolicy(h.db);

  const leadsOnly = cloudPolicy
    .replace(/rules:[\s\S]*default:/, 'rules: []\ndefault:')
    .replace('strategy: least-loaded', 'strategy: weighted-round-robin');
  const uploaded = await call(h, creds.admin, {
    method: 'POST',
    url: '/v1/admin/policies',
    payload: leadsOnly,
    headers: { 'content-type': 'application/yaml' },
  });
  expect(uploaded.status).toBe(201);
  expect(uploaded.body).toMatchObject({
    status: 'draft',
    activatedAt: null,
    uploadedBy: expect.stringContaining('ops console') as unknown,
  });
  const version = uploaded.body.version as number;
  expect((await admin('GET', `/v1/admin/policies/${version}`)).body).toMatchObject({ version, yaml: leadsOnly });

  // Past leads, as the workflow records them: routed to cloud, first offered to ana.
  for (const [i, tier] of (['A', 'B', 'C', 'A'] as const).entries()) {
    const id = `a1b2c3d4e5f60718293a4b${String(i).padStart(2, '0')}`;
    await h.db.query(
      `INSERT INTO leads (id, workflow_id, source, name, email, email_normalised, message, received_at, status, team_id, tier, urgency, service_line, score, region, country)
       VALUES ($1, $2, 'web-form', 'P', 'p@x.example', 'p@x.example', 'help', $3, 'assigned', 'cloud', $4, 'none', 'cloud-migration', 50, 'emea', 'DE')`,
      [id, `lead:${id}`, new Date(Date.UTC(2026, 10, 23, 10, i * 5)), tier],
    );
    await h.db.query(
      `INSERT INTO lead_offers (lead_id, offer_number, kind, level, rep_ids, offered_at, deadline, status) VALUES ($1, 1, 'candidate', 0, '{ana}', now(), now(), 'accepted')`,
      [id],
    );
  }
  const bare = await admin('POST', `/v1/admin/policies/${version}/simulate`);
  expect(bare.status).toBe(200);
  expect(bare.body).toMatchObject({ version, leads: 4, routed: 4, unrouted: 0 });
  const simulated = await admin('POST', `/v1/admin/policies/${version}/simulate`, { leads: 3 });
  expect(simulated.status).toBe(200);
  expect(simulated.body).toMatchObject({ version, leads: 3, routed: 3, unrouted: 0 });
  const decisions = simulated.body.decisions as Array<{
    leadId: string;
    actual: { teamId: string; firstRepId: string };
    simulated: { teamId: string; firstRepId: string };
    changed: boolean;
  }>;
  // The last three leads, oldest first; the round robin deals them across the active cloud reps.
  expect(decisions.map((d) => d.leadId.slice(-2))).toEqual(['01', '02', '03']);
  expect(decisions.every((d) => d.actual.teamId === 'cloud' && d.simulated.teamId === 'cloud')).toBe(true);
  expect(new Set(decisions.map((d) => d.simulated.firstRepId)).size).toBeGreaterThan(1);
  expect(simulated.body.changed).toBe(decisions.filter((d) => d.simulated.firstRepId !== 'ana').length);
  expect((await admin('POST', '/v1/admin/policies/999/simulate', {})).status).toBe(404);
  expect(
    (await admin('POST', `/v1/admin/policies/${version}/simulate`, { leads: 5000 })).body.issues?.[0],
  ).toMatchObject({ field: 'leads' });

  const activated = await admin('POST', `/v1/admin/policies/${version}/activate`);
  expect(activated.body).toMatchObject({ policy: { version, status: 'active' }, previous: before?.version ?? null });
  expect((await loadActivePolicy(h.db))?.version).toBe(version);
  const list = (await admin('GET', '/v1/admin/policies')).body.policies as Array<{ version: number; status: string }>;
  expect(list.filter((p) => p.status === 'active').map((p) => p.version)).toEqual([version]);
  expect(list.find((p) => p.version === before?.version)?.status ?? 'retired').toBe('retired');
  // Rolling back: a retired version is activated again.
  const draft = await admin('POST', '/v1/admin/policies', { yaml: cloudPolicy });
  await admin('POST', `/v1/admin/policies/${draft.body.version as number}/activate`);
  expect((await admin('POST', `/v1/admin/policies/${version}/activate`)).body).toMatchObject({
    previous: draft.body.version,
  });
  expect((await loadActivePolicy(h.db))?.version).toBe(version);
  expect((await admin('POST', `/v1/admin/policies/${draft.body.version as number}/activate`)).body).toMatchObject({
    previous: version,
  });

  // The active policy routes to cloud, so cloud cannot be deactivated; a policy naming a team that was since
  // deactivated cannot be activated.
  for (const rep of ['ana', 'ben', 'cleo'])
    expect((await admin('PATCH', `/v1/admin/reps/${rep}`, { teamId: 'leadership' })).status).toBe(200);
  const needed = await admin('POST', '/v1/admin/teams/cloud/deactivate');
  expect(needed.status).toBe(409);
  expect(needed.body.error).toContain('rule "Cloud work"');
  expect(needed.body.error).toContain('the default route');
  expect(
    (await admin('POST', '/v1/admin/policies', { yaml: cloudPolicy.replaceAll('team: cloud', 'team: leadership') }))
      .status,
  ).toBe(201);
  const leadershipOnly = ((await admin('GET', '/v1/admin/policies')).body.policies as Array<{ version: number }>).at(
    -1,
  )?.version;
  expect((await admin('POST', `/v1/admin/policies/${leadershipOnly}/activate`)).status).toBe(200);
  expect((await admin('POST', '/v1/admin/teams/cloud/deactivate')).body).toMatchObject({ active: false });
  const stale = await admin('POST', `/v1/admin/policies/${version}/activate`);
  expect(stale).toMatchObject({ status: 409, body: { reason: 'InvalidPolicy', issues: [{ field: 'yaml' }] } });
  expect(stale.body.issues?.[0]?.message).toContain('no team cloud');
  // Put the test directory back for the tests after this one.
  expect((await admin('POST', '/v1/admin/teams/cloud/activate')).status).toBe(200);
  for (const rep of ['ana', 'ben', 'cleo'])
    expect((await admin('PATCH', `/v1/admin/reps/${rep}`, { teamId: 'cloud' })).status).toBe(200);
});

test('shadow policy: run beside the live one, refused for the active version, stopped, and promoted to live in one step', async () => {
  const live = await loadActivePolicy(h.db);
  const candidate = await admin('POST', '/v1/admin/policies', {
    yaml: cloudPolicy.replace('# test policy', '# candidate'),
  });
  const version = candidate.body.version as number;
  const shadowed = await admin('POST', `/v1/admin/policies/${version}/shadow`);
  expect(shadowed.status).toBe(200);
  expect(shadowed.body).toMatchObject({ policy: { version, status: 'shadow' }, previous: null });
  expect((shadowed.body.policy as { shadowedAt: string | null }).shadowedAt).not.toBeNull();
  const listed = (await admin('GET', '/v1/admin/policies')).body.policies as Array<{ version: number; status: string }>;
  expect(listed.filter((p) => p.status === 'shadow').map((p) => p.version)).toEqual([version]);
  expect(listed.filter((p) => p.status === 'active').map((p) => p.version)).toEqual([live?.version]);

  const ownShadow = await admin('POST', `/v1/admin/policies/${live?.version}/shadow`);
  expect(ownShadow.status).toBe(409);
  expect(ownShadow.body.error).toContain('is the active one');
  expect((await admin('POST', '/v1/admin/policies/999/shadow')).status).toBe(404);

  // Stopped: back to draft, and nothing to promote.
  expect((await admin('DELETE', '/v1/admin/policies/shadow')).body).toEqual({ ended: version });
  const nothing = await admin('POST', '/v1/admin/policies/shadow/promote');
  expect(nothing.status).toBe(409);
  expect(nothing.body.error).toContain('no policy runs as the shadow');

  // Shadowed again and promoted: live in one step, the version before retired, no shadow left.
  await admin('POST', `/v1/admin/policies/${version}/shadow`);
  const promoted = await admin('POST', '/v1/admin/policies/shadow/promote');
  expect(promoted.body).toMatchObject({ policy: { version, status: 'active' }, previous: live?.version });
  expect((await loadActivePolicy(h.db))?.version).toBe(version);
  const after = (await admin('GET', '/v1/admin/policies')).body.policies as Array<{ version: number; status: string }>;
  expect(after.filter((p) => p.status === 'shadow')).toEqual([]);
  expect(after.find((p) => p.version === live?.version)?.status).toBe('retired');
  // Put the live policy back for the tests after this one.
  expect((await admin('POST', `/v1/admin/policies/${live?.version}/activate`)).status).toBe(200);
});

test('at deploy, the default policy file becomes the first active version when none is active, and is left alone after', async () => {
  const db = createPool(await copyOfTemplateDatabase());
  try {
    await upsertDirectory(db, {
      teams: [{ id: 'cloud', name: 'Cloud', alertEmail: 'ops@leadrelay.test' }],
      reps: [{ id: 'ana', name: 'Ana', email: 'ana@leadrelay.test', teamId: 'cloud' }],
    });
    expect(await loadActivePolicy(db)).toBeNull();
    await expect(ensureDefaultPolicy(db, cloudPolicy.replaceAll('team: cloud', 'team: galaxy'))).rejects.toThrow(
      /line 12, column 5 \(rules.0.team\): no team galaxy/,
    );
    expect(await ensureDefaultPolicy(db, cloudPolicy)).toEqual({ version: 1, created: true });
    expect(await loadActivePolicy(db)).toMatchObject({
      version: 1,
      policy: { rules: [{ name: 'Cloud work', team: 'cloud' }] },
    });
    expect(await ensureDefaultPolicy(db, cloudPolicy.replace('5 minutes', '10 minutes'))).toEqual({
      version: 1,
      created: false,
    });
  } finally {
    await db.end();
  }
});

test('admin refusals: unknown reps, teams and policy versions are 404 naming the field; malformed ids are 400', async () => {
  const cases: Array<[Parameters<typeof admin>[0], string, unknown, number, string]> = [
    ['GET', '/v1/admin/teams/nope', undefined, 404, 'id'],
    ['POST', '/v1/admin/teams/nope/deactivate', undefined, 404, 'id'],
    ['POST', '/v1/admin/teams/nope/activate', undefined, 404, 'id'],
    ['GET', '/v1/admin/teams/Not_An_Id', undefined, 400, 'id'],
    ['POST', '/v1/admin/reps/nope/deactivate', undefined, 404, 'id'],
    ['POST', '/v1/admin/reps/nope/activate', undefined, 404, 'id'],
    ['PUT', '/v1/admin/reps/nope/away', { away: true }, 404, 'id'],
    ['POST', '/v1/admin/reps/nope/out-of-office', { from: '2026-12-01', until: '2026-12-02' }, 404, 'id'],
    ['DELETE', '/v1/admin/reps/ana/out-of-office/x', undefined, 400, 'index'],
    ['PATCH', '/v1/admin/reps/nope', { away: true }, 404, 'id'],
    ['GET', '/v1/admin/policies/999', undefined, 404, 'version'],
    ['GET', '/v1/admin/policies/latest', undefined, 400, 'version'],
    ['POST', '/v1/admin/policies/999/activate', undefined, 404, 'version'],
    ['POST', '/v1/admin/policies', { yaml: '' }, 400, 'yaml'],
    ['POST', '/v1/admin/policies', { yaml: 'sla: [' }, 400, 'yaml'],
  ];
  for (const [method, url, payload, status, field] of cases) {
    const res = await admin(method, url, payload);
    expect({ url, status: res.status, fields: fieldsOf(res.body) }).toEqual({ url, status, fields: [field] });
  }
});
