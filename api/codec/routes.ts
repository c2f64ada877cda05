// Temporal's codec-server endpoints, so the Web UI (and `temporal workflow show --codec-endpoint`) can show what the
// payload codec sealed: POST /codec/decode and /codec/encode, for managers (reps on a team's escalation chain) and
// admin keys only. A caller authenticates with `Authorization: Bearer <token>` (the CLI's --codec-auth) or with the
// session cookie a manager gets at /codec/session (the Web UI, which sends cookies but no header of ours). Browsers
// may call from the origins in LEADRELAY_CODEC_CORS_ORIGINS (the Web UI's) and no other.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import formbody from '@fastify/formbody';
import type { Pool } from 'pg';
import { z } from 'zod';
import type { AesGcmCodec } from '../../codec/aes-gcm-codec';
import { hasScope, principalKey, type Principal } from '../../db/credentials';
import { isEscalationManager } from '../../db/directory';
import { bearerOrSessionPrincipal, checkToken, signInRefusal } from '../auth';
import { HttpError, httpError } from '../errors';
import type { FailedAuthLimiter } from '../failed-auth-limiter';
import { esc, renderNotice, sendPage, setPageSecurityHeaders } from '../pages/html';
import { fromJson, PayloadsBody, toJson } from './payloads-json';
import { sessionCookie, sessionHours, type SessionSigner } from '../session';

export interface CodecRoutesOptions {
  db: Pool;
  codec: AesGcmCodec;
  signer: SessionSigner;
  /** Origins whose pages may call decode and encode: the Temporal Web UI's. */
  corsOrigins: readonly string[];
  limiter: FailedAuthLimiter;
}

const codecBodyLimit = 8 * 1024 * 1024;
// The Web UI asks for each event's payloads on its own; a page of history is many requests.
const codecRateLimit = { max: 3000, timeWindow: 60_000 };

export async function codecRoutes(app: FastifyInstance, opts: CodecRoutesOptions): Promise<void> {
  const { db, codec, signer, corsOrigins, limiter } = opts;
  await app.register(formbody, { bodyLimit: 16 * 1024 });

  for (const action of ['decode', 'encode'] as const) {
    const url = `/codec/${action}`;
    app.options(
      url,
      { schema: { hide: true }, config: { access: 'public', rateLimit: codecRateLimit } },
      (request, reply) => {
        allowOrigin(request, reply);
        return reply
          .code(204)
          .header('access-control-allow-methods', 'POST')
          .header('access-control-allow-headers', 'content-type, x-namespace, authorization')
          .header('access-control-max-age', '600')
          .send();
      },
    );
    app.post(url, {
      schema: { hide: true },
      bodyLimit: codecBodyLimit,
      config: { access: 'public', rateLimit: codecRateLimit },
      handler: async (request, reply) => {
        allowOrigin(request, reply);
        await codecReader(request, reply);
        const body = PayloadsBody.safeParse(request.body);
        if (!body.success)
          throw new HttpError(
            400,
            'send { payloads: [{ metadata, data }] } with base64 values',
            body.error.issues.map((i) => ({ field: i.path.join('.') || 'body', message: i.message })),
          );
        const payloads = fromJson(body.data);
        try {
          return toJson(action === 'decode' ? await codec.decode(payloads) : await codec.encode(payloads));
        } catch (err) {
          throw httpError(400, 'payloads', err instanceof Error ? err.message : String(err), 'PayloadDoesNotOpen');
        }
      },
    });
  }

  /** A browser's cross-origin call only from the Web UI's origins; the CLI and curl send no Origin. */
  function allowOrigin(request: FastifyRequest, reply: FastifyReply): void {
    const origin = request.headers.origin;
    if (origin === undefined) return;
    if (!corsOrigins.includes(origin))
      throw httpError(403, 'Origin', `pages from ${origin} may not call the codec (LEADRELAY_CODEC_CORS_ORIGINS)`);
    void reply
      .header('access-control-allow-origin', origin)
      .header('access-control-allow-credentials', 'true')
      .header('vary', 'Origin');
  }

  /** The caller, if it may read what the codec opens: an admin key, or a manager's rep token or session. */
  async function codecReader(request: FastifyRequest, reply: FastifyReply): Promise<Principal> {
    const principal = await codecCaller(request, reply);
    if (!(await mayUseCodec(principal)))
      throw httpError(
        403,
        'Authorization',
        `${principalKey(principal)} may not read payloads: the codec is for managers (reps on a team's escalation chain) and admin keys`,
      );
    return principal;
  }

  async function codecCaller(request: FastifyRequest, reply: FastifyReply): Promise<Principal> {
    const principal = await bearerOrSessionPrincipal(request, reply, { db, limiter, signer, cookie: sessionCookie });
    if (!principal)
      throw httpError(
        401,
        'Authorization',
        'send Authorization: Bearer <token>, or sign in at /codec/session (then use your browser\'s Codec Server settings in the Web UI, with "Include cross-origin credentials")',
      );
    return principal;
  }

  async function mayUseCodec(principal: Principal): Promise<boolean> {
    return principal.kind === 'api-key' ? hasScope(principal, 'admin') : isEscalationManager(db, principal.repId);
  }

  // ── The session a manager's browser holds for the Web UI ───────────────────────────────────────

  const SessionForm = z.object({ token: z.string().trim().max(200).optional() });

  app.get('/codec/session', { schema: { hide: true }, config: { access: 'public' } }, (_request, reply) =>
    sendSessionPage(reply, 200, null),
  );

  app.post('/codec/session', { schema: { hide: true }, config: { access: 'public' } }, async (request, reply) => {
    const token = SessionForm.safeParse(request.body ?? {}).data?.token ?? '';
    const check = await checkToken(db, limiter, request.ip, token || null);
    if (!check.ok) {
      const refusal = signInRefusal(reply, check);
      return sendSessionPage(reply, refusal.status, refusal.message);
    }
    if (!(await mayUseCodec(check.principal)))
      return sendSessionPage(
        reply,
        403,
        'Only managers (reps on an escalation chain) and admin keys may read payloads.',
      );
    const expiresAt = Date.now() + sessionHours * 3_600_000;
    const id = check.principal.kind === 'api-key' ? check.principal.keyId : check.principal.tokenId;
    const value = signer.sign({ kind: check.principal.kind, id, expiresAt });
    void reply.header(
      'set-cookie',
      `${sessionCookie}=${value}; Path=/codec; Max-Age=${sessionHours * 3600}; HttpOnly; SameSite=Strict${request.protocol === 'https' ? '; Secure' : ''}`,
    );
    const who = check.principal.kind === 'rep' ? `rep ${check.principal.repId}` : `key ${check.principal.name}`;
    return sendPage(
      reply,
      200,
      'Signed in to the codec',
      renderNotice(
        'ok',
        `<p>Signed in as ${esc(who)} for ${sessionHours} hours. In the Temporal Web UI, open the Codec Server settings, choose “Use my browser setting”, enter this API's <code>/codec</code> endpoint and tick <strong>Include cross-origin credentials</strong>: the UI then shows payloads decrypted.</p>`,
      ),
    );
  });

  app.post('/codec/session/end', { schema: { hide: true }, config: { access: 'public' } }, (_request, reply) => {
    void reply.header('set-cookie', `${sessionCookie}=; Path=/codec; Max-Age=0; HttpOnly; SameSite=Strict`);
    return sendPage(
      reply,
      200,
      'Signed out of the codec',
      renderNotice('ok', '<p>The Web UI no longer decrypts here.</p>'),
    );
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.url.startsWith('/codec/session')) return payload;
    setPageSecurityHeaders(reply);
    return payload;
  });
}

function sendSessionPage(reply: FastifyReply, status: number, error: string | null) {
  return sendPage(
    reply,
    status,
    'Read payloads in the Temporal Web UI',
    (error ? renderNotice('problem', `<p>${esc(error)}</p>`) : '') +
      renderNotice(
        'info',
        "<p>Temporal stores leadrelay's payloads encrypted. Managers (reps on an escalation chain) and admin keys can read them in the Web UI: paste your token (<code>lrr_…</code> from <code>npx leadrelay keys rep-token --rep &lt;you&gt;</code>, or an admin key) to sign this browser in for 8 hours.</p>",
      ) +
      `<form method="post" action="session"><label for="token">Your token</label><input id="token" name="token" type="password" autocomplete="off" required style="width:100%;box-sizing:border-box;font:inherit;padding:.5rem"><button class="accept" type="submit">Sign in</button></form>`,
  );
}
