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

/** One member's place in the rotation, for explanations. */
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

/**
 * The available members in rotation order. Credits are kept in typed arrays indexed by the member's position in
 * the list given to rankRotation, so ranking a team of a thousand allocates a few arrays rather than an object
 * per rep (each one a young-generation collection sooner, which is what a decision's tail latency is made of).
 */
export interface RotationRanking {
  teamId: string;
  /** The team's floor before this decision. */
  floor: number;
  members: readonly RotationMember[];
  /** Member positions, first turn first. */
  order: number[];
  dealt: Float64Array;
  pass: Float64Array;
  next: Float64Array;
  /** Credit before the lift; NaN when the member was not lifted. */
  liftedFrom: Float64Array;
}

export function emptyLedger(): FairnessLedger {
  return {};
}

// Ids come from the directory ("constructor" is a valid one): look entries up as own properties only.
function teamEntries(ledger: FairnessLedger, teamId: string): Readonly<Record<string, LedgerEntry>> | undefined {
  return Object.hasOwn(ledger, teamId) ? ledger[teamId] : undefined;
}

// The floor of a team's entries, remembered per entries object: applyLedgerChanges learns it while copying, so a
// ledger carried from decision to decision is not scanned again.
const floors = new WeakMap<object, number>();

export function teamFloor(ledger: FairnessLedger, teamId: string): number {
  const entries = teamEntries(ledger, teamId);
  if (!entries) return 0;
  let floor = floors.get(entries);
  if (floor === undefined) {
    floor = 0;
    for (const repId in entries) {
      const entry = entries[repId];
      if (entry && entry.floor > floor) floor = entry.floor;
    }
    floors.set(entries, floor);
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
  const count = members.length;
  const dealt = new Float64Array(count);
  const pass = new Float64Array(count);
  const next = new Float64Array(count);
  const liftedFrom = new Float64Array(count);
  const order: number[] = [];
  for (let i = 0; i < count; i++) {
    const member = members[i]!;
    const entry = entries && Object.hasOwn(entries, member.id) ? entries[member.id] : undefined;
    const stored = entry?.pass ?? 0;
    pass[i] = stored < floor ? floor : stored;
    next[i] = pass[i]! + 1 / member.weight;
    liftedFrom[i] = pass[i]! > stored ? stored : NaN;
    dealt[i] = entry?.dealt ?? 0;
    order.push(i);
  }
  // On a tie, the rep with less credit now goes first: with weights 2 and 1 both at 1.0 after the lead, the one
  // who has had nothing yet (0 → 1.0) before the one who has (0.5 → 1.0), so weights do not bunch a rep's turns.
  // The comparator answers -1/0/1: a fractional difference would be a new heap number per comparison.
  order.sort((a, b) => {
    if (next[a] !== next[b]) return next[a]! < next[b]! ? -1 : 1;
    if (pass[a] !== pass[b]) return pass[a]! < pass[b]! ? -1 : 1;
    const x = members[a]!.id;
    const y = members[b]!.id;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  return { teamId, floor, members, order, dealt, pass, next, liftedFrom };
}

/** The standing of the member at `position` in the list given to rankRotation. */
export function standingOf(ranking: RotationRanking, position: number): RotationStanding {
  const lifted = ranking.liftedFrom[position]!;
  const member = ranking.members[position]!;
  return {
    repId: member.id,
    weight: member.weight,
    dealt: ranking.dealt[position]!,
    pass: ranking.pass[position]!,
    next: ranking.next[position]!,
    liftedFrom: Number.isNaN(lifted) ? undefined : lifted,
  };
}

/** Members lifted to the team's floor in this ranking, in rotation order. */
export function liftedMembers(ranking: RotationRanking): Array<{ repId: string; from: number; to: number }> {
  const lifted: Array<{ repId: string; from: number; to: number }> = [];
  for (const i of ranking.order)
    if (!Number.isNaN(ranking.liftedFrom[i]))
      lifted.push({ repId: ranking.members[i]!.id, from: ranking.liftedFrom[i]!, to: ranking.pass[i]! });
  return lifted;
}

/**
 * Deals the lead to the member at `chargedPosition` (in the list given to rankRotation): their credit rises by
 * 1/weight, every lifted member's lift is recorded, and the floor moves up to the lowest credit among the members
 * now. Returns the entries to write, in rotation order; applyLedgerChanges gives the whole new ledger.
 */
export function chargeRotation(ranking: RotationRanking, chargedPosition: number): LedgerChange[] {
  const { teamId, order, members, dealt, pass, next, liftedFrom } = ranking;
  let lowest = Infinity;
  for (const i of order) {
    const credit = i === chargedPosition ? next[i]! : pass[i]!;
    if (credit < lowest) lowest = credit;
  }
  const floor = Math.max(ranking.floor, lowest === Infinity ? 0 : lowest);
  const changes: LedgerChange[] = [];
  for (const i of order) {
    if (i === chargedPosition)
      changes.push({ teamId, repId: members[i]!.id, entry: { dealt: dealt[i]! + 1, pass: next[i]!, floor } });
    else if (!Number.isNaN(liftedFrom[i]))
      changes.push({ teamId, repId: members[i]!.id, entry: { dealt: dealt[i]!, pass: pass[i]!, floor } });
  }
  return changes;
}

/** A new ledger with the changes written over the old one; the old one is left as it was. */
export function applyLedgerChanges(ledger: FairnessLedger, changes: readonly LedgerChange[]): FairnessLedger {
  if (changes.length === 0) return ledger;
  const byTeam = new Map<string, Map<string, LedgerEntry>>();
  for (const { teamId, repId, entry } of changes) {
    let written = byTeam.get(teamId);
    if (!written) byTeam.set(teamId, (written = new Map<string, LedgerEntry>()));
    written.set(repId, entry);
  }
  const next: Record<string, Readonly<Record<string, LedgerEntry>>> = { ...ledger };
  for (const [teamId, written] of byTeam) {
    // A null-prototype copy: several times faster than a spread for teams of hundreds of reps. The team's floor is
    // learnt on the way, so the next decision does not scan the copy again.
    const team = Object.create(null) as Record<string, LedgerEntry>;
    let floor = 0;
    const old = teamEntries(ledger, teamId);
    for (const id in old) {
      const entry = old[id]!;
      team[id] = entry;
      if (entry.floor > floor && !written.has(id)) floor = entry.floor;
    }
    for (const [repId, entry] of written) {
      team[repId] = entry;
      if (entry.floor > floor) floor = entry.floor;
    }
    floors.set(team, floor);
    next[teamId] = team;
  }
  return next;
}
