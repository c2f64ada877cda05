// Uses of offer links against a real Postgres: one claim per token, its outcome kept, and never the token itself.
import type { Pool } from 'pg';
import { consumeLink, hashToken, signLink, type OfferLinkClaims } from '../links/offer-links';
import { claimLinkUse, readLinkUse, setLinkUseOutcome } from './link-uses';
import { createPool } from './pool';
import { copyOfTemplateDatabase } from '../test/support/database';

let db: Pool;
beforeAll(async () => {
  db = createPool(await copyOfTemplateDatabase());
});
afterAll(async () => {
  await db?.end();
});

const at = new Date('2030-01-02T10:00:00.000Z');

test('a token is claimed once; the use keeps its claims and the outcome set after', async () => {
  const use = {
    tokenHash: 'a'.repeat(64),
    leadId: 'lead1',
    offerNumber: 2,
    repId: 'ana',
    action: 'accept' as const,
    at,
  };
  expect(await readLinkUse(db, use.tokenHash)).toBeNull();
  expect(await claimLinkUse(db, use)).toBe(true);
  expect(await readLinkUse(db, use.tokenHash)).toEqual({
    leadId: 'lead1',
    offerNumber: 2,
    repId: 'ana',
    action: 'accept',
    usedAt: at,
    outcome: 'in-progress',
  });
  await setLinkUseOutcome(db, use.tokenHash, 'accepted');
  expect(await claimLinkUse(db, { ...use, action: 'decline', at: new Date(at.getTime() + 1000) })).toBe(false);
  expect(await readLinkUse(db, use.tokenHash)).toMatchObject({ action: 'accept', usedAt: at, outcome: 'accepted' });
});

test('a consumed link is stored under its hash: neither the token nor its signature is in the table', async () => {
  const claims: OfferLinkClaims = {
    action: 'accept',
    leadId: 'lead2',
    offerNumber: 1,
    repId: 'ana',
    expiresAt: new Date('2030-01-02T10:05:00.000Z'),
  };
  const token = signLink(claims, 'test-secret-0123456789-abcdefghijklmnop');
  await consumeLink(db, { token, claims, at }, () => Promise.resolve({ outcome: 'accepted', value: null }));
  expect(await readLinkUse(db, hashToken(token))).toMatchObject({ leadId: 'lead2', outcome: 'accepted' });
  const { rows } = await db.query<{ n: string }>(
    'SELECT count(*) AS n FROM offer_link_uses WHERE token_hash = $1 OR row_to_json(offer_link_uses)::text LIKE $2',
    [token, `%${token.split('.')[1]}%`],
  );
  expect(rows[0]?.n).toBe('0');
});
