// The inbound lead as intake systems send it, validated at the boundary.
import { z } from 'zod';

export const leadSources = ['web-form', 'chat', 'partner-api'] as const;
export type LeadSource = (typeof leadSources)[number];

/** What an intake system submits. Strict: an unknown field is an error that names it. */
export const LeadSubmissionSchema = z.strictObject({
  name: z.string().trim().min(1, 'name is required').max(200),
  email: z
    .string()
    .trim()
    .max(320)
    .pipe(z.email({ message: 'email must be a valid address' })),
  company: z.string().trim().max(200).optional(),
  phone: z.string().trim().max(40).optional(),
  message: z.string().max(20_000).default(''),
  source: z.enum(leadSources, { message: `source must be one of ${leadSources.join(', ')}` }),
  externalId: z.string().trim().min(1).max(200).optional(),
});
export type LeadSubmission = z.infer<typeof LeadSubmissionSchema>;
