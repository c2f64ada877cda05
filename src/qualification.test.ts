// Qualification rules: spam, service line, urgency, and a score whose every point has a reason.
import fc from 'fast-check';
import type { LeadSubmission } from './lead';
import { qualifyLead, tierFor, type Qualification } from './qualification';

function lead(overrides: Partial<LeadSubmission> = {}): LeadSubmission {
  return { name: 'Priya Shah', email: 'priya@gmail.com', message: '', source: 'web-form', ...overrides };
}

function sumOf(q: Qualification): number {
  return q.parts.reduce((sum, part) => sum + part.points, 0);
}

describe('spam', () => {
  test.each([
    ['We offer SEO services to rank #1 on Google'],
    ['Buy backlinks cheap'],
    ['Casino bonus for your visitors'],
  ])('%j is thrown out with the cue as reason', (message) => {
    const q = qualifyLead(lead({ message, company: 'Acme Corp', email: 'x@acme.example' }));
    expect(q.spam).toBe(true);
    expect(q.spamReason).toMatch(/^sales spam: ".+"$/);
    expect(q).toMatchObject({ score: 0, tier: 'C', parts: [] });
  });

  test('the reason quotes the phrase that gave it away', () => {
    expect(qualifyLead(lead({ message: 'Interested in a guest post on your blog?' })).spamReason).toBe('sales spam: "guest post"');
  });

  test('spam cues in the company name count too', () => {
    expect(qualifyLead(lead({ company: 'Best SEO Agency Ltd' })).spam).toBe(true);
  });

  test('a genuine lead is not spam and carries no spam reason', () => {
    const q = qualifyLead(lead({ message: 'We need help moving to Azure.' }));
    expect(q.spam).toBe(false);
    expect(q.spamReason).toBeUndefined();
  });
});

describe('service line', () => {
  test.each([
    ['We want to migrate our data centre to AWS', 'cloud-migration'],
    ['Looking for a penetration test before our SOC 2 audit', 'cybersecurity'],
    ['We need dashboards in Power BI on top of Snowflake', 'data-analytics'],
    ['Can you run our helpdesk and manage 200 laptops?', 'managed-it'],
    ['Our existing customer portal is down, please help', 'support'],
    ['Do you sponsor local football teams?', 'other'],
  ] as const)('%j → %s', (message, serviceLine) => {
    expect(qualifyLead(lead({ message })).serviceLine).toBe(serviceLine);
  });

  test('a recognised service line earns 15 points with its reason; "other" earns none', () => {
    expect(qualifyLead(lead({ message: 'ransomware hit us' })).parts).toContainEqual({ points: 15, reason: 'asks about cybersecurity' });
    expect(qualifyLead(lead({ message: 'hello' })).parts.filter((p) => p.reason.startsWith('asks about'))).toEqual([]);
  });

  test('cues match whole words only', () => {
    expect(qualifyLead(lead({ message: 'we love cloudberries' })).serviceLine).toBe('other');
  });
});

describe('urgency', () => {
  test.each([
    ['We need this ASAP', 'now', 35],
    ['Can someone call me today?', 'now', 35],
    ['We would like to start this week', 'this-week', 25],
    ['Please send a proposal by Friday', 'this-week', 25],
    ['We plan to decide this month', 'this-month', 15],
    ['In the next few weeks we will look at options', 'this-month', 15],
  ] as const)('%j → %s, worth %d points', (message, urgency, points) => {
    const q = qualifyLead(lead({ message }));
    expect(q.urgency).toBe(urgency);
    expect(q.parts).toContainEqual({ points, reason: `urgency ${urgency}` });
  });

  test('no cue → none, and no urgency points', () => {
    const q = qualifyLead(lead({ message: 'Just curious about your services.' }));
    expect(q.urgency).toBe('none');
    expect(q.parts.some((p) => p.reason.startsWith('urgency'))).toBe(false);
  });

  test('the most urgent cue wins when several appear', () => {
    expect(qualifyLead(lead({ message: 'ideally this month, but urgent if possible' })).urgency).toBe('now');
  });
});

describe('score', () => {
  test('a bare lead from a free-mail address scores 0, tier C', () => {
    expect(qualifyLead(lead())).toMatchObject({ score: 0, tier: 'C', parts: [] });
  });

  test('every part has its reason and the score is their sum', () => {
    const q = qualifyLead(
      lead({
        email: 'priya@acme-corp.example',
        company: 'Acme Corp',
        phone: '+44 20 7946 0000',
        message: 'We must migrate our data centre to AWS this month; around 40 servers, mostly Windows, plus two SQL clusters.',
      }),
    );
    expect(q.parts).toEqual([
      { points: 15, reason: 'asks about cloud-migration' },
      { points: 15, reason: 'urgency this-month' },
      { points: 15, reason: 'names a company' },
      { points: 20, reason: 'business email domain acme-corp.example' },
      { points: 5, reason: 'left a phone number' },
      { points: 10, reason: 'detailed message' },
    ]);
    expect(q.score).toBe(80);
    expect(q.tier).toBe('A');
  });

  test('the everything-at-once lead scores at most 100', () => {
    const q = qualifyLead(
      lead({
        email: 'cto@acme-corp.example',
        company: 'Acme Corp',
        phone: '+1 555 0100',
        message: 'URGENT: our AWS migration stalled and we need someone today. '.repeat(3),
      }),
    );
    expect(sumOf(q)).toBe(100);
    expect(q.score).toBe(100);
    expect(q.tier).toBe('A');
  });

  test('free-mail domains earn no business-domain points, whatever their case', () => {
    for (const email of ['p@gmail.com', 'p@GMail.com', 'p@outlook.com', 'p@proton.me', 'p@web.de']) {
      expect(qualifyLead(lead({ email })).parts).toEqual([]);
    }
  });

  test('a business domain earns 20 points, named in the reason', () => {
    expect(qualifyLead(lead({ email: 'p@Acme.Example' })).parts).toEqual([{ points: 20, reason: 'business email domain acme.example' }]);
  });

  test('a message is "detailed" from 80 characters, not counting surrounding whitespace', () => {
    const detailed = (message: string) => qualifyLead(lead({ message })).parts.some((p) => p.reason === 'detailed message');
    expect(detailed('x'.repeat(80))).toBe(true);
    expect(detailed('x'.repeat(79))).toBe(false);
    expect(detailed(`  ${'x'.repeat(79)}   `)).toBe(false);
  });
});

describe('tierFor', () => {
  test.each([
    [100, 'A'],
    [70, 'A'],
    [69, 'B'],
    [40, 'B'],
    [39, 'C'],
    [0, 'C'],
  ] as const)('%d → %s', (score, tier) => {
    expect(tierFor(score)).toBe(tier);
  });

  test('thresholds apply to real leads: 70 points is tier A, 40 is tier B', () => {
    // business domain 20 + company 15 + urgency now 35 = 70
    expect(qualifyLead(lead({ email: 'p@acme.example', company: 'Acme', message: 'asap' }))).toMatchObject({ score: 70, tier: 'A' });
    // business domain 20 + company 15 + phone 5 = 40
    expect(qualifyLead(lead({ email: 'p@acme.example', company: 'Acme', phone: '555' }))).toMatchObject({ score: 40, tier: 'B' });
    // business domain 20 + company 15 = 35
    expect(qualifyLead(lead({ email: 'p@acme.example', company: 'Acme' }))).toMatchObject({ score: 35, tier: 'C' });
  });
});

describe('properties', () => {
  const cueWords = ['asap', 'today', 'this week', 'this month', 'aws', 'cloud', 'ransomware', 'dashboards', 'helpdesk', 'outage', 'casino', 'backlinks'];
  // Arbitrary text, with the rule's cue words mixed in often enough to reach the high scores.
  const text = fc.oneof(fc.string({ maxLength: 200 }), fc.array(fc.oneof(fc.constantFrom(...cueWords), fc.string({ maxLength: 20 })), { maxLength: 12 }).map((words) => words.join(' ')));
  const submission = fc.record(
    {
      name: fc.string({ minLength: 1, maxLength: 50 }),
      email: fc.oneof(fc.emailAddress(), fc.constantFrom('p@gmail.com', 'p@acme.example')),
      company: text,
      phone: fc.string({ maxLength: 20 }),
      message: text,
      source: fc.constantFrom('web-form' as const, 'chat' as const, 'partner-api' as const),
    },
    { requiredKeys: ['name', 'email', 'message', 'source'] },
  );

  test('score is within 0..100, equals min(100, sum of parts), and the tier agrees with it', () => {
    fc.assert(
      fc.property(submission, (s) => {
        const q = qualifyLead(s);
        expect(q.score).toBeGreaterThanOrEqual(0);
        expect(q.score).toBeLessThanOrEqual(100);
        expect(q.score).toBe(Math.min(100, sumOf(q)));
        expect(q.tier).toBe(tierFor(q.score));
        for (const part of q.parts) {
          expect(part.points).toBeGreaterThan(0);
          expect(part.reason).not.toBe('');
        }
        if (q.spam) expect(q.spamReason).toBeDefined();
        else expect(q.spamReason).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });
});

describe('the company name is not the inquiry', () => {
  test('a company called Emergency Plumbing is not urgent, and Cloud Nine does not ask about cloud', () => {
    expect(qualifyLead(lead({ email: 'a@gmail.com', company: 'Emergency Plumbing Ltd', message: 'hello' })).urgency).toBe('none');
    expect(qualifyLead(lead({ email: 'a@gmail.com', company: 'Cloud Nine Ltd', message: 'hello' })).serviceLine).toBe('other');
  });

  test('spam named in the company field is still spam', () => {
    expect(qualifyLead(lead({ company: 'Best SEO Services', message: 'hi' })).spam).toBe(true);
  });
});
