// The trained classifier: accuracy floors on the held-out evaluation set, explanations, deadlines, spam kinds,
// a deployment's own service lines, and robustness on any input.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { trainClassifier, type LeadClassifier } from './classifier';
import { defaultReceivedAt, parseCorpus, type LabelledInquiry } from './corpus';
import { arrivalDay } from './timeline';

const dataDir = path.join(__dirname, '..', '..', 'data', 'classifier');
const readCorpus = (file: string) => parseCorpus(fs.readFileSync(path.join(dataDir, file), 'utf8'), file);
const at = '2025-03-10T09:00:00Z';

let classifier: LeadClassifier;
beforeAll(() => {
  classifier = trainClassifier(readCorpus('training.jsonl'));
});

const classify = (text: string, receivedAt = at) => classifier.classify({ text, receivedAt });

describe('on the held-out evaluation set (floors well under the measured figures, so a regression fails)', () => {
  let evaluation: LabelledInquiry[];
  let results: Array<{ example: LabelledInquiry; result: ReturnType<LeadClassifier['classify']> }>;
  beforeAll(() => {
    evaluation = readCorpus('evaluation.jsonl');
    results = evaluation.map((example) => ({
      example,
      result: classifier.classify({
        text: example.text,
        receivedAt: example.receivedAt ?? defaultReceivedAt,
        timeZone: example.timeZone ?? null,
      }),
    }));
  });
  const share = (hits: number, of: number) => hits / of;

  test('service line right for at least 80% of genuine inquiries', () => {
    const genuine = results.filter((r) => !r.example.spam);
    expect(
      share(genuine.filter((r) => r.result.serviceLine === r.example.serviceLine).length, genuine.length),
    ).toBeGreaterThanOrEqual(0.8);
  });

  test('urgency right for at least 80% of genuine inquiries', () => {
    const genuine = results.filter((r) => !r.example.spam);
    expect(
      share(genuine.filter((r) => r.result.urgency === r.example.urgency).length, genuine.length),
    ).toBeGreaterThanOrEqual(0.8);
  });

  test('at least 85% of spam caught, at most 5% of genuine inquiries thrown out', () => {
    const spam = results.filter((r) => r.example.spam);
    const genuine = results.filter((r) => !r.example.spam);
    expect(share(spam.filter((r) => r.result.spam).length, spam.length)).toBeGreaterThanOrEqual(0.85);
    expect(share(genuine.filter((r) => r.result.spam).length, genuine.length)).toBeLessThanOrEqual(0.05);
  });
});

describe('explanations', () => {
  test('the service line names the words that point to it, with the probability', () => {
    const c = classify('We need to migrate our data centre to AWS, about 40 virtual machines');
    expect(c.serviceLine).toBe('cloud-migration');
    expect(c.reasons[0]).toMatch(/^words '.+' point to cloud-migration \(p=(?:0\.\d\d|1\.00)\)$/);
    expect(c.reasons[0]).toContain("'migrate'");
    expect(c.confidence.serviceLine).toBeGreaterThan(0.5);
  });

  test('an existing customer complaining is support, not sales', () => {
    expect(
      classify('The VPN you installed for us last week stopped working, nobody can log in. Ticket 4521.').serviceLine,
    ).toBe('support');
  });

  test('Spanish, German and French inquiries land on their service lines', () => {
    expect(classify('Necesitamos un test de intrusión y una auditoría de seguridad de la red').serviceLine).toBe(
      'cybersecurity',
    );
    expect(classify('Wir suchen jemanden für Power BI Berichte und ein Dashboard für den Vertrieb').serviceLine).toBe(
      'data-analytics',
    );
    expect(
      classify('Nous cherchons un prestataire pour la maintenance de nos 40 postes et du réseau').serviceLine,
    ).toBe('managed-it');
  });

  test('an empty message goes to other, saying there was nothing to read', () => {
    const c = classify('   ');
    expect(c).toMatchObject({ serviceLine: 'other', urgency: 'none', spam: false, timeline: null });
    expect(c.reasons[0]).toBe('no message to read → other');
  });
});

describe('urgency', () => {
  test('an explicit deadline decides, and the reason says why', () => {
    const c = classify('Penetration test of our web shop, results by Friday please');
    expect(c.urgency).toBe('this-week');
    expect(c.timeline).toEqual({ text: 'by Friday', dueBy: '2025-03-14' });
    expect(c.confidence.urgency).toBe(1);
    expect(c.reasons[1]).toMatch(
      /^'by Friday' is due 2025-03-14, 4 days after arrival → this-week \((the wording agrees|explicit dates win over the wording, which suggested .+)\)$/,
    );
  });

  test('the same words arriving on Thursday are a deadline tomorrow: now', () => {
    expect(classify('Penetration test of our web shop, results by Friday please', '2025-03-13T09:00:00Z').urgency).toBe(
      'now',
    );
  });

  test('with no deadline the wording decides: an outage is now, exploring is none', () => {
    const outage = classify('Ransomware has encrypted all our servers, we cannot work');
    expect(outage.urgency).toBe('now');
    expect(outage.timeline).toBeNull();
    expect(outage.reasons[1]).toMatch(/^no deadline named; words? .+ points? to now \(p=/);
    expect(classify('We are exploring options for a data warehouse, just gathering information').urgency).toBe('none');
  });

  test('urgency words a negation governs are no evidence of now, in four languages', () => {
    for (const text of [
      'We will be away for a week, nothing urgent, please send a quote for backups when you can',
      "Nous serons absents une semaine, rien d'urgent, envoyez-nous un devis pour les sauvegardes",
      'Es ist nicht dringend, wir möchten ein Angebot für Backups',
      'No es urgente, queremos un presupuesto para copias de seguridad',
    ])
      expect({ text, urgency: classify(text).urgency }).toEqual({ text, urgency: 'none' });
    expect(classify('Urgent: our mail server is down and nobody can work').urgency).toBe('now');
  });
});

describe('spam', () => {
  test('a sales pitch is sales spam, with the words that gave it away', () => {
    const c = classify('We sell high quality backlinks and guest posts on DA 50+ sites, cheap prices');
    expect(c).toMatchObject({ spam: true, spamKind: 'sales-spam' });
    expect(c.reasons.at(-1)).toMatch(/^sales spam: words '.+' \(p=/);
  });

  test('test submissions and gibberish are told apart by their shape', () => {
    expect(classify('Testing the form, please ignore')).toMatchObject({ spam: true, spamKind: 'test' });
    expect(classify('asdfasdf')).toMatchObject({ spam: true, spamKind: 'test' });
    expect(classify('kjsdhf qwpzx vbnmtr')).toMatchObject({ spam: true, spamKind: 'gibberish' });
  });

  test('a genuine inquiry that mentions a test is not spam', () => {
    expect(classify('Can you run a penetration test on our network next month?').spam).toBe(false);
  });
});

describe("a deployment's own service lines", () => {
  const own = [
    ['Our SAP S/4HANA finance module needs a new cost centre report', 'erp'],
    ['Odoo inventory module keeps miscounting stock', 'erp'],
    ['We need help configuring Microsoft Dynamics 365 Business Central', 'erp'],
    ['Our ERP upgrade to the new SAP version', 'erp'],
    ['Build us an online shop with Shopify', 'web'],
    ['Our WordPress website needs a redesign', 'web'],
    ['We want a new company homepage and landing pages', 'web'],
    ['Web shop checkout page is slow', 'web'],
  ].map(([text, serviceLine]) => ({ text: text!, serviceLine: serviceLine!, urgency: 'none' as const, spam: false }));
  const spam = [
    { text: 'Cheap backlinks and SEO for your site', serviceLine: 'web', urgency: 'none' as const, spam: true },
  ];

  test('the service lines are whatever labels the corpus uses', () => {
    const custom = trainClassifier([...own, ...spam]);
    expect(custom.serviceLines).toEqual(['erp', 'web']);
    expect(custom.classify({ text: 'Problem with our SAP finance reports', receivedAt: at }).serviceLine).toBe('erp');
    expect(custom.classify({ text: 'Redesign of our Shopify web shop', receivedAt: at }).serviceLine).toBe('web');
  });

  test('a corpus that cannot teach the models is refused with a clear error', () => {
    expect(() => trainClassifier(own.filter((e) => e.serviceLine === 'erp').concat(spam))).toThrow(
      'corpus: needs genuine examples of at least two service lines, found 1',
    );
    expect(() => trainClassifier(own)).toThrow(/needs at least one spam example/);
    expect(() => trainClassifier([...own, ...spam], { fallbackServiceLine: 'other' })).toThrow(
      'fallbackServiceLine: other is not a service line of the corpus (erp, web)',
    );
  });
});

describe('properties', () => {
  const receivedAt = fc
    .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
    .map((d) => d.toISOString());
  const text = fc.oneof(
    fc.string({ maxLength: 400 }),
    fc.string({ unit: 'grapheme', maxLength: 200 }),
    fc
      .array(
        fc.constantFrom(
          'urgent',
          'by Friday',
          'AWS',
          'backlinks',
          'test',
          'asdf',
          'Rechnung',
          'mañana',
          '24/7',
          '12/12',
          'Q4',
          '\n> ',
          'From: x',
        ),
        { maxLength: 10 },
      )
      .map((w) => w.join(' ')),
  );

  test('classify never throws, probabilities stay in 0..1, and a deadline is never before arrival', () => {
    fc.assert(
      fc.property(text, receivedAt, (t, r) => {
        const c = classifier.classify({ text: t, receivedAt: r });
        expect(classifier.serviceLines).toContain(c.serviceLine);
        for (const p of Object.values(c.confidence)) {
          expect(p).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThanOrEqual(1);
        }
        expect(c.reasons.length).toBeGreaterThanOrEqual(2);
        if (c.spam) expect(c.spamKind).toBeDefined();
        if (c.timeline)
          expect(c.timeline.dueBy >= new Date(arrivalDay(r) * 86_400_000).toISOString().slice(0, 10)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
