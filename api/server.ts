// The HTTP API intake systems, reps and admins call. A client of Temporal and Postgres; it holds no lead state itself.
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Pool } from 'pg';
import type { Client } from '@temporalio/client';
import { registerAuthentication } from './auth';
import { FailedAuthLimiter, type FailedAuthLimits } from './failed-auth-limiter';
import { recordRoutes } from './method-not-allowed';
import { principalKey } from '../db/credentials';
import { bodyLimits } from './body-limits';
import { HttpError, registerErrorHandling } from './errors';
import { registerOpenApi } from './openapi';
import { registerOptionalBodies } from './optional-body';
import { apiLoggerOptions } from './request-log';
import type { RouteDeps } from './route-deps';
import type { LinkSecrets } from '../links/offer-links';
import { registerOfferPages } from './pages/routes';
import { registerDashboard } from './dashboard/routes';
import { codecRoutes } from './codec/routes';
import { SessionSigner } from './session';
import { AesGcmCodec, type CodecKey } from '../codec/aes-gcm-codec';
// Their schemas join the document's components (#/components/schemas) in the order of these imports.
import { adminRepRoutes } from './admin/reps/routes';
import { adminTeamRoutes } from './admin/teams/routes';
import { adminPolicyRoutes } from './admin/policies/routes';
import { intakeRoutes } from './leads/intake-routes';
import { offerRoutes } from './offers/routes';
import { meRoutes } from './me/routes';
import { leadRoutes } from './leads/routes';

export interface RateLimits {
  /** Requests per minute for one API key. */
  perKey: number;
  /** Requests per minute for one rep, across all of the rep's tokens. */
  perRep: number;
  /** Requests per minute from one address to the public routes (docs, health). */
  anonymous: number;
}

export const defaultRateLimits: RateLimits = { perKey: 600, perRep: 120, anonymous: 120 };

export interface ApiDeps {
  client: Client;
  db: Pool;
  taskQueue: string;
  /** The task queue of partner batches' leads (TEMPORAL_BULK_TASK_QUEUE); the interactive one when not given. */
  bulkTaskQueue?: string;
  /** Defaults to a real clock; tests against the time-skipping server pass the server's. */
  now?: () => Promise<Date>;
  /**
   * Request logging (off by default). `true` logs to stdout, `{ stream }` to that stream; either way link tokens and
   * `token` query values are redacted (api/request-log.ts).
   */
  logger?: boolean | { stream: { write(line: string): void } };
  rateLimits?: Partial<RateLimits>;
  /** Failed authentications allowed per client address before it is refused (429) without a lookup. */
  failedAuthLimits?: Partial<FailedAuthLimits>;
  /** Same person within this window: the second submission joins the first lead. Default 30 minutes. */
  mergeWindowMs?: number;
  /**
   * The client is on a NativeConnection that a lead worker in this process shares (`npm start`): the server hands
   * each new lead's first workflow task straight to that worker (eager workflow start), skipping a matching round
   * trip. A client on its own connection (`npm run api`) must leave it off.
   */
  eagerStart?: boolean;
  /**
   * LEADRELAY_LINK_SECRET. When given, the pages behind the offer emails' links (api/pages/) are served too;
   * without it the API serves only its JSON routes (tests that register the pages themselves leave it out).
   */
  linkSecret?: LinkSecrets;
  /**
   * LEADRELAY_CODEC_KEYS and LEADRELAY_CODEC_CORS_ORIGINS. When given, the codec-server endpoints (/codec/decode,
   * /codec/encode, /codec/session) are served for managers and admin keys. The Temporal client passed in must
   * carry the same keys (codec/data-converter.ts).
   */
  codec?: { keys: readonly CodecKey[]; corsOrigins?: readonly string[] };
  /** LEADRELAY_WEB_UI_URL: the dashboard links each queued lead to its workflow there. */
  webUiUrl?: string | null;
}

export function buildApi({
  client,
  db,
  taskQueue,
  bulkTaskQueue = taskQueue,
  now = () => Promise.resolve(new Date()),
  logger = false,
  rateLimits,
  failedAuthLimits,
  mergeWindowMs = 30 * 60_000,
  eagerStart = false,
  linkSecret,
  codec,
  webUiUrl = null,
}: ApiDeps): FastifyInstance {
  const app = Fastify({
    logger: logger === false ? false : apiLoggerOptions(logger === true ? undefined : logger.stream),
    bodyLimit: bodyLimits.single,
    // URLs the router refuses before any route or hook runs (bad percent-encoding, over-long parameters) still get
    // the error shape.
    frameworkErrors: (error: FastifyError, _request, reply: FastifyReply) => {
      const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
      const message = tooLong
        ? 'a path parameter is longer than 100 characters'
        : 'the URL is not valid (check its percent-encoding)';
      void reply.code(tooLong ? 414 : 400).send({ error: message, issues: [{ field: 'url', message }] });
    },
  });
  const failedAuth = new FailedAuthLimiter(failedAuthLimits);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // JSON in, JSON out: a text/plain body would only reach the validator as a string and be refused less clearly.
  app.removeContentTypeParser('text/plain');
  const routes = recordRoutes(app);
  registerOptionalBodies(app);
  registerErrorHandling(app, routes);
  registerAuthentication(app, db, failedAuth, routes);

  const limits = { ...defaultRateLimits, ...rateLimits };
  // Keyed on the verified credential (authentication runs first, in an application-level onRequest hook), so one
  // client cannot spend another's budget by naming its key id.
  void app.register(rateLimit, {
    global: true,
    timeWindow: 60_000,
    keyGenerator: (request) => (request.principal ? principalKey(request.principal) : `ip:${request.ip}`),
    max: (_request, key) =>
      key.startsWith('rep:') ? limits.perRep : key.startsWith('key:') ? limits.perKey : limits.anonymous,
    errorResponseBuilder: (_request, context) =>
      new HttpError(
        429,
        `rate limit of ${context.max} requests per minute reached; retry in ${context.after}`,
        [{ field: 'Authorization', message: `this credential's limit is ${context.max} requests per minute` }],
        'RateLimited',
      ),
  });
  registerOpenApi(app);

  const deps: RouteDeps = { client, db, taskQueue, bulkTaskQueue, now, mergeWindowMs, eagerStart };
  void app.register((scope, _opts, done) => {
    scope.get('/health', { schema: { hide: true }, config: { access: 'public' } }, () => ({ ok: true }));
    done();
  });
  void app.register(intakeRoutes, deps);
  void app.register(leadRoutes, deps);
  void app.register(meRoutes, deps);
  void app.register(offerRoutes, deps);
  void app.register(adminTeamRoutes, deps);
  void app.register(adminRepRoutes, deps);
  void app.register(adminPolicyRoutes, deps);
  if (linkSecret) {
    void app.register(registerOfferPages, { client, db, linkSecret, taskQueue, now, limiter: failedAuth });
    void app.register(registerDashboard, {
      db,
      linkSecret,
      webUiUrl,
      namespace: client.options.namespace,
      limiter: failedAuth,
    });
  }
  if (codec)
    void app.register(codecRoutes, {
      db,
      codec: new AesGcmCodec(codec.keys),
      signer: SessionSigner.forCodec(codec.keys),
      corsOrigins: codec.corsOrigins ?? [],
      limiter: failedAuth,
    });
  return app;
}
