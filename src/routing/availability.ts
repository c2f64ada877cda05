// Whether a rep can be offered a lead right now, and if not, why, in the words a sales manager reads; and who takes
// the place of a rep who is out of office.
import type { Rep } from '../directory-file';
import type { Tier } from '../qualification';
import type { RepLookup } from './directory';
import { holidayOn, holidayRegionLabel, type HolidayRegion } from './holidays';
import { localTimeAt, type LocalTime } from './time-zones';
import { formatMinutes, parseMinuteRange, weekdays } from './working-hours';

export type ExclusionCode =
  | 'deactivated'
  | 'away'
  | 'out-of-office'
  | 'holiday'
  | 'outside-hours'
  | 'at-capacity'
  | 'at-tier-capacity'
  | 'not-in-directory';

export interface Unavailability {
  code: ExclusionCode;
  reason: string;
  /** For out-of-office: who takes the rep's place, if anyone. */
  backupRepId?: string | null;
}

/** Open offers a rep holds now; a rep missing from the load map holds none. */
export interface RepLoad {
  total: number;
  byTier: Partial<Record<Tier, number>>;
}

export type LoadByRep = Readonly<Record<string, RepLoad | undefined>>;

/** The rep's open offers. Ids come from the directory ("constructor" is a valid one): own properties only. */
export function loadOf(load: LoadByRep, repId: string): RepLoad | undefined {
  return Object.hasOwn(load, repId) ? load[repId] : undefined;
}

/** What one decision checks against; local times and holidays are looked up once per zone and region per decision. */
export class AvailabilityClock {
  private readonly localTimes = new Map<string, LocalTime>();
  /** Zone → country → state → today's holiday (null: none). Nested so that no key is built per rep. */
  private readonly holidays = new Map<string, Map<string, Map<string, Unavailability | null>>>();
  private readonly offHours = new Map<string, Unavailability>();
  /** "at capacity 6/6" and "at A-tier capacity 2/2" recur across a big team: one reason per load and cap. */
  private readonly capacityReasons = new Map<string, Map<number, Map<number, Unavailability>>>();
  constructor(readonly nowMs: number) {}

  localTime(timeZone: string): LocalTime {
    let local = this.localTimes.get(timeZone);
    if (!local) {
      local = localTimeInMinute(this.nowMs, timeZone);
      this.localTimes.set(timeZone, local);
    }
    return local;
  }

  /** "holiday: Thanksgiving Day (US)" for a rep's region and zone today, or null on a working day. */
  holiday(region: HolidayRegion, timeZone: string): Unavailability | null {
    let byCountry = this.holidays.get(timeZone);
    if (!byCountry) this.holidays.set(timeZone, (byCountry = new Map<string, Map<string, Unavailability | null>>()));
    let byState = byCountry.get(region.country);
    if (!byState) byCountry.set(region.country, (byState = new Map<string, Unavailability | null>()));
    const state = region.state ?? '';
    let holiday = byState.get(state);
    if (holiday === undefined) {
      const date = this.localTime(timeZone).date;
      const name = holidayOn(date, region);
      // National holidays read "(US)"; a state's own ones "(US-IL)".
      const national = !region.state || holidayOn(date, { country: region.country }) === name;
      holiday = name
        ? { code: 'holiday', reason: `holiday: ${name} (${national ? region.country : holidayRegionLabel(region)})` }
        : null;
      byState.set(state, holiday);
    }
    return holiday;
  }

  /** The capacity reason for this load and cap (tier null: total capacity), shared by the decision's reps. */
  atCapacity(tier: Tier | null, load: number, cap: number): Unavailability {
    const kind = tier ?? '';
    let byLoad = this.capacityReasons.get(kind);
    if (!byLoad) this.capacityReasons.set(kind, (byLoad = new Map<number, Map<number, Unavailability>>()));
    let byCap = byLoad.get(load);
    if (!byCap) byLoad.set(load, (byCap = new Map<number, Unavailability>()));
    let reason = byCap.get(cap);
    if (!reason) {
      reason =
        tier === null
          ? { code: 'at-capacity', reason: `at capacity ${load}/${cap}` }
          : { code: 'at-tier-capacity', reason: `at ${tier}-tier capacity ${load}/${cap}` };
      byCap.set(cap, reason);
    }
    return reason;
  }

  /** "outside working hours: 19:40 America/Chicago", shared by every rep of the zone in this decision. */
  outsideHours(timeZone: string): Unavailability {
    let reason = this.offHours.get(timeZone);
    if (!reason) {
      reason = {
        code: 'outside-hours',
        reason: `outside working hours: ${formatMinutes(this.localTime(timeZone).minutes)} ${timeZone}`,
      };
      this.offHours.set(timeZone, reason);
    }
    return reason;
  }
}

// Leads of a burst arrive within the same minute, and local time only changes by the minute: one Intl call per
// zone per minute serves them all.
const lastLocalTimes = new Map<string, { minute: number; local: LocalTime }>();
function localTimeInMinute(ms: number, timeZone: string): LocalTime {
  const minute = Math.floor(ms / 60_000);
  const last = lastLocalTimes.get(timeZone);
  if (last && last.minute === minute) return last.local;
  const local = localTimeAt(minute * 60_000, timeZone);
  lastLocalTimes.set(timeZone, { minute, local });
  return local;
}

const isDate = (text: string) => text.length === 10;

export interface AvailabilityChecks {
  /** Working hours and holidays: skipped for escalation managers, who are asked later and at any hour. */
  schedule: boolean;
  /** Capacity for this tier; null skips the capacity check. */
  tier: Tier | null;
  load: LoadByRep;
}

const noHours: readonly string[] = [];
const deactivated: Unavailability = Object.freeze({ code: 'deactivated', reason: 'deactivated' });
const away: Unavailability = Object.freeze({ code: 'away', reason: 'away' });

/**
 * Undefined when the rep may be offered the lead now. Checks run from the most to the least permanent reason.
 * The answer may be shared with other reps of the same decision: read it, do not change it.
 */
export function checkAvailability(
  rep: Rep,
  clock: AvailabilityClock,
  checks: AvailabilityChecks,
): Unavailability | undefined {
  if (!rep.active) return deactivated;
  if (rep.away) return away;
  if (rep.outOfOffice.length > 0) {
    const local = clock.localTime(rep.timeZone);
    for (const window of rep.outOfOffice) {
      // A date is the whole local day in the rep's zone (until is inclusive); an instant is an instant.
      const started = isDate(window.from) ? local.date >= window.from : clock.nowMs >= Date.parse(window.from);
      const ended = isDate(window.until) ? local.date > window.until : clock.nowMs >= Date.parse(window.until);
      if (started && !ended) {
        const until = isDate(window.until) ? window.until : describeInstant(Date.parse(window.until), rep.timeZone);
        return { code: 'out-of-office', reason: `out of office until ${until}`, backupRepId: window.backupRepId };
      }
    }
  }
  if (checks.schedule) {
    if (rep.holidays) {
      const holiday = clock.holiday(rep.holidays, rep.timeZone);
      if (holiday) return holiday;
    }
    // Only today's ranges matter: read them straight from the entry (each range string is parsed once, ever).
    const local = clock.localTime(rep.timeZone);
    let working = false;
    for (const text of rep.workingHours[weekdays[local.weekday]!] ?? noHours) {
      const range = parseMinuteRange(text);
      if (typeof range !== 'string' && local.minutes >= range[0] && local.minutes < range[1]) {
        working = true;
        break;
      }
    }
    if (!working) return clock.outsideHours(rep.timeZone);
  }
  if (checks.tier) {
    const load = loadOf(checks.load, rep.id);
    const total = load?.total ?? 0;
    if (rep.capacity.total !== null && total >= rep.capacity.total)
      return clock.atCapacity(null, total, rep.capacity.total);
    const tierCap = rep.capacity.perTier[checks.tier];
    const tierLoad = load?.byTier[checks.tier] ?? 0;
    if (tierCap !== undefined && tierLoad >= tierCap) return clock.atCapacity(checks.tier, tierLoad, tierCap);
  }
  return undefined;
}

/** Who is asked in a rep's place: the rep, their backup while they are out of office, or nobody. */
export interface RepOrBackup {
  offered: Rep | null;
  /** Why the rep is not asked themselves (and what became of their backup); undefined when they are. */
  exclusion: Unavailability | undefined;
}

/**
 * The rep if available, else their backup while the rep is out of office and the backup is available. `known` is
 * the rep's unavailability when the caller has already checked it.
 */
export function checkRepOrBackup(
  rep: Rep,
  clock: AvailabilityClock,
  checks: AvailabilityChecks,
  reps: RepLookup,
  known?: Unavailability,
): RepOrBackup {
  const unavailable = known ?? checkAvailability(rep, clock, checks);
  if (!unavailable) return { offered: rep, exclusion: undefined };
  if (unavailable.code !== 'out-of-office' || !unavailable.backupRepId)
    return { offered: null, exclusion: unavailable };
  const backup = reps.get(unavailable.backupRepId);
  if (!backup) {
    const reason = `${unavailable.reason}; backup ${unavailable.backupRepId} is not in the directory`;
    return { offered: null, exclusion: { ...unavailable, reason } };
  }
  const backupUnavailable = checkAvailability(backup, clock, checks);
  if (backupUnavailable) {
    const reason = `${unavailable.reason}; backup ${backup.id} is unavailable too: ${backupUnavailable.reason}`;
    return { offered: null, exclusion: { ...unavailable, reason } };
  }
  const reason = `${unavailable.reason}; backup ${backup.id} takes their place`;
  return { offered: backup, exclusion: { ...unavailable, reason } };
}

function describeInstant(ms: number, timeZone: string): string {
  const local = localTimeAt(ms, timeZone);
  return `${local.date} ${formatMinutes(local.minutes)} ${timeZone}`;
}
