// What the rep pages read from a request: the link's token (path or query) and the decline form.
import { z } from 'zod';

// A wildcard, not `:token`: the router refuses parameters over 100 characters (414) and a token is longer.
export const TokenParams = z
  .object({ '*': z.string().max(2000, 'token is too long') })
  .transform((p) => ({ token: p['*'] }));

export const MyOffersQuery = z.object({
  token: z
    .string({ message: 'token is required: open the "my offers" link from one of your offer emails' })
    .min(1, 'token is required')
    .max(2000),
});

export const AnswerForm = z.object({
  reason: z.string().trim().max(2000, 'reason is at most 2000 characters').optional(),
});

/** Parsed, or a 400 the pages' error handler shows as a page. */
export function parseOr400<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw Object.assign(
      new Error(parsed.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ')),
      { statusCode: 400 },
    );
  return parsed.data;
}
