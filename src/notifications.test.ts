// The words of the offer email and the catch-all alert, checked without SMTP.
import type { LeadSubmission } from './lead';
import { composeCatchAllAlert, composeOfferEmail, type OfferContext } from './notifications';
import type { Qualification } from './qualification';

const lead: LeadSubmission = {
  name: 'Priya Shah',
  email: 'priya@acme-corp.example',
  company: 'Acme Corp',
  phone: '+44 20 7946 0000',
  message: 'We must migrate our data centre to AWS ASAP.',
  source: 'web-form',
};

const qualification: Qualification = {
  score: 85,
  tier: 'A',
  urgency: 'now',
  serviceLine: 'cloud-migration',
  spam: false,
  parts: [
    { points: 15, reason: 'asks about cloud-migration' },
    { points: 35, reason: 'urgency now' },
    { points: 15, reason: 'names a company' },
    { points: 20, reason: 'business email domain acme-corp.example' },
  ],
};

function offer(overrides: Partial<OfferContext> = {}): OfferContext {
  return {
    leadId: 'lead-123',
    lead,
    qualification,
    offerNumber: 2,
    stageKind: 'candidate',
    level: 0,
    deadline: '2030-01-02T10:05:00.000Z',
    whyYou: 'fewest open offers on team Cloud',
    apiUrl: 'http://api.leadrelay.test',
    ...overrides,
  };
}

describe('composeOfferEmail', () => {
  test('the subject names the lead, the company, the tier and the deadline', () => {
    expect(composeOfferEmail(offer()).subject).toBe('New lead: Priya Shah (Acme Corp) — tier A, answer by 2030-01-02T10:05:00.000Z');
  });

  test('an escalation says so, with its level', () => {
    const email = composeOfferEmail(offer({ stageKind: 'escalation', level: 2 }));
    expect(email.subject).toMatch(/^Escalated lead \(level 2\): /);
    expect(email.text).toMatch(/^Escalated lead \(level 2\) for you: /);
  });

  test('a lead without a company or phone reads cleanly', () => {
    const email = composeOfferEmail(offer({ lead: { ...lead, company: undefined, phone: undefined } }));
    expect(email.subject).toBe('New lead: Priya Shah — tier A, answer by 2030-01-02T10:05:00.000Z');
    expect(email.text.split('\n')[0]).toBe('New lead for you: Priya Shah <priya@acme-corp.example>, via web-form.');
  });

  test('the text carries the contact, every score part, the why-you and the deadline', () => {
    const lines = composeOfferEmail(offer()).text.split('\n');
    expect(lines[0]).toBe('New lead for you: Priya Shah (Acme Corp) <priya@acme-corp.example>, +44 20 7946 0000, via web-form.');
    expect(lines).toContain('Score 85 (tier A), urgency now, service line cloud-migration.');
    for (const part of qualification.parts) expect(lines).toContain(`  +${part.points} ${part.reason}`);
    expect(lines).toContain('Why you: fewest open offers on team Cloud');
    expect(lines).toContain('Answer by 2030-01-02T10:05:00.000Z, or the lead moves on.');
    expect(lines).toContain(lead.message);
  });

  test('accept and decline point at this lead and this offer number', () => {
    const { text } = composeOfferEmail(offer({ leadId: 'lead-xyz', offerNumber: 7 }));
    expect(text).toContain('Accept:  POST http://api.leadrelay.test/v1/leads/lead-xyz/accept {"offerNumber": 7, "repId": "<your rep id>"}');
    expect(text).toContain('Decline: POST http://api.leadrelay.test/v1/leads/lead-xyz/decline {"offerNumber": 7, ');
    expect(text).toContain('Lead lead-xyz, offer 7.');
    expect(text).not.toContain('lead-123');
  });

  test('a long message is cut to a 600-character excerpt', () => {
    const message = `${'a'.repeat(600)}TAIL-THAT-MUST-NOT-APPEAR`;
    const { text } = composeOfferEmail(offer({ lead: { ...lead, message } }));
    expect(text).toContain(`${'a'.repeat(600)}…`);
    expect(text).not.toContain('TAIL-THAT-MUST-NOT-APPEAR');
  });

  test('a message of exactly 600 characters is shown whole', () => {
    const message = 'b'.repeat(600);
    const lines = composeOfferEmail(offer({ lead: { ...lead, message } })).text.split('\n');
    expect(lines).toContain(message);
  });

  test('an empty message says so', () => {
    expect(composeOfferEmail(offer({ lead: { ...lead, message: '' } })).text.split('\n')).toContain('(no message)');
  });
});

describe('composeCatchAllAlert', () => {
  const alert = (round: number) =>
    composeCatchAllAlert({
      leadId: 'lead-123',
      lead,
      round,
      claimants: ['mgr', 'head', 'ana'],
      history: ['offer 1 to ana: declined (busy)', 'offer 2 to mgr: no answer by 10:20'],
      apiUrl: 'http://api.leadrelay.test',
    });

  test('the subject is an alert naming the lead; reminders are numbered', () => {
    expect(alert(1).subject).toBe('ALERT: nobody owns lead Priya Shah (Acme Corp) — catch-all queue');
    expect(alert(3).subject).toBe('ALERT: nobody owns lead Priya Shah (Acme Corp) — catch-all queue, reminder 3');
  });

  test('the text lists who may claim, how, and the whole history', () => {
    const lines = alert(1).text.split('\n');
    expect(lines[0]).toContain('lead-123 (Priya Shah (Acme Corp) <priya@acme-corp.example>)');
    expect(lines).toContain('It waits in the catch-all queue. Any of mgr, head, ana can claim it:');
    expect(lines).toContain('  POST http://api.leadrelay.test/v1/leads/lead-123/accept with the current offer number from GET http://api.leadrelay.test/v1/leads/lead-123');
    expect(lines.slice(lines.indexOf('History:') + 1)).toEqual(['  - offer 1 to ana: declined (busy)', '  - offer 2 to mgr: no answer by 10:20']);
  });
});

test('the excerpt never cuts an emoji in half', () => {
  const message = `${'x'.repeat(599)}😀 and more`;
  const { text } = composeOfferEmail({ leadId: 'l1', lead: { ...lead, message }, qualification, offerNumber: 1, stageKind: 'candidate', level: 0, deadline: '2026-11-23T10:05:00.000Z', whyYou: 'w', apiUrl: 'http://api' });
  expect(text).toContain(`${'x'.repeat(599)}😀…`);
  expect(text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
});
