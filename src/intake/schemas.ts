// The three shapes leads arrive in (web form, chat transcript, partner API), validated at the boundary with
// messages that name the field. Strict: an unknown field is refused and named.
import { z } from 'zod';
import { readCompanySize } from './company-size';
import { resolveCountry } from './country';
import { emailPatternSource, isEmailAddress } from './email';
import { parsePhone, phoneCountryHints } from './phone';

export interface FieldIssue {
  /** Dotted path of the field ("leads.3.email"), or "(body)" for the body itself. */
  field: string;
  message: string;
}

// Forms send "" (and sometimes null) for a field the person skipped: both count as absent.
function absentIfBlank(value: string | null | undefined): string | undefined {
  return value === null || value === undefined || value === '' ? undefined : value;
}

function text(field: string, max: number) {
  return z
    .string({ error: `${field} must be text` })
    .trim()
    .max(max, `${field} must be at most ${max} characters`)
    .nullish()
    .transform(absentIfBlank);
}

function checkedText(field: string, max: number, accept: (value: string) => boolean, message: string) {
  return z
    .string({ error: `${field} must be text` })
    .trim()
    .max(max, `${field} must be at most ${max} characters`)
    .refine((value) => value === '' || accept(value), message)
    .nullish()
    .transform(absentIfBlank);
}

const nameField = (field = 'name') => text(field, 200);
// The document's pattern is the check's own, allowing the blank value and the spaces trimmed around the address.
const emailField = (field = 'email') =>
  checkedText(field, 320, isEmailAddress, `${field} must be a valid email address, like jane@acme.com`).meta({
    pattern: blankOr(new RegExp(`^(?=\\S{1,254}\\s*$)${emailPatternSource.slice(1, -1)}$`)),
  });
// Forms get "030 1234567 (Zentrale)" or "mobile: +44 7911 123456": words are let through, but there must be enough
// digits to be a number at all. Whether it is a real number is decided against the country (requireReachable).
const phoneField = (field = 'phone') =>
  checkedText(
    field,
    40,
    (value) => (value.match(/\d/g)?.length ?? 0) >= 5,
    `${field} must be a phone number, like +44 20 7946 0958`,
  ).meta({ pattern: '^\\s*$|(?:\\D*\\d){5}' });
const countryField = (field = 'country') =>
  checkedText(
    field,
    80,
    (value) => resolveCountry(value) !== null,
    `${field} must be an ISO 3166-1 alpha-2 code (DE) or a country name in English, Spanish, German or French (Germany, Alemania, Deutschland, Allemagne)`,
  );
const websiteField = (field = 'website') =>
  checkedText(
    field,
    2000,
    (value) => webAddressPattern.test(value),
    `${field} must be a web address, like acme.com or https://www.acme.com`,
  ).meta({ pattern: blankOr(webAddressPattern) });
const pageUrlField = (field = 'pageUrl') =>
  checkedText(
    field,
    2000,
    (value) => httpUrlPattern.test(value),
    `${field} must be an http(s) URL, like https://www.example.com/contact`,
  ).meta({ pattern: blankOr(httpUrlPattern) });
const externalIdField = (field = 'externalId') => text(field, 200);
const messageField = () =>
  z
    .string({ error: 'message must be text' })
    .trim()
    .max(20_000, 'message must be at most 20000 characters')
    .nullish()
    .transform((value) => value ?? '');
const companySizeField = () =>
  z
    .union([z.number(), z.string()], { error: 'companySize must be a number of employees or a range like "50-200"' })
    .superRefine((value, ctx) => {
      if (typeof value === 'string' && value.trim() === '') return;
      const reading = readCompanySize(value);
      if (!reading.ok) ctx.addIssue({ code: 'custom', message: reading.message });
    })
    .nullish()
    .transform((value) => (typeof value === 'string' ? absentIfBlank(value.trim()) : (value ?? undefined)));

// A web address as forms get it ("acme.com", "www.acme.com/about" or a full URL): an http(s) host name of dotted
// labels with a letter TLD, an optional port and anything after it without spaces. A pattern rather than the URL
// parser, so the document states exactly what is accepted.
const hostName = '(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}\\.?(?::[0-9]{1,4})?';
const webAddressPattern = new RegExp(`^(?:[Hh][Tt][Tt][Pp][Ss]?://)?${hostName}(?:[/?#]\\S*)?$`);
// The page a form or chat was sent from: the same, with its scheme.
const httpUrlPattern = new RegExp(`^[Hh][Tt][Tt][Pp][Ss]?://${hostName}(?:[/?#]\\S*)?$`);

/** The document's pattern for a checked text field: blank (absent), or the value with spaces around it. */
function blankOr(pattern: RegExp): string {
  return `^\\s*$|^\\s*${pattern.source.slice(1, -1)}\\s*$`;
}

// Field documentation for the OpenAPI document the API generates from these schemas.
const describe = {
  email: 'Email or phone is required (one way to reach the person)',
  phone: 'Any common format: international (+44 20 7946 0958) or national in the country given ((312) 555-0147)',
  website: 'acme.com, www.acme.com/about or a full URL',
  message: 'What the person wrote; read for contact details, company and budget, and classified',
  country: 'ISO 3166-1 alpha-2 code (DE) or a country name in English, Spanish, German or French (Deutschland)',
  companySize: 'Employees: a number, or a range like "50-200" or "1000+" (read as its lower bound)',
};

const reachMessage = 'email or phone is required: give at least one way to reach the person';

/**
 * The reachability rule (requireReachable) as the OpenAPI document states it: an email, or a phone, that is not blank.
 * Whether the phone is a real number in the lead's country is said in the description; a schema cannot check it.
 */
export const reachabilityRule = {
  description:
    'At least one way to reach the person is required: `email` (a valid address) or `phone` (international, like +44 20 7946 0958, or valid in the `country` given or the one its email or website domain points to). Blank strings count as absent.',
  anyOf: [
    { required: ['email'], properties: { email: { type: 'string', pattern: '\\S' } } },
    { required: ['phone'], properties: { phone: { type: 'string', pattern: '\\S' } } },
  ],
};

// A body that is not an object at all gets one issue on "(body)" that says what was expected.
const objectBody = (what: string) => ({
  error: (issue: { code: string }) => (issue.code === 'invalid_type' ? `the body must be ${what}` : undefined),
});

// A way to reach the person: a valid email, or a phone number that is international or valid in the country the
// lead gives or its mail or website ccTLD points to. A phone that cannot be read gets its own issue, so the sender
// knows which field to fix.
function requireReachable(
  value: {
    email?: string | undefined;
    phone?: string | undefined;
    country?: string | undefined;
    website?: string | undefined;
  },
  ctx: z.RefinementCtx,
) {
  const phoneReadable = value.phone !== undefined && parsePhone(value.phone, phoneCountryHints(value)) !== null;
  if (value.email !== undefined || phoneReadable) return;
  if (value.phone !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['phone'],
      message: 'phone is not a valid number: write it with its country code (+49 30 1234567) or give country',
    });
  }
  ctx.addIssue({ code: 'custom', path: ['email'], message: reachMessage });
}

/** What a form and a partner lead both say about the person; fresh schemas per call, as each object owns its fields. */
function contactFields() {
  return {
    name: nameField(),
    email: emailField().describe(describe.email),
    phone: phoneField().describe(describe.phone),
    company: text('company', 200),
    website: websiteField().describe(describe.website),
    message: messageField().describe(describe.message),
    country: countryField().describe(describe.country),
    companySize: companySizeField().describe(describe.companySize),
  };
}

/** A web form, often half-filled. At least an email or a phone number is required. */
export const WebFormSchema = z
  .strictObject(
    {
      ...contactFields(),
      externalId: externalIdField().describe('Your own id for this submission, if any'),
      pageUrl: pageUrlField().describe('The page the form was sent from'),
    },
    objectBody('a web form object'),
  )
  .superRefine(requireReachable)
  .meta(reachabilityRule);
export type WebForm = z.output<typeof WebFormSchema>;

export const chatSpeakers = ['visitor', 'agent', 'bot'] as const;

const ChatLineSchema = z.strictObject({
  from: z.enum(chatSpeakers, { error: `from must be one of ${chatSpeakers.join(', ')}` }),
  text: z.string({ error: 'text must be text' }).max(10_000, 'text must be at most 10000 characters'),
  at: z.iso.datetime({ offset: true, error: 'at must be an ISO 8601 date-time, like 2025-03-01T09:30:00Z' }).optional(),
});

/**
 * A chat transcript. Contact details often appear only in the visitor's lines, so the visitor block is optional
 * here; whether the chat is reachable is decided after extraction (normaliseChat).
 */
export const ChatTranscriptSchema = z.strictObject(
  {
    transcript: z
      .array(ChatLineSchema, { error: 'transcript must be a list of chat lines' })
      .min(1, 'transcript must have at least one line')
      .max(1000, 'transcript must have at most 1000 lines')
      .describe("The chat in order. Only the visitor's lines are read for contact details and classified."),
    visitor: z
      .strictObject(
        { name: nameField('visitor.name'), email: emailField('visitor.email'), phone: phoneField('visitor.phone') },
        { error: 'visitor must be an object with name, email, phone' },
      )
      .optional()
      .describe('What the chat tool knows of the visitor; may be left out when they wrote it in the chat'),
    pageUrl: pageUrlField().describe('The page the chat was started on'),
    country: countryField().describe(describe.country),
    externalId: externalIdField().describe("The chat tool's id for this conversation, if any"),
  },
  objectBody('a chat object with a transcript'),
);
export type ChatTranscript = z.output<typeof ChatTranscriptSchema>;

/** One lead from a partner. externalId (the partner's own id) is required; so is an email or a phone number. */
export const PartnerLeadSchema = z
  .strictObject(
    {
      externalId: z
        .string({ error: "externalId is required: the partner's own id for the lead" })
        .trim()
        .min(1, 'externalId must not be empty')
        .max(200, 'externalId must be at most 200 characters')
        .meta({ pattern: '\\S' })
        .describe("The partner's own id for the lead: its identity, so resubmitting it is safe"),
      ...contactFields(),
    },
    objectBody('a lead object'),
  )
  .superRefine(requireReachable)
  .meta(reachabilityRule);
export type PartnerLead = z.output<typeof PartnerLeadSchema>;

export const maxPartnerBatch = 100;

/** The batch envelope; each item is validated separately so one bad lead does not sink the others. */
export const PartnerBatchSchema = z.strictObject(
  {
    leads: z
      .array(z.unknown(), { error: 'leads must be a list of leads' })
      .min(1, 'leads must have at least one lead')
      .max(maxPartnerBatch, `leads must have at most ${maxPartnerBatch} leads`)
      // What each lead must be, though each is judged on its own (a bad one is refused in its result, not the batch).
      .meta({
        items: z.toJSONSchema(PartnerLeadSchema, { io: 'input', target: 'draft-2020-12' }),
        description:
          'Each lead is validated on its own against this schema: one that breaks it is refused in its result',
      }),
  },
  objectBody('an object with leads'),
);

export type PartnerBatchItem =
  { index: number; ok: true; lead: PartnerLead } | { index: number; ok: false; issues: FieldIssue[] };
export type PartnerBatchResult = { ok: false; issues: FieldIssue[] } | { ok: true; items: PartnerBatchItem[] };

/**
 * Validates a partner batch: the envelope first (a bad one refuses the whole body), then each lead on its own.
 * Item issues carry their place ("leads.3.email"). A repeated externalId is refused on the later item: the
 * partner's id is the lead's identity, so two different leads cannot share it.
 */
export function parsePartnerBatch(body: unknown): PartnerBatchResult {
  const envelope = PartnerBatchSchema.safeParse(body);
  if (!envelope.success) return { ok: false, issues: fieldIssues(envelope.error) };
  const firstIndexById = new Map<string, number>();
  const items = envelope.data.leads.map((item, index): PartnerBatchItem => {
    const parsed = PartnerLeadSchema.safeParse(item);
    if (!parsed.success) return { index, ok: false, issues: fieldIssues(parsed.error, ['leads', index]) };
    const earlier = firstIndexById.get(parsed.data.externalId);
    if (earlier !== undefined) {
      return {
        index,
        ok: false,
        issues: [
          {
            field: `leads.${index}.externalId`,
            message: `externalId ${JSON.stringify(parsed.data.externalId)} is already used by leads.${earlier}`,
          },
        ],
      };
    }
    firstIndexById.set(parsed.data.externalId, index);
    return { index, ok: true, lead: parsed.data };
  });
  return { ok: true, items };
}

function dottedPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((key) => String(key)).join('.');
}

/**
 * A zod error as the API's 400 answer lists it: one entry per problem, the field as a dotted path ("(body)" for the
 * body itself), an unknown field named as itself. basePath places the error inside a larger body.
 */
export function fieldIssues(error: z.ZodError, basePath: ReadonlyArray<PropertyKey> = []): FieldIssue[] {
  return error.issues.flatMap((issue): FieldIssue[] => {
    const path = [...basePath, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: dottedPath([...path, key]), message: `${key} is not a known field` }));
    }
    return [{ field: dottedPath(path) || '(body)', message: issue.message }];
  });
}
