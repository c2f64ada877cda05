// The three intake shapes at the boundary: what they accept, what they refuse, and that every refusal names its field.
import { z } from 'zod';
import {
  ChatTranscriptSchema,
  fieldIssues,
  parsePartnerBatch,
  PartnerLeadSchema,
  WebFormSchema,
  type FieldIssue,
} from './schemas';

function issuesOf(schema: z.ZodType, body: unknown): FieldIssue[] {
  const result = schema.safeParse(body);
  if (result.success) throw new Error(`expected a refusal, got ${JSON.stringify(result.data)}`);
  return fieldIssues(result.error);
}

describe('WebFormSchema', () => {
  it('accepts a half-filled form: blank fields count as absent, text is trimmed', () => {
    const form = WebFormSchema.parse({
      name: '  Jane Doe ',
      email: ' jane@acme.com ',
      phone: '',
      company: '   ',
      website: '',
      message: '  Need help  ',
      country: '',
    });
    expect(form).toEqual({
      name: 'Jane Doe',
      email: 'jane@acme.com',
      phone: undefined,
      company: undefined,
      website: undefined,
      message: 'Need help',
      country: undefined,
    });
  });

  it('accepts nulls as absent and defaults the message to empty', () => {
    expect(WebFormSchema.parse({ email: 'jane@acme.com', name: null, message: null })).toMatchObject({
      email: 'jane@acme.com',
      name: undefined,
      message: '',
    });
    expect(WebFormSchema.parse({ email: 'jane@acme.com' }).message).toBe('');
  });

  it('accepts a form with only a phone the country makes readable', () => {
    expect(WebFormSchema.parse({ phone: '030 1234567', country: 'Deutschland' })).toMatchObject({
      phone: '030 1234567',
      country: 'Deutschland',
    });
    expect(WebFormSchema.parse({ phone: '030 1234567', website: 'www.mueller-logistik.de' }).phone).toBe('030 1234567');
    expect(WebFormSchema.parse({ phone: '+44 20 7946 0958' }).phone).toBe('+44 20 7946 0958');
  });

  it('lets words around a typed phone through, and reads the number from it', () => {
    expect(WebFormSchema.parse({ phone: '030 1234567 (Zentrale)', country: 'DE' }).phone).toBe(
      '030 1234567 (Zentrale)',
    );
    expect(WebFormSchema.safeParse({ email: 'jane@acme.com', phone: 'n/a' }).success).toBe(false);
  });

  it('requires a way to reach the person, on the email field', () => {
    expect(issuesOf(WebFormSchema, { name: 'Jane', message: 'call me' })).toEqual([
      { field: 'email', message: 'email or phone is required: give at least one way to reach the person' },
    ]);
    expect(issuesOf(WebFormSchema, { email: '', phone: '  ' }).map((i) => i.field)).toEqual(['email']);
  });

  it('names the phone when the only contact is a phone that cannot be read', () => {
    expect(issuesOf(WebFormSchema, { phone: '(312) 555-0147' }).map((i) => i.field)).toEqual(['phone', 'email']);
    expect(WebFormSchema.safeParse({ phone: '(312) 555-0147', country: 'US' }).success).toBe(true);
  });

  it('refuses an unknown field and names it', () => {
    expect(issuesOf(WebFormSchema, { email: 'jane@acme.com', fax: '123', utm_source: 'x' })).toEqual([
      { field: 'fax', message: 'fax is not a known field' },
      { field: 'utm_source', message: 'utm_source is not a known field' },
    ]);
  });

  it.each([
    [{ email: 'jane@' }, 'email', 'email must be a valid email address, like jane@acme.com'],
    [{ email: 42 }, 'email', 'email must be text'],
    [
      { email: 'jane@acme.com', phone: 'call me maybe' },
      'phone',
      'phone must be a phone number, like +44 20 7946 0958',
    ],
    [{ email: 'jane@acme.com', country: 'Narnia' }, 'country', /^country must be an ISO 3166-1 alpha-2 code/],
    [
      { email: 'jane@acme.com', companySize: 'lots' },
      'companySize',
      /^companySize must be a number of employees or a range like "50-200" \(got "lots"\)$/,
    ],
    [{ email: 'jane@acme.com', companySize: '200-50' }, 'companySize', /^companySize range must go from low to high/],
    [
      { email: 'jane@acme.com', companySize: true },
      'companySize',
      'companySize must be a number of employees or a range like "50-200"',
    ],
    [
      { email: 'jane@acme.com', website: 'n/a' },
      'website',
      'website must be a web address, like acme.com or https://www.acme.com',
    ],
    [
      { email: 'jane@acme.com', pageUrl: 'javascript:alert(1)' },
      'pageUrl',
      'pageUrl must be an http(s) URL, like https://www.example.com/contact',
    ],
    [{ email: 'jane@acme.com', name: 'x'.repeat(201) }, 'name', 'name must be at most 200 characters'],
    [{ email: 'jane@acme.com', message: 'x'.repeat(20_001) }, 'message', 'message must be at most 20000 characters'],
  ] as Array<[object, string, string | RegExp]>)('%j is refused on %s', (body, field, message) => {
    const issues = issuesOf(WebFormSchema, body);
    expect(issues.map((issue) => issue.field)).toEqual([field]);
    expect(issues[0]?.message).toMatch(message);
  });

  it('says what the body must be when it is not an object', () => {
    expect(issuesOf(WebFormSchema, 'hello')).toEqual([
      { field: '(body)', message: 'the body must be a web form object' },
    ]);
    expect(issuesOf(WebFormSchema, null)).toEqual([{ field: '(body)', message: 'the body must be a web form object' }]);
  });

  it('accepts company sizes as counts or bands, and websites with or without scheme', () => {
    expect(WebFormSchema.parse({ email: 'a@acme.com', companySize: 120 }).companySize).toBe(120);
    expect(WebFormSchema.parse({ email: 'a@acme.com', companySize: '50-200' }).companySize).toBe('50-200');
    for (const website of ['acme.com', 'www.acme.co.uk/about', 'https://acme.de', 'http://shop.acme.com.mx/']) {
      expect(WebFormSchema.parse({ email: 'a@acme.com', website }).website).toBe(website);
    }
  });
});

describe('ChatTranscriptSchema', () => {
  const line = (from: string, text: string, at?: string) => ({ from, text, ...(at ? { at } : {}) });

  it('accepts a chat without a visitor block', () => {
    const chat = ChatTranscriptSchema.parse({
      transcript: [line('visitor', 'hi, jane@acme.com here', '2025-03-01T09:30:00Z')],
    });
    expect(chat.visitor).toBeUndefined();
    expect(chat.transcript[0]?.at).toBe('2025-03-01T09:30:00Z');
  });

  it('accepts times with an offset', () => {
    expect(
      ChatTranscriptSchema.safeParse({ transcript: [line('agent', 'hola', '2025-03-01T10:30:00+01:00')] }).success,
    ).toBe(true);
  });

  it('refuses an empty transcript, bad speakers and times, and unknown fields, naming each', () => {
    expect(issuesOf(ChatTranscriptSchema, { transcript: [] })).toEqual([
      { field: 'transcript', message: 'transcript must have at least one line' },
    ]);
    expect(issuesOf(ChatTranscriptSchema, {})).toEqual([
      { field: 'transcript', message: 'transcript must be a list of chat lines' },
    ]);
    expect(
      issuesOf(ChatTranscriptSchema, {
        transcript: [line('visitor', 'ok'), { from: 'customer', text: 'hi', at: 'yesterday', mood: 'happy' }],
        visitor: { name: 'Jane', mail: 'jane@acme.com' },
      }),
    ).toEqual([
      { field: 'transcript.1.from', message: 'from must be one of visitor, agent, bot' },
      { field: 'transcript.1.at', message: 'at must be an ISO 8601 date-time, like 2025-03-01T09:30:00Z' },
      { field: 'transcript.1.mood', message: 'mood is not a known field' },
      { field: 'visitor.mail', message: 'mail is not a known field' },
    ]);
  });

  it('validates the visitor block like a form', () => {
    expect(
      issuesOf(ChatTranscriptSchema, { transcript: [line('visitor', 'hi')], visitor: { email: 'not-an-email' } }),
    ).toEqual([{ field: 'visitor.email', message: 'visitor.email must be a valid email address, like jane@acme.com' }]);
  });
});

describe('PartnerLeadSchema and parsePartnerBatch', () => {
  it("requires the partner's externalId", () => {
    expect(issuesOf(PartnerLeadSchema, { email: 'jane@acme.com' })).toEqual([
      { field: 'externalId', message: "externalId is required: the partner's own id for the lead" },
    ]);
    expect(issuesOf(PartnerLeadSchema, { externalId: '  ', email: 'jane@acme.com' })).toEqual([
      { field: 'externalId', message: 'externalId must not be empty' },
    ]);
  });

  it('validates each item on its own, so one bad lead does not sink the batch', () => {
    const result = parsePartnerBatch({
      leads: [
        { externalId: 'p-1', name: 'Jane Doe', email: 'jane@acme.co.uk', company: 'Acme Ltd', companySize: '50-200' },
        { externalId: 'p-2', email: 'not-an-email', fax: '0' },
        { externalId: 'p-3', phone: '+34 612 34 56 78', country: 'España' },
        'a string',
      ],
    });
    if (!result.ok) throw new Error('envelope refused');
    expect(result.items.map((item) => [item.index, item.ok])).toEqual([
      [0, true],
      [1, false],
      [2, true],
      [3, false],
    ]);
    expect(result.items[0]).toMatchObject({
      lead: { externalId: 'p-1', email: 'jane@acme.co.uk', message: '', companySize: '50-200' },
    });
    expect(result.items[2]).toMatchObject({
      lead: { externalId: 'p-3', phone: '+34 612 34 56 78', country: 'España' },
    });
    expect(result.items.filter((item) => !item.ok)).toEqual([
      {
        index: 1,
        ok: false,
        issues: [
          { field: 'leads.1.email', message: 'email must be a valid email address, like jane@acme.com' },
          { field: 'leads.1.fax', message: 'fax is not a known field' },
        ],
      },
      { index: 3, ok: false, issues: [{ field: 'leads.3', message: 'the body must be a lead object' }] },
    ]);
  });

  it('refuses a repeated externalId on the later item', () => {
    const result = parsePartnerBatch({
      leads: [
        { externalId: 'p-1', email: 'a@acme.com' },
        { externalId: 'p-1', email: 'b@acme.com' },
      ],
    });
    expect(result.ok && result.items[1]).toEqual({
      index: 1,
      ok: false,
      issues: [{ field: 'leads.1.externalId', message: 'externalId "p-1" is already used by leads.0' }],
    });
  });

  it('refuses a bad envelope as a whole, naming the field', () => {
    expect(parsePartnerBatch({ leads: [] })).toEqual({
      ok: false,
      issues: [{ field: 'leads', message: 'leads must have at least one lead' }],
    });
    expect(
      parsePartnerBatch({
        leads: Array.from({ length: 101 }, (_, i) => ({ externalId: `p-${i}`, email: 'a@acme.com' })),
      }),
    ).toEqual({
      ok: false,
      issues: [{ field: 'leads', message: 'leads must have at most 100 leads' }],
    });
    expect(parsePartnerBatch({ lead: [] })).toEqual({
      ok: false,
      issues: [
        { field: 'leads', message: 'leads must be a list of leads' },
        { field: 'lead', message: 'lead is not a known field' },
      ],
    });
    expect(parsePartnerBatch([1, 2])).toEqual({
      ok: false,
      issues: [{ field: '(body)', message: 'the body must be an object with leads' }],
    });
  });
});

describe('fieldIssues', () => {
  it('dots paths, names the body "(body)" and places errors inside a larger body', () => {
    const error = z
      .strictObject({ a: z.object({ b: z.array(z.string()) }) })
      .safeParse({ a: { b: ['x', 1] }, c: 1 }).error;
    expect(error).toBeDefined();
    if (!error) return;
    expect(fieldIssues(error).map((issue) => issue.field)).toEqual(['a.b.1', 'c']);
    expect(fieldIssues(error, ['leads', 3]).map((issue) => issue.field)).toEqual(['leads.3.a.b.1', 'leads.3.c']);
    const root = z.string().safeParse(1).error;
    if (root) expect(fieldIssues(root)[0]?.field).toBe('(body)');
  });
});
