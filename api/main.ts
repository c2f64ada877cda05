// Production API process: serves the HTTP API against an existing Temporal cluster and Postgres.
import { Client, Connection } from '@temporalio/client';
import { createPool } from '../db/pool';
import { bulkTaskQueueOf, linkSecretsOf, loadConfig, requireSetting } from '../src/config';
import { buildApi } from './server';
import { registerQueueGauges, serveMetrics } from '../metrics/metrics';
import { leadrelayDataConverter } from '../codec/data-converter';
import { temporalConnectionOptions } from '../stack/temporal-connection';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const db = createPool(requireSetting(config, 'DATABASE_URL'));
  const connection = await Connection.connect(temporalConnectionOptions(config));
  const codecKeys = requireSetting(config, 'LEADRELAY_CODEC_KEYS');
  // Everything the API hands to Temporal (a lead's input, signals, updates) is encrypted before it leaves.
  const client = new Client({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter: leadrelayDataConverter(codecKeys),
  });
  const app = buildApi({
    client,
    db,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    bulkTaskQueue: bulkTaskQueueOf(config),
    logger: true,
    mergeWindowMs: config.LEADRELAY_MERGE_WINDOW_MINUTES * 60_000,
    // The offer emails' links land on this process's pages, signed with the worker's secret; during a rotation the
    // previous secrets verify too.
    linkSecret: linkSecretsOf(config),
    // The Web UI reads payloads through /codec/decode, for managers and admins.
    codec: { keys: codecKeys, corsOrigins: config.LEADRELAY_CODEC_CORS_ORIGINS ?? [] },
    webUiUrl: config.LEADRELAY_WEB_UI_URL ?? null,
  });
  // Prometheus scrapes a port of its own; the queue sizes are read from Postgres by the API alone.
  let metricsServer: { close(): Promise<void> } | undefined;
  if (config.LEADRELAY_METRICS_PORT) {
    registerQueueGauges(db);
    metricsServer = await serveMetrics({ host: config.LEADRELAY_METRICS_HOST, port: config.LEADRELAY_METRICS_PORT });
  }
  const stop = async () => {
    await metricsServer?.close();
    await app.close();
    await connection.close();
    await db.end();
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  await app.listen({ host: config.API_HOST, port: config.API_PORT });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
