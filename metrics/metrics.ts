// Prometheus metrics of a leadrelay process (prom-client): what happened to leads in this process (counters and
// histograms, counted where each step commits for the first time), the queues a person must empty (gauges read from
// Postgres when scraped, by the API), and Node's own process metrics. Served on a port of its own.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Pool } from 'pg';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { countOpenLeads, countUntoldOffers } from '../db/metrics';

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'leadrelay_' });

/** Speed to lead is minutes for a hot lead and hours to a day for the rest. */
const leadTimeBuckets = [5, 15, 30, 60, 120, 300, 600, 900, 1_800, 3_600, 7_200, 14_400, 28_800, 86_400];

export const metrics = {
  submissions: new Counter({
    name: 'leadrelay_api_submissions_total',
    help: 'Submissions the API accepted, by source and what they became (new lead, merged into a running one, duplicate)',
    labelNames: ['source', 'result'] as const,
    registers: [registry],
  }),
  leadsReceived: new Counter({
    name: 'leadrelay_leads_received_total',
    help: 'Leads recorded (deduped and qualified), by source and tier',
    labelNames: ['source', 'tier'] as const,
    registers: [registry],
  }),
  offersClosed: new Counter({
    name: 'leadrelay_offers_closed_total',
    help: 'Offers that ended, by kind (candidate, escalation, catch-all) and outcome (accepted, declined, timed-out, withdrawn)',
    labelNames: ['kind', 'outcome'] as const,
    registers: [registry],
  }),
  slaBreaches: new Counter({
    name: 'leadrelay_sla_breaches_total',
    help: 'Offers whose SLA ran out without an answer, by kind and escalation level',
    labelNames: ['kind', 'level'] as const,
    registers: [registry],
  }),
  timeToTold: new Histogram({
    name: 'leadrelay_time_to_told_seconds',
    help: "Received → the first offer's email taken by the mail server, by tier",
    labelNames: ['tier'] as const,
    buckets: leadTimeBuckets,
    registers: [registry],
  }),
  timeToAccepted: new Histogram({
    name: 'leadrelay_time_to_accepted_seconds',
    help: 'Received → an owner accepted the lead, by tier',
    labelNames: ['tier'] as const,
    buckets: leadTimeBuckets,
    registers: [registry],
  }),
  timeToFirstTouch: new Histogram({
    name: 'leadrelay_time_to_first_touch_seconds',
    help: 'Received → the owner reported the first touch, by tier',
    labelNames: ['tier'] as const,
    buckets: leadTimeBuckets,
    registers: [registry],
  }),
  routingDecision: new Histogram({
    name: 'leadrelay_routing_decision_seconds',
    help: 'Time to decide a routing plan (availability, ranking, explanation), without its database writes',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  }),
};

/** Seconds from `from` to `to` (ISO strings or dates), never negative. */
export function secondsBetween(from: string | Date, to: string | Date): number {
  return Math.max(0, (new Date(to).getTime() - new Date(from).getTime()) / 1000);
}

/**
 * The queues, read from Postgres at each scrape: open leads by status (the catch-all and needs-attention queues
 * among them) and the outbox backlog (offers whose email has not gone out). One process of a deployment reports
 * them (the API); every replica reports the same figures, so a dashboard takes their max.
 */
export function registerQueueGauges(db: Pool): void {
  // The two untold-offer gauges are collected together at each scrape: they share one query in flight.
  let untoldInFlight: ReturnType<typeof countUntoldOffers> | null = null;
  const untoldNow = () =>
    (untoldInFlight ??= countUntoldOffers(db).finally(() => {
      untoldInFlight = null;
    }));
  // Each gauge registers itself with `registry`; it reads Postgres when scraped.
  new Gauge({
    name: 'leadrelay_leads_open',
    help: 'Leads not yet owned, by status (received, notifying, offered, escalated, catch-all, needs-attention)',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const { status, count } of await countOpenLeads(db)) this.set({ status }, count);
    },
  });
  new Gauge({
    name: 'leadrelay_offers_untold',
    help: 'Offers opened whose email the mail server has not taken yet (the outbox backlog), by tier',
    labelNames: ['tier'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const { tier, count } of await untoldNow()) this.set({ tier }, count);
    },
  });
  new Gauge({
    name: 'leadrelay_offers_untold_oldest_seconds',
    help: 'Age of the oldest offer whose email has not gone out, by tier (0 when none waits)',
    labelNames: ['tier'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const tier of ['A', 'B', 'C']) this.set({ tier }, 0);
      for (const { tier, oldestSeconds } of await untoldNow()) this.set({ tier }, oldestSeconds);
    },
  });
}

/** `GET /metrics` on its own port (LEADRELAY_METRICS_PORT), apart from the API's, for the scraper's network only. */
export async function serveMetrics(opts: {
  host: string;
  port: number;
}): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: GET /metrics');
      return;
    }
    registry
      .metrics()
      .then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text))
      .catch((err: unknown) =>
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${String(err)}`),
      );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${opts.host}:${port}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
