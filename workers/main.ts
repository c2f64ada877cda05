// Production worker: connects to an existing Temporal cluster, Postgres and SMTP server, and runs until
// SIGINT/SIGTERM (the SDK's runtime drains in-flight tasks before exiting).
import { Client } from '@temporalio/client';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { serveMetrics } from '../metrics/metrics';
import { createSmtpMailer } from '../mail/mailer';
import { createPool } from '../db/pool';
import { loadConfig, requireSetting } from '../src/config';
import { ensureRetrainSchedule } from './retrain-schedule';
import { createLeadWorkers, createWorkerActivities } from './worker';
import { leadrelayDataConverter } from '../codec/data-converter';
import { temporalConnectionOptions } from '../stack/temporal-connection';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const dataConverter = leadrelayDataConverter(requireSetting(config, 'LEADRELAY_CODEC_KEYS'));
  const db = createPool(requireSetting(config, 'DATABASE_URL'));
  const mailer = createSmtpMailer(requireSetting(config, 'SMTP_URL'));
  // The SDK's own metrics (task slots, poll latency, schedule-to-start, cache) through its Prometheus exporter.
  if (config.TEMPORAL_METRICS_ADDRESS)
    Runtime.install({
      telemetryOptions: { metrics: { prometheus: { bindAddress: config.TEMPORAL_METRICS_ADDRESS } } },
    });
  const metricsServer = config.LEADRELAY_METRICS_PORT
    ? await serveMetrics({ host: config.LEADRELAY_METRICS_HOST, port: config.LEADRELAY_METRICS_PORT })
    : undefined;
  const connection = await NativeConnection.connect(temporalConnectionOptions(config));
  const worker = await createLeadWorkers({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    config,
    dataConverter,
    ...(config.LEADRELAY_WORKFLOW_BUNDLE ? { workflowBundle: { codePath: config.LEADRELAY_WORKFLOW_BUNDLE } } : {}),
    activities: await createWorkerActivities({
      db,
      mailer,
      apiUrl: config.PUBLIC_API_URL ?? `http://localhost:${config.API_PORT}`,
      linkSecret: requireSetting(config, 'LEADRELAY_LINK_SECRET'),
      config,
    }),
  });
  // The worker's own connection serves the Schedule client too.
  await ensureRetrainSchedule(new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter }), {
    taskQueue: config.TEMPORAL_TASK_QUEUE,
  });
  try {
    await worker.run();
  } finally {
    await metricsServer?.close();
    await connection.close();
    mailer.close();
    await db.end();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
