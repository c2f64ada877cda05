// From each intake shape to the NormalisedLead: realistic messy leads in four languages, and properties that hold
// for anything the schemas accept.
import fc from 'fast-check';
import { regionOfCountry } from './country';
import { canonicalEmail, isDisposableDomain, isFreeMailDomain } from './email';
import type { NormalisedLead } from './normalised-lead';
import { normaliseChat, normalisePartnerLead, normaliseWebForm } from './normalise';
import { ChatTranscriptSchema, parsePartnerBatch, PartnerLeadSchema, WebFormSchema } from './schemas';

const e164 = /^\+[1-9]\d{1,14}$/;

function webForm(body: unknown): NormalisedLead {
  return normaliseWebForm(WebFormSchema.parse(body));
}

function chatLead(body: unknown): NormalisedLead {
  const result = normaliseChat(ChatTranscriptSchema.parse(body));
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.lead;
}

describe('normaliseWebForm', () => {
  it('normalises a complete English form', () => {
    expect(
      webForm({
        name: ' Priya  Shah ',
        email: ' Priya.Shah@Acme-Corp.co.uk ',
        phone: '020 7946 0958',
        company: 'Acme Corp',
        website: 'https://www.acme-corp.co.uk',
        message: 'We need to migrate our data centre to AWS ASAP. Budget around £50k.',
        country: 'United Kingdom',
        companySize: '200-500',
        externalId: 'form-123',
        pageUrl: 'https://leadrelay.example/contact',
      }),
    ).toEqual({
      source: 'web-form',
      externalId: 'form-123',
      name: 'Priya Shah',
      email: 'priya.shah@acme-corp.co.uk',
      emailKey: 'priya.shah@acme-corp.co.uk',
      emailDomain: 'acme-corp.co.uk',
      companyDomain: 'acme-corp.co.uk',
      freeMail: false,
      disposableEmail: false,
      phone: '+442079460958',
      company: 'Acme Corp',
      website: 'https://www.acme-corp.co.uk',
      country: 'GB',
      region: 'emea',
      timeZone: 'Europe/London',
      companySize: 200,
      text: 'We need to migrate our data centre to AWS ASAP. Budget around £50k.',
      budget: { amount: 50_000, currency: 'GBP', text: 'Budget around £50k' },
      extracted: ['budget from message'],
    });
  });

  it('fills a half-filled German form from its message', () => {
    const lead = webForm({
      email: 'Hans.Mueller+anfrage@GoogleMail.com',
      message:
        'Hallo, ich bin Hans Müller von der Müller Logistik GmbH in Hamburg. Rückruf bitte unter 040 1234567. Budget 40 000 €.',
      country: 'Deutschland',
    });
    expect(lead).toMatchObject({
      name: 'Hans Müller',
      email: 'hans.mueller+anfrage@googlemail.com',
      emailKey: 'hansmueller@gmail.com',
      freeMail: true,
      companyDomain: null,
      company: 'Müller Logistik GmbH',
      phone: '+49401234567',
      country: 'DE',
      region: 'emea',
      timeZone: 'Europe/Berlin',
      budget: { amount: 40_000, currency: 'EUR', text: 'Budget 40 000 €' },
      extracted: ['phone from message', 'name from message', 'company from message', 'budget from message'],
    });
  });

  it('reads a Spanish form with only a phone, the country given by name', () => {
    const lead = webForm({
      phone: '612 34 56 78',
      country: 'España',
      message: 'Hola, soy Ana García de Construcciones Pérez. Tenemos un presupuesto de 30.000 euros.',
    });
    expect(lead).toMatchObject({
      email: null,
      emailKey: null,
      phone: '+34612345678',
      country: 'ES',
      region: 'emea',
      timeZone: 'Europe/Madrid',
      name: 'Ana García',
      company: 'Construcciones Pérez',
      budget: { amount: 30_000, currency: 'EUR' },
    });
  });

  it('reads a French form and a Mexican one', () => {
    expect(
      webForm({
        email: 'marie.dupont@societe-dupont.fr',
        message:
          'Bonjour, je suis Marie Dupont de chez Dupont Frères SAS. Notre budget est de 15 000 euros. Tél : 01 23 45 67 89',
      }),
    ).toMatchObject({
      country: 'FR',
      phone: '+33123456789',
      company: 'Dupont Frères SAS',
      companyDomain: 'societe-dupont.fr',
      budget: { amount: 15_000, currency: 'EUR' },
    });
    expect(
      webForm({ email: 'juan@empresa.com.mx', message: 'Presupuesto: 500 mil pesos. Mi cel 55 1234 5678' }),
    ).toMatchObject({
      country: 'MX',
      region: 'latam',
      timeZone: 'America/Mexico_City',
      phone: '+525512345678',
      budget: { amount: 500_000, currency: 'MXN' },
    });
  });

  it('takes the country from the phone when the form has none, else from the company domain', () => {
    expect(webForm({ email: 'jane@acme.com', phone: '+1 (312) 555-0147' })).toMatchObject({
      country: 'US',
      region: 'na',
      timeZone: 'America/New_York',
    });
    expect(webForm({ email: 'jan@bouwbedrijf.nl' })).toMatchObject({
      country: 'NL',
      region: 'emea',
      timeZone: 'Europe/Amsterdam',
    });
    expect(webForm({ email: 'jane@acme.io' })).toMatchObject({ country: null, region: null, timeZone: null });
  });

  it('never makes a free-mail or disposable domain the company domain, falling back to the website', () => {
    expect(webForm({ email: 'jane.doe@gmail.com', website: 'www.doe-consulting.co.uk' })).toMatchObject({
      freeMail: true,
      companyDomain: 'doe-consulting.co.uk',
      country: 'GB',
    });
    expect(webForm({ email: 'jane.doe@yahoo.co.uk' })).toMatchObject({ freeMail: true, companyDomain: null });
    expect(webForm({ email: 'test123@mailinator.com', message: 'asdf' })).toMatchObject({
      disposableEmail: true,
      companyDomain: null,
    });
    expect(webForm({ email: 'x@acme.com', website: 'https://www.linkedin.com/company/acme' })).toMatchObject({
      companyDomain: 'acme.com',
      website: 'https://www.linkedin.com/company/acme',
    });
  });

  it('drops a typed phone that is no valid number when there is an email, and finds one in the message instead', () => {
    expect(webForm({ email: 'jane@acme.com', phone: '12345' }).phone).toBeNull();
    expect(webForm({ email: 'jane@acme.com', phone: '12345', message: 'Better call +44 20 7946 0958' })).toMatchObject({
      phone: '+442079460958',
      extracted: ['phone from message'],
    });
  });

  it('keeps stated fields over what the message says', () => {
    const lead = webForm({
      name: 'Jane Doe',
      email: 'jane@acme.com',
      company: 'Acme',
      message: "I'm John Smith from Globex Corp, mail john@globex.com",
    });
    expect(lead).toMatchObject({ name: 'Jane Doe', email: 'jane@acme.com', company: 'Acme', extracted: [] });
  });
});

describe('normaliseChat', () => {
  it("reads contact details that appear only in the visitor's lines, and classifies only those lines", () => {
    const lead = chatLead({
      transcript: [
        { from: 'bot', text: 'Hi! What is your email? Our sales line is +1 212 555 0100.' },
        { from: 'visitor', text: 'jane.doe@acme.co.uk' },
        { from: 'agent', text: 'Thanks Jane, our packages start at $5,000. How can we help?' },
        { from: 'visitor', text: "I'm Jane Doe from Acme Ltd, we need a new firewall, budget around £15,000." },
        { from: 'visitor', text: 'call me on 020 7946 0958' },
      ],
      pageUrl: 'https://leadrelay.example/pricing',
    });
    expect(lead).toMatchObject({
      source: 'chat',
      name: 'Jane Doe',
      email: 'jane.doe@acme.co.uk',
      companyDomain: 'acme.co.uk',
      company: 'Acme Ltd',
      phone: '+442079460958',
      country: 'GB',
      budget: { amount: 15_000, currency: 'GBP', text: 'budget around £15,000' },
      text: "jane.doe@acme.co.uk\nI'm Jane Doe from Acme Ltd, we need a new firewall, budget around £15,000.\ncall me on 020 7946 0958",
      extracted: [
        'email from chat line 2',
        'phone from chat line 5',
        'name from chat line 4',
        'company from chat line 4',
        'budget from chat line 4',
      ],
    });
  });

  it('prefers the visitor block over the lines', () => {
    const lead = chatLead({
      transcript: [{ from: 'visitor', text: 'mail my colleague at bob@acme.com' }],
      visitor: { name: 'Ana García', email: 'Ana@Constructora.es', phone: '612 34 56 78' },
      country: 'ES',
    });
    expect(lead).toMatchObject({
      name: 'Ana García',
      email: 'ana@constructora.es',
      phone: '+34612345678',
      extracted: [],
    });
  });

  it('refuses, on the transcript field, a chat that leaves no way to reach the visitor', () => {
    const result = normaliseChat(
      ChatTranscriptSchema.parse({
        transcript: [
          { from: 'visitor', text: 'just looking at prices' },
          { from: 'agent', text: 'sure, email me at sales@leadrelay.example or call +44 20 7946 0000' },
        ],
      }),
    );
    expect(result).toEqual({
      ok: false,
      issues: [
        {
          field: 'transcript',
          message:
            "no way to reach the visitor: no email or phone number in the visitor block or in the visitor's lines",
        },
      ],
    });
  });

  it('reads a German chat with a national number using the country field', () => {
    expect(
      chatLead({
        transcript: [
          { from: 'visitor', text: 'Guten Tag, ich arbeite bei Schmidt Bau. Rufen Sie mich an: 030 1234567' },
        ],
        country: 'Deutschland',
      }),
    ).toMatchObject({
      phone: '+49301234567',
      company: 'Schmidt Bau',
      country: 'DE',
      extracted: ['phone from chat line 1', 'company from chat line 1'],
    });
  });
});

describe('normalisePartnerLead', () => {
  it('normalises the ok items of a batch', () => {
    const batch = parsePartnerBatch({
      leads: [
        {
          externalId: 'P-100',
          name: 'Tom Baker',
          email: 'tom.baker+partner@outlook.com',
          company: 'Globex',
          website: 'globex.com.au',
          companySize: 1200,
          country: 'Australia',
        },
        { externalId: 'P-101', email: 'bad' },
      ],
    });
    if (!batch.ok) throw new Error('envelope refused');
    const leads = batch.items.flatMap((item) => (item.ok ? [normalisePartnerLead(item.lead)] : []));
    expect(leads).toEqual([
      expect.objectContaining({
        source: 'partner-api',
        externalId: 'P-100',
        emailKey: 'tom.baker@outlook.com',
        freeMail: true,
        companyDomain: 'globex.com.au',
        country: 'AU',
        region: 'apac',
        timeZone: 'Australia/Sydney',
        companySize: 1200,
      }),
    ]);
  });
});

describe('properties of normalisation', () => {
  const messages = [
    "Hi, I'm Jane Doe from Acme Corp, budget $50k, call (312) 555-0147",
    'Hallo, ich bin Jan Becker von der Müller GmbH. Budget 40 000 €. Tel 030 1234567',
    'Hola, soy Ana de Pérez S.L., presupuesto de 30.000 euros, móvil 612 34 56 78',
    'Bonjour, je travaille chez Acme SAS, budget 15 000 euros, mail marie@acme.fr',
    'asdf asdf',
    '',
  ];
  const text = (max: number) => fc.oneof(fc.string({ maxLength: max }), fc.constantFrom(...messages));
  const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
  // Mostly plausible values with some junk, so that many bodies pass the schema and some do not.
  const email = fc.oneof(
    // fc.emailAddress() makes RFC-legal oddities ("a{*z/~@...") that forms refuse; people type plainer ones.
    {
      arbitrary: fc
        .tuple(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._+'-]{0,15}[A-Za-z0-9]$/), fc.domain())
        .map(([local, domain]) => `${local}@${domain}`),
      weight: 3,
    },
    {
      arbitrary: fc.constantFrom(
        'Jane.Doe+x@GoogleMail.com',
        'test@mailinator.com',
        'a@x.33m.co',
        'juan@empresa.com.mx',
        'hans@gmx.de',
        'jane@acme.co.uk',
        '',
      ),
      weight: 3,
    },
    { arbitrary: fc.string({ maxLength: 30 }), weight: 1 },
  );
  const phone = fc.oneof(
    {
      arbitrary: fc.constantFrom(
        '+44 20 7946 0958',
        '030 1234567',
        '(312) 555-0147',
        '612 34 56 78',
        '+1 212 555 0100',
        '12345',
        '',
      ),
      weight: 3,
    },
    { arbitrary: fc.stringMatching(/^\+?[0-9 ()./-]{0,24}$/), weight: 1 },
  );
  const country = fc.constantFrom(
    'DE',
    'de',
    'Deutschland',
    'España',
    'US',
    'France',
    'UK',
    'Mexico',
    'Estados Unidos',
    'Narnia',
    '',
  );
  const website = fc.oneof(
    {
      arbitrary: fc.constantFrom(
        'acme.com',
        'https://www.acme.co.uk/x',
        'gmail.com',
        'linkedin.com/in/jane',
        'n/a',
        '',
      ),
      weight: 3,
    },
    { arbitrary: fc.webUrl(), weight: 1 },
  );
  const companySize = fc.oneof(
    { arbitrary: fc.integer({ min: 1, max: 100_000 }), weight: 3 },
    { arbitrary: fc.constantFrom('50-200', '1000+', '<10', '10 bis 49', ''), weight: 3 },
    { arbitrary: fc.oneof(fc.integer({ min: -5, max: 10_000_000 }), fc.string({ maxLength: 10 })), weight: 1 },
  );
  const formBody = fc.record(
    {
      name: maybe(text(60)),
      email: maybe(email),
      phone: maybe(phone),
      company: maybe(text(40)),
      website: maybe(website),
      message: maybe(text(400)),
      country: maybe(country),
      companySize: maybe(companySize),
      externalId: maybe(fc.string({ maxLength: 20 })),
      pageUrl: maybe(fc.webUrl()),
    },
    { requiredKeys: [] },
  );

  function expectWellFormed(lead: NormalisedLead) {
    if (lead.phone !== null) expect(lead.phone).toMatch(e164);
    if (lead.companyDomain !== null) {
      expect(isFreeMailDomain(lead.companyDomain)).toBe(false);
      expect(isDisposableDomain(lead.companyDomain)).toBe(false);
    }
    expect(lead.emailKey).toBe(lead.email === null ? null : canonicalEmail(lead.email));
    if (lead.email !== null) expect(lead.email).toBe(lead.email.trim().toLowerCase());
    if (lead.country !== null) expect(lead.country).toMatch(/^[A-Z]{2}$/);
    // Every country has a sales region except Antarctica (AQ), which a .aq address can still name.
    expect(lead.region).toBe(lead.country === null ? null : regionOfCountry(lead.country));
    if (lead.country !== null && lead.country !== 'AQ') expect(lead.region).not.toBeNull();
    if (lead.companySize !== null) expect(Number.isInteger(lead.companySize) && lead.companySize >= 1).toBe(true);
    if (lead.budget !== null) {
      expect(lead.budget.amount).toBeGreaterThan(0);
      expect(lead.budget.currency).toMatch(/^[A-Z]{3}$/);
    }
  }

  it('never throws on a web form the schema accepts, and keeps every field well-formed', () => {
    let accepted = 0;
    fc.assert(
      fc.property(formBody, (body) => {
        const parsed = WebFormSchema.safeParse(body);
        if (!parsed.success) return;
        accepted += 1;
        expectWellFormed(normaliseWebForm(parsed.data));
      }),
      { numRuns: 1500 },
    );
    // The property is only as good as the number of forms that got through the schema.
    expect(accepted).toBeGreaterThan(300);
  });

  it('never throws on a partner lead the schema accepts', () => {
    let accepted = 0;
    const partnerBody = fc.record(
      {
        externalId: fc.string({ minLength: 1, maxLength: 20 }),
        email: maybe(email),
        phone: maybe(phone),
        country: maybe(country),
        companySize: maybe(companySize),
        message: maybe(text(400)),
        website: maybe(website),
      },
      { requiredKeys: ['externalId'] },
    );
    fc.assert(
      fc.property(partnerBody, (body) => {
        const parsed = PartnerLeadSchema.safeParse(body);
        if (!parsed.success) return;
        accepted += 1;
        expectWellFormed(normalisePartnerLead(parsed.data));
      }),
      { numRuns: 1000 },
    );
    expect(accepted).toBeGreaterThan(200);
  });

  it('never throws on a chat the schema accepts, and refuses exactly the unreachable ones', () => {
    const line = fc.record({ from: fc.constantFrom('visitor', 'agent', 'bot'), text: text(200) });
    const chatBody = fc.record(
      {
        transcript: fc.array(line, { minLength: 1, maxLength: 6 }),
        visitor: maybe(
          fc.record({ name: maybe(text(30)), email: maybe(email), phone: maybe(phone) }, { requiredKeys: [] }),
        ),
        country: maybe(country),
      },
      { requiredKeys: ['transcript'] },
    );
    let accepted = 0;
    fc.assert(
      fc.property(chatBody, (body) => {
        const parsed = ChatTranscriptSchema.safeParse(body);
        if (!parsed.success) return;
        accepted += 1;
        const result = normaliseChat(parsed.data);
        if (result.ok) {
          expectWellFormed(result.lead);
          expect(result.lead.email !== null || result.lead.phone !== null).toBe(true);
        } else {
          expect(result.issues.map((issue) => issue.field)).toEqual(['transcript']);
        }
      }),
      { numRuns: 1000 },
    );
    expect(accepted).toBeGreaterThan(300);
  });
});
