// The sales directory file (teams, reps, escalation chains) a deployment loads, validated field by field.
import { z } from 'zod';
import { serviceLines } from './qualification';

const id = z.string().trim().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'ids are lowercase letters, digits and dashes');

export const DirectoryFileSchema = z
  .strictObject({
    teams: z
      .array(
        z.strictObject({
          id,
          name: z.string().min(1),
          serviceLines: z.array(z.enum(serviceLines)),
          isDefault: z.boolean().default(false),
          escalation: z.array(z.strictObject({ repId: id, slaMinutes: z.number().int().positive() })),
          alertEmail: z.email(),
          catchAllRealertMinutes: z.number().int().positive().default(60),
        }),
      )
      .min(1),
    reps: z.array(
      z.strictObject({
        id,
        name: z.string().min(1),
        email: z.email(),
        teamId: id,
        active: z.boolean().default(true),
        away: z.boolean().default(false),
      }),
    ),
  })
  .superRefine((file, ctx) => {
    const teams = new Set(file.teams.map((t) => t.id));
    const reps = new Set(file.reps.map((r) => r.id));
    if (file.teams.filter((t) => t.isDefault).length !== 1) ctx.addIssue({ code: 'custom', path: ['teams'], message: 'exactly one team must be the default (it takes leads no service line claims)' });
    file.reps.forEach((rep, i) => {
      if (!teams.has(rep.teamId)) ctx.addIssue({ code: 'custom', path: ['reps', i, 'teamId'], message: `no team ${rep.teamId}` });
    });
    file.teams.forEach((team, t) =>
      team.escalation.forEach((level, l) => {
        if (!reps.has(level.repId)) ctx.addIssue({ code: 'custom', path: ['teams', t, 'escalation', l, 'repId'], message: `no rep ${level.repId}` });
      }),
    );
  });
export type DirectoryFile = z.infer<typeof DirectoryFileSchema>;

export class DirectoryFileError extends Error {}

export function parseDirectoryFile(json: unknown): DirectoryFile {
  const result = DirectoryFileSchema.safeParse(json);
  if (!result.success) throw new DirectoryFileError(result.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; '));
  return result.data;
}
