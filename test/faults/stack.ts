// The whole leadrelay stack as separate OS processes the fault suite controls: the Temporal dev server on a
// persisted db file, PostgreSQL, the SMTP catcher, two workers and the API. Each can be killed and started again.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Pool } from 'pg';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { createPool } from '../../db/pool';
import { createApiKey } from '../../db/credentials';
import { upsertDirectory } from '../../db/directory';
import { ensureDefaultPolicy } from '../../db/policies';
import { parseDirectoryFile } from '../../src/directory-file';
import { leadrelayDataConverter } from '../../codec/data-converter';
import { loadConfig } from '../../src/config';
import { searchAttributes } from '../../workflows/messages';
import { workflowsPath } from '../../workers/worker';
import { migrateAndLoadDirectory } from '../../scripts/migrate';
import { freePort } from '../../stack/free-port';
import { cacheDir, repoRoot } from '../../stack/paths';
import { ensureDatabase, startEmbeddedPostgres, type RunningPostgres } from '../../stack/postgres';
import { buildTemporalCli, cachedCliPath, devServerSqlitePragmas } from '../../stack/temporal';
import { killAtExit, rssMb, startProcess, until, type Managed } from './processes';

type Log = (line: string) => void;

export interface FaultStackOptions {
  log: Log;
  /** Kept after the run when set (logs of every process, the mail log); a temporary directory otherwise. */
  runDir?: string;
  workers?: number;
  /**
   * A migrated database on a server the suite does not manage (jest's): used instead of the suite's own embedded
   * PostgreSQL, which scenario 3 needs to stop and start.
   */
  migratedDatabaseUrl?: string;
}

const suiteDirectory = { directory: 'test/faults/directory.json', policy: 'test/faults/policy.yaml' };

async function loadSuiteDirectory(databaseUrl: string): Promise<void> {
  const db = createPool(databaseUrl, () => {});
  try {
    const file = await fs.readFile(path.join(repoRoot, suiteDirectory.directory), 'utf8');
    await upsertDirectory(db, parseDirectoryFile(JSON.parse(file)));
    await ensureDefaultPolicy(db, await fs.readFile(path.join(repoRoot, suiteDirectory.policy), 'utf8'));
  } finally {
    await db.end();
  }
}

const saTypes = { KEYWORD: 'Keyword', INT: 'Int', DATETIME: 'Datetime' } as const;
const taskQueue = 'leads';

export class FaultStack {
  readonly db: Pool;
  readonly client: Client;
  readonly apiUrl: string;
  readonly mailLog: string;
  readonly linkSecret: string;
  readonly intakeToken: string;
  readonly adminToken: string;
  readonly workers: Array<Managed | null>;
  api: Managed | null = null;
  private temporal: Managed | null = null;
  private smtp: Managed | null = null;
  private postgres: RunningPostgres | null;

  private constructor(
    private readonly ports: { temporal: number; api: number; smtp: number; postgres: number },
    private readonly paths: { runDir: string; cli: string; bundle: string; temporalDb: string; pgDir: string },
    private readonly env: NodeJS.ProcessEnv,
    private readonly log: Log,
    parts: {
      postgres: RunningPostgres | null;
      db: Pool;
      client: Client;
      linkSecret: string;
      intakeToken: string;
      adminToken: string;
      workers: number;
    },
  ) {
    this.postgres = parts.postgres;
    this.db = parts.db;
    this.client = parts.client;
    this.linkSecret = parts.linkSecret;
    this.intakeToken = parts.intakeToken;
    this.adminToken = parts.adminToken;
    this.apiUrl = `http://127.0.0.1:${ports.api}`;
    this.mailLog = path.join(paths.runDir, 'mail.jsonl');
    this.workers = Array.from({ length: parts.workers }, () => null);
  }

  static async start(opts: FaultStackOptions): Promise<FaultStack> {
    const { log } = opts;
    const config = loadConfig(process.env);
    const runDir = opts.runDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'leadrelay-faults-')));
    await fs.mkdir(runDir, { recursive: true });
    const cli = config.TEMPORAL_CLI_PATH ?? cachedCliPath(cacheDir(config));
    if (!existsSync(cli)) await buildTemporalCli(cacheDir(config), log);
    const ports = { temporal: await freePort(), api: await freePort(), smtp: await freePort(), postgres: 0 };
    ports.postgres = await freePort();

    const pgDir = path.join(runDir, 'pg');
    let postgres: RunningPostgres | null = null;
    let databaseUrl = opts.migratedDatabaseUrl;
    if (databaseUrl) {
      await loadSuiteDirectory(databaseUrl);
    } else {
      postgres = await startEmbeddedPostgres(pgDir, ports.postgres);
      killAtExit(() => {
        try {
          return Number(readFileSync(path.join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0]) || null;
        } catch {
          return null;
        }
      });
      databaseUrl = await ensureDatabase(postgres.serverUrl, 'leadrelay');
      await migrateAndLoadDirectory(databaseUrl, suiteDirectory, () => {});
    }
    const db = createPool(databaseUrl, () => {});

    const codecKeys = `faults:${randomBytes(32).toString('hex')}`;
    const dataConverter = leadrelayDataConverter(loadConfig({ LEADRELAY_CODEC_KEYS: codecKeys }).LEADRELAY_CODEC_KEYS!);
    // Bundled once: a restarted worker is polling again in seconds instead of bundling for half a minute.
    const bundle = path.join(runDir, 'workflow-bundle.js');
    const { code } = await bundleWorkflowCode({
      workflowsPath,
      failureConverterPath: dataConverter.failureConverterPath,
      logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: (m) => log(m) },
    });
    await fs.writeFile(bundle, code);

    const linkSecret = randomBytes(32).toString('hex');
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: `127.0.0.1:${ports.temporal}`,
      TEMPORAL_TASK_QUEUE: taskQueue,
      SMTP_URL: `smtp://127.0.0.1:${ports.smtp}`,
      LEADRELAY_CODEC_KEYS: codecKeys,
      LEADRELAY_LINK_SECRET: linkSecret,
      LEADRELAY_WORKFLOW_BUNDLE: bundle,
      API_HOST: '127.0.0.1',
      API_PORT: String(ports.api),
      PUBLIC_API_URL: `http://127.0.0.1:${ports.api}`,
      MAIL_FROM: 'leadrelay <leads@faults.test>',
    };
    const paths = { runDir, cli, bundle, temporalDb: path.join(runDir, 'temporal.db'), pgDir };

    const intakeToken = (
      await createApiKey(db, { name: 'faults intake', scopes: ['leads:write', 'leads:read', 'partner'] })
    ).token;
    const adminToken = (await createApiKey(db, { name: 'faults admin', scopes: ['admin'] })).token;

    const connection = Connection.lazy({ address: env.TEMPORAL_ADDRESS! });
    const client = new Client({ connection, dataConverter });
    const stack = new FaultStack(ports, paths, env, log, {
      postgres,
      db,
      client,
      linkSecret,
      intakeToken,
      adminToken,
      workers: opts.workers ?? 2,
    });
    await stack.startTemporal();
    await stack.startSmtp();
    for (let i = 0; i < stack.workers.length; i++) await stack.startWorker(i);
    await stack.startApi();
    return stack;
  }

  get runDir(): string {
    return this.paths.runDir;
  }

  // ── Temporal ──────────────────────────────────────────────────────────────────────────

  async startTemporal(): Promise<void> {
    this.temporal = startProcess({
      name: 'temporal',
      command: this.paths.cli,
      args: [
        'server',
        'start-dev',
        '--ip',
        '127.0.0.1',
        '--port',
        String(this.ports.temporal),
        '--headless',
        '--db-filename',
        this.paths.temporalDb,
        '--log-level',
        'warn',
        ...devServerSqlitePragmas.flatMap((pragma) => ['--sqlite-pragma', pragma]),
        '--dynamic-config-value',
        'system.enableActivityEagerExecution=true',
        ...Object.values(searchAttributes).flatMap((key) => ['--search-attribute', `${key.name}=${saTypes[key.type]}`]),
      ],
      env: this.env,
      cwd: this.paths.runDir,
      logFile: path.join(this.paths.runDir, 'temporal.log'),
    });
    await until(
      'the Temporal dev server',
      async () => {
        await this.client.workflowService.getSystemInfo({});
        return true;
      },
      60_000,
    );
  }

  async killTemporal(): Promise<void> {
    await this.temporal?.kill('SIGKILL');
    this.temporal = null;
  }

  // ── PostgreSQL ────────────────────────────────────────────────────────────────────────

  async stopPostgres(): Promise<void> {
    if (!this.postgres) throw new Error("scenario 3 needs the suite's own PostgreSQL, not a migratedDatabaseUrl");
    await this.postgres.stop();
    this.postgres = null;
  }

  async startPostgres(): Promise<void> {
    this.postgres = await startEmbeddedPostgres(this.paths.pgDir, this.ports.postgres);
  }

  // ── SMTP ──────────────────────────────────────────────────────────────────────────────

  /** `acceptDelayMs` holds each message before accepting it, so a worker can be killed mid-send. */
  async startSmtp(acceptDelayMs = 0): Promise<void> {
    this.smtp = this.node('smtp', 'test/faults/mail-catcher-process.ts', {
      FAULTS_SMTP_PORT: String(this.ports.smtp),
      FAULTS_MAIL_LOG: this.mailLog,
      FAULTS_ACCEPT_DELAY_MS: String(acceptDelayMs),
    });
    await until('the SMTP catcher', () => fs.stat(`${this.mailLog}.ready`).then(() => true), 30_000);
  }

  async stopSmtp(): Promise<void> {
    await fs.rm(`${this.mailLog}.ready`, { force: true });
    await this.smtp?.kill('SIGTERM');
    this.smtp = null;
  }

  // ── Workers and the API ───────────────────────────────────────────────────────────────

  async startWorker(i: number): Promise<void> {
    const worker = this.node(`worker-${i + 1}`, 'workers/main.ts', {});
    this.workers[i] = worker;
    await until(
      `worker ${i + 1} polling`,
      async () => {
        const { pollers } = await this.client.workflowService.describeTaskQueue({
          namespace: 'default',
          taskQueue: { name: taskQueue },
        });
        return (pollers ?? []).some((p) => p.identity?.startsWith(`${worker.pid}@`));
      },
      120_000,
    );
  }

  async killWorker(i: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await this.workers[i]?.kill(signal);
    this.workers[i] = null;
  }

  async startApi(): Promise<void> {
    this.api = this.node('api', 'api/main.ts', {});
    await until('the API', async () => (await fetch(`${this.apiUrl}/health`)).ok, 60_000);
  }

  /** RSS of the API and worker processes together, in MB. */
  rssMb(): number {
    return [this.api, ...this.workers].reduce((sum, p) => sum + (p ? rssMb(p.pid) : 0), 0);
  }

  async stop(): Promise<void> {
    await this.api?.kill('SIGTERM');
    for (let i = 0; i < this.workers.length; i++) await this.killWorker(i, 'SIGTERM');
    await this.stopSmtp();
    await this.temporal?.kill('SIGTERM');
    await this.client.connection.close();
    await this.db.end();
    await this.postgres?.stop();
  }

  private node(name: string, script: string, env: NodeJS.ProcessEnv): Managed {
    this.log(`starting ${name}`);
    return startProcess({
      name,
      command: process.execPath,
      args: ['--import', 'tsx', script],
      env: { ...this.env, ...env },
      cwd: repoRoot,
      logFile: path.join(this.paths.runDir, `${name}.log`),
    });
  }
}
