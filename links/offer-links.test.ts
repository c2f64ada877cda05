// Offer links: a changed, expired, misdirected or reused link never acts; a fresh one acts exactly once.
import fc from 'fast-check';
import type { Pool } from 'pg';
import { createPool } from '../db/pool';
import { claimLinkUse, readLinkUse } from '../db/link-uses';
import {
  consumeLink,
  findLinkUse,
  hashToken,
  myOffersUrl,
  offerLinkUrls,
  signLink,
  verifyLink,
  type OfferLinkClaims,
} from './offer-links';
import { copyOfTemplateDatabase } from '../test/support/database';

const secret = 'test-secret-0123456789-abcdefghijklmnop';
const now = new Date('2030-01-02T10:00:00.000Z');
const deadline = new Date('2030-01-02T10:05:00.000Z');
const leadId = 'a1b2c3d4e5f6a7b8c9d0e1f2';
const accept: OfferLinkClaims = { action: 'accept', leadId, offerNumber: 2, repId: 'ana', expiresAt: deadline };
const offerActions = ['accept', 'decline'] as const;

describe('signLink and verifyLink', () => {
  test('a fresh link verifies to exactly the claims it was signed with', () => {
    expect(verifyLink(signLink(accept, secret), { secret, now, actions: offerActions })).toEqual({
      ok: true,
      claims: accept,
    });
  });

  test('the same claims always give the same token, so the email and the "my offers" page share one single-use link', () => {
    expect(signLink(accept, secret)).toBe(signLink({ ...accept }, secret));
    expect(signLink(accept, secret)).not.toBe(signLink({ ...accept, action: 'decline' }, secret));
  });

  test('changing any one character of the token is refused', () => {
    const token = signLink(accept, secret);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
    fc.assert(
      fc.property(fc.nat({ max: token.length - 1 }), fc.constantFrom(...alphabet), (position, replacement) => {
        fc.pre(token[position] !== replacement);
        const changed = token.slice(0, position) + replacement + token.slice(position + 1);
        const result = verifyLink(changed, { secret, now, actions: offerActions });
        expect(result.ok).toBe(false);
        if (!result.ok) expect(['tampered', 'malformed']).toContain(result.failure.kind);
      }),
      { numRuns: 2000 },
    );
  });

  test('flipping the last bit of the signature (the spare bits of base64) is refused too', () => {
    const token = signLink(accept, secret);
    const last = token.at(-1) ?? '';
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const neighbour = alphabet[alphabet.indexOf(last) ^ 1] ?? 'A';
    const result = verifyLink(token.slice(0, -1) + neighbour, { secret, now, actions: offerActions });
    expect(result.ok).toBe(false);
  });

  test('a payload rewritten to another rep, with the original signature, is refused as tampered', () => {
    const [, signature] = signLink(accept, secret).split('.');
    const forged = Buffer.from(
      JSON.stringify({ v: 1, a: 'accept', l: leadId, o: 2, r: 'ben', e: deadline.getTime() }),
    ).toString('base64url');
    const result = verifyLink(`${forged}.${signature}`, { secret, now, actions: offerActions });
    expect(result).toEqual({
      ok: false,
      failure: { kind: 'tampered', message: 'the link was changed after leadrelay signed it' },
    });
  });

  test('a link signed with another secret is refused as tampered', () => {
    const result = verifyLink(signLink(accept, 'another-secret-0123456789-abcdefghijkl'), {
      secret,
      now,
      actions: offerActions,
    });
    expect(result.ok || result.failure.kind).toBe('tampered');
  });

  test('rotation: the newest secret signs, every listed secret verifies, a dropped one no longer does', () => {
    const previous = secret;
    const current = 'rotated-secret-9876543210-zyxwvutsrqpon';
    const oldLink = signLink(accept, previous);
    const keyring = [current, previous];
    // New links are signed with the first (newest) secret: they are exactly what that secret alone signs.
    expect(signLink(accept, keyring)).toBe(signLink(accept, current));
    expect(signLink(accept, keyring)).not.toBe(oldLink);
    // During the window both verify.
    expect(verifyLink(oldLink, { secret: keyring, now, actions: offerActions })).toEqual({ ok: true, claims: accept });
    expect(verifyLink(signLink(accept, keyring), { secret: keyring, now, actions: offerActions }).ok).toBe(true);
    // After the window the old secret is dropped, and so are its links.
    expect(verifyLink(oldLink, { secret: [current], now, actions: offerActions })).toMatchObject({
      ok: false,
      failure: { kind: 'tampered' },
    });
    // A forged payload is refused whichever secret it is checked against.
    const [, signature] = oldLink.split('.');
    const forged = Buffer.from(
      JSON.stringify({ v: 1, a: 'accept', l: leadId, o: 2, r: 'ben', e: deadline.getTime() }),
    ).toString('base64url');
    expect(verifyLink(`${forged}.${signature}`, { secret: keyring, now, actions: offerActions }).ok).toBe(false);
    expect(() => signLink(accept, [])).toThrow(/at least one secret/);
    expect(() => verifyLink(oldLink, { secret: [current, 'short'], now, actions: offerActions })).toThrow(/32/);
  });

  test('garbage and cut-short links are malformed, not errors', () => {
    const token = signLink(accept, secret);
    for (const bad of [
      '',
      '.',
      'abc',
      token.split('.')[0] ?? '',
      `${token}.x`,
      'a b.c',
      '%%%.%%%',
      token.slice(0, -4),
      token.slice(0, -20),
    ]) {
      const result = verifyLink(bad, { secret, now, actions: offerActions });
      expect(result.ok || result.failure.kind).toBe('malformed');
    }
  });

  test('a link is refused from its expiry instant on, and the refusal still names the lead', () => {
    const token = signLink(accept, secret);
    expect(verifyLink(token, { secret, now: new Date(deadline.getTime() - 1), actions: offerActions }).ok).toBe(true);
    const atDeadline = verifyLink(token, { secret, now: deadline, actions: offerActions });
    expect(atDeadline).toEqual({
      ok: false,
      failure: { kind: 'expired', message: 'the link expired at 2030-01-02T10:05:00.000Z', claims: accept },
    });
  });

  test('an offer link is refused where a my-offers link is expected, and the other way round', () => {
    const asList = verifyLink(signLink(accept, secret), { secret, now, actions: ['my-offers'] });
    expect(asList.ok || asList.failure.kind).toBe('wrong-action');
    const list = signLink({ action: 'my-offers', repId: 'ana', expiresAt: deadline }, secret);
    const asAnswer = verifyLink(list, { secret, now, actions: offerActions });
    expect(asAnswer.ok || asAnswer.failure).toMatchObject({
      kind: 'wrong-action',
      message: 'this link is for my-offers, not for accept or decline',
    });
  });

  test('bad claims and a short secret are refused naming the field', () => {
    expect(() => signLink({ ...accept, offerNumber: 0 }, secret)).toThrow(/offerNumber/);
    expect(() => signLink({ ...accept, repId: '' }, secret)).toThrow(/repId is required/);
    expect(() => signLink({ ...accept, leadId: 'lead id with spaces' }, secret)).toThrow(/leadId/);
    expect(() => signLink({ ...accept, expiresAt: new Date('nope') }, secret)).toThrow(/expiresAt/);
    expect(() => signLink(accept, 'short')).toThrow(/linkSecret must be at least 32 characters/);
    expect(() => verifyLink('x.y', { secret: 'short', now, actions: offerActions })).toThrow(/linkSecret/);
  });

  test('any valid claims survive the round trip', () => {
    const id = fc.stringMatching(/^[A-Za-z0-9._:-]{1,100}$/);
    fc.assert(
      fc.property(
        fc.constantFrom('accept' as const, 'decline' as const),
        id,
        fc.integer({ min: 1, max: 10_000 }),
        id,
        fc.integer({ min: 1, max: 4_102_444_800_000 }),
        (action, l, o, r, e) => {
          const claims: OfferLinkClaims = { action, leadId: l, offerNumber: o, repId: r, expiresAt: new Date(e) };
          expect(verifyLink(signLink(claims, secret), { secret, now: new Date(e - 1), actions: [action] })).toEqual({
            ok: true,
            claims,
          });
        },
      ),
    );
  });
});

describe('offerLinkUrls and myOffersUrl', () => {
  test('accept and decline links point at the API, carry their own action and expire at the deadline', () => {
    const urls = offerLinkUrls({
      apiUrl: 'https://leads.example.com/',
      secret,
      leadId,
      offerNumber: 2,
      repId: 'ana',
      expiresAt: deadline.toISOString(),
    });
    for (const action of offerActions) {
      const match = /^https:\/\/leads\.example\.com\/links\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(urls[action]);
      expect(match).not.toBeNull();
      expect(verifyLink(match?.[1] ?? '', { secret, now, actions: [action] })).toEqual({
        ok: true,
        claims: { ...accept, action },
      });
    }
    expect(urls.accept).not.toBe(urls.decline);
  });

  test('the my-offers link opens the list for that rep only', () => {
    const url = new URL(myOffersUrl({ apiUrl: 'http://api.test', secret, repId: 'ben', expiresAt: deadline }));
    expect(url.pathname).toBe('/me/offers');
    expect(verifyLink(url.searchParams.get('token') ?? '', { secret, now, actions: ['my-offers'] })).toEqual({
      ok: true,
      claims: { action: 'my-offers', repId: 'ben', expiresAt: deadline },
    });
  });

  test('a bad API URL or deadline is refused naming it', () => {
    expect(() =>
      offerLinkUrls({ apiUrl: 'not a url', secret, leadId, offerNumber: 1, repId: 'ana', expiresAt: deadline }),
    ).toThrow(/apiUrl/);
    expect(() =>
      offerLinkUrls({ apiUrl: 'ftp://x', secret, leadId, offerNumber: 1, repId: 'ana', expiresAt: deadline }),
    ).toThrow(/apiUrl: must be http/);
    expect(() =>
      offerLinkUrls({ apiUrl: 'http://x', secret, leadId, offerNumber: 1, repId: 'ana', expiresAt: 'soon' }),
    ).toThrow(/expiresAt/);
  });
});

describe('consumeLink', () => {
  let db: Pool;
  beforeAll(async () => {
    db = createPool(await copyOfTemplateDatabase());
  });
  afterAll(async () => {
    await db?.end();
  });

  const freshLink = () => {
    const claims: OfferLinkClaims = { ...accept, offerNumber: 1 + Math.floor(Math.random() * 1e6) };
    return { token: signLink(claims, secret), claims, at: now };
  };

  test('the first use acts and records its outcome; a reuse does nothing and says what happened', async () => {
    const use = freshLink();
    let acted = 0;
    const act = () => {
      acted++;
      return Promise.resolve({ outcome: 'accepted', value: 'owner ana' });
    };
    expect(await consumeLink(db, use, act)).toEqual({ consumed: true, value: 'owner ana' });
    expect(await consumeLink(db, { ...use, at: new Date(now.getTime() + 60_000) }, act)).toEqual({
      consumed: false,
      previous: { usedAt: now, outcome: 'accepted' },
    });
    expect(acted).toBe(1);
    expect(await findLinkUse(db, use.token)).toEqual({ usedAt: now, outcome: 'accepted' });
    expect(await readLinkUse(db, hashToken(use.token))).toEqual({
      leadId,
      offerNumber: use.claims.offerNumber,
      repId: 'ana',
      action: 'accept',
      usedAt: now,
      outcome: 'accepted',
    });
  });

  test('when acting fails the use is rolled back and the link still works', async () => {
    const use = freshLink();
    await expect(consumeLink(db, use, () => Promise.reject(new Error('Temporal unreachable')))).rejects.toThrow(
      'Temporal unreachable',
    );
    expect(await findLinkUse(db, use.token)).toBeNull();
    expect(await consumeLink(db, use, () => Promise.resolve({ outcome: 'declined', value: 1 }))).toEqual({
      consumed: true,
      value: 1,
    });
  });

  test('two uses at once: one acts, the other waits and finds the link used', async () => {
    const use = freshLink();
    let acted = 0;
    const slowAct = async () => {
      acted++;
      await new Promise((resolve) => setTimeout(resolve, 200));
      return { outcome: 'accepted', value: 'done' };
    };
    const results = await Promise.all([consumeLink(db, use, slowAct), consumeLink(db, use, slowAct)]);
    expect(acted).toBe(1);
    expect(results.filter((r) => r.consumed)).toHaveLength(1);
    expect(results.find((r) => !r.consumed)).toEqual({
      consumed: false,
      previous: { usedAt: now, outcome: 'accepted' },
    });
  });

  test('no transaction is held while acting: the claim is already committed, and no session idles in a transaction', async () => {
    const use = freshLink();
    const seen: unknown[] = [];
    const result = await consumeLink(db, use, async () => {
      // What another connection sees while the answer goes to Temporal.
      seen.push(await readLinkUse(db, hashToken(use.token)));
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`,
      );
      seen.push(rows[0]?.n);
      return { outcome: 'accepted', value: 'done' };
    });
    expect(result).toEqual({ consumed: true, value: 'done' });
    expect(seen).toEqual([expect.objectContaining({ outcome: 'in-progress' }), 0]);
  });

  test('a claim left in progress by a process that died mid-answer is taken over after two minutes, not before', async () => {
    const use = freshLink();
    const hash = hashToken(use.token);
    await claimLinkUse(db, { tokenHash: hash, ...use.claims, action: 'accept', at: use.at });
    const act = () => Promise.resolve({ outcome: 'accepted', value: 'again' });
    const soon = await consumeLink(db, { ...use, at: new Date(use.at.getTime() + 60_000) }, act, 300);
    expect(soon).toEqual({ consumed: false, previous: { usedAt: use.at, outcome: 'in-progress' } });
    const later = await consumeLink(db, { ...use, at: new Date(use.at.getTime() + 2 * 60_000 + 1) }, act);
    expect(later).toEqual({ consumed: true, value: 'again' });
    expect(await findLinkUse(db, use.token)).toMatchObject({ outcome: 'accepted' });
  });

  test('a refused answer is an outcome: the link is used up with the refusal recorded', async () => {
    const use = freshLink();
    expect(await consumeLink(db, use, () => Promise.resolve({ outcome: 'StaleOffer', value: 'refused' }))).toEqual({
      consumed: true,
      value: 'refused',
    });
    expect(await findLinkUse(db, use.token)).toEqual({ usedAt: now, outcome: 'StaleOffer' });
  });
});
