// `npm run bench:stack`: real leads through the HTTP API, the worker, Postgres and SMTP, against floor workflows on
// the same Temporal server (F0 empty, F1 ten activities then a wait, F2 the same with local activities), interleaved
// in short segments: each kind at a fixed rate (intake → first offer latency), then closed-loop at saturation
// (completions per second). Starts a throwaway stack of its own (as `npm start` does, on free ports and in a temporary
// directory) or reuses TEMPORAL_ADDRESS, DATABASE_URL (a throwaway database on it) and SMTP_URL when given.
import { AsyncLocalStorage } from 'node:async_hooks';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import pg, { type Pool } from 'pg';
import { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { leadrelayDataConverter } from '../codec/data-converter';
import { workflowIdFor } from '../api/lead-workflow';
import { buildApi } from '../api/server';
import { createApiKey, createRepToken } from '../db/credentials';
import { upsertDirectory } from '../db/directory';
import { readOffer } from '../db/offers';
import { ensureDefaultPolicy } from '../db/policies';
import { createPool } from '../db/pool';
import { createSmtpMailer } from '../mail/mailer';
import { loadConfig, type Config } from '../src/config';
import type { DirectoryFileInput } from '../src/directory-file';
import { freePort } from '../stack/free-port';
import { startMailCatcher, type MailCatcher } from '../stack/mail-catcher';
import { migrate } from '../stack/migrate';
import { cacheDir } from '../stack/paths';
import { dropDatabase, ensureDatabase, startEmbeddedPostgres } from '../stack/postgres';
import { registerSearchAttributes, startDevServer, temporalCliVersion } from '../stack/temporal';
import { loadActiveClassifier } from '../workers/classifier';
import { createLeadWorker } from '../workers/worker';
import { leadStateQuery } from '../workflows/messages';
import { createFloorActivities } from '../bench/floors/activities';
import { finishFloor, floorSteps } from '../bench/floors/messages';
import type { floorActivities, floorEmpty, floorLocalActivities } from '../bench/floors/workflows';

// ── Settings ──────────────────────────────────────────────────────────────────────────────────
function setting(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name}: a positive number, not ${process.env[name]}`);
  return value;
}
/** Length of each measured segment, at the fixed rate and (at least) at saturation. */
const segmentSeconds = setting('BENCH_SECONDS', 5);
/** Interleaved rounds: each runs every kind at the fixed rate, then every kind at saturation. */
const rounds = setting('BENCH_ROUNDS', 2);
const ratePerSecond = setting('BENCH_RATE', 4);
/** Workflows in flight at saturation (closed loop: each one finished starts the next). */
const inFlight = setting('BENCH_IN_FLIGHT', 16);
/** Accepted leads whose history is read and counted. */
const historySample = setting('BENCH_HISTORY_SAMPLE', 40);
/** Extra dev-server dynamic config, KEY=JSON separated by spaces (e.g. system.enableActivityEagerExecution=true). */
const dynamicConfig = (process.env.BENCH_DYNAMIC_CONFIG ?? '').split(/\s+/).filter(Boolean);
/** A saturated segment gives up after this long, whatever it has counted by then. */
const saturationLimitMs = 90_000;
const cycleTimeoutMs = 60_000;

const allKinds = ['lead', 'F0', 'F1', 'F2'] as const;
type Kind = (typeof allKinds)[number];
/** BENCH_KINDS=lead runs only those kinds (to profile one); the final line needs lead and F2. */
const kinds = (process.env.BENCH_KINDS?.split(',') ?? allKinds).map((k) => {
  if (!(allKinds as readonly string[]).includes(k))
    throw new Error(`BENCH_KINDS: ${k} is not one of ${allKinds.join(', ')}`);
  return k as Kind;
});
const kindNames: Record<Kind, string> = {
  lead: 'lead via HTTP API',
  F0: 'F0 empty',
  F1: `F1 ${floorSteps} activities+wait`,
  F2: `F2 ${floorSteps} local acts+wait`,
};

const started = Date.now();
/** Aborted when the benchmark stops early (Ctrl-C, an error): no new cycle starts, requests in flight give up. */
const stopLoad = new AbortController();
const log = (line: string) => console.log(`[bench:stack +${((Date.now() - started) / 1000).toFixed(1)}s] ${line}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ── The sales org the leads are routed over: one team, reps available at any hour, no capacity limit ──────────
const allWeek = Object.fromEntries(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => [d, '00:00-24:00']));
const repIds = Array.from({ length: 8 }, (_, i) => `bench-rep-${i + 1}`);
const benchDirectory: DirectoryFileInput = {
  teams: [{ id: 'bench', name: 'Bench', alertEmail: 'bench-alerts@leadrelay.test' }],
  reps: repIds.map((id) => ({
    id,
    name: `Rep ${id}`,
    email: `${id}@leadrelay.test`,
    teamId: 'bench',
    timeZone: 'UTC',
    workingHours: allWeek,
  })),
};
// Thirty minutes: nobody is reminded and no offer times out while the benchmark runs.
const benchPolicy = `
sla:
  - name: bench
    within: 30 minutes
default:
  team: bench
  strategy: weighted-round-robin
`;

/** A tier-A lead from a new person at a new company each time, so nothing merges or matches a known account. */
function leadBody(runId: string, n: number) {
  return {
    name: `Priya Shah ${n}`,
    email: `priya.${n}@acme-${runId}-${n}.example`,
    company: `Acme ${runId} ${n}`,
    companySize: 800,
    message:
      'We must migrate our data centre (120 VMs) to AWS ASAP; budget around $250k approved. Can someone call me today?',
    source: 'web-form',
  };
}

// ── The stack ───────────────────────────────────────────────────────────────────────────────────
interface Stop {
  what: string;
  stop: () => Promise<unknown>;
}

interface Stack {
  databaseUrl: string;
  smtpUrl: string;
  /** Our own mail catcher; null when SMTP_URL is given (then the offer's told_at in Postgres is the moment). */
  catcher: MailCatcher | null;
  nativeConnection: NativeConnection;
  namespace: string;
  temporalPort: number | null;
  /** Our own embedded Postgres's data directory; null when DATABASE_URL is given. */
  postgresDir: string | null;
  description: string[];
}

async function startStack(config: Config, stops: Stop[]): Promise<Stack> {
  const description: string[] = [];
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'leadrelay-bench-stack-'));
  stops.push({ what: `temporary directory ${dir}`, stop: () => fs.rm(dir, { recursive: true, force: true }) });

  let databaseUrl: string;
  let postgresDir: string | null = null;
  const dbName = `leadrelay_bench_stack_${process.pid}`;
  if (config.DATABASE_URL) {
    const server = new URL(config.DATABASE_URL);
    server.pathname = '';
    const serverUrl = server.toString().replace(/\/$/, '');
    databaseUrl = await ensureDatabase(serverUrl, dbName);
    stops.push({ what: `database ${dbName}`, stop: () => dropDatabase(serverUrl, dbName) });
    description.push(`PostgreSQL: database ${dbName} on the given server ${server.host} (dropped at the end)`);
  } else {
    postgresDir = path.join(dir, 'postgres');
    const port = await freePort();
    log(`PostgreSQL: embedded, data in ${postgresDir}, port ${port}`);
    const server = await startEmbeddedPostgres(postgresDir, port);
    stops.push({ what: 'PostgreSQL', stop: () => server.stop() });
    await ensureDatabase(server.serverUrl, dbName);
    // As npm start: this process's connections take the Unix socket.
    databaseUrl = `${server.localServerUrl}/${dbName}`;
    description.push(`PostgreSQL: own embedded server, port ${port}, over its Unix socket`);
  }
  await migrate(databaseUrl);

  let catcher: MailCatcher | null = null;
  let smtpUrl = config.SMTP_URL;
  if (smtpUrl) {
    description.push(`SMTP: the given ${smtpUrl}; the first offer's moment is lead_offers.told_at`);
  } else {
    const own = await startMailCatcher({ viewerPort: null });
    stops.push({ what: 'mail catcher', stop: () => own.close() });
    catcher = own;
    smtpUrl = own.smtpUrl;
    description.push(`SMTP: own mail catcher in this process; the first offer's moment is its receivedAt`);
  }

  const namespace = config.TEMPORAL_NAMESPACE;
  if (config.TEMPORAL_ADDRESS) {
    const nativeConnection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
    stops.push({ what: 'Temporal connection', stop: () => nativeConnection.close() });
    await registerSearchAttributes(nativeConnection, namespace);
    if (dynamicConfig.length) log('BENCH_DYNAMIC_CONFIG is ignored: TEMPORAL_ADDRESS names a server we do not start');
    description.push(`Temporal: the given ${config.TEMPORAL_ADDRESS}, namespace ${namespace}, own task queues`);
    const port = Number(/:(\d+)$/.exec(config.TEMPORAL_ADDRESS)?.[1] ?? NaN);
    const temporalPort = Number.isFinite(port) ? port : null;
    return {
      databaseUrl,
      smtpUrl,
      catcher,
      nativeConnection,
      namespace,
      temporalPort,
      postgresDir,
      description,
    };
  }
  const port = await freePort();
  const uiPort = await freePort();
  const dbFilename = path.join(dir, 'temporal.db');
  log(`Temporal: dev server on 127.0.0.1:${port}, history in ${dbFilename}`);
  const env = await startTemporal(config, { port, uiPort, dbFilename, namespace });
  stops.push({ what: 'Temporal dev server', stop: () => env.teardown() });
  const flags = dynamicConfig.map((value) => ` --dynamic-config-value ${value}`).join('');
  description.push(`Temporal: own dev server (CLI ${temporalCliVersion}, sqlite file, Web UI on)${flags}`);
  return {
    databaseUrl,
    smtpUrl,
    catcher,
    nativeConnection: env.nativeConnection,
    namespace,
    temporalPort: port,
    postgresDir,
    description,
  };
}

/** The dev server as `npm start` runs it, with BENCH_DYNAMIC_CONFIG's values added. */
async function startTemporal(
  config: Config,
  opts: { port: number; uiPort: number; dbFilename: string; namespace: string },
): Promise<TestWorkflowEnvironment> {
  return await startDevServer({
    cliPath: config.TEMPORAL_CLI_PATH,
    cacheDir: cacheDir(config),
    ...opts,
    dynamicConfig,
    log,
  });
}

// ── One cycle of each kind ────────────────────────────────────────────────────────────────────────
interface LeadTimes {
  leadId: string;
  /** Just before the intake HTTP request. */
  intakeMs: number;
  /** When the mail server took the offer email. */
  toldMs: number;
}

interface CycleResult {
  /** Lead: intake → the mail server took the offer. F1/F2: start → the last step ran. F0: start → result. */
  firstMs: number;
  lead?: LeadTimes;
}

type Driver = (kind: Kind) => Promise<CycleResult>;

function createDriver(deps: {
  apiUrl: string;
  intakeToken: string;
  repTokens: Map<string, string>;
  db: Pool;
  catcher: MailCatcher | null;
  /** The API's client, with leadrelay's payload codec: to look into a stuck lead. */
  leadClient: Client;
  /** A plain client: the floors are bare workflow shapes, without leadrelay's codec. */
  floorClient: Client;
  floorQueue: string;
  reached: Map<string, (atMs: number) => void>;
  runId: string;
}): Driver {
  const { apiUrl, intakeToken, repTokens, db, catcher, leadClient, floorClient, floorQueue, reached, runId } = deps;
  let n = 0;

  // Plain node:http over kept-alive sockets, as an intake system or a CRM would call the API: fetch (undici) costs
  // this process about twice the CPU per request, which the benchmark would count against the lead.
  const agent = new http.Agent({ keepAlive: true, maxSockets: inFlight * 2 });
  function post(url: string, token: string, body?: unknown): Promise<unknown> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = http.request(
        `${apiUrl}${url}`,
        {
          method: 'POST',
          agent,
          headers: {
            authorization: `Bearer ${token}`,
            ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          },
          signal: AbortSignal.any([stopLoad.signal, AbortSignal.timeout(cycleTimeoutMs)]),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if ((res.statusCode ?? 0) >= 300)
              reject(new Error(`POST ${url}: HTTP ${res.statusCode} ${text.slice(0, 300)}`));
            else resolve(JSON.parse(text) as unknown);
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** When the rep was told about offer 1, and which rep. */
  async function firstOffer(leadId: string): Promise<{ atMs: number; repId: string }> {
    if (catcher) {
      const messageId = `<${leadId}.1.offer@leadrelay>`;
      const mail = await catcher.waitFor((m) => m.messageId === messageId, cycleTimeoutMs);
      return { atMs: Date.parse(mail.receivedAt), repId: mail.to[0]?.split('@')[0] ?? '' };
    }
    // Someone else's SMTP server: the moment it took the email is the offer's told_at.
    for (const until = Date.now() + cycleTimeoutMs; Date.now() < until; await sleep(20)) {
      const offer = await runningStep.run(driverStatements, () => readOffer(db, leadId, 1));
      if (offer?.toldAt) return { atMs: Date.parse(offer.toldAt), repId: offer.stage.repIds[0] ?? '' };
    }
    throw new Error(`lead ${leadId}: offer 1 was never told`);
  }

  /** What a stuck lead's workflow says about itself: its status, its view, and any step it keeps retrying. */
  async function leadSituation(leadId: string): Promise<string> {
    try {
      const handle = leadClient.workflow.getHandle(workflowIdFor(leadId));
      const { status, raw } = await handle.describe();
      const pending = (raw.pendingActivities ?? []).map(
        (a) => `${a.activityType?.name} attempt ${a.attempt}${a.lastFailure ? ` (${a.lastFailure.message})` : ''}`,
      );
      const view = await handle.query(leadStateQuery).catch(() => null);
      return `workflow ${status.name}, lead ${view?.status ?? '?'}${view?.problem ? ` (${view.problem})` : ''}, pending: ${pending.join('; ') || 'none'}`;
    } catch (err) {
      return `its workflow could not be read: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  function lastStep(workflowId: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reached.delete(workflowId);
        reject(new Error(`${workflowId} did not reach its last step within ${cycleTimeoutMs} ms`));
      }, cycleTimeoutMs);
      reached.set(workflowId, (atMs) => {
        clearTimeout(timer);
        resolve(atMs);
      });
    });
  }

  return async (kind) => {
    const number = ++n;
    if (kind === 'lead') {
      const intakeMs = Date.now();
      const { leadId } = (await post('/v1/leads', intakeToken, leadBody(runId, number))) as { leadId: string };
      const told = await firstOffer(leadId).catch(async (err: unknown) => {
        throw new Error(`lead ${leadId}: no offer email within ${cycleTimeoutMs} ms; ${await leadSituation(leadId)}`, {
          cause: err,
        });
      });
      const token = repTokens.get(told.repId);
      if (!token) throw new Error(`lead ${leadId}: offer 1 went to ${told.repId}, not a bench rep`);
      await post(`/v1/offers/${leadId}.1/accept`, token);
      return { firstMs: told.atMs - intakeMs, lead: { leadId, intakeMs, toldMs: told.atMs } };
    }
    const workflowId = `bench-floor:${kind}:${runId}:${number}`;
    if (kind === 'F0') {
      const t0 = Date.now();
      await floorClient.workflow.execute<typeof floorEmpty>('floorEmpty', {
        taskQueue: floorQueue,
        workflowId,
        requestEagerStart: true,
      });
      return { firstMs: Date.now() - t0 };
    }
    const type = kind === 'F1' ? 'floorActivities' : 'floorLocalActivities';
    const last = lastStep(workflowId);
    const t0 = Date.now();
    const handle = await floorClient.workflow.start<typeof floorActivities | typeof floorLocalActivities>(type, {
      taskQueue: floorQueue,
      workflowId,
      args: [floorSteps],
      requestEagerStart: true,
    });
    const atMs = await last;
    await handle.executeUpdate(finishFloor);
    return { firstMs: atMs - t0 };
  };
}

// ── Segments ──────────────────────────────────────────────────────────────────────────────────
interface Tally {
  firstMs: number[];
  failed: number;
  saturatedDone: number;
  saturatedSeconds: number;
  acceptedLeads: LeadTimes[];
  errors: string[];
  /** At the fixed rate, this process's CPU, the server's and Postgres's (ms), over `cycles` cycles. */
  cpu: CpuUse;
  cycles: number;
  /** How late this process's event loop ran callbacks at the fixed rate. */
  loopDelay: ReturnType<typeof monitorEventLoopDelay>;
  /** Postgres statements sent from this process at the fixed rate, by the activity that sent them (or the API). */
  statements: Map<string, number>;
}

function newTally(): Tally {
  return {
    firstMs: [],
    failed: 0,
    saturatedDone: 0,
    saturatedSeconds: 0,
    acceptedLeads: [],
    errors: [],
    cpu: { node: 0, server: 0, postgres: 0 },
    cycles: 0,
    loopDelay: monitorEventLoopDelay({ resolution: 10 }),
    statements: new Map(),
  };
}

function noteFailure(tally: Tally | null, err: unknown): void {
  if (!tally) return;
  tally.failed++;
  if (tally.errors.length < 5) tally.errors.push((err instanceof Error ? err.message : String(err)).slice(0, 600));
}

/** Open loop: one cycle every 1/rate seconds, whatever the earlier ones are doing; then waits for them all. */
async function atRate(cycle: Driver, kind: Kind, seconds: number, tally: Tally | null): Promise<void> {
  const t0 = Date.now();
  const cycles: Array<Promise<void>> = [];
  for (let i = 0; i < Math.round(seconds * ratePerSecond) && !stopLoad.signal.aborted; i++) {
    await sleep(t0 + (i * 1000) / ratePerSecond - Date.now());
    const done = cycle(kind).then((r) => {
      tally?.firstMs.push(r.firstMs);
      if (r.lead) tally?.acceptedLeads.push(r.lead);
    });
    cycles.push(done.catch((err: unknown) => noteFailure(tally, err)));
    if (tally) tally.cycles++;
  }
  await Promise.all(cycles);
}

/**
 * Closed loop: `inFlight` cycles at all times. Counting starts once as many cycles have finished as are in flight
 * (every slot has turned over once), and stops at the first completion after `seconds` by which at least `inFlight`
 * more have finished: so the window spans a whole turnover even when cycles are slower than `seconds`, or finish in
 * waves, as a loop started all at once does.
 */
async function saturated(cycle: Driver, kind: Kind, seconds: number, tally: Tally): Promise<void> {
  const hardEnd = Date.now() + saturationLimitMs;
  let finished = 0;
  let countFrom: number | null = null;
  let counted = 0;
  let stoppedAt: number | null = null;
  const loop = async () => {
    while (stoppedAt === null && Date.now() < hardEnd && !stopLoad.signal.aborted) {
      try {
        await cycle(kind);
      } catch (err) {
        noteFailure(tally, err);
        await sleep(100);
        continue;
      }
      const now = Date.now();
      if (stoppedAt !== null || now > hardEnd) continue;
      if (countFrom === null) {
        if (++finished === inFlight) countFrom = now;
      } else if (++counted >= inFlight && now >= countFrom + seconds * 1000) {
        stoppedAt = now;
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, loop));
  if (countFrom === null) return;
  tally.saturatedDone += counted;
  tally.saturatedSeconds += ((stoppedAt ?? hardEnd) - countFrom) / 1000;
}

// ── Instruments ───────────────────────────────────────────────────────────────────────────────
/** The activity a piece of work runs for, so the statements it sends are counted under its name. */
const runningStep = new AsyncLocalStorage<string>();
const apiStatements = 'API (intake, auth, accept)';
/** The benchmark's own reads (told_at, with someone else's SMTP server): not the lead's. */
const driverStatements = 'bench driver';

/** The same activities, each call's duration kept by name while `measuring()`: where a lead's time goes. */
/** When each of a lead's steps began and ended (ms since the epoch), by lead id and step name. */
type StepSpans = Map<string, Map<string, { startMs: number; endMs: number }>>;

function timed<T extends Record<string, (...args: never[]) => Promise<unknown>>>(
  activities: T,
  times: Map<string, number[]>,
  spans: StepSpans,
  measuring: () => boolean,
): T {
  const wrapped: Record<string, (...args: never[]) => Promise<unknown>> = {};
  for (const [name, step] of Object.entries(activities)) {
    const kept: number[] = [];
    times.set(name, kept);
    wrapped[name] = async (...args) => {
      // Saturated segments measure capacity: the lead pays for no instrumentation there.
      if (!measuring()) return await step(...args);
      const t0 = performance.now();
      try {
        return await runningStep.run(name, () => step(...args));
      } finally {
        if (measuring()) {
          const t1 = performance.now();
          kept.push(t1 - t0);
          const leadId = (args[0] as { leadId?: unknown } | undefined)?.leadId;
          if (typeof leadId === 'string') {
            const ofLead = spans.get(leadId) ?? new Map<string, { startMs: number; endMs: number }>();
            spans.set(leadId, ofLead);
            if (!ofLead.has(name))
              ofLead.set(name, { startMs: performance.timeOrigin + t0, endMs: performance.timeOrigin + t1 });
          }
        }
      }
    };
  }
  return wrapped as T;
}

/**
 * Counts the statements every pg client of this process sends (pools query through their clients), by the activity
 * they run for, else the API's. Approximate: a caller that waited for a pooled client runs in the releaser's context.
 */
function countStatements(): Map<string, number> {
  const counts = new Map<string, number>();
  // Called below with the client it was read from: `this` stays bound.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const query = pg.Client.prototype.query as (this: pg.Client, ...args: unknown[]) => unknown;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const who = runningStep.getStore() ?? apiStatements;
    counts.set(who, (counts.get(who) ?? 0) + 1);
    return query.apply(this, args);
  } as typeof pg.Client.prototype.query;
  return counts;
}

interface CpuUse {
  node: number;
  server: number;
  postgres: number;
}

const clockTicksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** utime, stime, cutime, cstime of a process, in ms; null once it is gone. */
function cpuTimes(pid: number): [number, number, number, number] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state ppid …: the command may contain spaces, so fields are read after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ms = (i: number) => (Number(fields[i]) * 1000) / clockTicksPerSecond;
    return [ms(11), ms(12), ms(13), ms(14)];
  } catch {
    return null;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** CPU used so far by this process, the dev server, and Postgres (its backends, live and exited). */
function cpuNow(serverPid: number | null, postmasterPid: number | null): CpuUse {
  const own = process.cpuUsage();
  const server = serverPid === null ? null : cpuTimes(serverPid);
  let postgres = 0;
  if (postmasterPid !== null) {
    const [user, system, children, childrenSystem] = cpuTimes(postmasterPid) ?? [0, 0, 0, 0];
    postgres = user + system + children + childrenSystem;
    for (const pid of childrenOf(postmasterPid)) {
      const [u, s] = cpuTimes(pid) ?? [0, 0];
      postgres += u + s;
    }
  }
  return { node: (own.user + own.system) / 1000, server: server ? server[0] + server[1] : 0, postgres };
}

function procStatusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** Postgres's memory: proportional set sizes (shared buffers split between the backends that map them), summed. */
function postgresPssKb(postmasterPid: number): number {
  let total = 0;
  for (const pid of [postmasterPid, ...childrenOf(postmasterPid)]) {
    try {
      total += Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
    } catch {
      // A backend that exited meanwhile.
    }
  }
  return total;
}

/** The dev server listening on `port`, found by its command line; null when it runs elsewhere. */
async function temporalServerPid(port: number): Promise<number | null> {
  for (const entry of await fs.readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const argv = await fs.readFile(`/proc/${entry}/cmdline`, 'utf8').then(
      (text) => text.split('\0'),
      (): string[] => [],
    );
    const at = argv.indexOf('--port');
    if (argv.includes('start-dev') && at >= 0 && argv[at + 1] === String(port)) return Number(entry);
  }
  return null;
}

// ── Histories ─────────────────────────────────────────────────────────────────────────────────
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

async function historyOf(client: Client, workflowId: string): Promise<HistoryEvent[]> {
  const handle = client.workflow.getHandle(workflowId);
  await handle.result();
  return (await handle.fetchHistory()).events ?? [];
}

const phaseNames = [
  ['api', 'API: submission stored, workflow started'],
  ['dispatch', 'workflow started → first workflow task started'],
  ['local', 'first workflow task started → the mail server took the offer'],
  ['localInit', '  of which: task started → receiveLead began (run set up)'],
  ['localSteps', '           receiveLead, routeLead running'],
  ['localHops', '           between those steps and notifyOffer (activations, dispatch)'],
  ['notify', '           notifyOffer began → the mail server took the offer'],
] as const;

type Phases = Record<(typeof phaseNames)[number][0], number>;

/**
 * Where a lead's intake → first offer went: the server's event times for the start, the worker's step spans for the
 * first workflow task, whose steps (the offer email's first try too) all run as local activities.
 */
function phasesOf(lead: LeadTimes, events: HistoryEvent[], spans: StepSpans): Phases {
  const { EventType } = temporal.api.enums.v1;
  const at = (type: temporal.api.enums.v1.EventType) => {
    const time = events.find((e) => e.eventType === type)?.eventTime;
    return time ? Number(time.seconds) * 1000 + (time.nanos ?? 0) / 1e6 : NaN;
  };
  const workflowStarted = at(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED);
  const firstTask = at(EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED);
  const step = (name: string) => spans.get(lead.leadId)?.get(name) ?? { startMs: NaN, endMs: NaN };
  const [receive, route, notify] = ['receiveLead', 'routeLead', 'notifyOffer'].map(step);
  const running = receive!.endMs - receive!.startMs + (route!.endMs - route!.startMs);
  return {
    api: workflowStarted - lead.intakeMs,
    dispatch: firstTask - workflowStarted,
    local: lead.toldMs - firstTask,
    localInit: receive!.startMs - firstTask,
    localSteps: running,
    localHops: notify!.startMs - receive!.startMs - running,
    notify: lead.toldMs - notify!.startMs,
  };
}

function eventTypeCounts(events: HistoryEvent[]): string {
  const counts = new Map<string, number>();
  for (const e of events) {
    const name = temporal.api.enums.v1.EventType[e.eventType ?? 0] ?? String(e.eventType);
    const short = name.replace(/^EVENT_TYPE_/, '').toLowerCase();
    counts.set(short, (counts.get(short) ?? 0) + 1);
  }
  return [...counts].map(([name, count]) => `${name} ${count}`).join(', ');
}

// ── Figures ───────────────────────────────────────────────────────────────────────────────────
/** Nearest rank: p99 of fewer than 100 values is the largest. */
function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}

const perSecond = (t: Tally) => t.saturatedDone / t.saturatedSeconds;
const ms = (value: number) => `${Number.isFinite(value) ? value.toFixed(0) : '–'} ms`;
const mb = (kb: number | null) => (kb === null ? 'n/a' : `${(kb / 1024).toFixed(0)} MB`);
const row = (first: string, width: number, cells: Array<[string, number]>) =>
  first.padEnd(width) + cells.map(([text, w]) => text.padStart(w)).join('');

// ── Main ──────────────────────────────────────────────────────────────────────────────────────
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  // We stop in our own order, on errors and on Ctrl-C alike: API, workers, then the servers they talk to.
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
  const stops: Stop[] = [];
  let stopping: Promise<void> | undefined;
  const stopAll = () =>
    (stopping ??= (async () => {
      // Native teardown promises hold no event-loop handle; without this Node would exit halfway through.
      const keepAlive = setInterval(() => {}, 1_000);
      stopLoad.abort();
      for (const { what, stop } of stops.reverse()) {
        let timer: NodeJS.Timeout | undefined;
        const gaveUp = new Promise<void>((resolve) => {
          timer = setTimeout(() => resolve(log(`stopping ${what}: gave up after 20 s`)), 20_000);
        });
        const stopped = stop().catch((err: unknown) =>
          log(`stopping ${what}: ${err instanceof Error ? err.message : String(err)}`),
        );
        await Promise.race([stopped, gaveUp]);
        clearTimeout(timer);
      }
      clearInterval(keepAlive);
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.on(signal, () => {
      log(`${signal}: stopping everything this benchmark started`);
      void stopAll().then(() => process.exit(130));
    });
  // Cycles still in flight fail as their connections close under them; that must not cut the cleanup short.
  for (const event of ['uncaughtException', 'unhandledRejection'] as const)
    process.on(event, (err: unknown) => {
      if (stopping) return;
      console.error(err);
      void stopAll().then(() => process.exit(1));
    });

  try {
    const loadAtStart = os.loadavg()[0]!;
    const statements = countStatements();
    const stack = await startStack(config, stops);
    // Once stopping, Postgres going away under idle connections is expected.
    const db = createPool(stack.databaseUrl, (line) => stopping !== undefined || log(line));
    stops.push({ what: 'database pool', stop: () => db.end() });
    await upsertDirectory(db, benchDirectory);
    await ensureDefaultPolicy(db, benchPolicy);
    const intake = await createApiKey(db, { name: 'bench:stack intake', scopes: ['leads:write', 'leads:read'] });
    const repTokens = new Map<string, string>();
    for (const repId of repIds) repTokens.set(repId, (await createRepToken(db, repId)).token);

    const runId = randomBytes(3).toString('hex');
    const codecKeys = [{ id: `bench-${runId}`, key: randomBytes(32).toString('hex') }];
    const leadQueue = `bench-leads-${runId}`;
    const floorQueue = `bench-floors-${runId}`;
    const apiPort = await freePort();
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const mailer = createSmtpMailer(stack.smtpUrl);
    stops.push({ what: 'mailer', stop: () => Promise.resolve(mailer.close()) });

    log('workers: training the classifier and bundling the lead and the floor workflows');
    const tallies = Object.fromEntries(allKinds.map((kind) => [kind, newTally()])) as Record<Kind, Tally>;
    const stepTimes = new Map<string, number[]>();
    const stepSpans: StepSpans = new Map();
    let measuringLeads = false;
    // The SMTP exchange inside notifyOffer, timed on its own.
    const smtpTimes: number[] = [];
    const activities = createActivities({
      db,
      mailer: {
        async send(message) {
          const t0 = performance.now();
          await mailer.send(message);
          if (measuringLeads) smtpTimes.push(performance.now() - t0);
        },
      },
      mailFrom: 'leadrelay <leads@leadrelay.test>',
      opsEmail: 'ops@leadrelay.test',
      apiUrl,
      linkSecret: randomBytes(32).toString('hex'),
      // As npm start trains it (no retrained model in a fresh database); offline on purpose: an LLM endpoint
      // would measure someone else's service.
      classifier: await loadActiveClassifier(db),
    });
    // As npm start does: every payload the API and the lead worker hand to Temporal is encrypted.
    const dataConverter = leadrelayDataConverter(codecKeys);
    stack.description.push(
      'Payloads: AES-GCM codec on the API client and the lead worker (as npm start); floors plain',
    );
    const leadWorker = await createLeadWorker({
      connection: stack.nativeConnection,
      namespace: stack.namespace,
      taskQueue: leadQueue,
      activities: timed(activities, stepTimes, stepSpans, () => measuringLeads),
      dataConverter,
    });
    const reached = new Map<string, (atMs: number) => void>();
    const floorWorker = await Worker.create({
      connection: stack.nativeConnection,
      namespace: stack.namespace,
      taskQueue: floorQueue,
      workflowsPath: require.resolve('../bench/floors/workflows'),
      activities: createFloorActivities((workflowId, atMs) => {
        reached.get(workflowId)?.(atMs);
        reached.delete(workflowId);
      }),
    });
    const workerStopped: Array<Promise<never>> = [];
    for (const [what, worker] of [
      ['lead worker', leadWorker],
      ['floor worker', floorWorker],
    ] as const) {
      const running = worker.run();
      workerStopped.push(running.then(() => Promise.reject(new Error(`the ${what} stopped`))));
      stops.push({
        what,
        stop: async () => {
          if (worker.getState() === 'RUNNING') worker.shutdown();
          await running.catch(() => undefined);
        },
      });
    }

    // As npm start: the clients share the workers' connection, so new workflows start eagerly on them (the floors
    // too, to keep the comparison even).
    const client = new Client({ connection: stack.nativeConnection, namespace: stack.namespace, dataConverter });
    const floorClient = new Client({ connection: stack.nativeConnection, namespace: stack.namespace });
    // Rate limits off: one intake key may send 600 leads a minute and one rep 120 answers, which a saturated
    // benchmark exceeds; it measures the workflow, not the limiter.
    const api = buildApi({
      client,
      db,
      taskQueue: leadQueue,
      linkSecret: randomBytes(32).toString('hex'),
      rateLimits: { perKey: 1_000_000, perRep: 1_000_000 },
      codec: { keys: codecKeys },
      eagerStart: true,
    });
    await api.listen({ host: '127.0.0.1', port: apiPort });
    stops.push({ what: 'API', stop: () => api.close() });

    const cycle = createDriver({
      apiUrl,
      intakeToken: intake.token,
      repTokens,
      db,
      catcher: stack.catcher,
      leadClient: client,
      floorClient,
      floorQueue,
      reached,
      runId,
    });
    const serverPid = stack.temporalPort === null ? null : await temporalServerPid(stack.temporalPort);
    const postmasterPid = stack.postgresDir
      ? Number((await fs.readFile(path.join(stack.postgresDir, 'postmaster.pid'), 'utf8')).split('\n')[0])
      : null;
    // Cheap samples only while measuring (/proc smaps_rollup walks page tables: Postgres is read between segments).
    const peaks = { node: 0, postgres: 0 };
    const samplePostgres = () =>
      postmasterPid && (peaks.postgres = Math.max(peaks.postgres, postgresPssKb(postmasterPid)));
    const sampler = setInterval(() => (peaks.node = Math.max(peaks.node, process.memoryUsage().rss / 1024)), 500);
    stops.push({ what: 'memory sampler', stop: () => Promise.resolve(clearInterval(sampler)) });

    const bench = async () => {
      log(`warming up: every kind for 2 s at ${ratePerSecond}/s`);
      for (const kind of kinds) await atRate(cycle, kind, 2, null);
      for (let round = 0; round < rounds; round++) {
        // Each round starts with another kind, so a drift in the machine's load is shared out.
        const order = kinds.map((_, i) => kinds[(i + round) % kinds.length]!);
        for (const kind of order) {
          log(`round ${round + 1}/${rounds}: ${kind} at ${ratePerSecond}/s for ${segmentSeconds} s`);
          const tally = tallies[kind];
          const [cpu0, statements0] = [cpuNow(serverPid, postmasterPid), new Map(statements)];
          measuringLeads = kind === 'lead';
          tally.loopDelay.enable();
          await atRate(cycle, kind, segmentSeconds, tally);
          tally.loopDelay.disable();
          measuringLeads = false;
          const cpu1 = cpuNow(serverPid, postmasterPid);
          for (const part of ['node', 'server', 'postgres'] as const) tally.cpu[part] += cpu1[part] - cpu0[part];
          for (const [who, count] of statements)
            tally.statements.set(who, (tally.statements.get(who) ?? 0) + count - (statements0.get(who) ?? 0));
          samplePostgres();
          await sleep(500);
          stopLoad.signal.throwIfAborted();
        }
        for (const kind of order) {
          log(`round ${round + 1}/${rounds}: ${kind} at saturation, ${inFlight} in flight, ≥ ${segmentSeconds} s`);
          await saturated(cycle, kind, segmentSeconds, tallies[kind]);
          samplePostgres();
          await sleep(500);
          stopLoad.signal.throwIfAborted();
        }
      }
    };
    await Promise.race([bench(), ...workerStopped]);

    const accepted = tallies.lead.acceptedLeads;
    const every = Math.max(1, Math.floor(accepted.length / historySample));
    const sampled = accepted.filter((_, i) => i % every === 0).slice(0, historySample);
    log(`reading the histories of ${sampled.length} leads accepted at ${ratePerSecond}/s`);
    const leadHistories = await Promise.all(sampled.map((lead) => historyOf(client, workflowIdFor(lead.leadId))));
    const eventCounts = leadHistories.map((events) => events.length);
    const phases = sampled.map((lead, i) => phasesOf(lead, leadHistories[i]!, stepSpans));
    const floorEvents = async (type: 'floorActivities' | 'floorLocalActivities') => {
      const workflowId = `bench-floor:${type}:${runId}:history`;
      const handle = await floorClient.workflow.start<typeof floorActivities>(type, {
        taskQueue: floorQueue,
        workflowId,
        args: [floorSteps],
      });
      await handle.executeUpdate(finishFloor);
      return (await historyOf(floorClient, workflowId)).length;
    };
    const f1Events = await floorEvents('floorActivities');
    const f2Events = await floorEvents('floorLocalActivities');

    // ── Report ──
    const leadPerS = perSecond(tallies.lead);
    const f2PerS = perSecond(tallies.F2);
    const offerP50 = quantile(tallies.lead.firstMs, 0.5);
    const offerP99 = quantile(tallies.lead.firstMs, 0.99);
    const cores = os.cpus();
    console.log('');
    console.log(
      `bench:stack on ${new Date().toISOString().slice(0, 16)}Z, ${cores.length} cores (${cores[0]?.model ?? 'unknown'}), load average ${loadAtStart.toFixed(1)} at start, ${os.loadavg()[0]!.toFixed(1)} at the end`,
    );
    for (const line of stack.description) console.log(`  ${line}`);
    console.log(
      `  ${rounds} interleaved rounds, each: every kind ${segmentSeconds} s at ${ratePerSecond}/s, then every kind closed-loop with ${inFlight} in flight (counted after the first ${inFlight} finished, for ≥ ${segmentSeconds} s and ≥ ${inFlight} more)`,
    );
    console.log('');
    const w = 28;
    console.log(
      row('', w, [
        ['saturated', 11],
        [`first, at ${ratePerSecond}/s`, 20],
        ['', 14],
      ]),
    );
    console.log(
      row('workflow', w, [
        ['/s', 11],
        ['p50', 10],
        ['p99', 10],
        ['n', 6],
        ['failed', 8],
      ]),
    );
    // A fixed rate above what the kind sustains measures the queue it builds, not the workflow.
    const overloaded = (t: Tally) => perSecond(t) < ratePerSecond;
    for (const kind of kinds) {
      const t = tallies[kind];
      const cells: Array<[string, number]> = [
        [`${overloaded(t) ? '*' : ''}${perSecond(t).toFixed(1)}`, 11],
        [ms(quantile(t.firstMs, 0.5)), 10],
        [ms(quantile(t.firstMs, 0.99)), 10],
        [String(t.firstMs.length), 6],
        [String(t.failed), 8],
      ];
      console.log(row(kindNames[kind], w, cells));
    }
    console.log('  first: lead = intake (just before the HTTP request) → the mail server took the offer email;');
    console.log(
      '         F1/F2 = start → last step ran; F0 = start → result. Saturated cycles include the accept/finish.',
    );
    if (kinds.some((kind) => overloaded(tallies[kind])))
      console.log(
        `  * saturates below ${ratePerSecond}/s on this run: its latency at ${ratePerSecond}/s is mostly queueing.`,
      );
    console.log(
      `  lead / F2 = ${(leadPerS / f2PerS).toFixed(2)}, lead / F1 = ${(leadPerS / perSecond(tallies.F1)).toFixed(2)}`,
    );
    console.log('');
    console.log(`CPU per cycle at ${ratePerSecond}/s (the segment and its drain):`);
    console.log(
      row('workflow', w, [
        ['this process', 14],
        ['server', 10],
        ['Postgres', 10],
        ['total', 10],
        ['loop lag p99', 14],
      ]),
    );
    for (const kind of kinds) {
      const t = tallies[kind];
      const per = (v: number) => ms(v / t.cycles);
      const cells: Array<[string, number]> = [
        [per(t.cpu.node), 14],
        [serverPid === null ? 'n/a' : per(t.cpu.server), 10],
        [postmasterPid === null ? 'n/a' : per(t.cpu.postgres), 10],
        [per(t.cpu.node + t.cpu.server + t.cpu.postgres), 10],
        [ms(t.loopDelay.percentile(99) / 1e6), 14],
      ];
      console.log(row(kindNames[kind], w, cells));
    }
    console.log(
      `  this process = the API, both workers${stack.catcher ? ', the mail catcher' : ''} and the load; loop lag = its event loop.`,
    );
    console.log('');
    console.log(
      `history events per accepted lead: median ${quantile(eventCounts, 0.5)} (min ${Math.min(...eventCounts)}, max ${Math.max(...eventCounts)}, ${eventCounts.length} leads); F1 ${f1Events}, F2 ${f2Events}`,
    );
    if (leadHistories[0]) console.log(`  one lead: ${eventTypeCounts(leadHistories[0])}`);
    console.log(`intake → first offer at ${ratePerSecond}/s by phase, from history times (p50, p99):`);
    for (const [name, what] of phaseNames) {
      const values = phases.map((p) => p[name]).filter((v) => Number.isFinite(v));
      console.log(
        row(`  ${what}`, 68, [
          [ms(quantile(values, 0.5)), 9],
          [ms(quantile(values, 0.99)), 9],
        ]),
      );
    }
    const leadStatements = tallies.lead.statements;
    console.log(
      `the lead's steps at ${ratePerSecond}/s, timed in the worker (p50, p99, calls; Postgres statements per call):`,
    );
    const stepRows = [...stepTimes].flatMap(([name, times]) =>
      name === 'notifyOffer'
        ? [[name, times] as const, ['  of which mailer.send (SMTP)', smtpTimes] as const]
        : [[name, times] as const],
    );
    for (const [name, times] of stepRows) {
      if (times.length === 0) continue;
      const statementsPerCall = leadStatements.has(name)
        ? ((leadStatements.get(name) ?? 0) / times.length).toFixed(1)
        : '';
      const cells: Array<[string, number]> = [
        [ms(quantile(times, 0.5)), 9],
        [ms(quantile(times, 0.99)), 9],
        [String(times.length), 6],
        [statementsPerCall, 8],
      ];
      console.log(row(`  ${name}`, 68, cells));
    }
    const perLead = (count: number) => (count / tallies.lead.cycles).toFixed(1);
    const allStatements = [...leadStatements]
      .filter(([who]) => who !== driverStatements)
      .reduce((total, [, count]) => total + count, 0);
    console.log(row(`  ${apiStatements}, per lead`, 92, [[perLead(leadStatements.get(apiStatements) ?? 0), 8]]));
    console.log(
      row('  Postgres statements per lead, all (BEGIN and COMMIT included)', 92, [[perLead(allStatements), 8]]),
    );
    console.log('');
    const serverRss = serverPid === null ? null : procStatusKb(serverPid, 'VmRSS');
    const serverPeak = serverPid === null ? null : procStatusKb(serverPid, 'VmHWM');
    const nodeRss = process.memoryUsage().rss / 1024;
    peaks.node = Math.max(peaks.node, nodeRss);
    const postgresNow = postmasterPid === null ? null : postgresPssKb(postmasterPid);
    if (postgresNow !== null) peaks.postgres = Math.max(peaks.postgres, postgresNow);
    console.log(
      row('process', 60, [
        ['pid', 8],
        ['now', 9],
        ['peak', 9],
      ]),
    );
    const memoryRows: Array<[string, number | null, number | null, number | null]> = [
      ['Temporal dev server (VmRSS; peak VmHWM)', serverPid, serverRss, serverPeak],
      ['PostgreSQL, all its processes (sum of Pss)', postmasterPid, postgresNow, postmasterPid && peaks.postgres],
      ['this process: API, lead and floor workers, load (RSS)', process.pid, nodeRss, peaks.node],
    ];
    for (const [what, pid, now, peak] of memoryRows)
      console.log(
        row(what, 60, [
          [String(pid ?? 'n/a'), 8],
          [mb(now), 9],
          [mb(peak), 9],
        ]),
      );
    for (const kind of kinds) for (const error of tallies[kind].errors) console.log(`  ${kind} failed: ${error}`);
    console.log('');
    console.log(
      `bench:stack lead_per_s=${leadPerS.toFixed(1)} f2_per_s=${f2PerS.toFixed(1)} ratio_f2=${(leadPerS / f2PerS).toFixed(2)} offer_p50_ms=${offerP50.toFixed(0)} offer_p99_ms=${offerP99.toFixed(0)} events_accepted=${quantile(eventCounts, 0.5)} rss_mb=${(peaks.node / 1024).toFixed(0)}`,
    );
  } catch (err) {
    if (!stopping) console.error(err);
    process.exitCode = 1;
  } finally {
    await stopAll();
  }
}

// Native handles (the Temporal runtime) can outlive everything we stopped; the report is out, so we are done.
void main().then(() => process.exit());
