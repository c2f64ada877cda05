// Requests and answers of the rep routes; a rep itself is validated by the directory file's RepSchema.
import { z } from 'zod';
import { RepSchema } from '../../../src/directory-file';
import { apiSchemas } from '../../openapi';
import { IdParams, patchOf } from '../schemas';

export const RepPatch = patchOf(RepSchema).describe("Any of the rep's fields; those left out keep their value");

export const StoredRepSchema = z
  .object({
    rep: z.record(z.string(), z.unknown()).describe('The rep as validated by RepSchema, defaults filled in'),
    updatedAt: z.string(),
  })
  .register(apiSchemas, { id: 'StoredRep' });

export const RepsSchema = z.object({ reps: z.array(StoredRepSchema) });

export const RepsQuery = z.strictObject({
  teamId: z.string().max(63).optional(),
  active: z.enum(['true', 'false'], { message: 'active is true or false' }).optional(),
});

export const AwayBody = z.strictObject({ away: z.boolean({ message: 'away is true or false' }) });

export const OutOfOfficeParams = IdParams.extend({
  index: z.string().regex(/^\d{1,3}$/, "index is the window's position in outOfOffice, from 0"),
});
