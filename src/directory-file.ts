// The sales directory (teams, reps, availability, capacity, escalation chains), validated field by field.
// RepSchema and TeamSchema are single entries, also used by the admin API to create and update them.
import { z } from 'zod';
import { checkHolidayRegion, holidayCalendars } from './routing/holidays';
import { emailPattern, maxEmailLength } from './intake/email';
import { tzDatabaseNames } from './intake/country';
import { tiers } from './policy/lead-attributes';
import { isValidTimeZone } from './routing/time-zones';
import { parseMinuteRange, rangePattern, weekdays, type WorkingHours } from './routing/working-hours';

const id = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'ids are lowercase letters, digits and dashes');

// The same addresses intake accepts; the document says `format: email` and the exact pattern.
const emailAddress = z
  .email({ pattern: emailPattern, message: 'not an email address, like jane@acme.com' })
  .max(maxEmailLength, `an email address is at most ${maxEmailLength} characters`);

/** The IANA time zones a rep may be in: the tz database's names, current and deprecated, that the runtime knows. */
export const timeZones = tzDatabaseNames.filter(isValidTimeZone).sort() as [string, ...string[]];

const timeZone = z.enum(timeZones, {
  error: 'not an IANA time zone (e.g. America/Chicago, Europe/Berlin)',
});

const hoursRange = z
  .string()
  .superRefine((text, ctx) => {
    const range = parseMinuteRange(text);
    if (typeof range === 'string') ctx.addIssue({ code: 'custom', message: range });
  })
  .meta({
    pattern: rangePattern.source,
    description: 'HH:MM-HH:MM in the local day, the end after the start (24:00 ends the day)',
  });

// A single string is accepted for the common one-interval day ("09:00-17:00") and stored as a list.
const dayHours = z
  .union([hoursRange, z.array(hoursRange)])
  .transform((ranges) => (typeof ranges === 'string' ? [ranges] : ranges))
  .superRefine((ranges, ctx) => {
    const sorted = ranges
      .map((text) => ({ text, range: parseMinuteRange(text) }))
      .filter((r): r is { text: string; range: readonly [number, number] } => typeof r.range !== 'string')
      .sort((a, b) => a.range[0] - b.range[0]);
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i]!.range[0] < sorted[i - 1]!.range[1])
        ctx.addIssue({ code: 'custom', message: `${sorted[i - 1]!.text} and ${sorted[i]!.text} overlap` });
    }
  })
  .meta({
    description: 'One range, or a list of ranges that do not overlap; a day left out (or an empty list) is a day off',
  });

export const defaultWorkingHours: WorkingHours = {
  mon: ['09:00-17:00'],
  tue: ['09:00-17:00'],
  wed: ['09:00-17:00'],
  thu: ['09:00-17:00'],
  fri: ['09:00-17:00'],
};

export const WorkingHoursSchema = z
  .strictObject(
    Object.fromEntries(weekdays.map((day) => [day, dayHours.optional()])) as Record<
      (typeof weekdays)[number],
      z.ZodOptional<typeof dayHours>
    >,
  )
  .refine((hours) => Object.values(hours).some((ranges) => ranges && ranges.length > 0), {
    message: 'a rep works on at least one day',
  })
  // The document states the same rule: some day has a range.
  .meta({
    description: "Per weekday, in the rep's time zone; a rep works on at least one day",
    anyOf: weekdays.map((day) => ({
      required: [day],
      properties: { [day]: { anyOf: [{ type: 'string' }, { type: 'array', minItems: 1 }] } },
    })),
  });

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
/** A local date (the whole day in the rep's time zone) or an instant with its offset. */
const dateOrInstant = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: 'a date (2026-12-02) or a date-time with offset (2026-12-02T14:00:00Z)',
});

export const OutOfOfficeSchema = z
  .strictObject({
    /** First day (or instant) away. */
    from: dateOrInstant,
    /** Last day away, inclusive (or the instant the rep is back). */
    until: dateOrInstant,
    /** Takes the rep's place in the candidate list while they are away. */
    backupRepId: id.nullable().default(null),
    note: z.string().max(200).optional(),
  })
  .superRefine((w, ctx) => {
    // Dates compare as text; an instant is compared by its date part when the other end is a date.
    const from = isoDate.test(w.from) || isoDate.test(w.until) ? w.from.slice(0, 10) : Date.parse(w.from);
    const until = isoDate.test(w.from) || isoDate.test(w.until) ? w.until.slice(0, 10) : Date.parse(w.until);
    if (until < from) ctx.addIssue({ code: 'custom', path: ['until'], message: `ends before it starts (${w.from})` });
  })
  .meta({
    description:
      '`until` is not before `from`: two dates or two instants compare as such; a date and an instant compare by date',
  });

const capacityLimit = z.number().int().min(0).max(10_000);

export const CapacitySchema = z.strictObject({
  /** Open offers the rep may hold at once, all tiers together; null means no limit. */
  total: capacityLimit.nullable().default(null),
  /** Open offers per lead tier, e.g. { A: 2 }: a rep who already holds two A leads gets no third. */
  perTier: z
    .strictObject(
      Object.fromEntries(tiers.map((t) => [t, capacityLimit.optional()])) as Record<
        (typeof tiers)[number],
        z.ZodOptional<typeof capacityLimit>
      >,
    )
    .default({}),
});

const holidayRegions = holidayCalendars();

export const HolidayRegionSchema = z
  .strictObject({
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code in capitals, e.g. US')
      .meta({ enum: holidayRegions.map((r) => r.country), description: 'A country with a holiday calendar' }),
    state: z
      .string()
      .regex(/^[A-Z0-9]{1,3}$/, 'a subdivision code without the country, e.g. IL or BY')
      .nullable()
      .default(null),
  })
  .superRefine((region, ctx) => {
    const problem = checkHolidayRegion(region);
    if (problem) ctx.addIssue({ code: 'custom', path: [problem.field], message: problem.message });
  })
  // The document states the same catalogue: a state, when given, is one of its country's.
  .meta({
    description: "`state`, when given, is one of the `country`'s subdivisions that have a holiday calendar",
    anyOf: [
      { properties: { state: { type: 'null' } } },
      ...holidayRegions
        .filter((r) => r.states.length > 0)
        .map((r) => ({
          required: ['country', 'state'],
          properties: { country: { const: r.country }, state: { enum: r.states } },
        })),
    ],
  });

export const RepSchema = z.strictObject({
  id,
  name: z.string().trim().min(1),
  email: emailAddress,
  teamId: id,
  /** A deactivated rep has left or is suspended: never offered, cannot claim. */
  active: z.boolean().default(true),
  /** The rep's manual away toggle. */
  away: z.boolean().default(false),
  timeZone: timeZone.default('UTC'),
  workingHours: WorkingHoursSchema.default(defaultWorkingHours),
  /** Whose public holidays the rep keeps; null for none. */
  holidays: HolidayRegionSchema.nullable().default(null),
  outOfOffice: z.array(OutOfOfficeSchema).default([]),
  capacity: CapacitySchema.default({ total: null, perTier: {} }),
  /** Share of round-robin leads: a rep of weight 2 gets twice the leads of a rep of weight 1. */
  weight: z.number().int().min(1).max(100).default(1),
});
export type Rep = z.output<typeof RepSchema>;
export type RepInput = z.input<typeof RepSchema>;
export type OutOfOffice = z.output<typeof OutOfOfficeSchema>;
export type Capacity = z.output<typeof CapacitySchema>;

export const EscalationLevelSchema = z.strictObject({
  repId: id,
  slaMinutes: z
    .number()
    .int()
    .positive()
    .max(7 * 24 * 60),
});
export type EscalationLevel = z.output<typeof EscalationLevelSchema>;

export const TeamSchema = z.strictObject({
  id,
  name: z.string().trim().min(1),
  /** Manager first, then up the chain (head of sales last). Level 1 is the first entry. */
  escalation: z.array(EscalationLevelSchema).default([]),
  /** Who is told when the chain is exhausted and the lead waits in the catch-all queue. */
  alertEmail: emailAddress,
  /** How often the catch-all alert repeats until someone claims the lead. */
  catchAllRealertMinutes: z
    .number()
    .int()
    .positive()
    .max(7 * 24 * 60)
    .default(60),
});
export type Team = z.output<typeof TeamSchema>;
export type TeamInput = z.input<typeof TeamSchema>;

export const DirectoryFileSchema = z
  .strictObject({
    teams: z.array(TeamSchema).min(1),
    reps: z.array(RepSchema),
  })
  .superRefine((file, ctx) => {
    const teams = new Set<string>();
    file.teams.forEach((team, t) => {
      if (teams.has(team.id))
        ctx.addIssue({ code: 'custom', path: ['teams', t, 'id'], message: `team ${team.id} is listed twice` });
      teams.add(team.id);
    });
    const reps = new Set<string>();
    file.reps.forEach((rep, r) => {
      if (reps.has(rep.id))
        ctx.addIssue({ code: 'custom', path: ['reps', r, 'id'], message: `rep ${rep.id} is listed twice` });
      reps.add(rep.id);
    });
    file.reps.forEach((rep, r) => {
      if (!teams.has(rep.teamId))
        ctx.addIssue({ code: 'custom', path: ['reps', r, 'teamId'], message: `no team ${rep.teamId}` });
      rep.outOfOffice.forEach((w, o) => {
        if (w.backupRepId === rep.id)
          ctx.addIssue({
            code: 'custom',
            path: ['reps', r, 'outOfOffice', o, 'backupRepId'],
            message: 'a rep cannot be their own backup',
          });
        else if (w.backupRepId && !reps.has(w.backupRepId))
          ctx.addIssue({
            code: 'custom',
            path: ['reps', r, 'outOfOffice', o, 'backupRepId'],
            message: `no rep ${w.backupRepId}`,
          });
      });
    });
    file.teams.forEach((team, t) =>
      team.escalation.forEach((level, l) => {
        if (!reps.has(level.repId))
          ctx.addIssue({
            code: 'custom',
            path: ['teams', t, 'escalation', l, 'repId'],
            message: `no rep ${level.repId}`,
          });
      }),
    );
  });
export type DirectoryFile = z.output<typeof DirectoryFileSchema>;
export type DirectoryFileInput = z.input<typeof DirectoryFileSchema>;

export class DirectoryFileError extends Error {}

export function parseDirectoryFile(json: unknown): DirectoryFile {
  const result = DirectoryFileSchema.safeParse(json);
  if (!result.success)
    throw new DirectoryFileError(
      result.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; '),
    );
  return result.data;
}
