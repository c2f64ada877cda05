// How fair a set of first offers is to the reps' weights: the measure `shadow report` and the dashboard give for the
// live policy and its shadow side by side.

export interface RepFirstOffers {
  teamId: string;
  /** The rep's round-robin weight (directory). */
  weight: number;
  firstOffers: number;
}

/**
 * Per team, among the reps in play (offered at least one of the team's leads first: available, within their hours),
 * each rep's first offers divided by what their weight's share of the team's `leadsOf(team)` leads would give them;
 * the lowest such ratio, at most 1 (1 is exactly fair). A rep never offered a lead first is not in play, so a policy
 * that skips someone entirely shows in the per-rep counts, not here. 1 when nobody was offered anything.
 */
export function lowestFairShare(reps: readonly RepFirstOffers[], leadsOf: (teamId: string) => number): number {
  let lowest = 1;
  const teams = new Map<string, RepFirstOffers[]>();
  for (const rep of reps) {
    if (rep.firstOffers <= 0) continue;
    const team = teams.get(rep.teamId);
    if (team) team.push(rep);
    else teams.set(rep.teamId, [rep]);
  }
  for (const [teamId, inPlay] of teams) {
    const weight = inPlay.reduce((sum, r) => sum + r.weight, 0);
    for (const rep of inPlay) {
      const expected = (leadsOf(teamId) * rep.weight) / weight;
      if (expected > 0) lowest = Math.min(lowest, rep.firstOffers / expected);
    }
  }
  return lowest;
}
