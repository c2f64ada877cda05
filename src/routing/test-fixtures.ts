// The sales floor, policy and helpers the routing tests share: five teams, a dozen reps, a policy with a rule for
// every kind of condition, and route() to plan a lead over them on Monday 23 November 2026 at 15:00 UTC.
import { RepSchema, TeamSchema, type Rep, type RepInput, type TeamInput } from '../directory-file';
import type { RoutingLead } from '../policy/lead-attributes';
import { parsePolicy } from '../policy/parse-policy';
import type { RoutingPolicy } from '../policy/policy-schema';
import type { Directory } from './directory';
import { emptyLedger } from './fairness-ledger';
import { planRouting, type PlanRoutingInput, type RoutingPlan } from './plan';

export const allWeek = {
  sun: '00:00-24:00',
  mon: '00:00-24:00',
  tue: '00:00-24:00',
  wed: '00:00-24:00',
  thu: '00:00-24:00',
  fri: '00:00-24:00',
  sat: '00:00-24:00',
};
/** Monday 23 November 2026, 15:00 UTC: 09:00 in Chicago, 15:00 in London, 16:00 in Berlin. */
export const monday = Date.parse('2026-11-23T15:00:00Z');

export function rep(id: string, teamId: string, overrides: Partial<RepInput> = {}): Rep {
  return RepSchema.parse({
    id,
    name: id.toUpperCase(),
    email: `${id}@leadrelay.test`,
    teamId,
    workingHours: allWeek,
    ...overrides,
  });
}

export function team(id: string, overrides: Partial<TeamInput> = {}) {
  return TeamSchema.parse({ id, name: id.toUpperCase(), alertEmail: `${id}-ops@leadrelay.test`, ...overrides });
}

export function policyOf(yaml: string): RoutingPolicy {
  const result = parsePolicy(yaml);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.policy;
}

export const policy = policyOf(`
territories:
  dach: [DE, AT, CH]
sla:
  - name: hot
    when: { tier: A }
    within: 5 minutes
  - name: urgent
    when: { urgency: now }
    within: 15 minutes
  - name: warm
    when: { tier: B }
    within: 1 hour
  - name: cold
    within: 1 business day
rules:
  - name: support
    when: { serviceLine: support }
    team: support
    strategy: least-loaded
    sla: 30 minutes
  - name: enterprise security
    when: { serviceLine: cybersecurity, companySize: { min: 500 } }
    team: secure
    strategy: least-loaded
  - name: security
    when: { serviceLine: cybersecurity }
    team: secure
    strategy: owner-first
    fallback: least-loaded
  - name: cloud
    when: { serviceLine: [cloud-migration, data-analytics] }
    team: cloud
    strategy: owner-first
  - name: dach partners
    when: { territory: dach, source: partner-api }
    team: support
    strategy: weighted-round-robin
  - name: apac
    when: { region: apac }
    team: cloud
    strategy: weighted-round-robin
  - name: french hot leads
    when: { country: FR, urgency: [now, this-week], tier: A }
    team: secure
    strategy: weighted-round-robin
  - name: small companies
    when: { companySize: { max: 49 } }
    team: support
    strategy: least-loaded
  - name: new logos
    when: { existingOwner: false, serviceLine: managed-it }
    team: general
    strategy: weighted-round-robin
  - name: known accounts
    when: { existingOwner: true }
    team: general
    strategy: owner-first
default:
  team: general
  strategy: weighted-round-robin
`);

export const directory: Directory = {
  teams: [
    team('cloud', {
      escalation: [
        { repId: 'mgr', slaMinutes: 15 },
        { repId: 'head', slaMinutes: 30 },
      ],
    }),
    team('secure', { escalation: [{ repId: 'head', slaMinutes: 45 }] }),
    team('support', { catchAllRealertMinutes: 30 }),
    team('general', { escalation: [{ repId: 'head', slaMinutes: 20 }], catchAllRealertMinutes: 90 }),
    team('leadership'),
  ],
  reps: [
    // Listed out of id order, so the id tie-break is visible.
    rep('eli', 'cloud'),
    rep('ana', 'cloud'),
    rep('cleo', 'cloud', { away: true }),
    rep('dev', 'cloud', { active: false }),
    rep('ben', 'cloud'),
    rep('sam', 'secure'),
    rep('sue', 'secure'),
    rep('gus', 'support'),
    rep('gil', 'support'),
    rep('gia', 'general'),
    rep('mgr', 'leadership'),
    rep('head', 'leadership'),
  ],
};

export function lead(overrides: Partial<RoutingLead> = {}): RoutingLead {
  return {
    region: 'na',
    country: 'US',
    serviceLine: 'cloud-migration',
    urgency: 'this-month',
    tier: 'A',
    source: 'web-form',
    companySize: 200,
    contactOwnerRepId: null,
    accountOwnerRepId: null,
    ...overrides,
  };
}

export function route(overrides: Partial<PlanRoutingInput> & { lead?: RoutingLead } = {}) {
  return planRouting({
    policy,
    policyVersion: 7,
    lead: lead(),
    directory,
    load: {},
    ledger: emptyLedger(),
    now: monday,
    ...overrides,
  });
}

export const candidateIds = (p: RoutingPlan) => p.stages.filter((s) => s.kind === 'candidate').map((s) => s.repIds[0]!);
export const exclusionOf = (p: RoutingPlan, repId: string) =>
  p.explanation.excluded.find((e) => e.repId === repId)?.reason;
