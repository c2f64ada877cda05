// Production worker: connects to an existing Temporal cluster, Postgres and SMTP server, and runs until
// SIGINT/SIGTERM (the SDK's runtime drains in-flight tasks before exiting).
import { NativeConnection } from '@temporalio/worker';
import { createActivities } from '../activities';
import { createSmtpMailer } from '../mail/mailer';
import { createPool } from '../db/pool';
import { loadConfig, requireSetting } from '../src/config';
import { loadClassifier, withOptionalLlm } from './classifier';
import { createLeadWorker } from './worker';
import { leadrelayDataConverter } from '../codec/data-converter';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const db = createPool(requireSetting(config, 'DATABASE_URL'));
  const mailer = createSmtpMailer(requireSetting(config, 'SMTP_URL'));
  const connection = await NativeConnection.connect({ address: requireSetting(config, 'TEMPORAL_ADDRESS') });
  const worker = await createLeadWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    dataConverter: leadrelayDataConverter(requireSetting(config, 'LEADRELAY_CODEC_KEYS')),
    activities: createActivities({
      db,
      mailer,
      mailFrom: config.MAIL_FROM,
      apiUrl: config.PUBLIC_API_URL ?? `http://localhost:${config.API_PORT}`,
      linkSecret: requireSetting(config, 'LEADRELAY_LINK_SECRET'),
      classifier: withOptionalLlm(loadClassifier({ ownCorpusPath: config.LEADRELAY_CLASSIFIER_CORPUS })),
    }),
  });
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
