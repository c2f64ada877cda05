// The lead attributes routing decides on, as closed value sets shared by the policy file and the directory.
import type { ConfidenceLevel, Tier, Urgency } from '../qualification';

export const confidenceLevels = ['low', 'normal'] as const satisfies readonly ConfidenceLevel[];
export const tiers = ['A', 'B', 'C'] as const satisfies readonly Tier[];
export const urgencies = ['now', 'this-week', 'this-month', 'none'] as const satisfies readonly Urgency[];
export const sources = ['web-form', 'chat', 'partner-api'] as const;
/** Sales regions as intake derives them from the country. */
export const regions = ['na', 'latam', 'emea', 'apac'] as const;

export type LeadSource = (typeof sources)[number];
export type Region = (typeof regions)[number];

/** What routing needs to know about a lead; everything but the qualification may be unknown. */
export interface RoutingLead {
  region: string | null;
  /** ISO 3166-1 alpha-2. */
  country: string | null;
  serviceLine: string;
  urgency: Urgency;
  tier: Tier;
  source: string | null;
  /** Employees. */
  companySize: number | null;
  /** Owner of the known contact this lead matched, if any. */
  contactOwnerRepId: string | null;
  /** Owner of the matched account (company), if any. */
  accountOwnerRepId: string | null;
  /** How sure the classifier was (Qualification.confidenceLevel); unknown for leads qualified before it existed. */
  confidence?: ConfidenceLevel | null;
  /** What it was unsure of, in words (Qualification.unsure), for the routing explanation. */
  unsure?: string | null;
}
