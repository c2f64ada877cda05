// The second half of `npm run bench:routing`: the routeLead activity as a whole, its transaction included
// (team lock, stored-plan check, active policy, directory, load, team ledger, plan, ledger and plan writes, the first
// offer opened), over
// teams of 10, 37 and 1,000 reps in real PostgreSQL. The baseline is the cheapest round trip (db/pool.ts `ping`)
// measured interleaved in the same process, so the ratio survives a slow machine. Each size runs twice: with the
// directory unchanged between leads (the workers' parsed-directory cache hits) and with one rep rewritten before
// every lead (it misses), which is what the cache is worth.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { createRouteActivities } from '../activities/route';
import { writeRep, writeTeam } from '../db/directory';
import { insertLead, saveQualification } from '../db/leads';
import { activatePolicy, draftPolicy } from '../db/policies';
import { ping } from '../db/pool';
import { loadConfig } from '../src/config';
import { RepSchema, TeamSchema, type Rep } from '../src/directory-file';
import { normaliseWebForm } from '../src/intake/normalise';
import { WebFormSchema } from '../src/intake/schemas';
import type { Qualification } from '../src/qualification';
import { migrate } from '../stack/migrate';
import { bulkPool, throwawayDatabase } from '../stack/throwaway-database';

const sizes = [10, 37, 1_000];
const warmup = 20;
const iterations = Number(process.env.BENCH_ITERATIONS ?? 300);
const zones = ['America/Chicago', 'Europe/London', 'Europe/Berlin', 'Asia/Kolkata', 'Australia/Sydney'];

function teamOf(size: number): { teamId: string; reps: Rep[] } {
  const teamId = `floor-${size}`;
  const reps = Array.from({ length: size }, (_, i) => {
    const id = `${teamId}-rep-${String(i).padStart(4, '0')}`;
    return RepSchema.parse({
      id,
      name: `Rep ${i}`,
      email: `${id}@bench.example`,
      teamId,
      timeZone: zones[i % zones.length],
      away: i % 29 === 0,
      active: i % 53 !== 0,
      capacity: { total: 6, perTier: { A: 2 } },
      weight: 1 + (i % 3),
    });
  });
  return { teamId, reps };
}

const qualification = {
  score: 80,
  tier: 'A',
  urgency: 'now',
  serviceLine: 'cloud-migration',
  spam: false,
  spamReason: null,
  parts: [],
} as unknown as Qualification;

const lead = normaliseWebForm(
  WebFormSchema.parse({
    name: 'Priya Shah',
    email: 'priya@acme-corp.example',
    company: 'Acme Corp',
    message: 'We need to migrate our data centre to AWS, budget around $80k.',
  }),
);

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const cleanups: Array<() => Promise<unknown>> = [];
  try {
    const database = await throwawayDatabase(config.DATABASE_URL, `leadrelay_bench_route_${process.pid}`);
    cleanups.push(...database.cleanups);
    const databaseUrl = database.url;
    await migrate(databaseUrl);
    const db = bulkPool(databaseUrl, cleanups);
    const routing = createRouteActivities({ db });

    console.log(`\nrouteLead as a whole, real PostgreSQL, ${iterations} leads per case, ${os.cpus().length} cores`);
    console.log('team  directory   ping p50   routeLead p50   p99       ratio p50/ping');
    let leadNumber = 0;
    for (const size of sizes) {
      const { teamId, reps } = teamOf(size);
      await writeTeam(db, TeamSchema.parse({ id: teamId, name: `Floor ${size}`, alertEmail: 'ops@bench.example' }));
      for (const rep of reps) await writeRep(db, rep);
      const drafted = await draftPolicy(
        db,
        `sla:\n  - name: hot\n    within: 5 minutes\ndefault: { team: ${teamId}, strategy: weighted-round-robin }\n`,
      );
      if (!drafted.ok) throw new Error(`bench policy refused: ${JSON.stringify(drafted.errors)}`);
      await activatePolicy(db, drafted.policy.version);

      for (const directory of ['unchanged', 'rewritten'] as const) {
        const routed: number[] = [];
        const pinged: number[] = [];
        for (let i = 0; i < warmup + iterations; i++) {
          const leadId = `bench${String(++leadNumber).padStart(27, '0')}`;
          const receivedAt = new Date().toISOString();
          await insertLead(db, { leadId, lead, receivedAt });
          await saveQualification(db, leadId, qualification);
          // A rewritten rep bumps directory_version, so the next routeLead re-reads and re-parses the directory.
          if (directory === 'rewritten') await writeRep(db, reps[i % reps.length]!);
          let t = performance.now();
          await ping(db);
          const pingMs = performance.now() - t;
          t = performance.now();
          await routing.routeLead({ leadId, at: receivedAt });
          const routeMs = performance.now() - t;
          if (i >= warmup) {
            pinged.push(pingMs);
            routed.push(routeMs);
          }
        }
        routed.sort((a, b) => a - b);
        pinged.sort((a, b) => a - b);
        const [p50, p99, base] = [quantile(routed, 0.5), quantile(routed, 0.99), quantile(pinged, 0.5)];
        console.log(
          `${String(size).padStart(4)}  ${directory.padEnd(10)}  ${base.toFixed(2).padStart(6)} ms  ${p50.toFixed(2).padStart(9)} ms  ${p99.toFixed(2).padStart(7)} ms  ${(p50 / base).toFixed(1).padStart(8)}×`,
        );
      }
    }
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
