// Time-skipping tests of the lead workflow's offer paths, one test per path.
import {
  createHarness,
  submitLead,
  waitForLead,
  offerOpenTo,
  answer,
  offerRows,
  leadRow,
  decisionKinds,
  leadHandle,
  minutes,
  type Harness,
} from '../support/harness';
import { hotLead } from '../support/directory';
import { exportHistory } from '../support/histories';
import type { LeadOutcome } from '../../workflows/lead';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.teardown();
});

test('accepted on the first offer: the rep owns the lead, in the workflow, Postgres and their inbox', async () => {
  const worker = await h.createWorker();
  await worker.runUntil(async () => {
    const { status, body, location } = await submitLead(h, hotLead());
    expect(status).toBe(202);
    expect(location).toBe(`/v1/leads/${body.leadId}`);

    const offered = await waitForLead(h, body.leadId, offerOpenTo(1, 'ana'), 'offer 1 to ana');
    expect(offered.status).toBe('offered');
    expect(offered.qualification?.tier).toBe('A');
    expect(Date.parse(offered.deadline ?? '') - Date.parse(offered.currentOffer?.offeredAt ?? '')).toBe(minutes(5));

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
    expect(await decisionKinds(h, body.leadId)).toEqual([
      'matched',
      'qualified',
      'routed',
      'offered',
      'accepted',
      'assigned',
    ]);
    const sa = (await handle.describe()).typedSearchAttributes;
    expect(sa.get({ name: 'AssignedRep', type: 'KEYWORD' } as never)).toBe('ana');
    expect(sa.get({ name: 'LeadStatus', type: 'KEYWORD' } as never)).toBe('assigned');
    await exportHistory('accepted-first-offer', handle);
  });
});

test('declined, then the next rep is offered and accepts', async () => {
  const worker = await h.createWorker();
  await worker.runUntil(async () => {
    const { body } = await submitLead(h, hotLead());
    await waitForLead(h, body.leadId, offerOpenTo(1, 'ana'));
    const declined = await answer(h, body.leadId, 'decline', {
      offerNumber: 1,
      repId: 'ana',
      reason: 'on a customer visit',
    });
    expect(declined.status).toBe(200);

    await waitForLead(h, body.leadId, offerOpenTo(2, 'ben'), 'offer 2 to ben');
    await h.mail.waitFor(
      (m) => m.to.includes('ben@leadrelay.test') && m.messageId === `<${body.leadId}.2.offer@leadrelay>`,
    );
    expect((await answer(h, body.leadId, 'accept', { offerNumber: 2, repId: 'ben' })).status).toBe(200);

    const handle = leadHandle(h, body.leadId);
    expect(await handle.result()).toMatchObject({ status: 'assigned', owner: 'ben', offers: 2 });
    expect(await offerRows(h, body.leadId)).toMatchObject([
      { offer_number: 1, status: 'declined', answered_by: 'ana', reason: 'on a customer visit' },
      { offer_number: 2, status: 'accepted', answered_by: 'ben' },
    ]);
    await exportHistory('declined-then-next-rep', handle);
  });
});

test('SLA timeout, then the next rep', async () => {
  const worker = await h.createWorker();
  await worker.runUntil(async () => {
    const { body } = await submitLead(h, hotLead());
    const first = await waitForLead(h, body.leadId, offerOpenTo(1, 'ana'));
    await h.env.sleep(minutes(5) + 1_000);

    const second = await waitForLead(h, body.leadId, offerOpenTo(2, 'ben'), 'offer 2 to ben');
    expect(second.offers[0]).toMatchObject({ outcome: 'timed-out' });
    expect(Date.parse(second.currentOffer?.offeredAt ?? '')).toBeGreaterThanOrEqual(Date.parse(first.deadline ?? ''));
    expect((await answer(h, body.leadId, 'accept', { offerNumber: 2, repId: 'ben' })).status).toBe(200);

    const handle = leadHandle(h, body.leadId);
    expect(await handle.result()).toMatchObject({ status: 'assigned', owner: 'ben' });
    expect((await offerRows(h, body.leadId)).map((o) => o.status)).toEqual(['timed-out', 'accepted']);
    await exportHistory('timeout-then-next-rep', handle);
  });
});

test('all reps exhausted, then the manager: escalated at level 1 and emailed', async () => {
  const worker = await h.createWorker();
  await worker.runUntil(async () => {
    const { body } = await submitLead(h, hotLead());
    await waitForLead(h, body.leadId, offerOpenTo(1, 'ana'));
    await answer(h, body.leadId, 'decline', { offerNumber: 1, repId: 'ana', reason: 'full week' });
    await waitForLead(h, body.leadId, offerOpenTo(2, 'ben'));
    await h.env.sleep(minutes(5) + 1_000);

    const escalated = await waitForLead(h, body.leadId, offerOpenTo(3, 'mgr'), 'offer 3 to the manager');
    expect(escalated).toMatchObject({ status: 'escalated', escalationLevel: 1 });
    expect(Date.parse(escalated.deadline ?? '') - Date.parse(escalated.currentOffer?.offeredAt ?? '')).toBe(
      minutes(15),
    );
    const mail = await h.mail.waitFor((m) => m.to.includes('mgr@leadrelay.test'));
    expect(mail.subject).toMatch(/Escalated lead \(level 1\)/);

    const sa = (await leadHandle(h, body.leadId).describe()).typedSearchAttributes;
    expect(sa.get({ name: 'EscalationLevel', type: 'INT' } as never)).toBe(1);
    expect(sa.get({ name: 'OfferedRep', type: 'KEYWORD' } as never)).toBe('mgr');

    expect((await answer(h, body.leadId, 'accept', { offerNumber: 3, repId: 'mgr' })).status).toBe(200);
    const handle = leadHandle(h, body.leadId);
    expect(await handle.result()).toMatchObject({ status: 'assigned', owner: 'mgr', offers: 3 });
    expect(await offerRows(h, body.leadId)).toMatchObject([
      { kind: 'candidate', level: 0, status: 'declined' },
      { kind: 'candidate', level: 0, status: 'timed-out' },
      { kind: 'escalation', level: 1, status: 'accepted', answered_by: 'mgr' },
    ]);
    await exportHistory('reps-exhausted-then-manager', handle);
  });
});
