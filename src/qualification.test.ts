// Qualification: fit and intent points with their reasons, tiers, spam thrown out, on the trained classifier.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { trainClassifier, type Classification, type LeadClassifier } from './classification/classifier';
import { parseCorpus } from './classification/corpus';
import { qualify, qualifyClassified, tierFor, type Qualification, type QualificationInput } from './qualification';

const at = '2025-03-10T09:00:00Z';

function input(overrides: Partial<QualificationInput> = {}): QualificationInput {
  return {
    text: '',
    receivedAt: at,
    timeZone: null,
    name: 'Priya Shah',
    email: 'priya@gmail.com',
    company: null,
    companyDomain: null,
    freeMail: true,
    disposableEmail: false,
    phone: null,
    companySize: null,
    budget: null,
    knownCustomer: false,
    ...overrides,
  };
}

/** A reading of the text as the classifier would return it, for scoring rules that must not depend on the model. */
function reading(overrides: Partial<Classification> = {}): Classification {
  return {
    serviceLine: 'other',
    urgency: 'none',
    spam: false,
    timeline: null,
    confidence: { serviceLine: 0.5, urgency: 0.9, spam: 0.99 },
    reasons: ['closest to other', 'no deadline named'],
    language: 'en',
    ...overrides,
  };
}

const sum = (q: Qualification) => q.parts.reduce((total, p) => total + p.points, 0);
const part = (q: Qualification, reason: RegExp) => q.parts.find((p) => reason.test(p.reason));

describe('fit: who is asking', () => {
  test('a bare free-mail lead with an empty message has no fit points', () => {
    expect(qualifyClassified(input(), reading()).fit).toBe(0);
  });

  test('business domain, company, phone and a detailed message each count, with their reasons', () => {
    const q = qualifyClassified(
      input({
        companyDomain: 'acme-corp.example',
        freeMail: false,
        company: ' Acme Corp ',
        phone: '+44 20 7946 0000',
        text: 'x'.repeat(200),
      }),
      reading(),
    );
    expect(q.parts).toEqual([
      { points: 12, reason: 'business email domain acme-corp.example', kind: 'fit' },
      { points: 8, reason: 'names a company (Acme Corp)', kind: 'fit' },
      { points: 4, reason: 'left a phone number', kind: 'fit' },
      { points: 4, reason: 'detailed message', kind: 'fit' },
    ]);
    expect(q.fit).toBe(28);
  });

  test('a free-mail domain earns nothing even if one was passed', () => {
    expect(
      part(qualifyClassified(input({ companyDomain: 'gmail.com', freeMail: true }), reading()), /domain/),
    ).toBeUndefined();
  });

  test.each([
    [5, 3, 'micro business (5 employees)'],
    [10, 6, 'small company (10 employees)'],
    [120, 9, 'mid-sized company (120 employees)'],
    [400, 11, 'large company (400 employees)'],
    [5000, 12, 'enterprise (5000 employees)'],
  ])('%d employees: %d points', (companySize, points, reason) => {
    expect(qualifyClassified(input({ companySize }), reading()).parts).toContainEqual({ points, reason, kind: 'fit' });
  });

  test.each([
    [{ amount: 150_000, currency: 'EUR' }, 10, 'budget 150,000 EUR (≈ €150k)'],
    [{ amount: 30_000, currency: 'usd' }, 8, 'budget 30,000 USD (≈ €28k)'],
    [{ amount: 5_000, currency: 'GBP' }, 5, 'budget 5,000 GBP (≈ €6k)'],
    [{ amount: 900, currency: 'EUR' }, 2, 'budget 900 EUR'],
    [{ amount: 2_000_000, currency: 'JPY' }, 2, 'budget 2,000,000 JPY (currency not banded)'],
  ])('budget %j: %d points', (budget, points, reason) => {
    expect(qualifyClassified(input({ budget }), reading()).parts).toContainEqual({ points, reason, kind: 'fit' });
  });

  test('an existing customer counts as fit', () => {
    expect(qualifyClassified(input({ knownCustomer: true }), reading()).parts).toContainEqual({
      points: 6,
      reason: 'existing customer',
      kind: 'fit',
    });
  });
});

describe('intent: what they asked and how soon', () => {
  test('urgency and a named deadline both count', () => {
    const q = qualifyClassified(
      input(),
      reading({ urgency: 'this-week', timeline: { text: 'by Friday', dueBy: '2025-03-14' } }),
    );
    expect(q.parts).toEqual([
      { points: 16, reason: "urgency this-week ('by Friday')", kind: 'intent' },
      { points: 6, reason: "names a deadline: 'by Friday' (due 2025-03-14)", kind: 'intent' },
    ]);
  });

  test.each([
    ['now', 25],
    ['this-month', 8],
  ] as const)('urgency %s is worth %d', (urgency, points) => {
    expect(qualifyClassified(input(), reading({ urgency })).intent).toBe(points);
  });

  test('buying words in any of the four languages, 3 points each, at most 9', () => {
    expect(part(qualifyClassified(input({ text: 'Please send a quote' }), reading()), /buying/)).toEqual({
      points: 3,
      reason: "buying words: 'quote'",
      kind: 'intent',
    });
    expect(
      part(qualifyClassified(input({ text: 'Bitte ein Angebot, Kosten und Preise' }), reading()), /buying/)?.points,
    ).toBe(9);
    expect(
      part(qualifyClassified(input({ text: 'presupuesto y propuesta, devis, RFP, tender' }), reading()), /buying/)
        ?.points,
    ).toBe(9);
  });

  test('a sales service line counts by the confidence in it; support and other do not', () => {
    expect(
      part(
        qualifyClassified(
          input(),
          reading({ serviceLine: 'cybersecurity', confidence: { serviceLine: 0.9, urgency: 1, spam: 1 } }),
        ),
        /asks about/,
      ),
    ).toEqual({
      points: 9,
      reason: 'asks about cybersecurity (confidence 0.90)',
      kind: 'intent',
    });
    expect(
      part(
        qualifyClassified(
          input(),
          reading({ serviceLine: 'support', confidence: { serviceLine: 1, urgency: 1, spam: 1 } }),
        ),
        /asks about/,
      ),
    ).toBeUndefined();
  });
});

describe('score and tier', () => {
  test('score is fit + intent; tier A from 70, B from 40', () => {
    const strong = qualifyClassified(
      input({
        companyDomain: 'acme.example',
        freeMail: false,
        company: 'Acme',
        companySize: 300,
        phone: '+1 555 0100',
        text: 'Send a quote for the migration, budget approved',
      }),
      reading({ serviceLine: 'cloud-migration', urgency: 'now', confidence: { serviceLine: 1, urgency: 1, spam: 1 } }),
    );
    // fit: 12 + 8 + 11 + 4 = 35; intent: 25 + 6 (quote, budget) + 10 = 41
    expect(strong).toMatchObject({ fit: 35, intent: 41, score: 76, tier: 'A' });
    const middling = qualifyClassified(
      input({ companyDomain: 'acme.example', freeMail: false, company: 'Acme' }),
      reading({
        urgency: 'this-month',
        serviceLine: 'managed-it',
        confidence: { serviceLine: 1, urgency: 1, spam: 1 },
      }),
    );
    expect(middling).toMatchObject({ score: 38, tier: 'C' });
    expect(
      qualifyClassified(
        input({ companyDomain: 'acme.example', freeMail: false, company: 'Acme', phone: '1' }),
        reading({
          urgency: 'this-month',
          serviceLine: 'managed-it',
          confidence: { serviceLine: 1, urgency: 1, spam: 1 },
        }),
      ),
    ).toMatchObject({ score: 42, tier: 'B' });
  });

  test.each([
    [100, 'A'],
    [70, 'A'],
    [69, 'B'],
    [40, 'B'],
    [39, 'C'],
    [0, 'C'],
  ] as const)('tierFor(%d) = %s', (score, tier) => {
    expect(tierFor(score)).toBe(tier);
  });
});

describe('thrown out', () => {
  test("spam scores 0, tier C, no parts, with the classifier's reason", () => {
    const q = qualifyClassified(
      input(),
      reading({
        spam: true,
        spamKind: 'sales-spam',
        reasons: ['closest to other', 'none', "sales spam: words 'backlinks' (p=0.99)"],
      }),
    );
    expect(q).toMatchObject({
      score: 0,
      tier: 'C',
      parts: [],
      fit: 0,
      intent: 0,
      spam: true,
      spamKind: 'sales-spam',
      spamReason: "sales spam: words 'backlinks' (p=0.99)",
    });
    expect(q.reasons.at(-1)).toBe("thrown out: sales spam: words 'backlinks' (p=0.99)");
  });

  test('a disposable address is thrown out whatever the text says', () => {
    expect(
      qualifyClassified(
        input({ email: 'x@mailinator.com', disposableEmail: true }),
        reading({ serviceLine: 'cloud-migration' }),
      ),
    ).toMatchObject({
      spam: true,
      spamKind: 'disposable-email',
      spamReason: 'disposable email address (x@mailinator.com)',
      score: 0,
    });
  });

  test('a known customer is never thrown out as a sales pitch, but a test is still a test', () => {
    const pitchy = qualifyClassified(
      input({ knownCustomer: true }),
      reading({ spam: true, spamKind: 'sales-spam', reasons: ['a', 'b', 'sales spam: words'] }),
    );
    expect(pitchy.spam).toBe(false);
    expect(pitchy.reasons.at(-1)).toBe('reads like a sales pitch but comes from a known customer, so it is kept');
    expect(
      qualifyClassified(
        input({ knownCustomer: true }),
        reading({
          spam: true,
          spamKind: 'test',
          reasons: ['a', 'b', "test submission: 'test' and nothing else to act on"],
        }),
      ),
    ).toMatchObject({ spam: true, spamKind: 'test' });
  });
});

describe('qualify with the trained classifier', () => {
  let classifier: LeadClassifier;
  beforeAll(() => {
    const corpus = fs.readFileSync(path.join(__dirname, '..', 'data', 'classifier', 'training.jsonl'), 'utf8');
    classifier = trainClassifier(parseCorpus(corpus, 'training.jsonl'));
  });

  test('an urgent, well-described request from a business is tier A, with the reading and its reasons', () => {
    const q = qualify(
      input({
        text: 'Our data centre lease ends and we must migrate 40 servers to Azure. Please send a proposal by Friday.',
        email: 'cto@acme-logistics.example',
        companyDomain: 'acme-logistics.example',
        freeMail: false,
        company: 'Acme Logistics',
        companySize: 250,
        phone: '+44 20 7946 0000',
      }),
      classifier,
    );
    expect(q).toMatchObject({
      serviceLine: 'cloud-migration',
      urgency: 'this-week',
      tier: 'A',
      spam: false,
      timeline: { text: 'by Friday', dueBy: '2025-03-14' },
    });
    expect(q.reasons[0]).toMatch(/point to cloud-migration/);
    expect(q.score).toBe(q.fit + q.intent);
  });

  test('a pitch for backlinks is thrown out', () => {
    expect(
      qualify(input({ text: 'We offer cheap backlinks and guest posts to boost your Google ranking' }), classifier),
    ).toMatchObject({ spam: true, spamKind: 'sales-spam', score: 0 });
  });

  test('property: score within 0..100, equal to min(100, sum of parts) = fit + intent, tier agrees, spam explained', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc
        .array(
          fc.constantFrom(
            'urgent',
            'AWS migration',
            'quote',
            'backlinks',
            'test',
            'ransomware',
            'by Friday',
            'presupuesto',
            'Angebot',
            'devis',
            'x'.repeat(120),
          ),
          { maxLength: 8 },
        )
        .map((w) => w.join(' ')),
    );
    const arbitrary = fc.record({
      text,
      companyDomain: fc.option(fc.constantFrom('acme.example', 'globex.example'), { nil: null }),
      freeMail: fc.boolean(),
      disposableEmail: fc.boolean(),
      company: fc.option(fc.string({ maxLength: 30 }), { nil: null }),
      phone: fc.option(fc.string({ maxLength: 20 }), { nil: null }),
      companySize: fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: null }),
      budget: fc.option(
        fc.record({
          amount: fc.double({ min: -10, max: 1e9, noNaN: true }),
          currency: fc.constantFrom('EUR', 'USD', 'GBP', 'XYZ'),
        }),
        { nil: null },
      ),
      knownCustomer: fc.boolean(),
    });
    fc.assert(
      fc.property(arbitrary, (fields) => {
        const q = qualify(input(fields), classifier);
        expect(q.score).toBeGreaterThanOrEqual(0);
        expect(q.score).toBeLessThanOrEqual(100);
        expect(q.score).toBe(Math.min(100, sum(q)));
        expect(q.fit + q.intent).toBe(sum(q));
        expect(q.tier).toBe(tierFor(q.score));
        for (const p of q.parts) {
          expect(p.points).toBeGreaterThan(0);
          expect(p.reason).not.toBe('');
        }
        if (q.spam) {
          expect(q).toMatchObject({ score: 0, parts: [] });
          expect(q.spamReason).toMatch(/\S/);
          expect(q.spamKind).toBeDefined();
        } else expect(q.spamReason).toBeUndefined();
        if (fields.disposableEmail) expect(q.spamKind).toBe('disposable-email');
      }),
      { numRuns: 300 },
    );
  });
});
