// Intake and routing on the real stack (time-skipping Temporal, the lead worker with its real activities, Postgres,
// SMTP, the HTTP API): what only the real parts together decide. A lead sent twice is one lead; a known contact or
// account goes to its owner, as matching in Postgres finds them; a chat after the form joins the running lead; bad
// input starts nothing. The workflow's own paths are in lead-paths.test.ts.
import { upsertAccount } from '../../db/contacts-and-accounts';
import {
  createHarness,
  submitLead,
  waitForLead,
  offerOpenTo,
  answer,
  leadHandle,
  type Harness,
} from '../support/harness';
import { hotLead } from '../support/directory';
import { listEvents } from '../../db/events';
import { storeWebForm } from '../support/submissions';

type Issues = { issues: Array<{ field: string; message: string }> };

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.teardown();
});

test('the same lead submitted twice starts one workflow: by Idempotency-Key, and by source + external id', async () => {
  const worker = await h.createWorker();
  await worker.runUntil(async () => {
    const lead = hotLead();
    const first = await submitLead(h, lead, { 'idempotency-key': 'form-7f3a' });
    const retry = await submitLead(h, lead, { 'idempotency-key': 'form-7f3a' });
    expect(first).toMatchObject({ status: 202, body: { duplicate: false } });
    expect(retry).toMatchObject({ status: 200, body: { leadId: first.body.leadId, duplicate: true } });

    const partner = hotLead({ source: 'partner-api', externalId: 'P-1001' });
    const a = await submitLead(h, partner, { 'idempotency-key': 'batch-1' });
    const b = await submitLead(h, partner, { 'idempotency-key': 'batch-2' });
    expect(b.body).toEqual({ leadId: a.body.leadId, duplicate: true, merged: false });
    expect(a.body.leadId).not.toBe(first.body.leadId);

    // Least-loaded routing counts the other lead's offer, made in its routing transaction under the team's lock:
    // the two leads, routed at the same time, go to different reps.
    const owners: string[] = [];
    for (const [leadId, email] of [
      [first.body.leadId, lead.email],
      [a.body.leadId, partner.email],
    ] as const) {
      const view = await waitForLead(h, leadId, (v) => v.status === 'offered', 'the first offer, told');
      const rep = view.currentOffer?.repIds[0] as string;
      owners.push(rep);
      // One submission stored and one lead recorded for the person, though they were sent twice.
      const submissions = await h.db.query('SELECT 1 FROM lead_submissions WHERE lead_id = $1', [leadId]);
      expect(submissions.rows).toHaveLength(1);
      const leads = await h.db.query<{ id: string }>('SELECT id FROM leads WHERE email = $1', [email]);
      expect(leads.rows.map((r) => r.id)).toEqual([leadId]);
      // Only one offer email for the lead, though it was submitted twice.
      await h.mail.waitFor((m) => m.messageId === `<${leadId}.1.offer@leadrelay>`);
      expect(h.mail.messages().filter((m) => m.messageId === `<${leadId}.1.offer@leadrelay>`)).toHaveLength(1);
      expect((await answer(h, leadId, 'accept', { offerNumber: 1, repId: rep })).status).toBe(200);
    }
    expect([...owners].sort()).toEqual(['ana', 'ben']);
    // Results only now: awaiting one unlocks time skipping, which would expire the other lead's pending offer.
    expect(await leadHandle(h, first.body.leadId).result()).toMatchObject({ owner: owners[0], offers: 1 });
    expect(await leadHandle(h, a.body.leadId).result()).toMatchObject({ owner: owners[1], offers: 1 });
    // Even after the lead is closed, the key still means the same lead.
    expect(await submitLead(h, lead, { 'idempotency-key': 'form-7f3a' })).toMatchObject({
      status: 200,
      body: { leadId: first.body.leadId, duplicate: true },
    });
  });
});

test("dedupe: a known contact's owner gets the first offer, before the team", async () => {
  const worker = await h.createWorker();
  await worker.runUntil(async () => {
    const email = 'returning.buyer@globex.example';
    const first = await submitLead(h, hotLead({ email, company: 'Globex' }));
    await waitForLead(h, first.body.leadId, offerOpenTo(1, 'ana'));
    await answer(h, first.body.leadId, 'decline', { offerNumber: 1, repId: 'ana', reason: 'busy' });
    await waitForLead(h, first.body.leadId, offerOpenTo(2, 'ben'));
    await answer(h, first.body.leadId, 'accept', { offerNumber: 2, repId: 'ben' });
    await leadHandle(h, first.body.leadId).result();

    // The same person writes again, with different case and spacing: ben owns the contact now.
    const again = await submitLead(h, hotLead({ email: `  ${email.toUpperCase()} `, company: 'Globex' }));
    const view = await waitForLead(h, again.body.leadId, offerOpenTo(1, 'ben'), "offer 1 to the contact's owner");
    expect(view.routing).toContain('ben owns the known contact');
    const matched = (await listEvents(h.db, again.body.leadId)).find((e) => e.kind === 'matched');
    expect(matched?.summary).toMatch(/known contact \d+.*ben/);
    await answer(h, again.body.leadId, 'accept', { offerNumber: 1, repId: 'ben' });
    expect(await leadHandle(h, again.body.leadId).result()).toMatchObject({ owner: 'ben', offers: 1 });
  });
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

    const view = await waitForLead(h, form.body.leadId, (v) => v.merged.length === 1, 'chat merged');
    expect(view.merged[0]).toMatchObject({ source: 'chat' });
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
    expect((await listEvents(h.db, form.body.leadId)).map((e) => e.kind)).toContain('merged');
  });
});

test('bad input is answered with 400 naming the field, and starts nothing', async () => {
  const cases: Array<[Record<string, unknown>, Record<string, string>, string]> = [
    [hotLead({ email: 'not-an-email' }), {}, 'email'],
    [hotLead({ source: 'fax' }), {}, 'source'],
    [hotLead({ email: undefined }), {}, 'email'],
    [hotLead({ favouriteColour: 'blue' }), {}, 'favouriteColour'],
    [hotLead(), { 'idempotency-key': ' ' }, 'Idempotency-Key'],
  ];
  const auth = { authorization: `Bearer ${h.intakeToken}` };
  // The API stores every submission it accepts before it starts the lead's workflow: a refused one leaves no row.
  const submissions = async () =>
    (await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM lead_submissions')).rows[0]?.n;
  const before = await submissions();
  for (const [payload, headers, field] of cases) {
    const res = await h.api.inject({ method: 'POST', url: '/v1/leads', payload, headers: { ...auth, ...headers } });
    expect({ field, status: res.statusCode }).toEqual({ field, status: 400 });
    expect(res.json<Issues>().issues.map((i) => i.field)).toContain(field);
  }
  const notJson = await h.api.inject({
    method: 'POST',
    url: '/v1/leads',
    payload: '{"name":',
    headers: { ...auth, 'content-type': 'application/json' },
  });
  expect(notJson.statusCode).toBe(400);
  expect(await submissions()).toBe(before);
  const decline = await h.api.inject({
    method: 'POST',
    url: '/v1/offers/ffffffffffffffffffffffff.1/decline',
    payload: {},
    headers: { authorization: `Bearer ${await h.repToken('ana')}` },
  });
  expect(decline.statusCode).toBe(400);
  expect(decline.json<Issues>().issues[0]?.field).toBe('reason');
});

test("the Web UI's summary and details say who the lead is and where it stands, encrypted like every payload", async () => {
  const worker = await h.createWorker();
  await worker.runUntil(async () => {
    const lead = hotLead();
    const { body } = await submitLead(h, lead);
    const leadId = body.leadId;
    const view = await waitForLead(h, leadId, (v) => v.status === 'offered', 'the first offer, told');
    const handle = leadHandle(h, leadId);

    // Decoded by the codec, as the Web UI shows them to a codec-server user.
    const described = await handle.describe();
    expect(await described.staticSummary()).toBe('Priya Shah (Acme Corp) via web-form');
    const details = await described.staticDetails();
    expect(details).toContain('**Company:** Acme Corp (800 people)');
    expect(details).toContain(`**Email:** ${lead.email}`);
    expect(details).toContain('> We must migrate our data centre (120 VMs) to AWS ASAP');
    const metadata = await handle.query<{ currentDetails: string }>('__temporal_workflow_metadata');
    expect(metadata.currentDetails).toContain(`offered: offer 1 to ${view.currentOffer?.repIds[0]} (level 0) until`);

    // On the server, and to anyone without the key: ciphertext.
    const raw = await h.env.client.workflowService.describeWorkflowExecution({
      namespace: 'default',
      execution: { workflowId: `lead:${leadId}` },
    });
    const { summary, details: rawDetails } = raw.executionConfig?.userMetadata ?? {};
    for (const payload of [summary, rawDetails]) {
      expect(Buffer.from(payload?.metadata?.encoding ?? []).toString()).toBe('binary/encrypted');
      expect(Buffer.from(payload?.data ?? []).toString()).not.toContain('Priya');
    }
  });
});

test('a submission joining a lead whose own request has stored it but not yet started its workflow is merged, and the lead starts', async () => {
  const worker = await h.createWorker();
  await worker.runUntil(async () => {
    const { name, email, company, companySize, message } = hotLead();
    const first = { name, email, company, companySize, message };
    const leadId = `racing${Date.now().toString(36)}`;
    // The first request has committed its row and is about to start the workflow.
    await storeWebForm(h.db, leadId, first, new Date());
    const chat = await submitLead(
      h,
      {
        visitor: { name: first.name, email: first.email },
        transcript: [{ from: 'visitor', text: 'Also: 40 more VMs.' }],
      },
      {},
      '/v1/leads/chat',
    );
    expect(chat.body).toEqual({ leadId, duplicate: false, merged: true });
    // Started by the joining request, the lead reads both submissions when it receives them.
    await waitForLead(h, leadId, (v) => v.status === 'offered', 'the first offer');
    const events = await listEvents(h.db, leadId);
    expect(events.find((e) => e.kind === 'received')?.summary).toBeDefined();
    const submissions = await h.db.query('SELECT merged FROM lead_submissions WHERE lead_id = $1 ORDER BY merged', [
      leadId,
    ]);
    expect(submissions.rows).toEqual([{ merged: false }, { merged: true }]);
    // The first request's own start then finds the lead started: the same lead, no second one.
    const retried = await submitLead(h, first, {}, '/v1/leads/web-form');
    expect(retried.body.leadId).toBe(leadId);
  });
});
