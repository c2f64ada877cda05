// The lead card on the rep's pages: corrections to the classifier's reading are listed, escaped, with who and when.
import { renderLeadCard, type PageLead } from './html';

const lead: PageLead = {
  name: 'Kim',
  email: 'kim@acme.example',
  phone: null,
  company: 'Acme',
  message: 'Someone is logged into our CFO mailbox',
  source: 'web-form',
  score: 62,
  tier: 'B',
  urgency: 'now',
  serviceLine: 'cybersecurity',
};

test('a lead nobody corrected shows no corrections section', () => {
  expect(renderLeadCard(lead)).not.toContain('Corrections');
});

test('corrections are listed with who, when and the note, escaped', () => {
  const html = renderLeadCard({
    ...lead,
    corrections: [
      {
        correctedBy: 'ana',
        summary: 'service line support → cybersecurity; urgency none → now',
        note: 'mailbox <compromise>',
        createdAt: '2025-06-02T08:00:00.000Z',
      },
    ],
  });
  expect(html).toContain('<h3>Corrections</h3>');
  expect(html).toContain(
    '<li>service line support → cybersecurity; urgency none → now <span class="meta">— ana, 2025-06-02: mailbox &#60;compromise&#62;</span></li>',
  );
  expect(html).toContain('Tier B · score 62 · cybersecurity · urgency now');
});
