// The weighted round robin's fairness ledger: pure state in, new state out. The routing activity persists it
// (one row per team and rep) in the same Postgres transaction as the routing decision, so decisions are serial.
//
// How it stays fair. Every rep in a team's rotation has a credit, `pass`: the leads dealt to them divided by
// their weight. The next lead goes to the rep whose credit would be lowest after taking it (pass + 1/weight),
// ties to the lower credit now, then by rep id. With equal weights that is "fewest leads first", so reps who are always available never
// differ by more than one lead, whatever order the leads arrive in.
//
// How a rep back from leave is not flooded. A rep who was away (out of office, outside hours, at capacity,
// new to the team) was not dealt leads, so their credit fell behind. The team's `floor` is the lowest credit
// among the reps available at the last decision that dealt a lead. Before ordering, every available rep whose
// credit is below the floor is lifted to it: the returning rep joins the rotation level with the least-served
// rep who stayed, and takes their turn like anyone else (at most one lead ahead of the others), instead of
// receiving every lead until they "catch up". Reps who stayed available are never lifted (their credit is at
// least the floor), so the ±1 bound between them holds. The floor is kept on each entry written, as the value
// at the time; the team's floor is the highest one stored, as it only ever rises.

export interface LedgerEntry {
  /** Leads this rep was dealt first by the round robin, in this team. */
  dealt: number;
  /** Credit: leads dealt ÷ weight, plus any catch-up lift. */
  pass: number;
  /** The team's floor when this entry was written. */
  floor: number;
}

/** Team id → rep id → entry. */
export type FairnessLedger = Readonly<Record<string, Readonly<Record<string, LedgerEntry>>>>;

export interface LedgerChange {
  teamId: string;
  repId: string;
  entry: LedgerEntry;
}

export interface RotationMember {
  /** The rep id: a directory Rep is a RotationMember as it is. */
  id: string;
  weight: number;
}

/** One member's place in the rotation: the ordering keys, and what explanations say of it. */
export interface RotationStanding {
  repId: string;
  weight: number;
  dealt: number;
  /** Credit after any catch-up lift. */
  pass: number;
  /** The credit the rep would have after taking this lead: the ordering key. */
  next: number;
  /** Credit before the lift, when the rep was lifted to the floor; undefined otherwise. */
  liftedFrom: number | undefined;
}

export interface RotationRanking {
  teamId: string;
  /** The team's floor before this decision. */
  floor: number;
  /** Each member's standing, in the order of the list given to rankRotation. */
  standings: RotationStanding[];
  /** Positions in that list, first turn first. */
  order: number[];
}

export function emptyLedger(): FairnessLedger {
  return {};
}

// Ids come from the directory ("constructor" is a valid one): look entries up as own properties only.
function teamEntries(ledger: FairnessLedger, teamId: string): Readonly<Record<string, LedgerEntry>> | undefined {
  return Object.hasOwn(ledger, teamId) ? ledger[teamId] : undefined;
}

export function teamFloor(ledger: FairnessLedger, teamId: string): number {
  let floor = 0;
  const entries = teamEntries(ledger, teamId);
  for (const repId in entries) {
    const entry = entries[repId];
    if (entry && entry.floor > floor) floor = entry.floor;
  }
  return floor;
}

/** Available members in rotation order, their credits lifted to the team's floor where behind. */
export function rankRotation(
  ledger: FairnessLedger,
  teamId: string,
  members: readonly RotationMember[],
): RotationRanking {
  const entries = teamEntries(ledger, teamId);
  const floor = teamFloor(ledger, teamId);
  const standings = members.map((member): RotationStanding => {
    const entry = entries && Object.hasOwn(entries, member.id) ? entries[member.id] : undefined;
    const stored = entry?.pass ?? 0;
    const pass = stored < floor ? floor : stored;
    return {
      repId: member.id,
      weight: member.weight,
      dealt: entry?.dealt ?? 0,
      pass,
      next: pass + 1 / member.weight,
      liftedFrom: pass > stored ? stored : undefined,
    };
  });
  // On a tie, the rep with less credit now goes first: with weights 2 and 1 both at 1.0 after the lead, the one
  // who has had nothing yet (0 → 1.0) before the one who has (0.5 → 1.0), so weights do not bunch a rep's turns.
  const order = standings.map((_, position) => position);
  order.sort((a, b) => {
    const x = standings[a]!;
    const y = standings[b]!;
    return x.next - y.next || x.pass - y.pass || (x.repId < y.repId ? -1 : x.repId > y.repId ? 1 : 0);
  });
  return { teamId, floor, standings, order };
}

/** Members lifted to the team's floor in this ranking, in rotation order. */
export function liftedMembers(ranking: RotationRanking): Array<{ repId: string; from: number; to: number }> {
  const lifted: Array<{ repId: string; from: number; to: number }> = [];
  for (const position of ranking.order) {
    const s = ranking.standings[position]!;
    if (s.liftedFrom !== undefined) lifted.push({ repId: s.repId, from: s.liftedFrom, to: s.pass });
  }
  return lifted;
}

/**
 * Deals the lead to the member at `chargedPosition` (in the list given to rankRotation): their credit rises by
 * 1/weight, every lifted member's lift is recorded, and the floor moves up to the lowest credit among the members
 * now. Returns the entries to write, in rotation order; applyLedgerChanges gives the whole new ledger.
 */
export function chargeRotation(ranking: RotationRanking, chargedPosition: number): LedgerChange[] {
  const { teamId, standings, order } = ranking;
  let lowest = Infinity;
  for (const position of order) {
    const s = standings[position]!;
    const credit = position === chargedPosition ? s.next : s.pass;
    if (credit < lowest) lowest = credit;
  }
  const floor = Math.max(ranking.floor, lowest === Infinity ? 0 : lowest);
  const changes: LedgerChange[] = [];
  for (const position of order) {
    const s = standings[position]!;
    if (position === chargedPosition)
      changes.push({ teamId, repId: s.repId, entry: { dealt: s.dealt + 1, pass: s.next, floor } });
    else if (s.liftedFrom !== undefined)
      changes.push({ teamId, repId: s.repId, entry: { dealt: s.dealt, pass: s.pass, floor } });
  }
  return changes;
}

/** A new ledger with the changes written over the old one; the old one is left as it was. */
export function applyLedgerChanges(ledger: FairnessLedger, changes: readonly LedgerChange[]): FairnessLedger {
  if (changes.length === 0) return ledger;
  const next: Record<string, Record<string, LedgerEntry>> = { ...ledger };
  const copied = new Set<string>();
  for (const { teamId, repId, entry } of changes) {
    if (!copied.has(teamId)) {
      // A null-prototype copy: several times faster than a spread for teams of hundreds of reps.
      const team = Object.create(null) as Record<string, LedgerEntry>;
      const old = teamEntries(ledger, teamId);
      for (const id in old) team[id] = old[id]!;
      next[teamId] = team;
      copied.add(teamId);
    }
    next[teamId]![repId] = entry;
  }
  return next;
}
