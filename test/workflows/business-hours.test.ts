// A business-hours SLA runs only in the rep's working time: a partner lead offered on a Friday afternoon in London
// is due on Monday, not on Saturday.
import { createHarness, waitForLead, offerOpenTo, answer, leadHandle, minutes, type Harness } from '../support/harness';
import { exportHistory } from '../support/histories';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.teardown();
});

/** The next instant, after `fromMs`, that is Friday `hour`:00 on a London wall clock. */
function nextLondonFriday(fromMs: number, hour: number): number {
  const fmt = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  for (let t = Math.ceil(fromMs / 3_600_000) * 3_600_000 + 3_600_000; ; t += 3_600_000) {
    const parts = Object.fromEntries(fmt.formatToParts(new Date(t)).map((p) => [p.type, p.value]));
    // Skip a Friday whose following Monday is a UK bank holiday? Wendy keeps no holidays, so any Friday will do.
    if (parts.weekday === 'Fri' && parts.hour === String(hour).padStart(2, '0') && parts.minute === '00') return t;
  }
}

test('a one-business-day SLA offered Friday 15:00 in London runs out Monday 15:00, and only then moves on', async () => {
  const friday = nextLondonFriday(await h.env.currentTimeMs(), 15);
  await h.env.sleep(friday - (await h.env.currentTimeMs()));

  const worker = await h.createWorker();
  await worker.runUntil(async () => {
    const res = await h.api.inject({
      method: 'POST',
      url: '/v1/leads/partner',
      headers: { authorization: `Bearer ${h.intakeToken}` },
      payload: {
        leads: [
          {
            externalId: `P-${Date.now()}`,
            name: 'Olu Adeyemi',
            email: 'olu@contoso-partner.example',
            company: 'Contoso',
            country: 'GB',
            message: 'Customer needs help with their Microsoft 365 tenant and laptops.',
          },
        ],
      },
    });
    expect(res.statusCode).toBe(202);
    const leadId = res.json<{ results: Array<{ leadId: string }> }>().results[0]?.leadId ?? '';

    const offered = await waitForLead(h, leadId, offerOpenTo(1, 'wendy'), 'offer 1 to wendy');
    const offeredAt = Date.parse(offered.currentOffer?.offeredAt ?? '');
    const deadline = Date.parse(offered.deadline ?? '');
    // Friday 15:00-17:00 is two working hours; the other six run Monday 09:00-15:00.
    const monday = friday + 3 * 24 * 3_600_000;
    expect(Math.abs(deadline - monday)).toBeLessThan(minutes(1));
    expect(deadline - offeredAt).toBeGreaterThan(minutes(60 * 70));

    // Saturday: still Wendy's, the SLA has not moved.
    await h.env.sleep(friday + 24 * 3_600_000 - (await h.env.currentTimeMs()));
    expect((await waitForLead(h, leadId, offerOpenTo(1, 'wendy'))).status).toBe('offered');

    // Monday 15:00 passes: the lead escalates to the manager.
    await h.env.sleep(deadline + 1_000 - (await h.env.currentTimeMs()));
    const escalated = await waitForLead(h, leadId, offerOpenTo(2, 'mgr'), 'escalated to the manager on Monday');
    expect(escalated.offers[0]).toMatchObject({ outcome: 'timed-out' });
    expect((await answer(h, leadId, 'accept', { offerNumber: 2, repId: 'mgr' })).status).toBe(200);
    expect(await leadHandle(h, leadId).result()).toMatchObject({ status: 'assigned', owner: 'mgr' });
    await exportHistory('business-hours-over-weekend', leadHandle(h, leadId));
  });
});
