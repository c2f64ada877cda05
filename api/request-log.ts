// What the API writes about a request in its log: never a credential. The offer pages carry bearer secrets in the
// URL (`/links/<token>`, `/me/offers?token=…`); those are cut out before a line is written. Headers (Authorization)
// and bodies are never logged.
import type { FastifyServerOptions } from 'fastify';

const redacted = '[redacted]';

/** The URL with every link token and every `token` query value replaced. */
export function redactUrl(url: string): string {
  const at = url.indexOf('?');
  const path = at === -1 ? url : url.slice(0, at);
  const query = at === -1 ? '' : url.slice(at + 1);
  const safePath = path.replace(/\/links\/[^/]*/gi, `/links/${redacted}`);
  if (at === -1) return safePath;
  const safeQuery = query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq === -1 ? pair : pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // A malformed name is still compared as written.
      }
      return /token|secret|key|signature/i.test(decoded) ? `${name}=${redacted}` : pair;
    })
    .join('&');
  return `${safePath}?${safeQuery}`;
}

interface LoggedRequest {
  method: string;
  url: string;
  hostname?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

/**
 * The logger options of the API: pino's request line (method, url, host, address) with the url redacted. `stream`
 * lets tests read what would have been written.
 */
export function apiLoggerOptions(stream?: { write(line: string): void }): FastifyServerOptions['logger'] {
  return {
    level: 'info',
    serializers: {
      req: (request: LoggedRequest) => ({
        method: request.method,
        url: redactUrl(request.url),
        host: request.hostname,
        remoteAddress: request.ip,
        remotePort: request.socket?.remotePort,
      }),
    },
    ...(stream ? { stream } : {}),
  };
}
