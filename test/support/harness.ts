// One real stack per test file: the time-skipping Temporal test server, a Postgres database of the file's own,
// a real SMTP server catching mail, the lead worker with its real activities, and the HTTP API in front; payloads
// encrypted by the codec between them and Temporal, as in production.
import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, type Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { WorkflowHandle } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { createActivities } from '../../activities';
import { upsertDirectory } from '../../db/directory';
import { ensureDefaultPolicy } from '../../db/policies';
import { createApiKey, createRepToken } from '../../db/credentials';
import type { LeadClassifier } from '../../src/classification/classifier';
import { loadClassifier } from '../../workers/classifier';
import { createSmtpMailer } from '../../mail/mailer';
import { createPool } from '../../db/pool';
import { buildApi } from '../../api/server';
import { startMailCatcher, type MailCatcher } from '../../stack/mail-catcher';
import { createLeadWorker, workflowsPath } from '../../workers/worker';
import { leadrelayDataConverter } from '../../codec/data-converter';
import type { CodecKey } from '../../codec/aes-gcm-codec';
import { leadStateQuery, type LeadView } from '../../workflows/messages';
import { testDirectory, testPolicy } from './directory';
import { copyOfTemplateDatabase } from './database';
import { createTimeSkippingEnvironment, installQuietRuntime, quietLogger } from './time-skipping';

export interface Harness {
  env: TestWorkflowEnvironment;
  db: Pool;
  mail: MailCatcher;
  api: FastifyInstance;
  taskQueue: string;
  bundle: WorkflowBundleWithSourceMap;
  /** Signs the links in offer emails, as LEADRELAY_LINK_SECRET does in production. */
  linkSecret: string;
  /**
   * The payload codec's keys (LEADRELAY_CODEC_KEYS): the environment's client, the API and the worker encrypt with
   * them, as in production; null for a harness made with `{ codec: false }`.
   */
  codecKeys: CodecKey[] | null;
  /** The origin the API's codec endpoints admit, standing in for the Temporal Web UI's. */
  webUiOrigin: string;
  /** Bearer token of an intake API key (leads:write, leads:read, partner). */
  intakeToken: string;
  /** Bearer token of an admin API key. */
  adminToken: string;
  /** Bearer token of a rep, made on first use. */
  repToken(repId: string): Promise<string>;
  /** A fresh worker for one test; run the test inside `worker.runUntil`. */
  createWorker(): Promise<Worker>;
  teardown(this: Harness): Promise<void>;
}

let classifier: LeadClassifier | undefined;

export async function createHarness({ codec = true }: { codec?: boolean } = {}): Promise<Harness> {
  installQuietRuntime();
  const codecKeys = codec ? [{ id: 'test-key', key: randomBytes(32).toString('hex') }] : null;
  const dataConverter = codecKeys ? leadrelayDataConverter(codecKeys) : undefined;
  const env = await createTimeSkippingEnvironment(dataConverter ? { dataConverter } : undefined);
  const dbUrl = await copyOfTemplateDatabase();
  const db = createPool(dbUrl);
  await upsertDirectory(db, testDirectory);
  await ensureDefaultPolicy(db, testPolicy);
  const intakeToken = (
    await createApiKey(db, { name: 'test intake', scopes: ['leads:write', 'leads:read', 'partner'] })
  ).token;
  const adminToken = (await createApiKey(db, { name: 'test admin', scopes: ['admin'] })).token;
  const repTokens = new Map<string, Promise<string>>();
  const mail = await startMailCatcher({ viewerPort: null });
  const mailer = createSmtpMailer(mail.smtpUrl);
  const linkSecret = randomBytes(32).toString('hex');
  classifier ??= loadClassifier();
  const activities = createActivities({
    db,
    mailer,
    mailFrom: 'leadrelay <leads@leadrelay.test>',
    opsEmail: 'ops@leadrelay.test',
    // The test server's clock, which time skipping runs ahead of the wall clock: what the workflow's timers count.
    clock: async () => new Date(await env.currentTimeMs()),
    apiUrl: 'http://api.test',
    linkSecret,
    classifier,
  });
  const taskQueue = `leads-${randomBytes(4).toString('hex')}`;
  const bundle = await bundleWorkflowCode({
    workflowsPath,
    logger: quietLogger,
    ...(dataConverter ? { failureConverterPath: dataConverter.failureConverterPath } : {}),
  });
  const now = async () => new Date(await env.currentTimeMs());
  const webUiOrigin = 'http://temporal-ui.test:8233';
  const api = buildApi({
    client: env.client,
    db,
    taskQueue,
    now,
    linkSecret,
    ...(codecKeys ? { codec: { keys: codecKeys, corsOrigins: [webUiOrigin] } } : {}),
  });
  return {
    env,
    db,
    mail,
    api,
    taskQueue,
    bundle,
    linkSecret,
    codecKeys,
    webUiOrigin,
    intakeToken,
    adminToken,
    repToken(repId) {
      let token = repTokens.get(repId);
      if (!token) repTokens.set(repId, (token = createRepToken(db, repId).then((t) => t.token)));
      return token;
    },
    createWorker: () =>
      createLeadWorker({
        connection: env.nativeConnection,
        namespace: 'default',
        taskQueue,
        activities,
        workflowBundle: bundle,
        ...(dataConverter ? { dataConverter } : {}),
      }),
    async teardown(this: Harness) {
      await api.close();
      mailer.close();
      // The mail server a test restarted, if one did (taking mail down and bringing it back).
      await this.mail.close();
      await db.end();
      await env.teardown();
    },
  };
}

/**
 * Another API on the harness's stack for a fuzzer, one client sending thousands of requests a minute (many with bad
 * tokens): the rate limits and the failed-authentication limit lifted, everything else as built for production.
 */
export function buildUnlimitedApi(h: Harness): FastifyInstance {
  return buildApi({
    client: h.env.client,
    db: h.db,
    taskQueue: h.taskQueue,
    now: async () => new Date(await h.env.currentTimeMs()),
    rateLimits: { perKey: 1e6, perRep: 1e6, anonymous: 1e6 },
    failedAuthLimits: { burst: 1e6, perMinute: 1e6 },
  });
}

/** A body with `source` goes to the original POST /v1/leads; without, it is a web form. */
export async function submitLead(
  h: Harness,
  submission: Record<string, unknown>,
  headers: Record<string, string> = {},
  url = 'source' in submission ? '/v1/leads' : '/v1/leads/web-form',
) {
  const res = await h.api.inject({
    method: 'POST',
    url,
    payload: submission,
    headers: { authorization: `Bearer ${h.intakeToken}`, ...headers },
  });
  return {
    status: res.statusCode,
    body: res.json<{ leadId: string; duplicate: boolean; merged?: boolean }>(),
    location: res.headers.location,
  };
}

export function leadHandle(h: Harness, leadId: string): WorkflowHandle {
  return h.env.client.workflow.getHandle(`lead:${leadId}`);
}

/** Polls the workflow's query until the predicate holds. Polling does not move time in the test server. */
export async function waitForLead(
  h: Harness,
  leadId: string,
  predicate: (view: LeadView) => boolean,
  what = 'condition',
): Promise<LeadView> {
  const handle = leadHandle(h, leadId);
  let last: LeadView | undefined;
  for (let i = 0; i < 600; i++) {
    try {
      last = await handle.query(leadStateQuery);
      if (predicate(last)) return last;
    } catch {
      // Not started or no workflow task completed yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`lead ${leadId} never reached ${what}; last state: ${JSON.stringify(last)}`);
}

/** The offer is open to the rep and its rep was told (its email delivered; the catch-all queue needs no telling). */
export function offerOpenTo(offerNumber: number, repId: string) {
  return (view: LeadView) =>
    view.currentOffer?.offerNumber === offerNumber &&
    view.currentOffer.repIds.includes(repId) &&
    (view.currentOffer.kind === 'catch-all' || view.status !== 'notifying');
}

/**
 * Takes a hot lead through the test directory's whole chain: ana and ben decline through the API, the manager and the
 * head of sales let their SLAs pass. Resolves with the lead waiting in the catch-all queue.
 */
export async function passThroughTheChain(h: Harness, leadId: string): Promise<LeadView> {
  await waitForLead(h, leadId, offerOpenTo(1, 'ana'));
  expect((await answer(h, leadId, 'decline', { offerNumber: 1, repId: 'ana', reason: 'busy' })).status).toBe(200);
  await waitForLead(h, leadId, offerOpenTo(2, 'ben'));
  expect((await answer(h, leadId, 'decline', { offerNumber: 2, repId: 'ben', reason: 'busy' })).status).toBe(200);
  await waitForLead(h, leadId, offerOpenTo(3, 'mgr'), 'offer 3 to the manager');
  await h.env.sleep(minutes(15) + 1_000);
  await waitForLead(h, leadId, offerOpenTo(4, 'head'), 'offer 4 to the head of sales');
  await h.env.sleep(minutes(30) + 1_000);
  return await waitForLead(h, leadId, (v) => v.status === 'catch-all', 'the catch-all queue');
}

/** A rep answers an offer through the API with their own token, as from the rep's app. */
export async function answer(
  h: Harness,
  leadId: string,
  action: 'accept' | 'decline',
  { offerNumber, repId, reason }: { offerNumber: number; repId: string; reason?: string },
) {
  const res = await h.api.inject({
    method: 'POST',
    url: `/v1/offers/${leadId}.${offerNumber}/${action}`,
    payload: reason === undefined ? {} : { reason },
    headers: { authorization: `Bearer ${await h.repToken(repId)}` },
  });
  return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
}

export async function offerRows(h: Harness, leadId: string) {
  const { rows } = await h.db.query<{
    offer_number: number;
    kind: string;
    level: number;
    rep_ids: string[];
    status: string;
    answered_by: string | null;
    reason: string | null;
  }>(
    'SELECT offer_number, kind, level, rep_ids, status, answered_by, reason FROM lead_offers WHERE lead_id = $1 ORDER BY offer_number',
    [leadId],
  );
  return rows;
}

export async function leadRow(h: Harness, leadId: string) {
  const { rows } = await h.db.query<{
    status: string;
    owner_rep_id: string | null;
    escalation_level: number;
    team_id: string | null;
    sla_deadline: Date | null;
  }>('SELECT status, owner_rep_id, escalation_level, team_id, sla_deadline FROM leads WHERE id = $1', [leadId]);
  return rows[0];
}

export const minutes = (n: number) => n * 60_000;
