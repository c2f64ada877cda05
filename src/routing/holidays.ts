// Regional public holidays (date-holidays), by the country and state code a rep's directory entry names.
// Building a country's calendar costs milliseconds, so each (region, year) is computed once and kept.
import Holidays from 'date-holidays';

export interface HolidayRegion {
  /** ISO 3166-1 alpha-2, e.g. US. */
  country: string;
  /** ISO 3166-2 subdivision code without the country, e.g. IL for Illinois; absent for national holidays only. */
  state?: string | null;
}

export interface Holiday {
  /** Local date, YYYY-MM-DD. */
  date: string;
  name: string;
}

const byRegionYear = new Map<string, Map<string, string>>();
let catalogue: Holidays | undefined;

/** "US" or "US-IL": how a holiday's region is named in explanations. */
export function holidayRegionLabel(region: HolidayRegion): string {
  return region.state ? `${region.country}-${region.state}` : region.country;
}

/** Every region date-holidays has a calendar for: each country code, with its state codes (empty for none). */
export function holidayCalendars(): Array<{ country: string; states: string[] }> {
  catalogue ??= new Holidays();
  return Object.keys(catalogue.getCountries('en'))
    .sort()
    .map((country) => ({ country, states: Object.keys(catalogue!.getStates(country, 'en') ?? {}).sort() }));
}

/** Undefined when date-holidays knows the country (and state); otherwise the wrong field and why, in words. */
export function checkHolidayRegion(region: HolidayRegion): { field: 'country' | 'state'; message: string } | undefined {
  catalogue ??= new Holidays();
  const countries = catalogue.getCountries('en');
  if (!(region.country in countries))
    return { field: 'country', message: `no holiday calendar for country ${region.country}` };
  if (region.state) {
    const states = catalogue.getStates(region.country, 'en') ?? {};
    const known = Object.keys(states);
    if (!(region.state in states))
      return {
        field: 'state',
        message: `no holiday calendar for state ${region.state} of ${region.country} (known: ${known.join(', ') || 'none'})`,
      };
  }
  return undefined;
}

function holidaysOfYear(region: HolidayRegion, year: number): Map<string, string> {
  const key = `${holidayRegionLabel(region)}:${year}`;
  let dates = byRegionYear.get(key);
  if (!dates) {
    dates = new Map();
    const calendar = region.state
      ? new Holidays(region.country, region.state, { languages: ['en'], types: ['public'] })
      : new Holidays(region.country, { languages: ['en'], types: ['public'] });
    for (const holiday of calendar.getHolidays(year) || []) {
      const date = holiday.date.slice(0, 10);
      // Two holidays on one day: name both, the reason reads better than an arbitrary pick.
      const known = dates.get(date);
      dates.set(date, known && known !== holiday.name ? `${known} / ${holiday.name}` : holiday.name);
    }
    byRegionYear.set(key, dates);
  }
  return dates;
}

/** The public holiday's name on that local date, or undefined on a working day. */
export function holidayOn(date: string, region: HolidayRegion): string | undefined {
  return holidaysOfYear(region, Number(date.slice(0, 4))).get(date);
}

/** Public holidays from fromDate to toDate inclusive (YYYY-MM-DD), in date order. */
export function holidaysBetween(fromDate: string, toDate: string, region: HolidayRegion): Holiday[] {
  const result: Holiday[] = [];
  for (let year = Number(fromDate.slice(0, 4)); year <= Number(toDate.slice(0, 4)); year++) {
    for (const [date, name] of holidaysOfYear(region, year))
      if (date >= fromDate && date <= toDate) result.push({ date, name });
  }
  return result.sort((a, b) => a.date.localeCompare(b.date));
}
