// Signed, expiring links that let a rep answer an offer (single use), see their offers, or record the first touch
// of a lead they own, from an email.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Pool } from 'pg';
import { z } from 'zod';
import { claimLinkUse, readLinkUse, releaseLinkUse, setLinkUseOutcome, type LinkUse } from '../db/link-uses';

export type OfferAction = 'accept' | 'decline';
/**
 * `my-offers` opens a rep's list of open offers; it never acts by itself. `first-touch` records that the rep
 * contacted a lead they own (after they confirm on its page).
 */
export type LinkAction = OfferAction | 'my-offers' | 'first-touch';

export interface OfferLinkClaims {
  action: OfferAction;
  leadId: string;
  offerNumber: number;
  repId: string;
  expiresAt: Date;
}

export interface MyOffersLinkClaims {
  action: 'my-offers';
  repId: string;
  expiresAt: Date;
}

export interface FirstTouchLinkClaims {
  action: 'first-touch';
  leadId: string;
  repId: string;
  expiresAt: Date;
}

export type LinkClaims = OfferLinkClaims | MyOffersLinkClaims | FirstTouchLinkClaims;

/**
 * Why a link was refused. Only `expired` and `wrong-action` carry the claims: their signature was good, so the
 * page may say what happened to that lead; a tampered or malformed token tells us nothing we can trust.
 */
export type LinkFailure =
  | { kind: 'malformed'; message: string }
  | { kind: 'tampered'; message: string }
  | { kind: 'expired'; message: string; claims: LinkClaims }
  | { kind: 'wrong-action'; message: string; claims: LinkClaims };

export type VerifiedLink = { ok: true; claims: LinkClaims } | { ok: false; failure: LinkFailure };

// Domain separation: a MAC made for another purpose with the same secret can never pass as a link.
const signingContext = 'leadrelay-link-v1.';
const minSecretLength = 32;

const idText = (field: string) =>
  z
    .string({ message: `${field} must be a string` })
    .min(1, `${field} is required`)
    .max(100, `${field} is at most 100 characters`)
    .regex(/^[A-Za-z0-9._:-]+$/, `${field} may hold letters, digits and . _ : - only`);

const ClaimsSchema = z.discriminatedUnion('a', [
  z.strictObject({
    v: z.literal(1),
    a: z.enum(['accept', 'decline']),
    l: idText('leadId'),
    o: z.number().int().positive(),
    r: idText('repId'),
    e: z.number().int().nonnegative(),
  }),
  z.strictObject({ v: z.literal(1), a: z.literal('my-offers'), r: idText('repId'), e: z.number().int().nonnegative() }),
  z.strictObject({
    v: z.literal(1),
    a: z.literal('first-touch'),
    l: idText('leadId'),
    r: idText('repId'),
    e: z.number().int().nonnegative(),
  }),
]);

const OfferClaimsInput = z.strictObject({
  action: z.enum(['accept', 'decline'], { message: 'action must be accept or decline' }),
  leadId: idText('leadId'),
  offerNumber: z
    .number({ message: 'offerNumber must be a number' })
    .int('offerNumber must be a whole number')
    .positive('offerNumber must be positive'),
  repId: idText('repId'),
  expiresAt: z.date({ message: 'expiresAt must be a valid date' }),
});
const MyOffersClaimsInput = z.strictObject({
  action: z.literal('my-offers'),
  repId: idText('repId'),
  expiresAt: z.date({ message: 'expiresAt must be a valid date' }),
});

const FirstTouchClaimsInput = z.strictObject({
  action: z.literal('first-touch'),
  leadId: idText('leadId'),
  repId: idText('repId'),
  expiresAt: z.date({ message: 'expiresAt must be a valid date' }),
});

export class OfferLinkInputError extends Error {}

/**
 * The link secret, or during a rotation the secrets newest first: the first signs, every one verifies. Rotating is
 * putting the new secret first and keeping the old one after it (LEADRELAY_LINK_SECRET and
 * LEADRELAY_LINK_SECRET_PREVIOUS) until every link signed with it has expired.
 */
export type LinkSecrets = string | readonly string[];

export function secretsOf(secrets: LinkSecrets): readonly string[] {
  const list: readonly string[] = typeof secrets === 'string' ? [secrets] : secrets;
  if (list.length === 0) throw new OfferLinkInputError('linkSecret: give at least one secret (LEADRELAY_LINK_SECRET)');
  list.forEach(assertSecret);
  return list;
}

/** The secret new links are signed with: the newest. */
export function signingSecret(secrets: LinkSecrets): string {
  return secretsOf(secrets)[0] as string;
}

/** Signs claims into a URL-safe token `<payload>.<mac>`, both base64url, with the newest secret. Same claims, same token. */
export function signLink(claims: LinkClaims, secrets: LinkSecrets): string {
  const secret = signingSecret(secrets);
  const payload = payloadOf(claims);
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${mac(body, secret).toString('base64url')}`;
}

function payloadOf(claims: LinkClaims): object {
  switch (claims.action) {
    case 'my-offers':
      return { v: 1, a: claims.action, r: parse(MyOffersClaimsInput, claims).repId, e: expiryMs(claims.expiresAt) };
    case 'first-touch': {
      const c = parse(FirstTouchClaimsInput, claims);
      return { v: 1, a: c.action, l: c.leadId, r: c.repId, e: expiryMs(c.expiresAt) };
    }
    default: {
      const c = parse(OfferClaimsInput, claims);
      return { v: 1, a: c.action, l: c.leadId, o: c.offerNumber, r: c.repId, e: expiryMs(c.expiresAt) };
    }
  }
}

/**
 * Checks a token: canonical encoding, MAC (constant-time), one of the expected actions, not past `now`.
 * Never throws for a bad token; the failure says which check refused it.
 */
export function verifyLink(
  token: string,
  opts: { secret: LinkSecrets; now: Date; actions: readonly LinkAction[] },
): VerifiedLink {
  const secrets = secretsOf(opts.secret);
  const parts = token.split('.');
  const [body, signature] = parts;
  if (parts.length !== 2 || !body || !signature || !isCanonicalBase64url(body) || !isCanonicalBase64url(signature)) {
    return { ok: false, failure: { kind: 'malformed', message: 'the link is incomplete or not a leadrelay link' } };
  }
  const given = Buffer.from(signature, 'base64url');
  // A MAC of the wrong length is a link cut short (mail programs wrap long lines); it says nothing about the secret.
  if (given.length !== macLength)
    return { ok: false, failure: { kind: 'malformed', message: 'the link is incomplete or not a leadrelay link' } };
  // Every secret is tried, without stopping at the first match: how long this takes says nothing about which one.
  const matches = secrets.map((secret) => timingSafeEqual(given, mac(body, secret)));
  if (!matches.includes(true)) {
    return { ok: false, failure: { kind: 'tampered', message: 'the link was changed after leadrelay signed it' } };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, failure: { kind: 'malformed', message: 'the link payload is not readable' } };
  }
  const parsed = ClaimsSchema.safeParse(raw);
  if (!parsed.success)
    return { ok: false, failure: { kind: 'malformed', message: 'the link payload is not one leadrelay writes' } };
  const p = parsed.data;
  const claims: LinkClaims =
    p.a === 'my-offers'
      ? { action: p.a, repId: p.r, expiresAt: new Date(p.e) }
      : p.a === 'first-touch'
        ? { action: p.a, leadId: p.l, repId: p.r, expiresAt: new Date(p.e) }
        : { action: p.a, leadId: p.l, offerNumber: p.o, repId: p.r, expiresAt: new Date(p.e) };
  if (!opts.actions.includes(claims.action)) {
    return {
      ok: false,
      failure: {
        kind: 'wrong-action',
        message: `this link is for ${claims.action}, not for ${opts.actions.join(' or ')}`,
        claims,
      },
    };
  }
  if (opts.now.getTime() >= claims.expiresAt.getTime()) {
    return {
      ok: false,
      failure: { kind: 'expired', message: `the link expired at ${claims.expiresAt.toISOString()}`, claims },
    };
  }
  return { ok: true, claims };
}

export interface OfferLinkUrls {
  accept: string;
  decline: string;
}

/** The Accept and Decline links for one offer to one rep; they expire at the offer's SLA deadline. */
export function offerLinkUrls(o: {
  apiUrl: string;
  secret: LinkSecrets;
  leadId: string;
  offerNumber: number;
  repId: string;
  expiresAt: Date | string;
}): OfferLinkUrls {
  const base = baseUrl(o.apiUrl);
  const expiresAt = toDate(o.expiresAt);
  const link = (action: OfferAction) =>
    `${base}/links/${signLink({ action, leadId: o.leadId, offerNumber: o.offerNumber, repId: o.repId, expiresAt }, o.secret)}`;
  return { accept: link('accept'), decline: link('decline') };
}

/** The rep's "my offers" page; reusable until it expires, because it only shows and links to signed answers. */
export function myOffersUrl(o: {
  apiUrl: string;
  secret: LinkSecrets;
  repId: string;
  expiresAt: Date | string;
}): string {
  return `${baseUrl(o.apiUrl)}/me/offers?token=${signLink({ action: 'my-offers', repId: o.repId, expiresAt: toDate(o.expiresAt) }, o.secret)}`;
}

/**
 * The page where the owner records the first touch of a lead; reusable until it expires, because recording it
 * twice changes nothing.
 */
export function firstTouchUrl(o: {
  apiUrl: string;
  secret: LinkSecrets;
  leadId: string;
  repId: string;
  expiresAt: Date | string;
}): string {
  const claims = { action: 'first-touch' as const, leadId: o.leadId, repId: o.repId, expiresAt: toDate(o.expiresAt) };
  return `${baseUrl(o.apiUrl)}/first-touch/${signLink(claims, o.secret)}`;
}

export type { LinkUse } from '../db/link-uses';

export type ConsumeResult<T> = { consumed: true; value: T } | { consumed: false; previous: LinkUse };

/** How long an answer may take before its claim counts as abandoned by a process that died mid-answer. */
const abandonedAfterMs = 2 * 60_000;
/** How long a second use waits for the first one's outcome before saying the link is being used. */
const waitForOutcomeMs = 10_000;

/**
 * Uses a link once. The use is claimed first (a row keyed by the token's hash, committed on its own), then `act`
 * runs (the workflow Update, through Temporal) with no transaction or connection held, then its outcome is
 * recorded. A concurrent second use finds the claim and waits for that outcome, polling. If `act` throws (Temporal
 * unreachable, say) the claim is given back and the link still works. `act` returns the outcome to record; a
 * refused answer is an outcome too, because it will never succeed later.
 */
export async function consumeLink<T>(
  db: Pool,
  use: { token: string; claims: OfferLinkClaims; at: Date },
  act: () => Promise<{ outcome: string; value: T }>,
  waitMs = waitForOutcomeMs,
): Promise<ConsumeResult<T>> {
  const tokenHash = hashToken(use.token);
  const { leadId, offerNumber, repId, action } = use.claims;
  const abandonedBefore = new Date(use.at.getTime() - abandonedAfterMs);
  for (;;) {
    if (await claimLinkUse(db, { tokenHash, leadId, offerNumber, repId, action, at: use.at }, abandonedBefore)) break;
    const previous = await outcomeOf(db, tokenHash, waitMs);
    // Null: the other use failed and gave the link back while we waited; try to claim it again.
    if (previous) return { consumed: false, previous };
  }
  let result: { outcome: string; value: T };
  try {
    result = await act();
  } catch (err) {
    await releaseLinkUse(db, tokenHash);
    throw err;
  }
  await setLinkUseOutcome(db, tokenHash, result.outcome);
  return { consumed: true, value: result.value };
}

/** The use's outcome, waiting a little while another request is still giving the answer; null if it was given back. */
async function outcomeOf(db: Pool, tokenHash: string, waitMs: number): Promise<LinkUse | null> {
  const started = Date.now();
  for (;;) {
    const use = await readLinkUse(db, tokenHash);
    if (!use) return null;
    if (use.outcome !== 'in-progress' || Date.now() - started >= waitMs)
      return { usedAt: use.usedAt, outcome: use.outcome };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Whether (and how) a link was already used; pages show this instead of a form. */
export async function findLinkUse(db: Pool, token: string): Promise<LinkUse | null> {
  const use = await readLinkUse(db, hashToken(token));
  return use ? { usedAt: use.usedAt, outcome: use.outcome } : null;
}

/** The token is a bearer credential until it expires, so only its hash is stored. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const macLength = 32;

function mac(body: string, secret: string): Buffer {
  return createHmac('sha256', secret)
    .update(signingContext + body)
    .digest();
}

// Buffer's decoder skips stray characters and ignores the spare bits of the last one, so several strings decode
// to the same bytes; accepting only the canonical spelling makes every changed character a refused link.
function isCanonicalBase64url(s: string): boolean {
  return /^[A-Za-z0-9_-]+$/.test(s) && Buffer.from(s, 'base64url').toString('base64url') === s;
}

function assertSecret(secret: string): void {
  if (typeof secret !== 'string' || secret.length < minSecretLength) {
    throw new OfferLinkInputError(`linkSecret must be at least ${minSecretLength} characters (LEADRELAY_LINK_SECRET)`);
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success)
    throw new OfferLinkInputError(
      result.error.issues.map((i) => `${i.path.join('.') || 'claims'}: ${i.message}`).join('; '),
    );
  return result.data;
}

function expiryMs(date: Date): number {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new OfferLinkInputError('expiresAt: must be a valid date');
  return ms;
}

function toDate(value: Date | string): Date {
  const date = value instanceof Date ? value : new Date(value);
  if (!Number.isFinite(date.getTime())) throw new OfferLinkInputError(`expiresAt: not a date: ${String(value)}`);
  return date;
}

function baseUrl(apiUrl: string): string {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    throw new OfferLinkInputError(`apiUrl: not a URL: ${apiUrl}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new OfferLinkInputError(`apiUrl: must be http or https, got ${url.protocol}`);
  return apiUrl.replace(/\/+$/, '');
}
