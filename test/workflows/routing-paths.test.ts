// Time-skipping tests of the routing policy's paths through the workflow: owner-first on a known account, an
// out-of-office rep's backup, SLAs by tier, form-then-chat merged into one lead, the half-SLA reminder and the
// timeline that records it all.
import { upsertAccount } from '../../db/contacts-and-accounts';
import {
  createHarness,
  submitLead,
  waitForLead,
  offerOpenTo,
  answer,
  leadHandle,
  minutes,
  type Harness,
} from '../support/harness';
import { coldLead, hotLead } from '../support/directory';
import { exportHistory } from '../support/histories';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.teardown();
});

test('owner-first on a known account: a new contact from an owned company is offered to the account owner first', async () => {
  await upsertAccount(h.db, { name: 'Initech LLC', domain: 'initech.example', ownerRepId: 'ben' });
  const worker = await h.createWorker();
  await worker.runUntil(async () => {
    const { body } = await submitLead(h, hotLead({ email: 'peter.gibbons@initech.example', company: 'Initech' }));
    const offered = await waitForLead(h, body.leadId, offerOpenTo(1, 'ben'), 'offer 1 to ben, the account owner');
    expect(offered.routing).toMatch(/ben/);

    const { rows } = await h.db.query<{
      plan: { explanation: { candidateDetails: Array<{ repId: string; role: string }> } };
    }>('SELECT plan FROM routing_decisions WHERE lead_id = $1', [body.leadId]);
    expect(rows[0]?.plan.explanation.candidateDetails[0]).toMatchObject({ repId: 'ben', role: 'account-owner' });
    const match = await h.db.query<{ match: { account: { method: string; confidence: number } } }>(
      'SELECT match FROM leads WHERE id = $1',
      [body.leadId],
    );
    expect(match.rows[0]?.match.account).toMatchObject({ method: 'domain', confidence: 1 });

    expect((await answer(h, body.leadId, 'accept', { offerNumber: 1, repId: 'ben' })).status).toBe(200);
    expect(await leadHandle(h, body.leadId).result()).toMatchObject({ status: 'assigned', owner: 'ben', offers: 1 });
    // The new contact now belongs to ben: the next lead from this person goes to ben as the contact's owner.
    const contact = await h.db.query<{ owner_rep_id: string }>(
      "SELECT owner_rep_id FROM contacts WHERE email_normalised = 'peter.gibbons@initech.example'",
    );
    expect(contact.rows[0]?.owner_rep_id).toBe('ben');
    await exportHistory('owner-first-known-account', leadHandle(h, body.leadId));
  });
});

test('an out-of-office rep is skipped for their backup, and the explanation says so', async () => {
  const worker = await h.createWorker();
  await worker.runUntil(async () => {
    const { body } = await submitLead(
      h,
      hotLead({
        email: 'jonas@kraftwerk-it.example',
        company: 'Kraftwerk IT GmbH',
        country: 'DE',
        phone: '+49 30 1234567',
      }),
    );
    const offered = await waitForLead(h, body.leadId, offerOpenTo(1, 'dieter'), 'offer 1 to dieter, dora’s backup');
    expect(offered.teamId).toBe('dach');
    expect(offered.routing).toMatch(/dora/);
    expect(offered.routing).toMatch(/out of office/);
    expect(offered.offers.flatMap((o) => o.repIds)).not.toContain('dora');

    expect((await answer(h, body.leadId, 'accept', { offerNumber: 1, repId: 'dieter' })).status).toBe(200);
    expect(await leadHandle(h, body.leadId).result()).toMatchObject({ status: 'assigned', owner: 'dieter' });
    await exportHistory('out-of-office-backup', leadHandle(h, body.leadId));
  });
});

test('a hot lead gets a shorter SLA than a cold one', async () => {
  const worker = await h.createWorker();
  await worker.runUntil(async () => {
    const hot = await submitLead(h, hotLead());
    const cold = await submitLead(h, coldLead());
    const hotView = await waitForLead(h, hot.body.leadId, (v) => v.currentOffer !== null, 'hot lead offered');
    const coldView = await waitForLead(h, cold.body.leadId, (v) => v.currentOffer !== null, 'cold lead offered');
    expect(hotView.qualification?.tier).toBe('A');
    expect(coldView.qualification?.tier).toBe('C');
    const slaOf = (v: typeof hotView) =>
      Date.parse(v.currentOffer?.deadline ?? '') - Date.parse(v.currentOffer?.offeredAt ?? '');
    expect(slaOf(hotView)).toBe(minutes(5));
    expect(slaOf(coldView)).toBe(minutes(240));

    for (const [view, leadId] of [
      [hotView, hot.body.leadId],
      [coldView, cold.body.leadId],
    ] as const) {
      const repId = view.currentOffer?.repIds[0] ?? '';
      expect((await answer(h, leadId, 'accept', { offerNumber: 1, repId })).status).toBe(200);
    }
    await leadHandle(h, hot.body.leadId).result();
    await leadHandle(h, cold.body.leadId).result();
  });
});

test('a web form and the chat that follows from the same person are one lead: the chat is merged into the running workflow', async () => {
  const worker = await h.createWorker();
  await worker.runUntil(async () => {
    const email = `lena.${Date.now()}@northwind.example`;
    const form = await submitLead(h, hotLead({ name: 'Lena Fischer', email, company: 'Northwind' }));
    expect(form.status).toBe(202);
    await waitForLead(h, form.body.leadId, offerOpenTo(1, 'ana'));

    const chat = await submitLead(
      h,
      {
        transcript: [
          { from: 'agent', text: 'Hi! How can we help?' },
          {
            from: 'visitor',
            text: `It's Lena again, I sent the form a minute ago (${email}). Our AWS landing zone should be ready by Friday.`,
          },
        ],
      },
      {},
      '/v1/leads/chat',
    );
    expect(chat.status).toBe(202);
    expect(chat.body).toMatchObject({ leadId: form.body.leadId, merged: true });

    const view = await waitForLead(h, form.body.leadId, (v) => (v.merged?.length ?? 0) === 1, 'chat merged');
    expect(view.merged?.[0]).toMatchObject({ source: 'chat' });
    const submissions = await h.db.query<{ lead_id: string; merged: boolean; source: string }>(
      'SELECT lead_id, merged, source FROM lead_submissions WHERE person_key = $1 ORDER BY received_at',
      [email],
    );
    expect(submissions.rows).toEqual([
      { lead_id: form.body.leadId, merged: false, source: 'web-form' },
      { lead_id: form.body.leadId, merged: true, source: 'chat' },
    ]);

    expect((await answer(h, form.body.leadId, 'accept', { offerNumber: 1, repId: 'ana' })).status).toBe(200);
    expect(await leadHandle(h, form.body.leadId).result()).toMatchObject({ status: 'assigned', owner: 'ana' });
    const events = await h.db.query<{ kind: string }>(
      'SELECT kind FROM lead_events WHERE lead_id = $1 ORDER BY at, seq',
      [form.body.leadId],
    );
    expect(events.rows.map((e) => e.kind)).toContain('merged');
    await exportHistory('form-then-chat-merged', leadHandle(h, form.body.leadId));
  });
});

test('half way through the SLA a silent rep is reminded once; the timeline tells the whole story in order', async () => {
  const worker = await h.createWorker();
  await worker.runUntil(async () => {
    const { body } = await submitLead(h, hotLead());
    await waitForLead(h, body.leadId, offerOpenTo(1, 'ana'));
    await h.env.sleep(minutes(2.5) + 1_000);
    const reminder = await h.mail.waitFor((m) => m.messageId === `<${body.leadId}.1.reminder@leadrelay>`);
    expect(reminder.to).toContain('ana@leadrelay.test');
    const reminded = await waitForLead(
      h,
      body.leadId,
      (v) => v.currentOffer?.remindedAt !== undefined,
      'reminder recorded',
    );
    expect(reminded.currentOffer?.offerNumber).toBe(1);

    expect(
      (await answer(h, body.leadId, 'decline', { offerNumber: 1, repId: 'ana', reason: 'travelling' })).status,
    ).toBe(200);
    await waitForLead(h, body.leadId, offerOpenTo(2, 'ben'));
    await h.env.sleep(minutes(5) + 1_000);
    await waitForLead(h, body.leadId, offerOpenTo(3, 'mgr'));
    expect((await answer(h, body.leadId, 'accept', { offerNumber: 3, repId: 'mgr' })).status).toBe(200);
    await leadHandle(h, body.leadId).result();

    // Exactly one reminder per offer, however the activity was retried.
    const sent = await h.db.query<{ offer_number: number }>(
      "SELECT offer_number FROM outbound_emails WHERE lead_id = $1 AND kind = 'reminder' ORDER BY offer_number",
      [body.leadId],
    );
    expect(sent.rows.map((r) => r.offer_number)).toEqual([1, 2]);

    const res = await h.api.inject({
      method: 'GET',
      url: `/v1/leads/${body.leadId}/timeline`,
      headers: { authorization: `Bearer ${h.intakeToken}` },
    });
    expect(res.statusCode).toBe(200);
    const kinds = res.json<{ events: Array<{ kind: string }> }>().events.map((e) => e.kind);
    expect(kinds).toEqual([
      'received',
      'matched',
      'scored',
      'routed',
      'offered',
      'reminded',
      'declined',
      'offered',
      'reminded',
      'timed-out',
      'escalated',
      'accepted',
      'assigned',
    ]);
    await exportHistory('reminded-declined-timed-out-escalated', leadHandle(h, body.leadId));
  });
});
