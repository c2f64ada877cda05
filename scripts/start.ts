// `npm start`: the whole leadrelay stack on this machine: PostgreSQL, the Temporal dev server with its
// Web UI, an SMTP server that catches mail, the worker and the HTTP API. Anything given by URL is used instead.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Pool } from 'pg';
import { Client } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createSmtpMailer } from '../mail/mailer';
import { createPool } from '../db/pool';
import { createApiKey } from '../db/credentials';
import { buildApi } from '../api/server';
import { bulkTaskQueueOf, linkSecretsOf, loadConfig } from '../src/config';
import { leadrelayDataConverter } from '../codec/data-converter';
import { startMailCatcher } from '../stack/mail-catcher';
import { cacheDir, dataDir } from '../stack/paths';
import { ensureDatabase, startEmbeddedPostgres } from '../stack/postgres';
import { registerSearchAttributes, startDevServer } from '../stack/temporal';
import { temporalConnectionOptions } from '../stack/temporal-connection';
import { ensureRetrainSchedule } from '../workers/retrain-schedule';
import { createLeadWorkers, createWorkerActivities } from '../workers/worker';
import { migrateAndLoadDirectory } from './migrate';
import { registerQueueGauges, serveMetrics } from '../metrics/metrics';

const started = Date.now();
const log = (line: string) => console.log(`[leadrelay +${((Date.now() - started) / 1000).toFixed(1)}s] ${line}`);

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  // We stop in our own order on Ctrl-C: API, then worker (draining), then the servers it talks to.
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    shutdownSignals: [],
    telemetryOptions: {
      metrics: { prometheus: { bindAddress: config.TEMPORAL_METRICS_ADDRESS ?? '127.0.0.1:9465' } },
    },
  });
  const stops: Array<{ what: string; stop: () => Promise<void> }> = [];
  let stopping: Promise<void> | undefined;
  const stopAll = () =>
    (stopping ??= (async () => {
      log('stopping…');
      // Native teardown promises hold no event-loop handle; without this Node would exit halfway through.
      const keepAlive = setInterval(() => {}, 1_000);
      for (const { what, stop } of stops.reverse()) {
        log(`stopping ${what}`);
        await stop().catch((err: unknown) =>
          log(`stopping ${what}: ${err instanceof Error ? err.message : String(err)}`),
        );
      }
      clearInterval(keepAlive);
      log('stopped');
    })());
  // `on`, not `once`: stopping the dev server signals our process group again, and a second Ctrl-C must not
  // cut the shutdown short either.
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.on(signal, () => void stopAll().then(() => process.exit(0)));

  try {
    const urls: Array<[string, string]> = [];

    let databaseUrl = config.DATABASE_URL;
    if (!databaseUrl) {
      const dir = path.join(dataDir(config), 'postgres');
      log(`PostgreSQL: embedded, data in ${dir}, port ${config.POSTGRES_PORT}`);
      const pg = await startEmbeddedPostgres(dir, config.POSTGRES_PORT);
      stops.push({ what: 'PostgreSQL', stop: () => pg.stop() });
      urls.push(['PostgreSQL', await ensureDatabase(pg.serverUrl, 'leadrelay')]);
      // This process's own connections take the Unix socket; the URL shown is for everyone else.
      databaseUrl = `${pg.localServerUrl}/leadrelay`;
    }
    await migrateAndLoadDirectory(
      databaseUrl,
      { directory: config.LEADRELAY_DIRECTORY, policy: config.LEADRELAY_POLICY },
      log,
    );
    const db = createPool(databaseUrl, log);
    stops.push({ what: 'database pool', stop: () => db.end() });

    let smtpUrl = config.SMTP_URL;
    if (!smtpUrl) {
      const catcher = await startMailCatcher({ smtpPort: config.SMTP_PORT, viewerPort: config.MAIL_VIEWER_PORT });
      stops.push({ what: 'mail catcher', stop: () => catcher.close() });
      smtpUrl = catcher.smtpUrl;
      urls.push(['Mail (caught)', catcher.viewerUrl ?? ''], ['SMTP', smtpUrl]);
    }
    const mailer = createSmtpMailer(smtpUrl);
    stops.push({ what: 'mailer', stop: () => Promise.resolve(mailer.close()) });

    const apiUrl = config.PUBLIC_API_URL ?? `http://${config.API_HOST}:${config.API_PORT}`;
    // Every payload the API and the worker hand to Temporal is encrypted; the Web UI decodes through the API.
    const codecKeys = config.LEADRELAY_CODEC_KEYS ?? (await devCodecKeys(dataDir(config)));
    const dataConverter = leadrelayDataConverter(codecKeys);
    let corsOrigins = config.LEADRELAY_CODEC_CORS_ORIGINS ?? [];

    // One connection for the worker and the API's client, so a new lead's first workflow task comes straight back.
    let nativeConnection: NativeConnection;
    if (config.TEMPORAL_ADDRESS) {
      nativeConnection = await NativeConnection.connect(temporalConnectionOptions(config));
      stops.push({ what: 'Temporal connection', stop: () => nativeConnection.close() });
      await registerSearchAttributes(nativeConnection, config.TEMPORAL_NAMESPACE);
      urls.push(['Temporal', config.TEMPORAL_ADDRESS]);
    } else {
      const dbFilename = path.join(dataDir(config), 'temporal.db');
      log(`Temporal: dev server on 127.0.0.1:${config.TEMPORAL_PORT}, history in ${dbFilename}`);
      const env = await startDevServer({
        uiCodecEndpoint: `${apiUrl}/codec`,
        cliPath: config.TEMPORAL_CLI_PATH,
        cacheDir: cacheDir(config),
        dbFilename,
        port: config.TEMPORAL_PORT,
        uiPort: config.TEMPORAL_UI_PORT,
        namespace: config.TEMPORAL_NAMESPACE,
        log,
      });
      stops.push({ what: 'Temporal dev server', stop: () => env.teardown() });
      nativeConnection = env.nativeConnection;
      corsOrigins = config.LEADRELAY_CODEC_CORS_ORIGINS ?? [
        `http://127.0.0.1:${config.TEMPORAL_UI_PORT}`,
        `http://localhost:${config.TEMPORAL_UI_PORT}`,
      ];
      urls.push(
        ['Temporal Web UI', `http://127.0.0.1:${config.TEMPORAL_UI_PORT}`],
        ['Temporal', `127.0.0.1:${config.TEMPORAL_PORT}`],
      );
    }

    const linkSecrets = config.LEADRELAY_LINK_SECRET
      ? linkSecretsOf(config)
      : [await devLinkSecret(dataDir(config)), ...(config.LEADRELAY_LINK_SECRET_PREVIOUS ?? [])];
    const linkSecret = linkSecrets[0] as string;
    const worker = await createLeadWorkers({
      connection: nativeConnection,
      namespace: config.TEMPORAL_NAMESPACE,
      config,
      dataConverter,
      activities: await createWorkerActivities({ db, mailer, apiUrl, linkSecret, config }),
    });
    const running = worker.run();
    stops.push({
      what: 'worker',
      stop: async () => {
        worker.shutdown();
        await running;
      },
    });

    const client = new Client({ connection: nativeConnection, namespace: config.TEMPORAL_NAMESPACE, dataConverter });
    const schedule = await ensureRetrainSchedule(client, { taskQueue: config.TEMPORAL_TASK_QUEUE });
    log(`classifier retraining: Schedule ${schedule === 'created' ? 'created' : 'already there'} (daily)`);
    const app = buildApi({
      client,
      db,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      bulkTaskQueue: bulkTaskQueueOf(config),
      mergeWindowMs: config.LEADRELAY_MERGE_WINDOW_MINUTES * 60_000,
      linkSecret: linkSecrets,
      codec: { keys: codecKeys, corsOrigins },
      eagerStart: true,
      webUiUrl:
        config.LEADRELAY_WEB_UI_URL ?? (config.TEMPORAL_ADDRESS ? null : `http://localhost:${config.TEMPORAL_UI_PORT}`),
    });
    await app.listen({ host: config.API_HOST, port: config.API_PORT });
    stops.push({ what: 'API', stop: () => app.close() });
    urls.unshift(['API', apiUrl]);
    urls.push(['Dashboard', `${apiUrl}/dashboard (managers and admins)`]);
    urls.push(['Codec sign-in', `${apiUrl}/codec/session (managers and admins: decrypted payloads in the Web UI)`]);

    registerQueueGauges(db);
    const metricsServer = await serveMetrics({
      host: config.LEADRELAY_METRICS_HOST,
      port: config.LEADRELAY_METRICS_PORT ?? 9464,
    });
    stops.push({ what: 'metrics', stop: () => metricsServer.close() });
    urls.push([
      'Metrics',
      `${metricsServer.url} (Temporal SDK: http://${config.TEMPORAL_METRICS_ADDRESS ?? '127.0.0.1:9465'}/metrics)`,
    ]);

    const keys = await devApiKeys(db, dataDir(config));
    log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s. Ctrl-C stops everything.`);
    for (const [name, url] of urls) console.log(`  ${name.padEnd(16)} ${url}`);
    console.log(`  ${'Intake API key'.padEnd(16)} ${keys.intake}`);
    console.log(`  ${'Admin API key'.padEnd(16)} ${keys.admin}`);
    console.log(`  ${''.padEnd(16)} (rep tokens: npx leadrelay keys rep-token --rep ana)`);
    await running;
  } catch (err) {
    console.error(err);
    await stopAll();
    process.exit(1);
  }
}

/** The dev stack's link secret: made once per data directory, so links in old emails keep working across restarts. */
async function devLinkSecret(dir: string): Promise<string> {
  const file = path.join(dir, 'link-secret');
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch {
    const secret = randomBytes(32).toString('hex');
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(file, secret, { mode: 0o600 });
    return secret;
  }
}

/**
 * The dev stack's payload-codec key: made once per data directory (0600), like the link secret, so the history of
 * earlier runs stays readable. Production sets LEADRELAY_CODEC_KEYS.
 */
async function devCodecKeys(dir: string): Promise<Array<{ id: string; key: string }>> {
  const file = path.join(dir, 'codec-keys');
  try {
    return parseCodecKeys((await fs.readFile(file, 'utf8')).trim());
  } catch {
    const keys = `dev-${Date.now().toString(36)}:${randomBytes(32).toString('hex')}`;
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(file, keys, { mode: 0o600 });
    return parseCodecKeys(keys);
  }
}

function parseCodecKeys(value: string): Array<{ id: string; key: string }> {
  const keys = loadConfig({ LEADRELAY_CODEC_KEYS: value }).LEADRELAY_CODEC_KEYS;
  if (!keys) throw new Error('no codec key');
  return keys;
}

/**
 * An intake and an admin key for trying the API, made on the first start and kept (0600) in the data directory:
 * only their hashes are in Postgres, so this file is the one place the secrets can be shown again.
 */
async function devApiKeys(db: Pool, dir: string): Promise<{ intake: string; admin: string }> {
  const file = path.join(dir, 'dev-api-keys.json');
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as { intake: string; admin: string };
  } catch {
    const keys = {
      intake: (await createApiKey(db, { name: 'dev intake (npm start)', scopes: ['leads:write', 'leads:read'] })).token,
      admin: (await createApiKey(db, { name: 'dev admin (npm start)', scopes: ['admin'] })).token,
    };
    await fs.writeFile(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
    return keys;
  }
}

void main();
