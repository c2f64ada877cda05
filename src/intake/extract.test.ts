// What free text gives away: emails, phones, the writer's name and company, and budgets, in EN/ES/DE/FR inquiries.
import fc from 'fast-check';
import { extractBudget, extractEmail, extractPersonAndCompany, extractPhone } from './extract';

describe('extractEmail', () => {
  it.each([
    ['Hi, reach me at Jane.Doe@Acme-Corp.com, thanks!', 'Jane.Doe@Acme-Corp.com'],
    ['my email: priya.shah+it@gmail.com.', 'priya.shah+it@gmail.com'],
    ['Mi correo es juan.perez@empresa.com.mx y mi cel 55 1234 5678', 'juan.perez@empresa.com.mx'],
    ['Meine E-Mail-Adresse lautet: j.becker@mueller-logistik.de', 'j.becker@mueller-logistik.de'],
    ['Vous pouvez m’écrire à marie.dupont@societe.fr.', 'marie.dupont@societe.fr'],
    ['write to jane.doe (at) acme (dot) co.uk please', 'jane.doe@acme.co.uk'],
    ['correo: ana[at]constructora.es', 'ana@constructora.es'],
    ['<tom@globex.com>', 'tom@globex.com'],
  ])('%s -> %s', (text, email) => {
    expect(extractEmail(text)).toBe(email);
  });

  it('finds nothing in text without an address', () => {
    for (const text of ['call me', 'we are @acme on twitter', 'price is 5@ 10 units', 'jane@localhost'])
      expect(extractEmail(text)).toBeNull();
  });
});

describe('extractPhone', () => {
  it('reads international and national formats in the hinted country', () => {
    expect(extractPhone('Call me on +44 20 7946 0958 after 3pm', [])?.e164).toBe('+442079460958');
    expect(extractPhone('You can call me at (312) 555-0147 anytime', ['US'])?.e164).toBe('+13125550147');
    expect(extractPhone('Tel.: 030 1234567', ['DE'])?.e164).toBe('+49301234567');
    expect(extractPhone('Mi móvil es el 612 34 56 78', ['ES'])?.e164).toBe('+34612345678');
    expect(extractPhone('Tél : 01 23 45 67 89', ['FR'])?.e164).toBe('+33123456789');
  });

  it('needs a hint for national numbers', () => {
    expect(extractPhone('Tel.: 030 1234567', [])).toBeNull();
  });
});

describe('extractPersonAndCompany', () => {
  it.each([
    // English
    ["Hi, I'm Jane Doe from Acme Corp and we need help migrating to AWS.", 'Jane Doe', 'Acme Corp'],
    ["I'm Jane Doe from Acme Corp. We need a quote.", 'Jane Doe', 'Acme Corp'],
    ['Hello, this is Tom Baker with Globex Corporation, please call me back.', 'Tom Baker', 'Globex Corporation'],
    ['My name is Priya Shah and I work at Initech. Our servers keep crashing.', 'Priya Shah', 'Initech'],
    ["I'm Raj, IT manager at Northwind Traders. Call me.", 'Raj', 'Northwind Traders'],
    ['We need a firewall refresh.\n--\nJane Doe\nHead of IT, Acme Ltd\n+44 20 7946 0958', 'Jane Doe', 'Acme Ltd'],
    ['Please advise.\n\nBest regards,\nJohn Smith\nCTO | Widgets Inc.\nwww.widgets.com', 'John Smith', 'Widgets Inc'],
    ['Thanks,\nAmy Lee\nOperations Director\nBlue Harbor Logistics', 'Amy Lee', 'Blue Harbor Logistics'],
    ["Hello\nI am the IT admin at St. Mary's Hospital and we need backup.", null, "St. Mary's Hospital"],
    ["I'm with Tailspin Toys, need a quote for 50 seats of Microsoft 365.", null, 'Tailspin Toys'],
    [
      "My name is Sarah O'Connor and I'm the operations manager at Blue Sky Dental.",
      "Sarah O'Connor",
      'Blue Sky Dental',
    ],
    ['Hi, Jane Doe here, Head of IT at Acme Ltd.', 'Jane Doe', 'Acme Ltd'],
    ['This is Mike from IT. Our Office 365 tenant is broken.', 'Mike', null],
    ['Regards\nDr. Emily Watson\nChief Medical Officer\nRiverside Clinic', 'Emily Watson', 'Riverside Clinic'],
    // Spanish
    [
      'Hola, soy Ana García de Construcciones Pérez, necesitamos soporte técnico.',
      'Ana García',
      'Construcciones Pérez',
    ],
    ['Me llamo Carlos Ruiz y trabajo en Grupo Norte.', 'Carlos Ruiz', 'Grupo Norte'],
    ['Buenos días, trabajo en Acme S.A. y necesitamos migrar a la nube.', null, 'Acme S.A.'],
    ['Les escribo de la empresa Transportes Andaluces porque queremos una auditoría.', null, 'Transportes Andaluces'],
    [
      'Buenas tardes, soy el responsable de sistemas en Hoteles Mediterráneo y necesitamos renovar la red.',
      null,
      'Hoteles Mediterráneo',
    ],
    ['Saludos,\nAna García\nGerente de TI\nConstrucciones Pérez S.L.', 'Ana García', 'Construcciones Pérez S.L.'],
    // German
    [
      'Hallo, ich bin Jan Becker von der Müller Logistik GmbH und wir brauchen Hilfe.',
      'Jan Becker',
      'Müller Logistik GmbH',
    ],
    ['Guten Tag, ich arbeite bei Siemens Healthineers und wir suchen einen Partner.', null, 'Siemens Healthineers'],
    ['Ich bin Leiter der IT bei der Firma Schmidt Bau. Wir haben 80 Mitarbeiter.', null, 'Schmidt Bau'],
    [
      'Mit freundlichen Grüßen\nJan Becker\nLeiter IT bei Müller Logistik GmbH\nTel. 030 1234567',
      'Jan Becker',
      'Müller Logistik GmbH',
    ],
    ['Unsere Firma Müller GmbH sucht einen IT-Dienstleister.', null, 'Müller GmbH'],
    [
      'Hallo zusammen, wir sind ein Mittelständler aus Bayern (Huber Maschinenbau GmbH & Co. KG) und suchen Unterstützung.',
      null,
      'Huber Maschinenbau GmbH & Co. KG',
    ],
    [
      'Sehr geehrte Damen und Herren, ich bin IT-Leiterin bei der Stadtwerke Ulm und wir planen eine Migration.',
      null,
      'Stadtwerke Ulm',
    ],
    // French
    ['Bonjour, je vous écris de la part de Marie Dupont, chez Acme SAS, pour un devis.', 'Marie Dupont', 'Acme SAS'],
    [
      'Je suis Pierre Martin de chez Transports Leroy et nous cherchons un prestataire.',
      'Pierre Martin',
      'Transports Leroy',
    ],
    ['Je travaille chez Boulangeries Paul et nous avons 40 magasins.', null, 'Boulangeries Paul'],
    [
      'Bonjour, je suis responsable informatique chez Groupe Lemoine et nous voulons externaliser le support.',
      null,
      'Groupe Lemoine',
    ],
    [
      "Cordialement,\nMarie Dupont\nDirectrice des systèmes d'information\nDupont Frères SAS",
      'Marie Dupont',
      'Dupont Frères SAS',
    ],
  ])('%s', (text, name, company) => {
    expect(extractPersonAndCompany(text)).toEqual({ name, company });
  });

  it("does not take a place, a pronoun or a company merely mentioned for the writer's company", () => {
    expect(extractPersonAndCompany("I'm Jane from Germany and I need help.").company).toBeNull();
    expect(extractPersonAndCompany('We currently use Microsoft products and need a partner.').company).toBeNull();
    expect(
      extractPersonAndCompany('Hola buenas, somos una pyme de Valencia y queremos pasar a la nube').company,
    ).toBeNull();
    expect(
      extractPersonAndCompany('We use Google Workspace and AWS. I work for a small nonprofit.').company,
    ).toBeNull();
    expect(extractPersonAndCompany("I'm interested in your managed services.")).toEqual({ name: null, company: null });
    expect(extractPersonAndCompany('Estoy interesado en sus servicios, llámenme.')).toEqual({
      name: null,
      company: null,
    });
    expect(extractPersonAndCompany('Ich bin interessiert an einem Angebot.')).toEqual({ name: null, company: null });
    expect(extractPersonAndCompany('Je suis intéressé par vos services.')).toEqual({ name: null, company: null });
  });

  it('never throws and returns trimmed, non-empty values for any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const found = extractPersonAndCompany(text);
        for (const value of [found.name, found.company]) if (value !== null) expect(value).toBe(value.trim());
        for (const value of [found.name, found.company]) if (value !== null) expect(value.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('extractBudget', () => {
  it.each([
    // the brief's examples
    ['Our budget is around $50k for this project', null, 50_000, 'USD', 'budget is around $50k'],
    ['We have €20.000 set aside for the migration', null, 20_000, 'EUR', '€20.000'],
    ['Budget: £15,000', null, 15_000, 'GBP', 'Budget: £15,000'],
    ['we can spend 50k EUR on this', null, 50_000, 'EUR', 'spend 50k EUR'],
    ['Tenemos un presupuesto de 30.000 euros para el proyecto', null, 30_000, 'EUR', 'presupuesto de 30.000 euros'],
    ['Budget 40 000 € für das Projekt', null, 40_000, 'EUR', 'Budget 40 000 €'],
    // more ways people write it
    ['Budget ca. 1,5 Mio. € für 2025', null, 1_500_000, 'EUR', 'Budget ca. 1,5 Mio. €'],
    ['budget $50-80k', null, 50_000, 'USD', 'budget $50-80k'],
    ['presupuesto de 2 millones de euros', null, 2_000_000, 'EUR', 'presupuesto de 2 millones de euros'],
    ['Nous avons un budget de 50 k€ cette année', null, 50_000, 'EUR', 'budget de 50 k€'],
    ['Nous avons un budget de 15 000 euros', null, 15_000, 'EUR', 'budget de 15 000 euros'],
    ['Etat: 25.000,00 €', null, 25_000, 'EUR', 'Etat: 25.000,00 €'],
    ['USD 25,000 budget approved', null, 25_000, 'USD', 'USD 25,000'],
    ['budget 1.2M', 'USD', 1_200_000, 'USD', 'budget 1.2M'],
    ['Budget von 20 Tsd. Euro', null, 20_000, 'EUR', 'Budget von 20 Tsd. Euro'],
    ['budget of C$30,000', null, 30_000, 'CAD', 'budget of C$30,000'],
    ['budget $5k', 'CAD', 5_000, 'CAD', 'budget $5k'],
    ['presupuesto 50 mil pesos', 'MXN', 50_000, 'MXN', 'presupuesto 50 mil pesos'],
    ['Budget: 50k', 'EUR', 50_000, 'EUR', 'Budget: 50k'],
    ['Budget 30.000', 'EUR', 30_000, 'EUR', 'Budget 30.000'],
    ["we could invest up to CHF 80'000", null, 80_000, 'CHF', "invest up to CHF 80'000"],
  ] as const)('%s', (text, defaultCurrency, amount, currency, words) => {
    expect(extractBudget(text, { defaultCurrency })).toEqual({ amount, currency, text: words });
  });

  it('prefers an amount next to a budget word over one merely mentioned', () => {
    expect(extractBudget('Last outage cost us $200k. Our budget for the fix is $40k.')?.amount).toBe(40_000);
  });

  it('leaves out amounts that are not money or not clearly a budget', () => {
    expect(extractBudget('budget for 2025 is tight', { defaultCurrency: 'EUR' })).toBeNull();
    expect(extractBudget('budget for 50 users', { defaultCurrency: 'USD' })).toBeNull();
    expect(extractBudget('we lost 20% of revenue', { defaultCurrency: 'USD' })).toBeNull();
    expect(extractBudget('call +44 20 7946 0958, budget unclear', { defaultCurrency: 'GBP' })).toBeNull();
    expect(extractBudget('around 50 m from the station')).toBeNull();
    expect(extractBudget('Budget: 50k')).toBeNull(); // no currency and no country to take one from
    expect(extractBudget('We have 250 employees and 3 offices')).toBeNull();
  });

  it('reads any euro amount written the German way', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999 }), fc.integer({ min: 0, max: 999 }), (thousands, units) => {
        const written = `${thousands}.${String(units).padStart(3, '0')} €`;
        expect(extractBudget(`Unser Budget liegt bei ${written}.`)).toMatchObject({
          amount: thousands * 1000 + units,
          currency: 'EUR',
        });
      }),
    );
  });
});
