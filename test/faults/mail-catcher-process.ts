// The fault suite's SMTP server as a process of its own, so it can be stopped for an outage: every message it
// accepts is appended to a log file that outlives it, and a `.ready` file says it is listening.
import fs from 'node:fs';
import { startMailCatcher } from '../../stack/mail-catcher';

async function main(): Promise<void> {
  const log = process.env.FAULTS_MAIL_LOG;
  if (!log) throw new Error('FAULTS_MAIL_LOG: the file to append accepted messages to');
  const catcher = await startMailCatcher({
    smtpPort: Number(process.env.FAULTS_SMTP_PORT),
    viewerPort: null,
    acceptDelayMs: Number(process.env.FAULTS_ACCEPT_DELAY_MS ?? 0),
    onMessage: (mail) =>
      fs.appendFileSync(
        log,
        `${JSON.stringify({ messageId: mail.messageId, to: mail.to, subject: mail.subject, at: mail.receivedAt })}\n`,
      ),
  });
  fs.writeFileSync(`${log}.ready`, catcher.smtpUrl);
  process.once('SIGTERM', () => void catcher.close().then(() => process.exit(0)));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
