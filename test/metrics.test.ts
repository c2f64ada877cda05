// Prometheus metrics on the real stack: one lead submitted, told and accepted moves each counter and histogram once;
// the queue gauges read Postgres at the scrape; /metrics serves it all in the exposition format.
import { createHarness, submitLead, waitForLead, answer, type Harness } from './support/harness';
import { hotLead } from './support/directory';
import { registerQueueGauges, registry, serveMetrics } from '../metrics/metrics';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
  registerQueueGauges(h.db);
});
afterAll(async () => {
  await h?.teardown();
});

/** The value of one sample, e.g. `leadrelay_leads_received_total{source="web-form",tier="A"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

test('a lead received, told and accepted is counted once in each metric, and /metrics serves them', async () => {
  const before = await registry.metrics();
  const worker = await h.createWorker();
  await worker.runUntil(async () => {
    const { body } = await submitLead(h, hotLead());
    const leadId = body.leadId;
    const view = await waitForLead(h, leadId, (v) => v.status === 'offered', 'the first offer, told');
    const queues = await registry.metrics();
    expect(sample(queues, 'leadrelay_leads_open{status="offered"}')).toBeGreaterThanOrEqual(1);
    expect(sample(queues, 'leadrelay_offers_untold_oldest_seconds{tier="A"}')).toBe(0);
    await answer(h, leadId, 'accept', { offerNumber: 1, repId: view.currentOffer?.repIds[0] as string });
    await waitForLead(h, leadId, (v) => v.status === 'assigned', 'the lead, owned');
  });
  const after = await registry.metrics();
  const moved = (series: string) => (sample(after, series) ?? 0) - (sample(before, series) ?? 0);
  expect(moved('leadrelay_api_submissions_total{source="web-form",result="new"}')).toBe(1);
  expect(moved('leadrelay_leads_received_total{source="web-form",tier="A"}')).toBe(1);
  expect(moved('leadrelay_time_to_told_seconds_count{tier="A"}')).toBe(1);
  expect(moved('leadrelay_time_to_accepted_seconds_count{tier="A"}')).toBe(1);
  expect(moved('leadrelay_offers_closed_total{kind="candidate",outcome="accepted"}')).toBe(1);
  expect(moved('leadrelay_routing_decision_seconds_count')).toBe(1);
  // Told within a minute of arriving: the sample falls in the 60 s bucket.
  expect(moved('leadrelay_time_to_told_seconds_bucket{le="60",tier="A"}')).toBe(1);

  const served = await serveMetrics({ host: '127.0.0.1', port: 0 });
  try {
    const response = await fetch(served.url);
    expect(response.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const text = await response.text();
    expect(text).toContain('# TYPE leadrelay_time_to_told_seconds histogram');
    expect(text).toMatch(/^leadrelay_process_resident_memory_bytes \d+/m);
    expect((await fetch(served.url.replace('/metrics', '/other'))).status).toBe(404);
  } finally {
    await served.close();
  }
});
