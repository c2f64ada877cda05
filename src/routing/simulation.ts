// Replays a batch of leads through a policy without touching any state: where each would go and why, how many
// first offers each rep would get, and how even that is. Used by `leadrelay simulate` and the policy admin API.
import type { Directory } from './directory';
import { planRouting, RoutingError, type RoutingPlan } from './plan';
import type { Tier } from '../qualification';
import type { LoadByRep, RepLoad } from './availability';
import { slaDeadline } from './business-time';
import { emptyLedger, type FairnessLedger } from './fairness-ledger';
import type { RoutingLead } from '../policy/lead-attributes';
import type { RoutingPolicy } from '../policy/policy-schema';
import { beliefsFrom, EvidenceTallies } from '../learning/posterior';
import { seedFrom } from '../learning/random';

export interface SimulatedLead {
  id: string;
  lead: RoutingLead;
  /** Epoch ms; ignored when the simulation runs every lead at one instant. */
  receivedAt: number | null;
}

export type SimulatedDecision =
  | { id: string; at: number; ok: true; plan: RoutingPlan; firstRepId: string | null }
  | { id: string; at: number; ok: false; error: string };

export interface TeamSpread {
  teamId: string;
  teamName: string;
  leads: number;
  /** Every active rep of the team: first offers from leads routed to this team, and in how many decisions they were a candidate at all. */
  reps: Array<{ repId: string; weight: number; firstOffers: number; candidateIn: number }>;
  /**
   * Most minus fewest first offers among the reps who were a candidate at least once: a rep asleep in another
   * time zone for the whole batch was never in the rotation, and counting their zero would hide nothing useful.
   */
  spread: number;
  /** The same in leads per unit of weight: 0 is perfectly proportional to the weights. */
  weightedSpread: number;
}

export interface SimulationResult {
  decisions: SimulatedDecision[];
  /** Rep id → first offers, over all teams. */
  firstOffers: Record<string, number>;
  teams: TeamSpread[];
  /** The ledger the batch would leave behind (never stored). */
  ledger: FairnessLedger;
}

export interface SimulationInput {
  policy: RoutingPolicy;
  policyVersion: number;
  directory: Directory;
  leads: SimulatedLead[];
  /** Route every lead at this instant (a burst), in the given order; otherwise each at its receivedAt, in time order. */
  at?: number | null;
  ledger?: FairnessLedger;
  /** Open offers before the batch; the batch's own first offers are added as it goes. */
  load?: LoadByRep;
}

/**
 * Load model: a first offer counts against its rep from the lead's arrival until its SLA deadline, as if nobody
 * answered early (the worst case), so capacity caps bite in a burst just as they would in production.
 */
export function simulateRouting(input: SimulationInput): SimulationResult {
  const { policy, policyVersion, directory } = input;
  const at = input.at ?? null;
  const ordered = input.leads
    .map((lead, index) => ({ lead, index }))
    .filter((x) => at !== null || x.lead.receivedAt !== null);
  if (ordered.length !== input.leads.length) {
    const missing = input.leads.find((l) => l.receivedAt === null)!;
    throw new RangeError(`lead ${missing.id} has no receivedAt: give one per lead, or one instant for the whole batch`);
  }
  if (at === null) ordered.sort((a, b) => a.lead.receivedAt! - b.lead.receivedAt! || a.index - b.index);

  let ledger = input.ledger ?? emptyLedger();
  const open: Array<{ repId: string; tier: Tier; until: number }> = [];
  const decisions: SimulatedDecision[] = [];
  // Counted in maps: rep ids are data ("constructor" is a valid one), never keys looked up on a plain object.
  const firstOffers = new Map<string, number>();
  const byTeam = new Map<
    string,
    { leads: number; firstOffers: Map<string, number>; candidateIn: Map<string, number> }
  >();

  // best-fit without outcomes: every rep at the prior, the fairness floor counted over the batch itself.
  const noOutcomes = beliefsFrom(
    new EvidenceTallies(0, policy.learning.halfLife).summaryAt(0),
    policy.learning.priorStrength,
  );
  for (const { lead } of ordered) {
    const now = at ?? lead.receivedAt!;
    const load = currentLoad(input.load ?? {}, open, now);
    try {
      const result = planRouting({
        policy,
        policyVersion,
        lead: lead.lead,
        directory,
        load,
        ledger,
        now,
        fit: { beliefOf: noOutcomes, recentLeads: firstOffers, seed: seedFrom(lead.id) },
      });
      ledger = result.ledger;
      const first = result.plan.stages.find((s) => s.kind === 'candidate');
      const firstRepId = first?.repIds[0] ?? null;
      if (first && firstRepId) {
        open.push({ repId: firstRepId, tier: lead.lead.tier, until: slaDeadline(now, first.sla) });
        firstOffers.set(firstRepId, (firstOffers.get(firstRepId) ?? 0) + 1);
      }
      const team = byTeam.get(result.plan.teamId) ?? {
        leads: 0,
        firstOffers: new Map<string, number>(),
        candidateIn: new Map<string, number>(),
      };
      team.leads += 1;
      if (firstRepId) team.firstOffers.set(firstRepId, (team.firstOffers.get(firstRepId) ?? 0) + 1);
      for (const repId of result.plan.explanation.candidates)
        team.candidateIn.set(repId, (team.candidateIn.get(repId) ?? 0) + 1);
      byTeam.set(result.plan.teamId, team);
      decisions.push({ id: lead.id, at: now, ok: true, plan: result.plan, firstRepId });
    } catch (error) {
      if (!(error instanceof RoutingError)) throw error;
      decisions.push({ id: lead.id, at: now, ok: false, error: error.message });
    }
  }

  const teams: TeamSpread[] = [];
  for (const team of directory.teams) {
    const counts = byTeam.get(team.id);
    if (!counts) continue;
    const reps = directory.reps
      .filter((r) => r.teamId === team.id && r.active)
      .map((r) => ({
        repId: r.id,
        weight: r.weight,
        firstOffers: counts.firstOffers.get(r.id) ?? 0,
        candidateIn: counts.candidateIn.get(r.id) ?? 0,
      }));
    const inRotation = reps.filter((r) => r.candidateIn > 0);
    const raw = inRotation.map((r) => r.firstOffers);
    const weighted = inRotation.map((r) => r.firstOffers / r.weight);
    teams.push({
      teamId: team.id,
      teamName: team.name,
      leads: counts.leads,
      reps,
      spread: raw.length ? Math.max(...raw) - Math.min(...raw) : 0,
      weightedSpread: weighted.length ? Math.round((Math.max(...weighted) - Math.min(...weighted)) * 100) / 100 : 0,
    });
  }
  return { decisions, firstOffers: Object.fromEntries(firstOffers), teams, ledger };
}

function currentLoad(
  base: LoadByRep,
  open: Array<{ repId: string; tier: Tier; until: number }>,
  now: number,
): LoadByRep {
  const load = new Map<string, RepLoad>();
  for (const [repId, l] of Object.entries(base)) if (l) load.set(repId, { total: l.total, byTier: { ...l.byTier } });
  for (const offer of open) {
    if (offer.until <= now) continue;
    let l = load.get(offer.repId);
    if (!l) load.set(offer.repId, (l = { total: 0, byTier: {} }));
    l.total += 1;
    l.byTier[offer.tier] = (l.byTier[offer.tier] ?? 0) + 1;
  }
  return Object.fromEntries(load);
}
