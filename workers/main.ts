// Production worker: connects to an existing Temporal cluster, Postgres and SMTP server, and runs until
// SIGINT/SIGTERM (the SDK's runtime drains in-flight tasks before exiting).
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createActivities } from '../activities';
import { createRetrainActivities, defaultRetrainingSources } from '../activities/retrain-classifier';
import { createSmtpMailer } from '../mail/mailer';
import { createPool } from '../db/pool';
import { loadConfig, requireSetting } from '../src/config';
import { loadActiveClassifier, loadBaseCorpus, withOptionalLlm } from './classifier';
import { ensureRetrainSchedule } from './retrain-schedule';
import { createLeadWorker } from './worker';
import { leadrelayDataConverter } from '../codec/data-converter';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const dataConverter = leadrelayDataConverter(requireSetting(config, 'LEADRELAY_CODEC_KEYS'));
  const db = createPool(requireSetting(config, 'DATABASE_URL'));
  const mailer = createSmtpMailer(requireSetting(config, 'SMTP_URL'));
  const connection = await NativeConnection.connect({ address: requireSetting(config, 'TEMPORAL_ADDRESS') });
  // The corpus plus the active retrained model's corrections; retraining replaces the model in place.
  const corpus = { ownCorpusPath: config.LEADRELAY_CLASSIFIER_CORPUS };
  const trained = await loadActiveClassifier(db, corpus);
  const worker = await createLeadWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    dataConverter,
    activities: {
      ...createActivities({
        db,
        mailer,
        mailFrom: config.MAIL_FROM,
        opsEmail: config.LEADRELAY_OPS_EMAIL ?? config.MAIL_FROM,
        apiUrl: config.PUBLIC_API_URL ?? `http://localhost:${config.API_PORT}`,
        linkSecret: requireSetting(config, 'LEADRELAY_LINK_SECRET'),
        classifier: withOptionalLlm(trained),
      }),
      ...createRetrainActivities({
        db,
        classifier: trained,
        retraining: { base: () => loadBaseCorpus(corpus), evaluation: () => defaultRetrainingSources.evaluation() },
      }),
    },
  });
  const clientConnection = await Connection.connect({ address: requireSetting(config, 'TEMPORAL_ADDRESS') });
  await ensureRetrainSchedule(
    new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE, dataConverter }),
    {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
    },
  );
  await clientConnection.close();
  try {
    await worker.run();
  } finally {
    await connection.close();
    mailer.close();
    await db.end();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
