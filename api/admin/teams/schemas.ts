// Requests and answers of the team routes; a team itself is validated by the directory file's TeamSchema.
import { z } from 'zod';
import { TeamSchema } from '../../../src/directory-file';
import { apiSchemas } from '../../openapi';
import { patchOf } from '../schemas';

export const TeamPatch = patchOf(TeamSchema).describe("Any of the team's fields; those left out keep their value");

export const StoredTeamSchema = z
  .object({
    team: z.record(z.string(), z.unknown()).describe('The team as validated by TeamSchema, defaults filled in'),
    active: z.boolean(),
    updatedAt: z.string(),
  })
  .register(apiSchemas, { id: 'StoredTeam' });

export const TeamsSchema = z.object({ teams: z.array(StoredTeamSchema) });
