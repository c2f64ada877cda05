// What runs the metrics (ops/): every metric the alert rules and the Grafana dashboard query is one that leadrelay's
// registry or the Temporal SDK exports; the alert rules are well formed; Prometheus scrapes the ports compose gives
// the API and the worker; Grafana is provisioned with the dashboard. No Prometheus or Grafana runs here.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { registerQueueGauges, registry } from '../metrics/metrics';
import type { Pool } from 'pg';

const root = path.join(__dirname, '..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

// Names the Temporal SDK's Prometheus exporter serves (checked against a worker's /metrics; the schedule-to-start
// latencies appear once tasks flow), and Prometheus's own `up`.
const sdkMetrics = [
  'temporal_worker_task_slots_used',
  'temporal_worker_task_slots_available',
  'temporal_request_latency',
  'temporal_num_pollers',
  'up',
];

// The queue gauges read Postgres only when scraped; their names are all this needs.
registerQueueGauges({} as Pool);
const ours = new Set(
  registry.getMetricsAsArray().flatMap(({ name }) => [name, `${name}_bucket`, `${name}_sum`, `${name}_count`]),
);

/** The metric names a PromQL expression reads: identifiers followed by a selector, a range or the end. */
function metricsIn(expr: string): string[] {
  const functions = new Set(['sum', 'max', 'min', 'rate', 'histogram_quantile', 'offset', 'avg']);
  // Label lists (`by (tier)`) and selectors (`{tier="A"}`) name labels, not metrics.
  const bare = expr.replace(/\b(by|without)\s*\([^)]*\)/g, ' ').replace(/\{[^}]*\}/g, '{}');
  return [...bare.matchAll(/\b([a-z_][a-z0-9_]*)\b(?=\s*(\{|\[|\)|$|\s*[-+*/><]|\s+offset))/g)]
    .map((m) => m[1] as string)
    .filter((name) => !functions.has(name) && (name.includes('_') || name === 'up'));
}

const alerts = parse(read('ops/prometheus/alerts.yml')) as {
  groups: Array<{ name: string; rules: Array<Record<string, unknown>> }>;
};
const rules = alerts.groups.flatMap((g) => g.rules);
const dashboard = JSON.parse(read('ops/grafana/dashboards/leadrelay.json')) as {
  panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
};

test('every alert rule has a name, an expression, a severity and a summary, and reads metrics that exist', () => {
  expect(rules.map((r) => r.alert)).toEqual(
    expect.arrayContaining(['HotLeadUntold', 'CatchAllGrowing', 'LeadsNeedAttention', 'OutboxBacklog', 'WorkerDown']),
  );
  for (const rule of rules) {
    expect(rule).toMatchObject({
      alert: expect.stringMatching(/^[A-Z][A-Za-z]+$/) as unknown,
      expr: expect.any(String) as unknown,
      labels: { severity: expect.stringMatching(/^(page|warning)$/) as unknown },
      annotations: { summary: expect.any(String) as unknown },
    });
    const used = metricsIn(rule.expr as string);
    expect(used.length).toBeGreaterThan(0);
    for (const name of used)
      expect([rule.alert, name, ours.has(name) || sdkMetrics.includes(name)]).toEqual([rule.alert, name, true]);
  }
});

test('every dashboard panel queries metrics that exist', () => {
  expect(dashboard.panels.length).toBeGreaterThanOrEqual(10);
  for (const panel of dashboard.panels) {
    expect(panel.targets.length).toBeGreaterThan(0);
    for (const { expr } of panel.targets)
      for (const name of metricsIn(expr))
        expect([panel.title, name, ours.has(name) || sdkMetrics.includes(name)]).toEqual([panel.title, name, true]);
  }
});

test("Prometheus scrapes the API's and every worker's metrics ports as compose sets them, and loads the rules", () => {
  const prometheus = parse(read('ops/prometheus/prometheus.yml')) as {
    rule_files: string[];
    scrape_configs: Array<{
      job_name: string;
      static_configs?: Array<{ targets: string[] }>;
      dns_sd_configs?: Array<{ names: string[]; port: number }>;
    }>;
  };
  const compose = parse(read('docker-compose.yml'), { merge: true }) as {
    services: Record<string, { environment?: Record<string, string>; volumes?: string[] }>;
  };
  const api = compose.services.api?.environment ?? {};
  const worker = compose.services.worker?.environment ?? {};
  const jobs = Object.fromEntries(prometheus.scrape_configs.map((c) => [c.job_name, c]));
  expect(jobs['leadrelay-api']?.static_configs?.[0]?.targets).toEqual([`api:${api.LEADRELAY_METRICS_PORT}`]);
  expect(jobs['leadrelay-worker']?.dns_sd_configs?.[0]).toMatchObject({
    names: ['worker'],
    port: Number(worker.LEADRELAY_METRICS_PORT),
  });
  expect(jobs['temporal-sdk']?.dns_sd_configs?.[0]?.port).toBe(Number(worker.TEMPORAL_METRICS_ADDRESS?.split(':')[1]));
  for (const env of [api, worker]) expect(env.LEADRELAY_METRICS_HOST).toBe('0.0.0.0');
  expect(prometheus.rule_files).toEqual(['/etc/prometheus/alerts.yml']);
  expect(compose.services.prometheus?.volumes).toContain('./ops/prometheus:/etc/prometheus:ro');
  expect(compose.services.grafana?.volumes).toEqual(
    expect.arrayContaining(['./ops/grafana/provisioning:/etc/grafana/provisioning:ro']),
  );
  const provider = parse(read('ops/grafana/provisioning/dashboards/leadrelay.yml')) as {
    providers: Array<{ options: { path: string } }>;
  };
  expect(compose.services.grafana?.volumes).toContain(
    `./ops/grafana/dashboards:${provider.providers[0]?.options.path}:ro`,
  );
});
