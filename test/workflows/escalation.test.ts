// Time-skipping tests of the escalation chain: manager, next level, catch-all queue with its alert.
import {
  createHarness,
  submitLead,
  waitForLead,
  offerOpenTo,
  answer,
  offerRows,
  leadRow,
  leadHandle,
  minutes,
  type Harness,
} from '../support/harness';
import { hotLead } from '../support/directory';
import { exportHistory } from '../support/histories';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.teardown();
});

/** Both team reps decline, which brings the lead to the manager at level 1 as offer 3. */
async function declineBothReps(leadId: string): Promise<void> {
  await waitForLead(h, leadId, offerOpenTo(1, 'ana'));
  expect((await answer(h, leadId, 'decline', { offerNumber: 1, repId: 'ana', reason: 'busy' })).status).toBe(200);
  await waitForLead(h, leadId, offerOpenTo(2, 'ben'));
  expect((await answer(h, leadId, 'decline', { offerNumber: 2, repId: 'ben', reason: 'busy' })).status).toBe(200);
  await waitForLead(h, leadId, offerOpenTo(3, 'mgr'), 'offer 3 to the manager');
}

test('manager timeout, then the next level of the chain with its own SLA', async () => {
  const worker = await h.createWorker();
  await worker.runUntil(async () => {
    const { body } = await submitLead(h, hotLead());
    await declineBothReps(body.leadId);
    await h.env.sleep(minutes(15) + 1_000);

    const level2 = await waitForLead(h, body.leadId, offerOpenTo(4, 'head'), 'offer 4 to the head of sales');
    expect(level2).toMatchObject({ status: 'escalated', escalationLevel: 2 });
    expect(Date.parse(level2.deadline ?? '') - Date.parse(level2.currentOffer?.offeredAt ?? '')).toBe(minutes(30));
    await h.mail.waitFor((m) => m.to.includes('head@leadrelay.test') && /level 2/.test(m.subject));
    expect(await leadRow(h, body.leadId)).toMatchObject({ status: 'escalated', escalation_level: 2 });

    expect((await answer(h, body.leadId, 'accept', { offerNumber: 4, repId: 'head' })).status).toBe(200);
    const handle = leadHandle(h, body.leadId);
    expect(await handle.result()).toMatchObject({ status: 'assigned', owner: 'head', offers: 4 });
    expect((await offerRows(h, body.leadId)).map((o) => `${o.level}:${o.status}`)).toEqual([
      '0:declined',
      '0:declined',
      '1:timed-out',
      '2:accepted',
    ]);
    await exportHistory('manager-timeout-then-next-level', handle);
  });
});

test('chain exhausted: catch-all queue, an alert email with the history, re-alerts, and a claim ends it', async () => {
  const worker = await h.createWorker();
  await worker.runUntil(async () => {
    const { body } = await submitLead(h, hotLead());
    await declineBothReps(body.leadId);
    await h.env.sleep(minutes(15) + 1_000);
    await waitForLead(h, body.leadId, offerOpenTo(4, 'head'));
    await h.env.sleep(minutes(30) + 1_000);

    const parked = await waitForLead(h, body.leadId, (v) => v.status === 'catch-all', 'the catch-all queue');
    expect(parked.escalationLevel).toBe(3);
    expect(parked.currentOffer).toMatchObject({ kind: 'catch-all', offerNumber: 5 });
    expect(parked.currentOffer?.repIds).toEqual(expect.arrayContaining(['mgr', 'head', 'ana', 'ben']));
    expect(Date.parse(parked.deadline ?? '') - Date.parse(parked.currentOffer?.offeredAt ?? '')).toBe(minutes(60));
    const alert = await h.mail.waitFor((m) => m.to.includes('sales-ops@leadrelay.test'));
    expect(alert.subject).toMatch(/^ALERT: nobody owns lead/);
    expect(alert.text).toContain('offer 3: mgr did not answer');
    expect(alert.text).toContain('offer 1: declined by ana ("busy")');

    // Declining is not a way out of the catch-all queue.
    expect(await answer(h, body.leadId, 'decline', { offerNumber: 5, repId: 'ana', reason: 'no' })).toMatchObject({
      status: 409,
      body: { reason: 'NotDeclinable' },
    });

    // Nobody claims within the re-alert period: a second alert, and the lead stays in the queue with a new deadline.
    await h.env.sleep(minutes(60) + 1_000);
    const again = await waitForLead(h, body.leadId, offerOpenTo(6, 'ana'), 'the second catch-all round');
    expect(again.status).toBe('catch-all');
    await h.mail.waitFor((m) => m.to.includes('sales-ops@leadrelay.test') && /reminder 2/.test(m.subject));

    expect(await answer(h, body.leadId, 'accept', { offerNumber: 6, repId: 'ben' })).toMatchObject({
      status: 200,
      body: { owner: 'ben' },
    });
    const handle = leadHandle(h, body.leadId);
    expect(await handle.result()).toMatchObject({ status: 'assigned', owner: 'ben', offers: 6 });
    expect(await leadRow(h, body.leadId)).toMatchObject({ status: 'assigned', owner_rep_id: 'ben' });
    await exportHistory('chain-exhausted-catch-all', handle);
  });
});
