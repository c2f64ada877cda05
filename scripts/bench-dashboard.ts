// `npm run bench:dashboard`: each dashboard page's render time (queries, charts rendered to SVG, HTML) at 10,000
// leads and again at 1,000,000, with their offers, decisions and outcomes, in a real PostgreSQL of its own. The
// 10,000-lead run is the baseline, measured in the same process on the same machine; the ratio says whether a page
// slows as data grows. Pages are requested through Fastify's inject (the whole route: authentication, the rollup
// refresh, queries, Vega rendering), for the last 30 days and for a whole year. A third pass marks today's leads
// changed before every request, as live traffic does, so the refresh recomputes today each time.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import Fastify from 'fastify';
import { dashboardPages, registerDashboard } from '../api/dashboard/routes';
import { createApiKey } from '../db/credentials';
import { refreshDashboard } from '../db/dashboard';
import { seedSyntheticDirectory, seedSyntheticHistory } from '../db/synthetic-history';
import { loadConfig } from '../src/config';
import { migrate } from '../stack/migrate';
import { bulkPool, throwawayDatabase } from '../stack/throwaway-database';

const baselineLeads = 10_000;
const fullLeads = Number(process.env.BENCH_LEADS ?? 1_000_000);
const days = 365;
const iterations = Number(process.env.BENCH_ITERATIONS ?? 20);
const warmup = 3;
const targetMs = 300;

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const cleanups: Array<() => Promise<unknown>> = [];
  try {
    const database = await throwawayDatabase(config.DATABASE_URL, `leadrelay_bench_dashboard_${process.pid}`);
    cleanups.push(...database.cleanups);
    const databaseUrl = database.url;
    await migrate(databaseUrl);
    const db = bulkPool(databaseUrl, cleanups);

    const end = new Date();
    await seedSyntheticDirectory(db);
    const admin = (await createApiKey(db, { name: 'bench-dashboard', scopes: ['admin'] })).token;
    const app = Fastify();
    await registerDashboard(app, {
      db,
      linkSecret: 'bench-dashboard-link-secret-0123456789abcdef',
      webUiUrl: 'http://localhost:8233',
      namespace: 'default',
      now: () => end,
    });
    await app.ready();
    cleanups.push(() => app.close());

    const today = isoDay(end);
    const ranges = {
      '30 days': `from=${isoDay(new Date(end.getTime() - 29 * 86_400_000))}&to=${today}`,
      year: `from=${isoDay(new Date(end.getTime() - (days - 1) * 86_400_000))}&to=${today}`,
    };

    async function timePages(label: string, touchToday: boolean): Promise<Map<string, number[]>> {
      const times = new Map<string, number[]>();
      const { rows } = await db.query<{ id: string }>(
        `SELECT id FROM leads WHERE received_at >= $1::date ORDER BY received_at DESC LIMIT 1`,
        [today],
      );
      const todaysLead = rows[0]?.id;
      for (const page of dashboardPages)
        for (const [rangeName, query] of Object.entries(ranges)) {
          if (touchToday && rangeName !== '30 days') continue;
          const samples: number[] = [];
          for (let i = 0; i < warmup + iterations; i++) {
            // As live traffic does: a write to one of today's leads marks today for recomputing.
            if (touchToday && todaysLead)
              await db.query('UPDATE leads SET updated_at = now() WHERE id = $1', [todaysLead]);
            const started = performance.now();
            const res = await app.inject({
              url: `/dashboard/${page.slug}?${query}`,
              headers: { authorization: `Bearer ${admin}` },
            });
            const ms = performance.now() - started;
            if (res.statusCode !== 200)
              throw new Error(`${page.slug} answered ${res.statusCode}: ${res.body.slice(0, 500)}`);
            if (i >= warmup) samples.push(ms);
          }
          times.set(
            `${page.slug} · ${rangeName}${touchToday ? ' · today changed' : ''}`,
            samples.sort((a, b) => a - b),
          );
        }
      console.log(`  ${label}: ${times.size} cases timed`);
      return times;
    }

    console.log(
      `\nDashboard pages, real PostgreSQL, ${iterations} requests per case after ${warmup} warm-ups, ${os.cpus().length} cores`,
    );
    let started = performance.now();
    await seedSyntheticHistory(db, { leads: baselineLeads, days, end, seed: 1 });
    let refresh = await timed(() => refreshDashboard(db));
    console.log(
      `seeded ${baselineLeads} leads in ${((performance.now() - started) / 1000).toFixed(1)} s; first refresh ${refresh.days} days in ${refresh.ms.toFixed(0)} ms`,
    );
    const baseline = new Map([...(await timePages('baseline', false)), ...(await timePages('baseline', true))]);

    started = performance.now();
    await seedSyntheticHistory(db, { leads: fullLeads - baselineLeads, days, end, seed: 2, offset: baselineLeads });
    console.log(
      `seeded ${fullLeads - baselineLeads} more leads in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    await db.query('ANALYZE');
    refresh = await timed(() => refreshDashboard(db));
    console.log(
      `first refresh at ${fullLeads} leads: ${refresh.days} days, ${refresh.leads} leads in ${(refresh.ms / 1000).toFixed(1)} s`,
    );
    const full = new Map([...(await timePages('full', false)), ...(await timePages('full', true))]);

    console.log(
      `\npage · range                              ${baselineLeads} leads p50/p95    ${fullLeads} leads p50/p95    ratio p95`,
    );
    let worst = { name: '', p95: 0, ratio: 0 };
    for (const [name, samples] of full) {
      const base = baseline.get(name)!;
      const p95 = quantile(samples, 0.95);
      const ratio = p95 / quantile(base, 0.95);
      if (p95 > worst.p95) worst = { name, p95, ratio };
      console.log(
        `${name.padEnd(42)}${quantile(base, 0.5).toFixed(0).padStart(6)} / ${quantile(base, 0.95).toFixed(0).padEnd(12)}${quantile(samples, 0.5).toFixed(0).padStart(8)} / ${p95.toFixed(0).padEnd(12)}${ratio.toFixed(2).padStart(8)}`,
      );
    }
    console.log(
      `bench-dashboard leads=${fullLeads} pages=${dashboardPages.length} worst_p95_ms=${worst.p95.toFixed(0)} worst_case="${worst.name}" worst_ratio_vs_${baselineLeads}=${worst.ratio.toFixed(2)} target_ms=${targetMs} ${worst.p95 <= targetMs ? 'ok' : 'over'}`,
    );
    if (worst.p95 > targetMs) process.exitCode = 1;
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  }
}

async function timed<T extends object>(work: () => Promise<T>): Promise<T & { ms: number }> {
  const started = performance.now();
  const result = await work();
  return { ...result, ms: performance.now() - started };
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
