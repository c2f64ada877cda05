// Whether a rep can be offered a lead right now, and if not, why, in the words a sales manager reads.
import type { Rep } from '../directory-file';
import type { Tier } from '../qualification';
import { holidayOn, holidayRegionLabel } from './holidays';
import { localTimeAt, type LocalTime } from './time-zones';
import { formatMinutes, weekMinuteRanges, type MinuteRange, type WorkingHours } from './working-hours';

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

/** What one decision checks against; local times are computed once per zone per decision. */
export class AvailabilityClock {
  private readonly localTimes = new Map<string, LocalTime>();
  constructor(readonly nowMs: number) {}

  localTime(timeZone: string): LocalTime {
    let local = this.localTimes.get(timeZone);
    if (!local) {
      local = localTimeAt(this.nowMs, timeZone);
      this.localTimes.set(timeZone, local);
    }
    return local;
  }
}

const weeks = new WeakMap<WorkingHours, MinuteRange[][]>();
function weekOf(hours: WorkingHours): MinuteRange[][] {
  let week = weeks.get(hours);
  if (!week) {
    week = weekMinuteRanges(hours);
    weeks.set(hours, week);
  }
  return week;
}

const isDate = (text: string) => text.length === 10;

export interface AvailabilityChecks {
  /** Working hours and holidays: skipped for escalation managers, who are asked later and at any hour. */
  schedule: boolean;
  /** Capacity for this tier; null skips the capacity check. */
  tier: Tier | null;
  load: LoadByRep;
}

/** Undefined when the rep may be offered the lead now. Checks run from the most to the least permanent reason. */
export function checkAvailability(rep: Rep, clock: AvailabilityClock, checks: AvailabilityChecks): Unavailability | undefined {
  if (!rep.active) return { code: 'deactivated', reason: 'deactivated' };
  if (rep.away) return { code: 'away', reason: 'away' };
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
    const local = clock.localTime(rep.timeZone);
    if (rep.holidays) {
      const holiday = holidayOn(local.date, rep.holidays);
      if (holiday) {
        // National holidays read "(US)"; a state's own ones "(US-IL)".
        const national = rep.holidays.state ? holidayOn(local.date, { country: rep.holidays.country }) === holiday : true;
        return { code: 'holiday', reason: `holiday: ${holiday} (${national ? rep.holidays.country : holidayRegionLabel(rep.holidays)})` };
      }
    }
    const today = weekOf(rep.workingHours)[local.weekday] ?? [];
    if (!today.some(([start, end]) => local.minutes >= start && local.minutes < end)) {
      return { code: 'outside-hours', reason: `outside working hours: ${formatMinutes(local.minutes)} ${rep.timeZone}` };
    }
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
