// The weighted round robin's fairness ledger: pure state in, new state out. The lead engineer persists it
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
  repId: string;
  weight: number;
}

export interface RotationStanding {
  repId: string;
  weight: number;
  dealt: number;
  /** Credit after any catch-up lift. */
  pass: number;
  /** The credit the rep would have after taking this lead: the ordering key. */
  next: number;
  /** Credit before the lift, when the rep was lifted to the floor. */
  liftedFrom?: number;
}

export function emptyLedger(): FairnessLedger {
  return {};
}

export function teamFloor(ledger: FairnessLedger, teamId: string): number {
  let floor = 0;
  for (const entry of Object.values(ledger[teamId] ?? {})) if (entry.floor > floor) floor = entry.floor;
  return floor;
}

/** Available members in rotation order, their credits lifted to the team's floor where behind. */
export function rankRotation(ledger: FairnessLedger, teamId: string, members: readonly RotationMember[]): RotationStanding[] {
  const entries = ledger[teamId] ?? {};
  const floor = teamFloor(ledger, teamId);
  const standings = members.map((m): RotationStanding => {
    const entry = entries[m.repId];
    const stored = entry?.pass ?? 0;
    const pass = Math.max(stored, floor);
    const standing: RotationStanding = { repId: m.repId, weight: m.weight, dealt: entry?.dealt ?? 0, pass, next: pass + 1 / m.weight };
    if (pass > stored) standing.liftedFrom = stored;
    return standing;
  });
  // On a tie, the rep with less credit now goes first: with weights 2 and 1 both at 1.0 after the lead, the one
  // who has had nothing yet (0 → 1.0) before the one who has (0.5 → 1.0), so weights do not bunch a rep's turns.
  return standings.sort((a, b) => a.next - b.next || a.pass - b.pass || (a.repId < b.repId ? -1 : a.repId > b.repId ? 1 : 0));
}

/**
 * Deals the lead to `chargedRepId` (one of the ranked members): their credit rises by 1/weight, every lifted
 * member's lift is recorded, and the floor moves up to the lowest credit among the members now.
 */
export function chargeRotation(ledger: FairnessLedger, teamId: string, standings: readonly RotationStanding[], chargedRepId: string): { ledger: FairnessLedger; changes: LedgerChange[] } {
  const after = standings.map((s) => (s.repId === chargedRepId ? { ...s, dealt: s.dealt + 1, pass: s.next } : s));
  let floor = teamFloor(ledger, teamId);
  if (after.length > 0) floor = Math.max(floor, Math.min(...after.map((s) => s.pass)));
  const changes: LedgerChange[] = after
    .filter((s) => s.repId === chargedRepId || s.liftedFrom !== undefined)
    .map((s) => ({ teamId, repId: s.repId, entry: { dealt: s.dealt, pass: s.pass, floor } }));
  const team = { ...(ledger[teamId] ?? {}) };
  for (const change of changes) team[change.repId] = change.entry;
  return { ledger: { ...ledger, [teamId]: team }, changes };
}
