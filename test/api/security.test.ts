// Security on the real stack: failed authentication is limited per address before any lookup; request logs never
// carry a link token; a lead's exported history holds none of its person's details, which only managers and admins
// read, through the codec endpoints.
import type { InjectOptions } from 'fastify';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { answer, createHarness, leadHandle, waitForLead, type Harness } from '../support/harness';
import { historyText } from '../support/history-text';
import { buildApi } from '../../api/server';
import { AesGcmCodec } from '../../codec/aes-gcm-codec';
import { revokeCredential } from '../../db/credentials';
import { signLink } from '../../links/offer-links';
import { toJson } from '../../api/codec/payloads-json';
import { bearer, call, createTestCredentials, type TestCredentials } from './credentials-support';

let h: Harness;
let creds: TestCredentials;
beforeAll(async () => {
  h = await createHarness();
  creds = await createTestCredentials(h);
});
afterAll(async () => {
  await h?.teardown();
});

test('failed authentication: after a burst of bad tokens an address gets 429 with Retry-After, without a database lookup; other addresses are not affected', async () => {
  const api = buildApi({
    client: h.env.client,
    db: h.db,
    taskQueue: h.taskQueue,
    failedAuthLimits: { burst: 3, perMinute: 1 },
  });
  const lookups = jest.spyOn(h.db, 'query');
  try {
    const from = (remoteAddress: string, token: string | null) =>
      api.inject({ method: 'GET', url: '/v1/admin/teams', remoteAddress, headers: token ? bearer(token) : {} });
    // Well-formed tokens with a wrong secret: each one costs a lookup, until the address has used up its failures.
    const forged = `${creds.admin.slice(0, 21)}${'A'.repeat(43)}`;
    for (let i = 0; i < 3; i++) expect((await from('203.0.113.9', forged)).statusCode).toBe(401);
    const spent = lookups.mock.calls.length;
    expect(spent).toBeGreaterThanOrEqual(3);

    const refused = await from('203.0.113.9', forged);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.json()).toMatchObject({
      reason: 'TooManyFailedAuthentications',
      issues: [{ field: 'Authorization' }],
    });
    // Refused before the lookup: even the right token waits, and no query was made for either.
    expect((await from('203.0.113.9', creds.admin)).statusCode).toBe(429);
    expect(lookups.mock.calls.length).toBe(spent);

    // Another address has its own budget; a success costs nothing from it.
    expect((await from('198.51.100.4', creds.admin)).statusCode).toBe(200);
    for (let i = 0; i < 5; i++) expect((await from('198.51.100.4', creds.admin)).statusCode).toBe(200);
    // A missing header is a failure too.
    for (let i = 0; i < 3; i++) expect((await from('198.51.100.5', null)).statusCode).toBe(401);
    expect((await from('198.51.100.5', null)).statusCode).toBe(429);
  } finally {
    lookups.mockRestore();
    await api.close();
  }
});

test('request logs carry neither /links/<token> nor ?token= values', async () => {
  const lines: string[] = [];
  const api = buildApi({
    client: h.env.client,
    db: h.db,
    taskQueue: h.taskQueue,
    linkSecret: h.linkSecret,
    logger: { stream: { write: (line: string) => lines.push(line) } },
  });
  try {
    const expiresAt = new Date(Date.now() + 3_600_000);
    const offerToken = signLink(
      { action: 'accept', leadId: '0123456789abcdef01234567', offerNumber: 1, repId: 'ana', expiresAt },
      h.linkSecret,
    );
    const pageToken = signLink({ action: 'my-offers', repId: 'ana', expiresAt }, h.linkSecret);
    await api.inject({ method: 'GET', url: `/links/${offerToken}` });
    await api.inject({
      method: 'POST',
      url: `/links/${offerToken}`,
      payload: 'reason=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    await api.inject({ method: 'GET', url: `/me/offers?token=${pageToken}` });
    await api.inject({ method: 'GET', url: `/me/offers?x=1&token=${pageToken}` });
    await api.inject({ method: 'GET', url: '/v1/admin/teams', headers: bearer(creds.admin) });
    const log = lines.join('');
    // The requests were logged (so the test can fail), with their paths, but no token.
    expect(log).toContain('/links/[redacted]');
    expect(log).toContain('/me/offers?token=[redacted]');
    expect(log).toContain('/me/offers?x=1&token=[redacted]');
    expect(log).toContain('/v1/admin/teams');
    for (const secret of [
      offerToken,
      pageToken,
      ...offerToken.split('.'),
      ...pageToken.split('.'),
      creds.admin.split('.')[1] as string,
    ])
      expect({ secret, logged: log.includes(secret) }).toEqual({ secret, logged: false });
  } finally {
    await api.close();
  }
});

// ── The payload codec and its endpoints ──────────────────────────────────────────────────────

const lead = {
  name: 'Zofia Wiśniewska-Quarry',
  email: `zofia.quarry.${Date.now().toString(36)}@quarrystone-logistics.example`,
  phone: '+48 22 123 45 67',
  company: 'Quarrystone Logistics',
  message: 'Our warehouse platform must move off the mainframe by March; zanzibarite budget is approved. Call me.',
};

test("a lead's exported history holds none of its name, email, phone or message; opened with the codec it does", async () => {
  const worker = await h.createWorker();
  await worker.runUntil(async () => {
    const submitted = await call(h, creds.intake, { method: 'POST', url: '/v1/leads/web-form', payload: lead });
    expect(submitted.status).toBe(202);
    const leadId = submitted.body.leadId as string;
    // A chat from the same person joins the lead (a signal carrying what they wrote).
    const chat = await call(h, creds.intake, {
      method: 'POST',
      url: '/v1/leads/chat',
      payload: { visitor: { email: lead.email }, transcript: [{ from: 'visitor', text: 'Also: zanzibarite SLA?' }] },
    });
    expect(chat.body).toMatchObject({ leadId, merged: true });
    const view = await waitForLead(h, leadId, (v) => v.currentOffer !== null, 'the first offer');
    const rep = view.currentOffer?.repIds[0] as string;
    expect((await answer(h, leadId, 'accept', { offerNumber: 1, repId: rep })).status).toBe(200);
    expect(await leadHandle(h, leadId).result()).toMatchObject({ owner: rep });

    // The export: what `temporal workflow show --output json` and the Web UI's download give, and the raw protobuf.
    const history = await leadHandle(h, leadId).fetchHistory();
    const exported = historyToJSON(history);
    const binary = Buffer.from(temporal.api.history.v1.History.encode(history).finish()).toString('latin1');
    const unopened = await historyText(history);
    const opened = await historyText(history, new AesGcmCodec(h.codecKeys ?? []));
    const phoneDigits = lead.phone.replace(/\D/g, '');
    const secrets = {
      name: lead.name,
      email: lead.email,
      emailLocalPart: lead.email.split('@')[0] as string,
      company: lead.company,
      phone: lead.phone,
      phoneE164: `+${phoneDigits}`,
      phoneDigits,
      message: lead.message,
      messageWord: 'zanzibarite',
    };
    const found = (text: string) =>
      Object.entries(secrets)
        .filter(([, value]) => text.toLowerCase().includes(value.toLowerCase()))
        .map(([what]) => what);
    // The UTF-8 bytes of each value, searched in the raw protobuf as well (latin1 keeps bytes as they are).
    const foundBytes = Object.entries(secrets)
      .filter(([, value]) => binary.includes(Buffer.from(value, 'utf8').toString('latin1')))
      .map(([what]) => what);
    console.log(
      `history of lead ${leadId}: ${history.events?.length} events, ${exported.length} bytes of JSON; found in the export: ${JSON.stringify(found(exported))}, in the protobuf: ${JSON.stringify(foundBytes)}, in the payloads unopened: ${JSON.stringify(found(unopened))}, opened with the codec: ${JSON.stringify(found(opened))}`,
    );
    expect({ json: found(exported), protobuf: foundBytes, payloads: found(unopened) }).toEqual({
      json: [],
      protobuf: [],
      payloads: [],
    });
    // The steps take ids, so even opened the history holds no name, email, phone or words of the person; what it
    // does hold (the qualification's reasons name the company) the codec hides, and a manager's codec shows.
    // The one place that says who the lead is, the Web UI's summary and details (user metadata on the started
    // event), is a payload the codec encrypts like the rest: readable only opened.
    const withoutMetadata = { events: (history.events ?? []).map((e) => ({ ...e, userMetadata: null })) };
    expect(found(await historyText(withoutMetadata, new AesGcmCodec(h.codecKeys ?? [])))).toEqual(['company']);
    const metadata = history.events?.[0]?.userMetadata ?? {};
    expect(found(await historyText({ events: [{ userMetadata: metadata }] }))).toEqual([]);
    expect(
      found(await historyText({ events: [{ userMetadata: metadata }] }, new AesGcmCodec(h.codecKeys ?? []))),
    ).toEqual(expect.arrayContaining(['name', 'emailLocalPart', 'company', 'phoneE164', 'messageWord']));
    expect(found(opened)).toEqual(expect.arrayContaining(['name', 'company']));

    // A manager reads the lead's input in the Web UI: it sends the started event's payloads to /codec/decode.
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
    const decoded = await codecCall(creds.reps.mgr, 'decode', toJson(started));
    expect(decoded.status).toBe(200);
    const input = defaultPayloadConverter.fromPayload(fromJsonPayload(decoded.body.payloads[0]));
    expect(input).toMatchObject({ leadId });
  });
});

function fromJsonPayload(p: { metadata: Record<string, string>; data: string } | undefined): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(p?.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: Buffer.from(p?.data ?? '', 'base64'),
  };
}

type PayloadsJson = { payloads: Array<{ metadata: Record<string, string>; data: string }> };

async function codecCall(
  token: string | null,
  action: 'decode' | 'encode',
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: PayloadsJson & { reason?: string }; headers: Record<string, unknown> }> {
  const options: InjectOptions = {
    method: 'POST',
    url: `/codec/${action}`,
    payload: body as Record<string, unknown>,
    headers: { ...(token ? bearer(token) : {}), 'x-namespace': 'default', ...headers },
  };
  const res = await h.api.inject(options);
  return { status: res.statusCode, body: res.json(), headers: res.headers };
}

async function sealed(value: unknown): Promise<PayloadsJson> {
  const codec = new AesGcmCodec(h.codecKeys ?? []);
  return toJson(await codec.encode([defaultPayloadConverter.toPayload(value)]));
}

test('codec endpoints: only admin keys and managers decode; intake, reader and partner keys and other reps are refused', async () => {
  const body = await sealed(lead);
  expect((await codecCall(null, 'decode', body)).status).toBe(401);
  expect((await codecCall('lrk_0000000000000000.' + 'A'.repeat(43), 'decode', body)).status).toBe(401);
  for (const token of [creds.intake, creds.reader, creds.partner, creds.reps.ana, creds.reps.cleo]) {
    const refused = await codecCall(token, 'decode', body);
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).not.toContain(lead.email);
  }
  for (const token of [creds.admin, creds.reps.mgr, creds.reps.head]) {
    const allowed = await codecCall(token, 'decode', body);
    expect(allowed.status).toBe(200);
    expect(defaultPayloadConverter.fromPayload(fromJsonPayload(allowed.body.payloads[0]))).toEqual(lead);
  }
  // Encode and decode are inverses, as the Web UI uses them to send input; a changed payload does not open.
  const encoded = await codecCall(creds.reps.mgr, 'encode', toJson([defaultPayloadConverter.toPayload(lead)]));
  expect(encoded.status).toBe(200);
  expect(JSON.stringify(encoded.body)).not.toContain('quarrystone');
  const back = await codecCall(creds.reps.mgr, 'decode', encoded.body);
  expect(defaultPayloadConverter.fromPayload(fromJsonPayload(back.body.payloads[0]))).toEqual(lead);
  const payload = encoded.body.payloads[0] as { metadata: Record<string, string>; data: string };
  const data = Buffer.from(payload.data, 'base64');
  data[data.length - 1] = (data[data.length - 1] ?? 0) ^ 1;
  const tampered = await codecCall(creds.reps.mgr, 'decode', {
    payloads: [{ ...payload, data: data.toString('base64') }],
  });
  expect(tampered).toMatchObject({ status: 400, body: { reason: 'PayloadDoesNotOpen' } });
  expect((await codecCall(creds.admin, 'decode', { payloads: [{ data: '***' }] })).status).toBe(400);
});

test("codec endpoints from the Web UI: CORS for its origin only, preflight, and a manager's session cookie", async () => {
  const origin = h.webUiOrigin;
  const preflight = (from: string) =>
    h.api.inject({
      method: 'OPTIONS',
      url: '/codec/decode',
      headers: {
        origin: from,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-namespace',
      },
    });
  const ok = await preflight(origin);
  expect(ok.statusCode).toBe(204);
  expect(ok.headers).toMatchObject({
    'access-control-allow-origin': origin,
    'access-control-allow-credentials': 'true',
    'access-control-allow-methods': 'POST',
  });
  expect(String(ok.headers['access-control-allow-headers'])).toMatch(/content-type.*x-namespace/);
  const evil = await preflight('https://evil.example');
  expect(evil.statusCode).toBe(403);
  expect(evil.headers['access-control-allow-origin']).toBeUndefined();

  // The session: a rep who is not a manager gets none; a manager's token gets an HttpOnly cookie for /codec.
  const signIn = (token: string) =>
    h.api.inject({
      method: 'POST',
      url: '/codec/session',
      payload: `token=${encodeURIComponent(token)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  const notManager = await signIn(creds.reps.ana);
  expect(notManager.statusCode).toBe(403);
  expect(notManager.headers['set-cookie']).toBeUndefined();
  const signedIn = await signIn(creds.reps.head);
  expect(signedIn.statusCode).toBe(200);
  const setCookie = String(signedIn.headers['set-cookie']);
  expect(setCookie).toMatch(/^leadrelay_codec=[^;]+; Path=\/codec; Max-Age=28800; HttpOnly; SameSite=Strict/);
  expect(setCookie).not.toContain(creds.reps.head.split('.')[1]);
  const cookie = setCookie.split(';')[0] as string;

  // As the Web UI calls it: cookie, no Authorization, its origin.
  const body = await sealed(lead);
  const fromUi = await codecCall(null, 'decode', body, { cookie, origin });
  expect(fromUi.status).toBe(200);
  expect(fromUi.headers['access-control-allow-origin']).toBe(origin);
  expect(defaultPayloadConverter.fromPayload(fromJsonPayload(fromUi.body.payloads[0]))).toEqual(lead);
  // Another origin is refused even with the cookie; a changed cookie is no session.
  expect((await codecCall(null, 'decode', body, { cookie, origin: 'https://evil.example' })).status).toBe(403);
  expect((await codecCall(null, 'decode', body, { cookie: `${cookie.slice(0, -2)}xx`, origin })).status).toBe(401);
  // Revoking the token the session was opened with ends the session.
  const tokenId = creds.reps.head.slice(4, 20);
  expect(await revokeCredential(h.db, tokenId)).toBe(true);
  expect((await codecCall(null, 'decode', body, { cookie, origin })).status).toBe(401);
});
