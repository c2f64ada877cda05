// The lead as routing sees it: what intake normalised, what qualification read, and who owns the matched contact
// and account. The routing activity and offline evaluation build it the same way.
import type { NormalisedLead } from '../lead';
import type { LeadMatch } from '../matching/lead-match';
import type { RoutingLead } from '../policy/lead-attributes';
import type { Qualification } from '../qualification';

export function routingLeadOf(lead: NormalisedLead, q: Qualification, match: LeadMatch | null): RoutingLead {
  return {
    region: lead.region,
    country: lead.country,
    serviceLine: q.serviceLine,
    urgency: q.urgency,
    tier: q.tier,
    source: lead.source,
    companySize: lead.companySize,
    contactOwnerRepId: match?.contact?.ownerRepId ?? null,
    accountOwnerRepId: match?.account?.ownerRepId ?? null,
    confidence: q.confidenceLevel ?? null,
    unsure: q.unsure ?? null,
  };
}
