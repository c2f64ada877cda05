// Security of the API's front door on the real stack: failed authentication is limited per address before any
// lookup, and request logs never carry a link token.
import { createHarness, type Harness } from '../support/harness';
import { buildApi } from '../../api/server';
import { signLink } from '../../links/offer-links';
import { bearer, createTestCredentials, type TestCredentials } from './credentials-support';

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
