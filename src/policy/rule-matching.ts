// Which policy rule routes a lead, and which SLA applies, with the reason for every rule tried, in words.
import type { RoutingLead } from './lead-attributes';
import type { Conditions, DefaultRoute, PolicyRule, RoutingPolicy, SlaDuration } from './policy-schema';

export type ConditionResult = { met: true; why: string } | { met: false; why: string };

const list = (values: readonly string[]) => `[${values.join(', ')}]`;

function checkValue(
  label: string,
  value: string | null,
  allowed: readonly string[] | undefined,
): ConditionResult | undefined {
  if (!allowed) return undefined;
  if (value === null) return { met: false, why: `${label} unknown, rule needs ${list(allowed)}` };
  return allowed.includes(value)
    ? { met: true, why: `${label} ${value} is in ${list(allowed)}` }
    : { met: false, why: `${label} ${value} is not in ${list(allowed)}` };
}

/** All conditions must hold; the first that does not is the reason the rule was passed over. */
export function checkConditions(
  when: Conditions,
  lead: RoutingLead,
  policy: Pick<RoutingPolicy, 'territories'>,
): ConditionResult {
  const reasons: string[] = [];
  const results: Array<ConditionResult | undefined> = [checkValue('region', lead.region, when.region)];
  if (when.territory) {
    const territory =
      lead.country === null ? undefined : when.territory.find((t) => policy.territories[t]?.includes(lead.country!));
    results.push(
      lead.country === null
        ? { met: false, why: `country unknown, rule needs territory ${list(when.territory)}` }
        : territory
          ? { met: true, why: `country ${lead.country} is in territory ${territory}` }
          : { met: false, why: `country ${lead.country} is in no territory of ${list(when.territory)}` },
    );
  }
  results.push(
    checkValue('country', lead.country, when.country),
    checkValue('service line', lead.serviceLine, when.serviceLine),
    checkValue('urgency', lead.urgency, when.urgency),
    checkValue('tier', lead.tier, when.tier),
    checkValue('source', lead.source, when.source),
    checkValue('classifier confidence', lead.confidence ?? null, when.confidence),
  );
  if (when.companySize) {
    const { min, max } = when.companySize;
    const bounds =
      min !== undefined && max !== undefined ? `${min}-${max}` : min !== undefined ? `≥ ${min}` : `≤ ${max}`;
    const size = lead.companySize;
    results.push(
      size === null
        ? { met: false, why: `company size unknown, rule needs ${bounds}` }
        : (min === undefined || size >= min) && (max === undefined || size <= max)
          ? { met: true, why: `company size ${size} is ${bounds}` }
          : { met: false, why: `company size ${size} is not ${bounds}` },
    );
  }
  if (when.existingOwner !== undefined) {
    const owner = lead.contactOwnerRepId
      ? `contact owner ${lead.contactOwnerRepId}`
      : lead.accountOwnerRepId
        ? `account owner ${lead.accountOwnerRepId}`
        : null;
    results.push(
      when.existingOwner
        ? owner
          ? { met: true, why: `has an owner (${owner})` }
          : { met: false, why: 'nobody owns the contact or account yet' }
        : owner
          ? { met: false, why: `already has an owner (${owner})` }
          : { met: true, why: 'nobody owns the contact or account yet' },
    );
  }
  for (const result of results) {
    if (!result) continue;
    if (!result.met) return result;
    reasons.push(result.why);
  }
  return { met: true, why: reasons.length > 0 ? reasons.join('; ') : 'no conditions: matches every lead' };
}

export interface RuleTraceEntry {
  rule: string;
  matched: boolean;
  why: string;
}

export interface MatchedRoute {
  /** The rule's name, or null when the policy's default took the lead. */
  ruleName: string | null;
  /** 0-based position of the rule in the policy; -1 for the default. */
  ruleIndex: number;
  route: PolicyRule | DefaultRoute;
  why: string;
  /** Every rule tried, in order, up to and including the one that matched. */
  trace: RuleTraceEntry[];
}

/** The first rule whose conditions all hold, else the default; undefined when neither (a misconfiguration). */
export function matchRule(policy: RoutingPolicy, lead: RoutingLead): MatchedRoute | undefined {
  const trace: RuleTraceEntry[] = [];
  for (const [index, rule] of policy.rules.entries()) {
    const result = checkConditions(rule.when, lead, policy);
    trace.push({ rule: rule.name, matched: result.met, why: result.why });
    if (result.met) return { ruleName: rule.name, ruleIndex: index, route: rule, why: result.why, trace };
  }
  if (!policy.default) return undefined;
  const why =
    policy.rules.length > 0
      ? 'no rule matched, so the policy default applies'
      : 'the policy has no rules, so its default applies';
  return { ruleName: null, ruleIndex: -1, route: policy.default, why, trace };
}

export interface ChosenSla {
  /** The SLA table entry's name, or "rule override" when the rule sets its own. */
  name: string;
  duration: SlaDuration;
  why: string;
}

export function chooseSla(policy: RoutingPolicy, lead: RoutingLead, matched: MatchedRoute): ChosenSla {
  if (matched.route.sla) {
    const owner = matched.ruleName === null ? 'the policy default' : `rule "${matched.ruleName}"`;
    return { name: 'rule override', duration: matched.route.sla, why: `set by ${owner}` };
  }
  for (const entry of policy.sla) {
    const result = checkConditions(entry.when, lead, policy);
    if (result.met) return { name: entry.name, duration: entry.within, why: result.why };
  }
  // The schema requires a last entry without conditions, which always matches.
  throw new Error('the policy has no SLA entry for every lead');
}
