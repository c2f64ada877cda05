// What the admin routes share: admin-only access, their refusals, the id parameter of reps and teams, PATCH bodies.
import { z } from 'zod';
import { ErrorBodySchema } from '../errors';
import { security } from '../openapi';

export const adminAccess = { access: { keys: ['admin' as const] } };

/** The document's entry of an admin route. */
export function adminDocs(summary: string, description?: string) {
  return { tags: ['admin'], summary, ...(description ? { description } : {}), security: security.apiKey };
}

export const adminErrors = {
  400: ErrorBodySchema,
  401: ErrorBodySchema,
  403: ErrorBodySchema,
  404: ErrorBodySchema,
  409: ErrorBodySchema,
  429: ErrorBodySchema,
};

export const IdParams = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'id must be lowercase letters, digits and dashes'),
});

/**
 * A PATCH body: the entry's fields, each optional and without its default, so a field left out keeps its stored
 * value instead of being reset. The merged entry is then validated whole.
 */
export function patchOf<T extends z.ZodObject>(schema: T) {
  const shape = Object.fromEntries(
    Object.entries(schema.shape)
      .filter(([key]) => key !== 'id')
      .map(([key, field]) => [
        key,
        (field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : (field as z.ZodType)).optional(),
      ]),
  );
  return z.strictObject(shape);
}

/** The fields a PATCH body set: those left out (undefined) keep the stored value. */
export function definedFields(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}
