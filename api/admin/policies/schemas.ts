// Requests and answers of the routing policy routes: versions, uploads and simulations.
import { z } from 'zod';
import { bodyLimits } from '../../body-limits';
import { ErrorBodySchema } from '../../errors';
import { apiSchemas } from '../../openapi';

export const VersionParams = z.strictObject({
  version: z.string().regex(/^[1-9][0-9]{0,8}$/, 'version is a policy version number'),
});

// Room for the JSON around the text within the body limit, so a text too long is a 400 naming `yaml`, not a 413.
const maxPolicyCharacters = bodyLimits.policy - 16 * 1024;

export const PolicyUpload = z.strictObject({
  yaml: z
    .string({ message: 'yaml is the policy text' })
    .min(1, 'yaml is empty')
    .max(maxPolicyCharacters, `yaml is at most ${maxPolicyCharacters} characters`)
    .meta({
      contentMediaType: 'application/yaml',
      description:
        'The routing policy as YAML (the format of config/policy.yaml): its shape is checked once parsed, and each error is answered with its line and column. The body is at most 256 KiB.',
    }),
});

export const SimulationRequest = z
  .strictObject({
    leads: z.number().int().min(1, 'leads is at least 1').max(1000, 'leads is at most 1000').default(200),
  })
  .optional();

export const PolicySchema = z
  .object({
    version: z.number().int(),
    sha256: z.string(),
    status: z.enum(['draft', 'active', 'shadow', 'retired']),
    uploadedAt: z.string(),
    uploadedBy: z.string().nullable(),
    activatedAt: z.string().nullable(),
    shadowedAt: z
      .string()
      .nullable()
      .describe('When it last became the shadow policy (it may have been promoted since)'),
  })
  .register(apiSchemas, { id: 'PolicyVersion' });

export const PoliciesSchema = z.object({ policies: z.array(PolicySchema) });
export const PolicyWithYamlSchema = PolicySchema.extend({ yaml: z.string() });
export const ActivationSchema = z.object({ policy: PolicySchema, previous: z.number().int().nullable() });
export const ShadowEndedSchema = z.object({
  ended: z.number().int().nullable().describe('The version that was shadow'),
});

export const SimulationSchema = z
  .object({
    version: z.number().int(),
    leads: z.number().int().describe('How many past leads were replayed'),
    routed: z.number().int(),
    unrouted: z.number().int().describe('Leads the policy has no route for (no rule matched and no default)'),
    changed: z
      .number()
      .int()
      .describe('Leads whose team or first offered rep would differ from what actually happened'),
    firstOffers: z.record(z.string(), z.number().int()).describe('Rep id -> first offers under this policy'),
    teams: z.array(
      z.object({
        teamId: z.string(),
        leads: z.number().int(),
        spread: z.number().describe("Most minus fewest first offers among the team's active reps"),
        weightedSpread: z.number(),
        reps: z.array(z.object({ repId: z.string(), weight: z.number(), firstOffers: z.number().int() })),
      }),
    ),
    decisions: z.array(
      z.object({
        leadId: z.string(),
        at: z.string(),
        actual: z.object({ teamId: z.string().nullable(), firstRepId: z.string().nullable() }),
        simulated: z.object({
          teamId: z.string().nullable(),
          rule: z.string().nullable(),
          firstRepId: z.string().nullable(),
          candidates: z.array(z.string()),
          sla: z.string().nullable(),
          error: z.string().optional(),
        }),
        changed: z.boolean(),
      }),
    ),
  })
  .register(apiSchemas, { id: 'PolicySimulation' });
export type Simulation = z.infer<typeof SimulationSchema>;

export const policyErrors = {
  400: ErrorBodySchema,
  401: ErrorBodySchema,
  403: ErrorBodySchema,
  404: ErrorBodySchema,
  409: ErrorBodySchema,
  413: ErrorBodySchema,
  415: ErrorBodySchema,
  429: ErrorBodySchema,
};
