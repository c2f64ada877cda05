// Whether a rep can be offered a lead right now, and if not, why, in the words a sales manager reads.
import type { Rep } from '../directory-file';
import type { Tier } from '../qualification';
import { holidayOn, holidayRegionLabel, type HolidayRegion } from './holidays';
import { localTimeAt, type LocalTime } from './time-zones';
import { formatMinutes, weekMinuteRanges, type MinuteRange } from './working-hours';

export type ExclusionCode = 'deactivated' | 'away' | 'out-of-office' | 'holiday' | 'outside-hours' | 'at-capacity' | 'at-tier-capacity' | 'not-in-directory';

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

/** What one decision checks against; local times and holidays are looked up once per zone and region per decision. */
export class AvailabilityClock {
  private readonly localTimes = new Map<string, LocalTime>();
  private readonly holidays = new Map<string, Unavailability | null>();
  private readonly offHours = new Map<string, Unavailability>();
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
  holiday(profile: RepProfile, region: HolidayRegion, timeZone: string): Unavailability | null {
    const key = profile.holidayKey!;
    let holiday = this.holidays.get(key);
    if (holiday === undefined) {
      const date = this.localTime(timeZone).date;
      const name = holidayOn(date, region);
      // National holidays read "(US)"; a state's own ones "(US-IL)".
      const national = !region.state || holidayOn(date, { country: region.country }) === name;
      holiday = name ? { code: 'holiday', reason: `holiday: ${name} (${national ? region.country : holidayRegionLabel(region)})` } : null;
      this.holidays.set(key, holiday);
    }
    return holiday;
  }

  /** "outside working hours: 19:40 America/Chicago", shared by every rep of the zone in this decision. */
  outsideHours(timeZone: string): Unavailability {
    let reason = this.offHours.get(timeZone);
    if (!reason) {
      reason = { code: 'outside-hours', reason: `outside working hours: ${formatMinutes(this.localTime(timeZone).minutes)} ${timeZone}` };
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

/**
 * What a rep's directory entry means for availability, worked out once per entry object. Entries are treated as
 * immutable snapshots (the directory is parsed afresh when it changes), so the profile never goes stale.
 */
interface RepProfile {
  week: MinuteRange[][];
  /** Region and zone: reps who share both share a holiday lookup. */
  holidayKey: string | null;
}

const profiles = new WeakMap<Rep, RepProfile>();
function profileOf(rep: Rep): RepProfile {
  let profile = profiles.get(rep);
  if (!profile) {
    profile = { week: weekMinuteRanges(rep.workingHours), holidayKey: rep.holidays ? `${holidayRegionLabel(rep.holidays)}|${rep.timeZone}` : null };
    profiles.set(rep, profile);
  }
  return profile;
}

const isDate = (text: string) => text.length === 10;

export interface AvailabilityChecks {
  /** Working hours and holidays: skipped for escalation managers, who are asked later and at any hour. */
  schedule: boolean;
  /** Capacity for this tier; null skips the capacity check. */
  tier: Tier | null;
  load: LoadByRep;
}

const deactivated: Unavailability = Object.freeze({ code: 'deactivated', reason: 'deactivated' });
const away: Unavailability = Object.freeze({ code: 'away', reason: 'away' });

/**
 * Undefined when the rep may be offered the lead now. Checks run from the most to the least permanent reason.
 * The answer may be shared with other reps of the same decision: read it, do not change it.
 */
export function checkAvailability(rep: Rep, clock: AvailabilityClock, checks: AvailabilityChecks): Unavailability | undefined {
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
    const profile = profileOf(rep);
    if (rep.holidays) {
      const holiday = clock.holiday(profile, rep.holidays, rep.timeZone);
      if (holiday) return holiday;
    }
    const local = clock.localTime(rep.timeZone);
    let working = false;
    for (const [start, end] of profile.week[local.weekday] ?? []) {
      if (local.minutes >= start && local.minutes < end) {
        working = true;
        break;
      }
    }
    if (!working) return clock.outsideHours(rep.timeZone);
  }
  if (checks.tier) {
    const load = checks.load[rep.id];
    const total = load?.total ?? 0;
    if (rep.capacity.total !== null && total >= rep.capacity.total) return { code: 'at-capacity', reason: `at capacity ${total}/${rep.capacity.total}` };
    const tierCap = rep.capacity.perTier[checks.tier];
    const tierLoad = load?.byTier[checks.tier] ?? 0;
    if (tierCap !== undefined && tierLoad >= tierCap) return { code: 'at-tier-capacity', reason: `at ${checks.tier}-tier capacity ${tierLoad}/${tierCap}` };
  }
  return undefined;
}

function describeInstant(ms: number, timeZone: string): string {
  const local = localTimeAt(ms, timeZone);
  return `${local.date} ${formatMinutes(local.minutes)} ${timeZone}`;
}
