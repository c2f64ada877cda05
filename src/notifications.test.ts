// The words of the offer, reminder, escalation and catch-all emails, checked without SMTP.
import fc from 'fast-check';
import {
  composeCatchAllAlert,
  composeEscalationEmail,
  composeOfferEmail,
  composeReminderEmail,
  formatInstant,
  NotificationInputError,
  type EmailContent,
  type EmailLead,
  type EmailScore,
  type OfferEmailInput,
} from './notifications';

const lead: EmailLead = {
  name: 'Priya Shah',
  email: 'priya@acme-corp.example',
  company: 'Acme Corp',
  phone: '+44 20 7946 0000',
  text: 'We must migrate our data centre to AWS ASAP.',
  source: 'web-form',
};

const qualification: EmailScore = {
  score: 85,
  tier: 'A',
  urgency: 'now',
  serviceLine: 'cloud-migration',
  parts: [
    { points: 15, reason: 'asks about cloud-migration' },
    { points: 35, reason: 'urgency now' },
    { points: 15, reason: 'names a company' },
    { points: 20, reason: 'business email domain acme-corp.example' },
  ],
};

const links = {
  accept: 'https://leads.example.com/links/ACCEPT.sig',
  decline: 'https://leads.example.com/links/DECLINE.sig',
};

function offer(overrides: Partial<OfferEmailInput> = {}): OfferEmailInput {
  return {
    leadId: 'lead-123',
    lead,
    qualification,
    offerNumber: 2,
    stageKind: 'candidate',
    level: 0,
    deadline: '2030-01-02T10:05:00.000Z',
    whyYou: 'fewest open offers on team Cloud',
    rep: { name: 'Ana', timeZone: 'America/Chicago' },
    links,
    ...overrides,
  };
}

const lines = (email: EmailContent) => email.text.split('\n');

describe('composeOfferEmail', () => {
  test('the subject names the lead, the company, the tier and the deadline in the rep’s time zone', () => {
    expect(composeOfferEmail(offer()).subject).toBe(
      'New lead: Priya Shah (Acme Corp) — tier A, answer by Wed 04:05 America/Chicago',
    );
  });

  test('without a known time zone the deadline is written in UTC', () => {
    const email = composeOfferEmail(offer({ rep: { name: 'Ana' } }));
    expect(email.subject).toBe('New lead: Priya Shah (Acme Corp) — tier A, answer by Wed 10:05 UTC');
    expect(lines(email)).toContain('Answer by Wed, 2 Jan 2030, 10:05 UTC, or the lead moves on.');
  });

  test('summer time is applied where the rep lives', () => {
    const email = composeOfferEmail(
      offer({ deadline: '2030-07-02T10:05:00.000Z', rep: { name: 'Jonas', timeZone: 'Europe/Berlin' } }),
    );
    expect(lines(email)).toContain('Answer by Tue, 2 Jul 2030, 12:05 Europe/Berlin, or the lead moves on.');
  });

  test('the text gives the contact, every score part, why this rep, the message and the deadline', () => {
    const text = lines(composeOfferEmail(offer()));
    expect(text[0]).toBe(
      'New lead for you, Ana: Priya Shah (Acme Corp) <priya@acme-corp.example>, +44 20 7946 0000, via web-form.',
    );
    expect(text).toContain('Score 85 (tier A), urgency now, service line cloud-migration.');
    for (const part of qualification.parts) expect(text).toContain(`  +${part.points} ${part.reason}`);
    expect(text).toContain('Why you: fewest open offers on team Cloud');
    expect(text).toContain('Answer by Wed, 2 Jan 2030, 04:05 America/Chicago, or the lead moves on.');
    expect(text).toContain(lead.text);
  });

  test('Accept and Decline are the signed links, each on its own line, and the footer names lead and offer', () => {
    const text = lines(composeOfferEmail(offer({ leadId: 'lead-xyz', offerNumber: 7 })));
    expect(text).toContain(`Accept:  ${links.accept}`);
    expect(text).toContain(`Decline: ${links.decline}`);
    expect(text.at(-1)).toMatch(
      /^Lead lead-xyz, offer 7\. Each link works once and stops at Wed, 2 Jan 2030, 04:05 America\/Chicago/,
    );
  });

  test('the HTML carries the same links as buttons and is readable on a phone', () => {
    const { html } = composeOfferEmail(offer());
    expect(html).toContain(`<a href="${links.accept}"`);
    expect(html).toContain(`<a href="${links.decline}"`);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('+35 urgency now');
  });

  test('the my-offers link is added when given', () => {
    const email = composeOfferEmail(offer({ myOffersUrl: 'https://leads.example.com/me/offers?token=T.s' }));
    expect(lines(email)).toContain('All your open offers: https://leads.example.com/me/offers?token=T.s');
    expect(email.html).toContain('href="https://leads.example.com/me/offers?token=T.s"');
  });

  test('an escalation says so, with its level', () => {
    const email = composeOfferEmail(offer({ stageKind: 'escalation', level: 2 }));
    expect(email.subject).toMatch(/^Escalated lead \(level 2\): /);
    expect(email.text).toMatch(/^Escalated lead \(level 2\) for you, Ana: /);
  });

  test('a lead without a company or phone reads cleanly', () => {
    const email = composeOfferEmail(offer({ lead: { ...lead, company: undefined, phone: undefined } }));
    expect(email.subject).toBe('New lead: Priya Shah — tier A, answer by Wed 04:05 America/Chicago');
    expect(lines(email)[0]).toBe('New lead for you, Ana: Priya Shah <priya@acme-corp.example>, via web-form.');
  });

  test("a lead without a name is named by its email, and a chat's text is the excerpt", () => {
    const normalised: EmailLead = {
      name: null,
      email: 'ops@globex.example',
      phone: null,
      company: 'Globex',
      source: 'chat',
      text: 'visitor: our SOC 2 audit is next month',
    };
    const email = composeOfferEmail(offer({ lead: normalised }));
    expect(email.subject).toMatch(/^New lead: ops@globex\.example \(Globex\) — /);
    expect(lines(email)).toContain('visitor: our SOC 2 audit is next month');
  });

  test('a phone-only lead says how to reach them, and a lead with neither says so', () => {
    expect(
      lines(
        composeOfferEmail(offer({ lead: { name: 'Raj', phone: '+14155550100', source: 'chat', text: 'call me' } })),
      )[0],
    ).toBe('New lead for you, Ana: Raj, +14155550100, via chat.');
    expect(lines(composeOfferEmail(offer({ lead: { name: 'Raj', source: 'chat', text: '' } })))[0]).toBe(
      'New lead for you, Ana: Raj (no email or phone given), via chat.',
    );
  });

  test('a long message is cut to a 600-character excerpt; exactly 600 is shown whole; empty says so', () => {
    const long = composeOfferEmail(
      offer({ lead: { ...lead, text: `${'a'.repeat(600)}TAIL-THAT-MUST-NOT-APPEAR` } }),
    ).text;
    expect(long).toContain(`${'a'.repeat(600)}…`);
    expect(long).not.toContain('TAIL-THAT-MUST-NOT-APPEAR');
    expect(lines(composeOfferEmail(offer({ lead: { ...lead, text: 'b'.repeat(600) } })))).toContain('b'.repeat(600));
    expect(lines(composeOfferEmail(offer({ lead: { ...lead, text: '' } })))).toContain('(no message)');
  });

  test('the excerpt never cuts an emoji in half', () => {
    const { text } = composeOfferEmail(offer({ lead: { ...lead, text: `${'x'.repeat(599)}😀 and more` } }));
    expect(text).toContain(`${'x'.repeat(599)}😀…`);
    expect(text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  test('what the lead wrote cannot add markup to the HTML', () => {
    const email = composeOfferEmail(
      offer({
        lead: { ...lead, name: '<script>alert(1)</script>', text: '<img src=x onerror=alert(1)> & "quotes"' },
      }),
    );
    expect(email.html).not.toContain('<script>');
    expect(email.html).not.toContain('<img');
    expect(email.html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(email.html).toContain('&#38; &#34;quotes&#34;');
  });

  test('bad input is refused naming the field', () => {
    expect(() => composeOfferEmail(offer({ links: { ...links, accept: 'javascript:alert(1)' } }))).toThrow(
      'links.accept must be an http(s) URL',
    );
    expect(() => composeOfferEmail(offer({ links: { ...links, decline: 'https://x/"onmouseover="x' } }))).toThrow(
      'links.decline',
    );
    expect(() => composeOfferEmail(offer({ rep: { name: 'Ana', timeZone: 'Mars/Olympus_Mons' } }))).toThrow(
      'rep.timeZone is not an IANA time zone: Mars/Olympus_Mons',
    );
    expect(() => composeOfferEmail(offer({ rep: { name: ' ' } }))).toThrow('rep.name is required');
    expect(() => composeOfferEmail(offer({ deadline: 'tomorrow' }))).toThrow('deadline must be an ISO-8601 instant');
  });
});

describe('composeReminderEmail', () => {
  test('sent at half the SLA, it says how long is left and carries the same links', () => {
    const email = composeReminderEmail({ ...offer(), remindedAt: '2030-01-02T10:02:30.000Z' });
    expect(email.subject).toBe('Reminder: 3 minutes left to answer — Priya Shah (Acme Corp), tier A');
    expect(lines(email)[0]).toBe(
      'Reminder, Ana: lead Priya Shah (Acme Corp) is still waiting for your answer. 3 minutes left: after Wed, 2 Jan 2030, 04:05 America/Chicago it moves on.',
    );
    expect(lines(email)).toContain(`Accept:  ${links.accept}`);
    expect(lines(email)).toContain(`Decline: ${links.decline}`);
    expect(email.html).toContain('<strong>3 minutes left</strong>');
  });

  test('one minute is singular and a late reminder never shows negative time', () => {
    expect(composeReminderEmail({ ...offer(), remindedAt: '2030-01-02T10:04:00.000Z' }).subject).toMatch(
      /^Reminder: 1 minute left/,
    );
    expect(composeReminderEmail({ ...offer(), remindedAt: '2030-01-02T11:00:00.000Z' }).subject).toMatch(
      /^Reminder: 0 minutes left/,
    );
  });
});

describe('composeEscalationEmail', () => {
  const history = [
    { at: '2030-01-02T09:55:00.000Z', kind: 'received', summary: 'web-form lead from Priya Shah (Acme Corp)' },
    { at: '2030-01-02T09:55:01.000Z', kind: 'routed', summary: 'service line cloud-migration → team Cloud' },
    { at: '2030-01-02T09:55:02.000Z', kind: 'offered', summary: 'offer 1 to ana until 10:00' },
    { at: '2030-01-02T09:57:00.000Z', kind: 'declined', summary: 'offer 1: declined by ana ("on a customer visit")' },
    { at: '2030-01-02T10:02:00.000Z', kind: 'timed-out', summary: 'offer 2: ben did not answer by 10:02' },
  ];
  const escalation = () =>
    composeEscalationEmail({
      ...offer({
        stageKind: 'escalation',
        level: 1,
        offerNumber: 3,
        rep: { name: 'Mia', timeZone: 'Europe/London' },
        whyYou: 'escalation level 1: the 2 candidates before declined or let the SLA pass',
      }),
      history,
    });

  test('the manager learns why it reached them: who let it pass and how', () => {
    const text = lines(escalation());
    expect(escalation().subject).toBe(
      'Escalated lead (level 1): Priya Shah (Acme Corp) — tier A, answer by Wed 10:05 Europe/London',
    );
    expect(text[0]).toBe(
      'Escalated to you, Mia: Priya Shah (Acme Corp) <priya@acme-corp.example>, +44 20 7946 0000, via web-form.',
    );
    expect(text.slice(1, 4)).toEqual([
      'Why it reached you (level 1): escalation level 1: the 2 candidates before declined or let the SLA pass',
      '  - offer 1: declined by ana ("on a customer visit")',
      '  - offer 2: ben did not answer by 10:02',
    ]);
  });

  test('the whole history is there in order, with times where the manager is', () => {
    const text = lines(escalation());
    const start = text.indexOf('History:');
    expect(text.slice(start + 1, start + 6)).toEqual([
      '  Wed 09:55 Europe/London — received: web-form lead from Priya Shah (Acme Corp)',
      '  Wed 09:55 Europe/London — routed: service line cloud-migration → team Cloud',
      '  Wed 09:55 Europe/London — offered: offer 1 to ana until 10:00',
      '  Wed 09:57 Europe/London — declined: offer 1: declined by ana ("on a customer visit")',
      '  Wed 10:02 Europe/London — timed-out: offer 2: ben did not answer by 10:02',
    ]);
  });

  test('it still carries the links, the score and the message', () => {
    const email = escalation();
    expect(lines(email)).toContain(`Accept:  ${links.accept}`);
    expect(lines(email)).toContain('Score 85 (tier A), urgency now, service line cloud-migration.');
    expect(lines(email)).toContain(lead.text);
    expect(email.html).toContain('<h2>History</h2><ol><li>Wed 09:55 Europe/London — received: ');
  });
});

describe('composeCatchAllAlert', () => {
  const alert = (round: number, extra: Partial<Parameters<typeof composeCatchAllAlert>[0]> = {}) =>
    composeCatchAllAlert({
      leadId: 'lead-123',
      offerNumber: 7,
      lead,
      round,
      claimants: ['mgr', 'head', 'ana'],
      history: ['offer 1 to ana: declined (busy)', 'offer 2 to mgr: no answer by 10:20'],
      apiUrl: 'http://api.leadrelay.test',
      ...extra,
    });

  test('the subject is an alert naming the lead; reminders are numbered', () => {
    expect(alert(1).subject).toBe('ALERT: nobody owns lead Priya Shah (Acme Corp) — catch-all queue');
    expect(alert(3).subject).toBe('ALERT: nobody owns lead Priya Shah (Acme Corp) — catch-all queue, reminder 3');
  });

  test('the text lists who may claim, how, and the whole history', () => {
    const text = lines(alert(1));
    expect(text[0]).toContain('lead-123 (Priya Shah (Acme Corp) <priya@acme-corp.example>)');
    expect(text).toContain('It waits in the catch-all queue. Any of mgr, head, ana can claim it:');
    expect(text).toContain('  Claim it as yourself: http://api.leadrelay.test/claim/lead-123.7');
    expect(text.slice(text.indexOf('History:') + 1)).toEqual([
      '  - offer 1 to ana: declined (busy)',
      '  - offer 2 to mgr: no answer by 10:20',
    ]);
  });

  test('the alert to the shared inbox carries no link that claims as anyone: only the claim page, where the claimer signs in', () => {
    const email = alert(1, {
      history: [{ at: '2030-01-02T10:20:00.000Z', kind: 'timed-out', summary: 'offer 2: mgr did not answer' }],
    });
    for (const part of [email.text, email.html]) {
      expect(part).not.toContain('/links/');
      expect(part).not.toMatch(/Claim as/);
    }
    const hrefs = [...email.html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
    expect(hrefs).toEqual(['http://api.leadrelay.test/claim/lead-123.7']);
    expect(lines(email).at(-1)).toBe('  - Wed 10:20 UTC — timed-out: offer 2: mgr did not answer');
  });

  test('the claim page link is refused for an API URL that is not http(s)', () => {
    expect(() => alert(1, { apiUrl: 'javascript:alert(1)//' })).toThrow(NotificationInputError);
  });
});

test('formatInstant writes the zone it used', () => {
  expect(formatInstant(new Date('2030-03-31T00:30:00Z'), 'Europe/Berlin')).toBe(
    'Sun, 31 Mar 2030, 01:30 Europe/Berlin',
  );
  expect(formatInstant(new Date('2030-03-31T01:30:00Z'), 'Europe/Berlin')).toBe(
    'Sun, 31 Mar 2030, 03:30 Europe/Berlin',
  );
  expect(formatInstant(new Date('2030-03-31T01:30:00Z'), null, 'short')).toBe('Sun 01:30 UTC');
});

test('no text from a lead, a rep or the history can add a tag to any email', () => {
  const allowedTags = new Set([
    '!doctype',
    'html',
    'head',
    'meta',
    'title',
    'body',
    'h1',
    'h2',
    'p',
    'strong',
    'a',
    'ul',
    'ol',
    'li',
    'blockquote',
    'pre',
    'code',
  ]);
  const text = fc.string({ unit: 'grapheme', maxLength: 40 });
  fc.assert(
    fc.property(text, text, text, text, text, (name, company, message, reason, summary) => {
      const input = offer({
        lead: { ...lead, name, company, text: message },
        whyYou: reason,
        rep: { name: `R${name}` },
      });
      const emails = [
        composeOfferEmail(input),
        composeReminderEmail({ ...input, remindedAt: '2030-01-02T10:00:00.000Z' }),
        composeEscalationEmail({ ...input, history: [{ at: '2030-01-02T10:00:00.000Z', kind: 'declined', summary }] }),
        composeCatchAllAlert({
          leadId: 'l',
          offerNumber: 4,
          lead: { ...lead, name, company, text: message },
          round: 1,
          claimants: [name],
          history: [summary],
          apiUrl: 'http://api',
        }),
      ];
      for (const { html } of emails) {
        for (const [, tag] of html.matchAll(/<\/?([A-Za-z!][A-Za-z0-9]*)/g))
          expect(allowedTags).toContain(tag?.toLowerCase());
      }
    }),
    { numRuns: 200 },
  );
});
