// A real SMTP server on loopback that keeps what it receives, with a small web viewer for people
// and an API for tests. Built on smtp-server and mailparser, from the nodemailer authors.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

export interface CaughtMail {
  id: number;
  messageId: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  receivedAt: string;
}

export interface MailCatcher {
  smtpUrl: string;
  viewerUrl: string | null;
  messages(): CaughtMail[];
  /** Resolves with the first message (already received or arriving later) that matches. */
  waitFor(match: (mail: CaughtMail) => boolean, timeoutMs?: number): Promise<CaughtMail>;
  close(): Promise<void>;
}

/** Keeps the newest messages only, so a long-running dev stack cannot grow without bound. */
const keep = 1000;

export interface MailCatcherOptions {
  host?: string;
  smtpPort?: number;
  viewerPort?: number | null;
  /** Called once for each message the server accepted (the fault suite logs every message to a file). */
  onMessage?: (mail: CaughtMail) => void;
  /**
   * Holds each message this long before answering its DATA, like a slow mail server. A message whose sender hung
   * up meanwhile was never acknowledged and is not kept: the sender will send it again, as it would to a real MTA.
   */
  acceptDelayMs?: number;
}

export async function startMailCatcher(opts: MailCatcherOptions = {}): Promise<MailCatcher> {
  const host = opts.host ?? '127.0.0.1';
  const caught: CaughtMail[] = [];
  /** Sessions whose message is being held, and whether the sender has hung up since. */
  const held = new Map<string, { hungUp: boolean }>();
  const waiters = new Set<{ match: (m: CaughtMail) => boolean; resolve: (m: CaughtMail) => void }>();
  let nextId = 1;

  const smtp = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onClose(session) {
      const hold = held.get(session.id);
      if (hold) hold.hungUp = true;
    },
    onData(stream, session, callback) {
      // The text part is all the catcher shows: no HTML to text, no text to HTML with its links found.
      simpleParser(stream, { skipHtmlToText: true, skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true })
        .then(async (parsed) => {
          if (opts.acceptDelayMs) {
            const hold = { hungUp: false };
            held.set(session.id, hold);
            await new Promise((resolve) => setTimeout(resolve, opts.acceptDelayMs));
            held.delete(session.id);
            if (hold.hungUp) throw new Error('the sender hung up before the message was accepted');
          }
          const mail: CaughtMail = {
            id: nextId++,
            messageId: parsed.messageId ?? '',
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            receivedAt: new Date().toISOString(),
          };
          caught.push(mail);
          if (caught.length > keep) caught.shift();
          opts.onMessage?.(mail);
          for (const waiter of waiters) {
            if (waiter.match(mail)) {
              waiters.delete(waiter);
              waiter.resolve(mail);
            }
          }
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve, reject) => {
    smtp.once('error', reject);
    smtp.listen(opts.smtpPort ?? 0, host, () => resolve());
  });
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  let viewer: http.Server | undefined;
  let viewerUrl: string | null = null;
  if (opts.viewerPort !== null) {
    viewer = http.createServer((req, res) => serveViewer(req, res, caught));
    await new Promise<void>((resolve, reject) => {
      viewer?.once('error', reject);
      viewer?.listen(opts.viewerPort ?? 0, host, () => resolve());
    });
    viewerUrl = `http://${host}:${(viewer.address() as AddressInfo).port}`;
  }

  return {
    smtpUrl: `smtp://${host}:${smtpPort}`,
    viewerUrl,
    messages: () => [...caught],
    waitFor(match, timeoutMs = 30_000) {
      const already = caught.find(match);
      if (already) return Promise.resolve(already);
      return new Promise((resolve, reject) => {
        const waiter = {
          match,
          resolve: (m: CaughtMail) => {
            clearTimeout(timer);
            resolve(m);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(
            new Error(
              `no matching email within ${timeoutMs} ms; received: ${caught.map((m) => `${m.to.join(',')}: ${m.subject}`).join(' | ') || 'none'}`,
            ),
          );
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    async close() {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      if (viewer) await new Promise<void>((resolve) => viewer?.close(() => resolve()));
    },
  };
}

function serveViewer(req: http.IncomingMessage, res: http.ServerResponse, caught: CaughtMail[]): void {
  const url = new URL(req.url ?? '/', 'http://viewer');
  if (url.pathname === '/messages.json') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(caught));
    return;
  }
  const one = /^\/messages\/(\d+)$/.exec(url.pathname);
  if (one) {
    const mail = caught.find((m) => m.id === Number(one[1]));
    if (!mail) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('no such message');
      return;
    }
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(
        page(
          mail.subject,
          `<p><a href="/">← all mail</a></p><dl><dt>From</dt><dd>${esc(mail.from)}</dd><dt>To</dt><dd>${esc(mail.to.join(', '))}</dd><dt>Received</dt><dd>${esc(mail.receivedAt)}</dd><dt>Message-ID</dt><dd>${esc(mail.messageId)}</dd></dl><pre>${esc(mail.text)}</pre>`,
        ),
      );
    return;
  }
  if (url.pathname !== '/') {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  const rows = [...caught]
    .reverse()
    .map(
      (m) =>
        `<tr><td>${esc(m.receivedAt)}</td><td>${esc(m.to.join(', '))}</td><td><a href="/messages/${m.id}">${esc(m.subject)}</a></td></tr>`,
    )
    .join('');
  res
    .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    .end(
      page(
        'leadrelay mail',
        `<p>${caught.length} message(s), newest first. <a href="/">Refresh</a></p><table><tr><th>Received</th><th>To</th><th>Subject</th></tr>${rows}</table>`,
      ),
    );
}

function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title><style>body{font-family:system-ui,sans-serif;margin:1rem;max-width:60rem}td,th{padding:.3rem .6rem;text-align:left;border-bottom:1px solid #ddd}pre{white-space:pre-wrap;background:#f6f6f6;padding:1rem}</style></head><body><h1>${esc(title)}</h1>${body}</body></html>`;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
