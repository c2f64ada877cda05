// A reading the classifier is unsure of is visible everywhere a person acts on it: in the qualification, in the
// routing explanation, in the offer email, and as a policy condition that can send such leads to triage.
import type { Classification } from './classification/classifier';
import { composeOfferEmail, type OfferEmailInput } from './notifications';
import { parsePolicy } from './policy/parse-policy';
import { PolicySchema } from './policy/policy-schema';
import { assessConfidence, lowConfidenceBelow, qualifyClassified, type QualificationInput } from './qualification';
import { describeRouting } from './routing/explanation';
import { directory, lead, route } from './routing/test-fixtures';

function reading(confidence: Classification['confidence'], overrides: Partial<Classification> = {}): Classification {
  return {
    serviceLine: 'cybersecurity',
    urgency: 'this-week',
    spam: false,
    timeline: null,
    confidence,
    reasons: ['words point to cybersecurity'],
    language: 'en',
    ...overrides,
  };
}

const facts: QualificationInput = {
  text: 'someone is in our mailbox',
  receivedAt: '2025-03-10T09:00:00Z',
  timeZone: null,
  name: 'Kim',
  email: 'kim@acme.example',
  company: 'Acme',
  companyDomain: 'acme.example',
  freeMail: false,
  disposableEmail: false,
  phone: null,
  companySize: 40,
  budget: null,
  knownCustomer: false,
};

describe('assessConfidence', () => {
  test('sure of everything: normal, nothing to say', () => {
    expect(assessConfidence(reading({ serviceLine: 0.9, urgency: 0.8, spam: 0.99 }))).toEqual({
      confidenceLevel: 'normal',
      unsure: null,
    });
  });

  test('each posterior under its threshold is named with its value', () => {
    expect(assessConfidence(reading({ serviceLine: 0.41, urgency: 0.8, spam: 0.99 }))).toEqual({
      confidenceLevel: 'low',
      unsure: 'the classifier is unsure of the service line cybersecurity (p=0.41)',
    });
    expect(assessConfidence(reading({ serviceLine: 0.41, urgency: 0.35, spam: 0.6 })).unsure).toBe(
      'the classifier is unsure of the service line cybersecurity (p=0.41), the urgency this-week (p=0.35) and calling it genuine (p=0.60)',
    );
  });

  test('the thresholds are the boundary: at the threshold is sure, just under is not', () => {
    const at = reading({ serviceLine: lowConfidenceBelow.serviceLine, urgency: 0.9, spam: 0.99 });
    const under = reading({ serviceLine: lowConfidenceBelow.serviceLine - 0.001, urgency: 0.9, spam: 0.99 });
    expect(assessConfidence(at).confidenceLevel).toBe('normal');
    expect(assessConfidence(under).confidenceLevel).toBe('low');
  });
});

test('the qualification carries the level and says why among its reasons', () => {
  const q = qualifyClassified(facts, reading({ serviceLine: 0.45, urgency: 0.9, spam: 0.99 }));
  expect(q.confidenceLevel).toBe('low');
  expect(q.unsure).toBe('the classifier is unsure of the service line cybersecurity (p=0.45)');
  expect(q.reasons).toContain('low confidence: the classifier is unsure of the service line cybersecurity (p=0.45)');
  const sure = qualifyClassified(facts, reading({ serviceLine: 0.95, urgency: 0.9, spam: 0.99 }));
  expect(sure).toMatchObject({ confidenceLevel: 'normal', unsure: null });
  expect(sure.reasons.some((r) => r.startsWith('low confidence'))).toBe(false);
});

describe('the offer email', () => {
  const offer = (qualification: OfferEmailInput['qualification']): OfferEmailInput => ({
    leadId: 'lead-1',
    offerNumber: 1,
    lead: { name: 'Kim', email: 'kim@acme.example', source: 'web-form', text: 'someone is in our mailbox' },
    qualification,
    stageKind: 'candidate',
    level: 0,
    deadline: '2030-01-02T10:05:00.000Z',
    whyYou: 'next in rotation',
    rep: { name: 'Ana' },
    links: { accept: 'https://x.example/a', decline: 'https://x.example/d' },
  });

  test('says so, in text and HTML, when the classifier was unsure', () => {
    const q = qualifyClassified(facts, reading({ serviceLine: 0.45, urgency: 0.9, spam: 0.99 }));
    const email = composeOfferEmail(offer(q));
    const warning =
      'Low confidence: the classifier is unsure of the service line cybersecurity (p=0.45). Read the message before trusting the labels.';
    expect(email.text.split('\n')).toContain(warning);
    expect(email.html).toContain(`<strong>${warning}</strong>`);
  });

  test('says nothing of it when the classifier was sure, or the qualification predates the field', () => {
    const sure = qualifyClassified(facts, reading({ serviceLine: 0.95, urgency: 0.9, spam: 0.99 }));
    expect(composeOfferEmail(offer(sure)).text).not.toContain('Low confidence');
    const old = { ...sure, confidenceLevel: undefined, unsure: undefined };
    expect(composeOfferEmail(offer(old)).text).not.toContain('Low confidence');
  });
});

describe('routing', () => {
  const triagePolicy = PolicySchema.parse({
    sla: [{ name: 'any', within: '1 hour' }],
    rules: [
      { name: 'unsure to triage', when: { confidence: 'low' }, team: 'support', strategy: 'weighted-round-robin' },
      { name: 'cloud', when: { serviceLine: 'cloud-migration' }, team: 'cloud', strategy: 'weighted-round-robin' },
    ],
    default: { team: 'general', strategy: 'weighted-round-robin' },
  });

  test('a rule on confidence: low sends the unsure lead to the triage team, and says why', () => {
    const plan = route({
      policy: triagePolicy,
      lead: lead({ confidence: 'low', unsure: 'the classifier is unsure of the urgency now (p=0.41)' }),
    }).plan;
    expect(plan.teamId).toBe('support');
    expect(plan.explanation.rule).toContain('classifier confidence low is in [low]');
    expect(plan.explanation.lowConfidence).toBe('the classifier is unsure of the urgency now (p=0.41)');
    expect(describeRouting(plan)).toContain(
      'Low confidence: the classifier is unsure of the urgency now (p=0.41); check the reading before relying on it.',
    );
  });

  test('a sure lead, or one whose confidence is unknown, passes the rule over', () => {
    for (const confidence of ['normal', null, undefined] as const) {
      const plan = route({ policy: triagePolicy, lead: lead({ confidence }) }).plan;
      expect(plan.teamId).toBe('cloud');
      expect(plan.explanation.lowConfidence).toBeUndefined();
      expect(describeRouting(plan)).not.toContain('Low confidence');
    }
    expect(directory.teams.some((t) => t.id === 'support')).toBe(true);
  });

  test('the policy file accepts confidence: low and names a wrong value at its line', () => {
    const yaml = (value: string) => `sla:
  - name: any
    within: 1 hour
rules:
  - name: triage
    when:
      confidence: ${value}
    team: support
    strategy: weighted-round-robin
`;
    const ok = parsePolicy(yaml('low'));
    expect(ok.ok).toBe(true);
    const bad = parsePolicy(yaml('maybe'));
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect(bad.errors[0]).toMatchObject({
        line: 7,
        path: 'rules.0.when.confidence.0',
        message: expect.stringContaining('classifier confidence') as unknown,
      });
  });
});
