// The offer chain on the real stack (time-skipping Temporal, the lead worker with its real activities, Postgres,
// SMTP, the HTTP API): a lead accepted from intake to owner, a decline that ends in an escalation, and the catch-all
// queue. Every path of the workflow itself is specified with fake activities in lead-paths.test.ts; these few keep
// the real parts honest: the rows, the emails, the timeline and the HTTP answers a user sees.
import {
  createHarness,
  submitLead,
  waitForLead,
  offerOpenTo,
  answer,
  offerRows,
  passThroughTheChain,
  leadRow,
  leadHandle,
  minutes,
  type Harness,
} from '../support/harness';
import { hotLead } from '../support/directory';
import { startMailCatcher } from '../../stack/mail-catcher';
import { listEvents } from '../../db/events';
import { searchAttributes as sa } from '../../workflows/messages';
import { roundsPerRun, type LeadOutcome } from '../../workflows/lead';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.teardown();
});

test('intake to owner: a submitted lead is offered by email, accepted through the API, and owned everywhere', async () => {
  const worker = await h.createWorker();
  await worker.runUntil(async () => {
    const { status, body, location } = await submitLead(h, hotLead());
    expect(status).toBe(202);
    expect(location).toBe(`/v1/leads/${body.leadId}`);

    const offered = await waitForLead(h, body.leadId, offerOpenTo(1, 'ana'), 'offer 1 to ana');
    expect(offered.status).toBe('offered');
    expect(offered.qualification?.tier).toBe('A');
    // The SLA counts from the moment the mail server took the offer email: when ana was told.
    expect(Date.parse(offered.deadline ?? '') - Date.parse(offered.currentOffer?.toldAt ?? '')).toBe(minutes(5));
    expect((await offerRows(h, body.leadId))[0]).toMatchObject({ status: 'open' });

    const mail = await h.mail.waitFor((m) => m.to.includes('ana@leadrelay.test'));
    expect(mail.subject).toContain('Acme Corp');
    expect(mail.text).toContain('tier A');
    expect(mail.messageId).toBe(`<${body.leadId}.1.offer@leadrelay>`);

    const accepted = await answer(h, body.leadId, 'accept', { offerNumber: 1, repId: 'ana' });
    expect(accepted).toEqual({
      status: 200,
      body: { leadId: body.leadId, offerId: `${body.leadId}.1`, owner: 'ana', offerNumber: 1 },
    });

    const handle = leadHandle(h, body.leadId);
    expect(await handle.result()).toEqual<LeadOutcome>({
      leadId: body.leadId,
      status: 'assigned',
      owner: 'ana',
      offers: 1,
    });
    expect(await leadRow(h, body.leadId)).toMatchObject({ status: 'assigned', owner_rep_id: 'ana', team_id: 'cloud' });
    expect(await offerRows(h, body.leadId)).toMatchObject([
      { offer_number: 1, rep_ids: ['ana'], status: 'accepted', answered_by: 'ana' },
    ]);
    expect((await listEvents(h.db, body.leadId)).map((e) => e.kind)).toEqual([
      'received',
      'matched',
      'scored',
      'routed',
      'offered',
      'told',
      'accepted',
      'assigned',
    ]);
    const attributes = (await handle.describe()).typedSearchAttributes;
    expect(attributes.get(sa.AssignedRep)).toBe('ana');
    expect(attributes.get(sa.LeadStatus)).toBe('assigned');
  });
});

test('decline to escalation: reminded half way, declined, the next rep lets it pass, the manager gets the history and accepts', async () => {
  const worker = await h.createWorker();
  await worker.runUntil(async () => {
    const { body } = await submitLead(h, hotLead());
    await waitForLead(h, body.leadId, offerOpenTo(1, 'ana'));
    await h.env.sleep(minutes(2.5) + 1_000);
    const reminder = await h.mail.waitFor((m) => m.messageId === `<${body.leadId}.1.reminder@leadrelay>`);
    expect(reminder.to).toContain('ana@leadrelay.test');

    const declined = await answer(h, body.leadId, 'decline', { offerNumber: 1, repId: 'ana', reason: 'travelling' });
    expect(declined).toEqual({ status: 200, body: expect.objectContaining({ offerNumber: 1 }) as unknown });
    await waitForLead(h, body.leadId, offerOpenTo(2, 'ben'));
    await h.env.sleep(minutes(5) + 1_000);

    const escalated = await waitForLead(h, body.leadId, offerOpenTo(3, 'mgr'), 'offer 3 to the manager');
    expect(escalated).toMatchObject({ status: 'escalated', escalationLevel: 1 });
    const escalation = await h.mail.waitFor((m) => m.to.includes('mgr@leadrelay.test'));
    expect(escalation.subject).toMatch(/Escalated lead \(level 1\)/);
    // The escalation email carries the story so far, as the activities recorded it in Postgres.
    expect(escalation.text).toContain('offer 1: declined by ana ("travelling")');
    expect(escalation.text).toContain('offer 2: ben did not answer');
    expect(await leadRow(h, body.leadId)).toMatchObject({ status: 'escalated', escalation_level: 1 });

    expect((await answer(h, body.leadId, 'accept', { offerNumber: 3, repId: 'mgr' })).status).toBe(200);
    expect(await leadHandle(h, body.leadId).result()).toMatchObject({ status: 'assigned', owner: 'mgr', offers: 3 });
    expect(await offerRows(h, body.leadId)).toMatchObject([
      { kind: 'candidate', level: 0, status: 'declined', answered_by: 'ana', reason: 'travelling' },
      { kind: 'candidate', level: 0, status: 'timed-out' },
      { kind: 'escalation', level: 1, status: 'accepted', answered_by: 'mgr' },
    ]);

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
    expect(res.json<{ events: Array<{ kind: string }> }>().events.map((e) => e.kind)).toEqual([
      'received',
      'matched',
      'scored',
      'routed',
      'offered',
      'told',
      'reminded',
      'declined',
      'offered',
      'told',
      'reminded',
      'timed-out',
      'escalated',
      'told',
      'accepted',
      'assigned',
    ]);
  });
});

test('catch-all claim: the chain exhausted, sales ops is alerted with the history and re-alerted, and a claim ends it', async () => {
  const worker = await h.createWorker();
  await worker.runUntil(async () => {
    const { body } = await submitLead(h, hotLead());
    const parked = await passThroughTheChain(h, body.leadId);
    expect(parked.currentOffer).toMatchObject({ kind: 'catch-all', offerNumber: 5 });
    expect(parked.currentOffer?.repIds).toEqual(expect.arrayContaining(['mgr', 'head', 'ana', 'ben']));
    const alert = await h.mail.waitFor((m) => m.to.includes('sales-ops@leadrelay.test'));
    expect(alert.subject).toMatch(/^ALERT: nobody owns lead/);
    expect(alert.text).toContain('offer 3: mgr did not answer');
    expect(alert.text).toContain('offer 1: declined by ana ("busy")');

    // Declining is not a way out of the catch-all queue.
    expect(await answer(h, body.leadId, 'decline', { offerNumber: 5, repId: 'ana', reason: 'no' })).toMatchObject({
      status: 409,
      body: { reason: 'NotDeclinable' },
    });

    // Nobody claims within the re-alert period: a second alert for the same open offer, and a later deadline.
    const firstDeadline = (await leadRow(h, body.leadId))?.sla_deadline;
    await h.env.sleep(minutes(60) + 1_000);
    await h.mail.waitFor((m) => m.to.includes('sales-ops@leadrelay.test') && /reminder 2/.test(m.subject));
    const again = await waitForLead(
      h,
      body.leadId,
      (v) => v.status === 'catch-all' && Date.parse(v.deadline ?? '') > Date.parse(parked.deadline ?? ''),
      'the second alert',
    );
    expect(again.currentOffer).toMatchObject({ offerNumber: 5, outcome: 'open' });
    expect((await leadRow(h, body.leadId))?.sla_deadline?.getTime()).toBeGreaterThan(firstDeadline?.getTime() ?? 0);

    expect(await answer(h, body.leadId, 'accept', { offerNumber: 5, repId: 'ben' })).toMatchObject({
      status: 200,
      body: { owner: 'ben' },
    });
    expect(await leadHandle(h, body.leadId).result()).toMatchObject({ status: 'assigned', owner: 'ben', offers: 5 });
    expect(await leadRow(h, body.leadId)).toMatchObject({ status: 'assigned', owner_rep_id: 'ben' });
  });
});

test('nine days in the catch-all queue: the run continues as new, the lead stays findable, and a claim through the API ends it', async () => {
  const worker = await h.createWorker();
  await worker.runUntil(async () => {
    const { body } = await submitLead(h, hotLead());
    await passThroughTheChain(h, body.leadId);
    const handle = leadHandle(h, body.leadId);
    const firstRunId = (await handle.describe()).runId;

    // Re-alerted every hour, then backing off to every four hours: more than one run's worth of alerts.
    await h.env.sleep(minutes(9 * 24 * 60));
    const now = await h.env.currentTimeMs();
    const waiting = await waitForLead(
      h,
      body.leadId,
      (v) => v.status === 'catch-all' && Date.parse(v.deadline ?? '') > now,
      'still waiting, with a deadline ahead',
    );
    expect(waiting.currentOffer).toMatchObject({ offerNumber: 5, kind: 'catch-all', outcome: 'open' });
    const { rows } = await h.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbound_emails WHERE lead_id = $1 AND kind = 'catch-all-alert'`,
      [body.leadId],
    );
    expect(rows[0]!.n).toBeGreaterThan(roundsPerRun);
    const firstRun = await h.env.client.workflow.getHandle(`lead:${body.leadId}`, firstRunId).fetchHistory();
    expect(firstRun.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
    const latest = await handle.describe();
    expect(latest.runId).not.toBe(firstRunId);
    // What the README's Web UI queries filter on.
    expect(latest.typedSearchAttributes.get(sa.LeadStatus)).toBe('catch-all');
    expect(latest.typedSearchAttributes.get(sa.SlaDeadline)?.getTime()).toBeGreaterThan(now);
    expect(await leadRow(h, body.leadId)).toMatchObject({ status: 'catch-all', owner_rep_id: null });

    expect(await answer(h, body.leadId, 'accept', { offerNumber: 5, repId: 'ben' })).toMatchObject({
      status: 200,
      body: { owner: 'ben' },
    });
    expect(await handle.result()).toMatchObject({ status: 'assigned', owner: 'ben', offers: 5 });
    expect(await leadRow(h, body.leadId)).toMatchObject({ status: 'assigned', owner_rep_id: 'ben' });
  });
}, 300_000);

test('the mail server down for ten minutes: the lead waits to notify, then its offer and deadline count from delivery', async () => {
  const worker = await h.createWorker();
  const smtpPort = Number(new URL(h.mail.smtpUrl).port);
  await h.mail.close();
  await worker.runUntil(async () => {
    const { body } = await submitLead(h, hotLead());
    const waiting = await waitForLead(h, body.leadId, (v) => v.status === 'notifying', 'waiting to notify');
    expect(waiting.currentOffer).toMatchObject({ offerNumber: 1, repIds: ['ana'], deadline: null });
    expect(await leadRow(h, body.leadId)).toMatchObject({ status: 'notifying' });
    const downUntil = (await h.env.currentTimeMs()) + minutes(10);

    // Ten minutes of retries against a closed port, then the server is back where it was.
    await h.env.sleep(minutes(10));
    h.mail = await startMailCatcher({ smtpPort, viewerPort: null });
    await h.env.sleep(minutes(1) + 1_000);
    const offered = await waitForLead(h, body.leadId, offerOpenTo(1, 'ana'), 'told once mail is back');
    const toldAt = Date.parse(offered.currentOffer?.toldAt ?? '');
    expect(toldAt).toBeGreaterThanOrEqual(downUntil);
    expect(Date.parse(offered.deadline ?? '') - toldAt).toBe(minutes(5));
    expect(await offerRows(h, body.leadId)).toMatchObject([{ offer_number: 1, status: 'open' }]);
    const mail = await h.mail.waitFor((m) => m.messageId === `<${body.leadId}.1.offer@leadrelay>`);
    expect(mail.to).toContain('ana@leadrelay.test');

    expect((await answer(h, body.leadId, 'accept', { offerNumber: 1, repId: 'ana' })).status).toBe(200);
    expect(await leadHandle(h, body.leadId).result()).toMatchObject({ status: 'assigned', owner: 'ana', offers: 1 });
    // One offer email, no reminder: nothing of the SLA was spent while the rep could not know.
    expect(h.mail.messages().map((m) => m.messageId)).toEqual([`<${body.leadId}.1.offer@leadrelay>`]);
  });
});
