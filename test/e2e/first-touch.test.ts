// The first-touch SLA on the real stack (Postgres, SMTP, the API and its pages, the time-skipping server): a rep
// who accepted and then never reported contact is nudged by email, their manager told, the lead offered to the
// team again; a touch from the nudge's link or through the outcomes API ends it.
import { activatePolicy, draftPolicy } from '../../db/policies';
import { hotLead, testPolicy } from '../support/directory';
import { answer, leadHandle, leadRow, minutes, offerOpenTo, waitForLead } from '../support/harness';
import { pathOf, startPagesStack, type PagesStack } from './pages-stack';

let s: PagesStack;
beforeAll(async () => {
  s = await startPagesStack();
  const drafted = await draftPolicy(
    s.h.db,
    `${testPolicy}firstTouch:\n  sla:\n    - name: hot\n      when: { tier: A }\n      within: 30 minutes\n    - name: rest\n      within: 1 business day\n`,
  );
  if (!drafted.ok) throw new Error(JSON.stringify(drafted.errors));
  await activatePolicy(s.h.db, drafted.policy.version);
});
afterAll(async () => {
  await s?.teardown();
});

/** Skips to just past `iso` on the server's clock. */
async function skipTo(iso: string | null | undefined) {
  const ms = Date.parse(iso ?? '') + 1_000 - (await s.h.env.currentTimeMs());
  if (!(ms > 0)) throw new Error(`${iso} is not ahead of the server's clock`);
  await s.h.env.sleep(ms);
}

const page = async (method: 'GET' | 'POST', url: string) => {
  const res = await s.h.api.inject({ method, url: pathOf(url) });
  return { status: res.statusCode, text: res.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ') };
};

test("nudged when the first touch is due; the nudge's link records it and the lead has nothing due", async () => {
  const worker = await s.h.createWorker();
  await worker.runUntil(async () => {
    const leadId = await s.submitLead(hotLead());
    await waitForLead(s.h, leadId, offerOpenTo(1, 'ana'), 'offer 1 to ana');
    expect((await answer(s.h, leadId, 'accept', { offerNumber: 1, repId: 'ana' })).status).toBe(200);
    const owned = await waitForLead(s.h, leadId, (v) => v.firstTouch !== null, 'the first-touch SLA');
    // Thirty minutes of the wall clock from the accept (the hot entry; ana works around the clock).
    const assigned = (
      await s.h.db.query<{ at: Date }>("SELECT at FROM lead_events WHERE lead_id = $1 AND kind = 'assigned'", [leadId])
    ).rows[0]!.at;
    expect(Date.parse(owned.firstTouch!.dueAt) - assigned.getTime()).toBe(minutes(30));
    expect(owned.firstTouch!.slaText).toBe('30 minutes');
    expect(await leadRow(s.h, leadId)).toMatchObject({ status: 'assigned', owner_rep_id: 'ana' });
    expect((await leadRow(s.h, leadId))!.sla_deadline?.toISOString()).toBe(owned.firstTouch!.dueAt);
    const read = await s.readLead(leadId);
    expect(read.body).toMatchObject({ status: 'assigned', owner: 'ana', slaDeadline: owned.firstTouch!.dueAt });
    expect(read.body.firstTouch).toEqual({ dueAt: owned.firstTouch!.dueAt, slaText: '30 minutes', touchedAt: null });

    await skipTo(owned.firstTouch!.dueAt);
    const nudge = await s.h.mail.waitFor((m) => m.messageId === `<${leadId}.1.first-touch-nudge@leadrelay>`);
    expect(nudge.to).toContain('ana@leadrelay.test');
    expect(nudge.subject).toMatch(/^Not contacted yet: Priya Shah \(Acme Corp\) — tier A/);
    await waitForLead(s.h, leadId, (v) => v.status === 'first-touch-overdue', 'overdue');
    expect(await leadRow(s.h, leadId)).toMatchObject({ status: 'first-touch-overdue' });

    const link = /I contacted them: (\S+)/.exec(nudge.text)![1]!.replace('http://api.test', s.baseUrl);
    const shown = await page('GET', link);
    expect(shown).toMatchObject({ status: 200 });
    expect(shown.text).toContain('Did you contact this lead?');
    expect(await leadRow(s.h, leadId)).toMatchObject({ status: 'first-touch-overdue' });
    const recorded = await page('POST', link);
    expect(recorded.status).toBe(200);
    expect(recorded.text).toContain('Your first touch is recorded');
    expect((await page('POST', link)).text).toContain('Your first touch is recorded');

    expect(await leadHandle(s.h, leadId).result()).toMatchObject({ status: 'assigned', owner: 'ana' });
    expect(await leadRow(s.h, leadId)).toMatchObject({ status: 'assigned', owner_rep_id: 'ana', sla_deadline: null });
    expect((await s.readLead(leadId)).body).toMatchObject({
      closed: true,
      slaDeadline: null,
      firstTouch: { dueAt: owned.firstTouch!.dueAt, touchedAt: expect.any(String) as string },
    });
    const { rows } = await s.h.db.query<{ event: string; rep_id: string }>(
      'SELECT event, rep_id FROM lead_outcomes WHERE lead_id = $1',
      [leadId],
    );
    expect(rows).toEqual([{ event: 'first-touch', rep_id: 'ana' }]);
    // Nobody else was told.
    expect(s.h.mail.messages().filter((m) => m.messageId.startsWith(`<${leadId}.1.first-touch-manager`))).toEqual([]);
  });
});

test('never touched: nudge, manager, offered to the team again; the new owner reports a first touch through the API', async () => {
  const worker = await s.h.createWorker();
  await worker.runUntil(async () => {
    const leadId = await s.submitLead(hotLead({ name: 'Quinn Silent' }));
    const first = await waitForLead(s.h, leadId, (v) => v.currentOffer?.offerNumber === 1 && v.status === 'offered');
    const owner = first.currentOffer!.repIds[0]!;
    expect((await answer(s.h, leadId, 'accept', { offerNumber: 1, repId: owner })).status).toBe(200);
    const owned = await waitForLead(s.h, leadId, (v) => v.firstTouch !== null, 'the first-touch SLA');
    const dueAt = Date.parse(owned.firstTouch!.dueAt);

    await skipTo(owned.firstTouch!.dueAt);
    await s.h.mail.waitFor((m) => m.messageId === `<${leadId}.1.first-touch-nudge@leadrelay>`);
    await skipTo(new Date(dueAt + minutes(30)).toISOString());
    const notice = await s.h.mail.waitFor((m) => m.messageId === `<${leadId}.1.first-touch-manager@leadrelay>`);
    expect(notice.to).toContain('mgr@leadrelay.test');
    expect(notice.subject).toMatch(/^Untouched lead: \w+ has not contacted Quinn Silent/);

    await skipTo(new Date(dueAt + minutes(60)).toISOString());
    const queued = await waitForLead(s.h, leadId, (v) => v.status === 'catch-all', 'offered again');
    expect(queued).toMatchObject({ owner: null, currentOffer: { offerNumber: 2, kind: 'catch-all' } });
    expect(await leadRow(s.h, leadId)).toMatchObject({ status: 'catch-all', owner_rep_id: null });
    const alert = await s.h.mail.waitFor((m) => m.messageId === `<${leadId}.2.catch-all-alert.1@leadrelay>`);
    expect(alert.subject).toMatch(/^ALERT: owner never contacted lead Quinn Silent/);
    expect(alert.text).toContain(`offered again: ${owner} reported no first touch`);

    // The first owner cannot report a touch any more; whoever claims the lead can.
    const repOutcome = async (repId: string) =>
      s.h.api.inject({
        method: 'POST',
        url: `/v1/leads/${leadId}/outcomes`,
        headers: { authorization: `Bearer ${await s.h.repToken(repId)}` },
        payload: { event: 'first-touch', at: new Date(await s.h.env.currentTimeMs()).toISOString() },
      });
    expect((await repOutcome(owner)).statusCode).toBe(403);
    const claimer = owner === 'ben' ? 'ana' : 'ben';
    expect((await answer(s.h, leadId, 'accept', { offerNumber: 2, repId: claimer })).status).toBe(200);
    await waitForLead(s.h, leadId, (v) => v.owner === claimer && v.firstTouch !== null, 'claimed');
    expect((await repOutcome(claimer)).statusCode).toBe(201);

    expect(await leadHandle(s.h, leadId).result()).toMatchObject({ status: 'assigned', owner: claimer, offers: 2 });
    expect(await leadRow(s.h, leadId)).toMatchObject({ status: 'assigned', owner_rep_id: claimer, sla_deadline: null });
  });
});
