// What matching accepts, validated at its boundary: a lead's keys to look up, and an account to store.
import { z } from 'zod';
import { getDomain } from 'tldts';
import freeMailDomains from 'email-providers/all.json';
import { companyNameKey, distinctiveWords } from './company-name';

export class MatchInputError extends Error {
  override name = 'MatchInputError';
}

const freeMail = new Set<string>(freeMailDomains);

/** A mailbox provider's domain (gmail.com, gmx.de, ...), by the email-providers list. */
export function isFreeMailDomain(domain: string): boolean {
  return freeMail.has(domain);
}

/** E.164: a plus, a country code that does not start with 0, at most 15 digits in all. */
const e164 = /^\+[1-9][0-9]{5,14}$/;

/**
 * The registrable domain of a domain, host name or URL (`https://www.acme.co.uk/x` -> `acme.co.uk`), lowercase;
 * undefined when there is none (an IP address, `localhost`, a bare public suffix).
 */
export function registrableDomain(value: string): string | undefined {
  const text = value.trim().toLowerCase();
  if (!text) return undefined;
  return getDomain(text) ?? undefined;
}

/** A company's own domain: registrable and not a mailbox provider's, which would match every lead using it. */
const companyDomain = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(253)
  .transform((value, ctx) => {
    const domain = registrableDomain(value);
    if (!domain) {
      ctx.addIssue({ code: 'custom', message: `'${value}' has no registrable domain` });
      return z.NEVER;
    }
    if (freeMail.has(domain)) {
      ctx.addIssue({ code: 'custom', message: `${domain} is a free-mail provider, not a company's domain` });
      return z.NEVER;
    }
    return domain;
  });

const phone = z.string().trim().regex(e164, 'must be E.164, e.g. +442079460958');

/** A lead's keys, as intake normalised them (src/intake/normalised-lead.ts). Null: the lead does not have it. */
export const MatchLeadInputSchema = z.strictObject({
  emailKey: z
    .string()
    .trim()
    .max(320)
    .regex(/^[^\s@]+@[^\s@]+$/, 'must be an email key like name@domain')
    .nullable(),
  phone: phone.nullable(),
  companyDomain: companyDomain.nullable(),
  // Blank is how half-filled forms say "no company".
  company: z
    .string()
    .trim()
    .max(300)
    .nullable()
    .transform((value) => (value ? value : null)),
});
export type MatchLeadInput = z.input<typeof MatchLeadInputSchema>;
export type ParsedMatchLeadInput = z.output<typeof MatchLeadInputSchema>;

export const AccountInputSchema = z
  .strictObject({
    name: z.string().trim().min(1, 'must not be empty').max(300),
    domain: companyDomain.nullish().transform((value) => value ?? null),
    ownerRepId: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .nullish()
      .transform((value) => value ?? null),
    country: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code, e.g. DE')
      .nullish()
      .transform((value) => value ?? null),
    employees: z
      .number()
      .int('must be a whole number')
      .nonnegative('must not be negative')
      .nullish()
      .transform((value) => value ?? null),
  })
  .transform((account) => {
    const nameKey = companyNameKey(account.name);
    return { ...account, nameKey, nameCore: distinctiveWords(nameKey) };
  });
export type AccountInput = z.input<typeof AccountInputSchema>;
export type ParsedAccountInput = z.output<typeof AccountInputSchema>;

export function parseMatchLeadInput(input: unknown): ParsedMatchLeadInput {
  return parseWith(MatchLeadInputSchema, input, '');
}

/** `at` prefixes field names, e.g. `accounts.12.` for the 13th account of a batch. */
export function parseAccountInput(input: unknown, at = ''): ParsedAccountInput {
  return parseWith(AccountInputSchema, input, at);
}

function parseWith<T extends z.ZodType>(schema: T, input: unknown, at: string): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success)
    throw new MatchInputError(
      result.error.issues.map((i) => `${at}${i.path.join('.') || '(input)'}: ${i.message}`).join('; '),
    );
  return result.data;
}
