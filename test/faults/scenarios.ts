// The nine fault scenarios. Each breaks something real (a process, a socket, a race) while leads flow, then lets the
// stack recover; the runner checks the invariants over the scenario's leads afterwards.
import { randomBytes } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { workflowIdFor } from '../../api/lead-workflow';
import { createRepToken } from '../../db/credentials';
import { signLink } from '../../links/offer-links';
import { acceptSignal, declineSignal } from '../../workflows/messages';
import { mapLimit, quantile, Scenario, told, type Log, type ScenarioResult } from './suite';
import type { FaultStack } from './stack';
import { sleep } from './processes';

export interface Sizes {
  /** Web-form leads per process-kill scenario. */
  leads: number;
  /** Scenario 5: submissions under one Idempotency-Key, and of one person under different keys. */
  sameKey: number;
  samePerson: number;
  /** Scenario 6: concurrent answers to one offer. */
  answers: number;
  /** Scenario 4: how long the SMTP server stays down. */
  smtpOutageMs: number;
  /** Scenarios 8 and 9: the partner import, and the open leads that must wait at once. */
  importLeads: number;
  hotLeads: number;
  openLeads: number;
}

export const fullSizes: Sizes = {
  leads: 30,
  sameKey: 1000,
  samePerson: 100,
  answers: 100,
  smtpOutageMs: 10 * 60_000,
  importLeads: 10_000,
  hotLeads: 40,
  openLeads: 10_000,
};

/** What `npm test` runs: scenarios 1, 5 and 6 at small sizes. */
export const quickSizes: Sizes = {
  leads: 6,
  sameKey: 100,
  samePerson: 20,
  answers: 30,
  smtpOutageMs: 20_000,
  importLeads: 200,
  hotLeads: 10,
  openLeads: 200,
};

export interface ScenarioDef {
  id: number;
  name: string;
  run(stack: FaultStack, log: Log, sizes: Sizes): Promise<ScenarioResult>;
}

const run = randomBytes(3).toString('hex');
let serial = 0;
const nextId = () => `${run}-${++serial}`;

/** A tier-A cloud lead from a company of its own (a new contact, so the weighted round robin decides). */
function hotLead(n = nextId()) {
  return {
    name: `Priya ${n}`,
    email: `priya.${n}@acme-${n}.example`,
    company: `Acme ${n}`,
    companySize: 800,
    message:
      'We must migrate our data centre (120 VMs) to AWS ASAP; budget around $250k approved. Can someone call me today?',
  };
}

function partnerLead(n = nextId()) {
  return {
    externalId: `import-${n}`,
    name: `Morgan ${n}`,
    email: `morgan.${n}@northwind-${n}.example`,
    company: `Northwind ${n}`,
    companySize: 60,
    message: 'We are 60 people and want a managed IT provider for our laptops, helpdesk and Microsoft 365.',
  };
}

/** `count` hot web-form leads, `concurrency` at a time, each under a key of its own (`<prefix>-<id>`). */
function submitHotLeads(s: Scenario, count: number, prefix: string, concurrency = 8): Promise<unknown> {
  const ids = Array.from({ length: count }, () => nextId());
  return mapLimit(ids, concurrency, (n) => s.submit('web-form', hotLead(n), `${prefix}-${n}`));
}

async function restartSmtp(stack: FaultStack, acceptDelayMs: number): Promise<void> {
  await stack.stopSmtp();
  await stack.startSmtp(acceptDelayMs);
}

// ── 1 ────────────────────────────────────────────────────────────────────────────────────────

const workerKills: ScenarioDef = {
  id: 1,
  name: 'workers SIGKILLed mid-send, mid-SLA, then both',
  async run(stack, log, sizes) {
    const s = new Scenario(stack, this.name, log);
    // The mail server takes 2 s per message, so a kill lands while offer emails are being handed over.
    await restartSmtp(stack, 2_000);
    await submitHotLeads(s, sizes.leads, 's1');
    await sleep(1_000);
    log('  SIGKILL worker 1 while offer emails are being sent');
    await stack.killWorker(0);
    await stack.startWorker(0);
    await s.settle(180_000, told);
    log('  SIGKILL worker 2 while leads wait on their SLA');
    await stack.killWorker(1);
    await stack.startWorker(1);
    log('  SIGKILL both workers');
    await stack.killWorker(0);
    await stack.killWorker(1);
    await sleep(3_000);
    await stack.startWorker(0);
    await stack.startWorker(1);
    await restartSmtp(stack, 0);
    // Every 30-second SLA ran out while the workers were down or restarting: the offers must move on.
    await sleep(40_000);
    await s.settle(180_000);
    return s.result();
  },
};

// ── 2 ────────────────────────────────────────────────────────────────────────────────────────

const temporalKill: ScenarioDef = {
  id: 2,
  name: 'Temporal dev server SIGKILLed mid-SLA, restarted on its db file',
  async run(stack, log, sizes) {
    const s = new Scenario(stack, this.name, log);
    await submitHotLeads(s, sizes.leads, 's2');
    await s.settle(180_000, told);
    log('  SIGKILL the Temporal server while the leads wait on their SLA');
    await stack.killTemporal();
    // Intake keeps arriving during the outage; the intake system retries with the same key.
    const during = submitHotLeads(s, Math.ceil(sizes.leads / 3), 's2', 4);
    await sleep(15_000);
    await stack.startTemporal();
    log('  Temporal back on the same db file');
    await during;
    await sleep(40_000);
    await s.settle(180_000);
    return s.result();
  },
};

// ── 3 ────────────────────────────────────────────────────────────────────────────────────────

const postgresStop: ScenarioDef = {
  id: 3,
  name: 'PostgreSQL stopped during routing, started again',
  async run(stack, log, sizes) {
    const s = new Scenario(stack, this.name, log);
    const half = Math.ceil(sizes.leads / 2);
    await submitHotLeads(s, half, 's3');
    // These are being deduped, qualified and routed when Postgres goes.
    const submitting = submitHotLeads(s, sizes.leads - half, 's3');
    await sleep(300);
    log('  stopping PostgreSQL');
    await stack.stopPostgres();
    await sleep(15_000);
    await stack.startPostgres();
    log('  PostgreSQL back');
    await submitting;
    await sleep(5_000);
    await s.settle(180_000);
    return s.result();
  },
};

// ── 4 ────────────────────────────────────────────────────────────────────────────────────────

const smtpOutage: ScenarioDef = {
  id: 4,
  name: 'SMTP server down, then back',
  async run(stack, log, sizes) {
    const s = new Scenario(stack, this.name, log);
    log(`  SMTP down for ${Math.round(sizes.smtpOutageMs / 1000)} s`);
    await stack.stopSmtp();
    await submitHotLeads(s, sizes.leads, 's4');
    await sleep(sizes.smtpOutageMs);
    const during = await mapLimit([...s.leadIds], 8, (id) => s.describe(id));
    const statuses = new Map<string, number>();
    for (const state of during)
      statuses.set(state?.leadStatus ?? 'none', (statuses.get(state?.leadStatus ?? 'none') ?? 0) + 1);
    s.notes.push(`during the outage: ${[...statuses].map(([k, v]) => `${v} ${k}`).join(', ')}`);
    await stack.startSmtp(0);
    log('  SMTP back');
    await sleep(40_000);
    await s.settle(180_000, told);
    return s.result();
  },
};

// ── 5 ────────────────────────────────────────────────────────────────────────────────────────

const submissionStorms: ScenarioDef = {
  id: 5,
  name: 'one lead submitted at once under one key; one person under many keys and channels',
  async run(stack, log, sizes) {
    const s = new Scenario(stack, this.name, log);
    const key = `s5-${nextId()}`;
    const lead = hotLead();
    // All at once: the same request N times, as a retrying form might.
    const sameKey = await Promise.all(
      Array.from({ length: sizes.sameKey }, async (_, i) => {
        const leadId = await s.submit('web-form', lead, key, 120_000);
        s.submissions.set(`${key}#${i}`, leadId);
        return leadId;
      }),
    );
    s.submissions.delete(key);
    const oneKeyLeads = new Set(sameKey);
    s.notes.push(`${sizes.sameKey} under one key → ${oneKeyLeads.size} lead(s)`);
    if (oneKeyLeads.size !== 1) s.defects.push(`one Idempotency-Key made ${oneKeyLeads.size} leads`);

    // One person, different keys and channels, within the merge window.
    const n = nextId();
    const email = `jordan.${n}@contoso-${n}.example`;
    const person = await Promise.all(
      Array.from({ length: sizes.samePerson }, async (_, i) => {
        const message = `Jordan again (${i}): we need our Azure tenant migrated, 300 seats, this quarter.`;
        if (i % 3 === 0) return s.submit('web-form', { name: 'Jordan Lee', email, message }, `s5-${n}-${i}`);
        if (i % 3 === 1)
          return s.submit(
            'chat',
            { visitor: { name: 'Jordan Lee', email }, transcript: [{ from: 'visitor', text: message }] },
            `s5-${n}-${i}`,
          );
        const [leadId] = await s.submitBatch([{ externalId: `s5-${n}-${i}`, name: 'Jordan Lee', email, message }]);
        return leadId ?? null;
      }),
    );
    const personLeads = new Set(person);
    s.notes.push(`${sizes.samePerson} of one person → ${personLeads.size} lead(s)`);
    if (personLeads.size !== 1) s.defects.push(`one person within the merge window made ${personLeads.size} leads`);
    await s.settle(120_000);
    return s.result();
  },
};

// ── 6 ────────────────────────────────────────────────────────────────────────────────────────

type Channel = 'api' | 'link' | 'signal' | 'claim';

interface AnswerTally {
  accepted: string[];
  refusedWithReason: number;
  refusedWithoutReason: string[];
  signals: number;
}

async function answerStorm(
  s: Scenario,
  leadId: string,
  offerNumber: number,
  answers: Array<{ repId: string; channel: Channel; action: 'accept' | 'decline' }>,
): Promise<AnswerTally> {
  const { stack } = s;
  const tokens = new Map<string, string>();
  for (const { repId } of answers)
    if (!tokens.has(repId)) tokens.set(repId, (await createRepToken(stack.db, repId)).token);
  const tally: AnswerTally = { accepted: [], refusedWithReason: 0, refusedWithoutReason: [], signals: 0 };
  const offerId = `${leadId}.${offerNumber}`;
  await Promise.all(
    answers.map(async ({ repId, channel, action }) => {
      const reason = action === 'decline' ? 'on holiday from tomorrow' : undefined;
      if (channel === 'signal') {
        try {
          await stack.client.workflow
            .getHandle(workflowIdFor(leadId))
            .signal(action === 'accept' ? acceptSignal : declineSignal, {
              offerNumber,
              repId,
              ...(reason ? { reason } : {}),
            });
          tally.signals++;
        } catch (error) {
          // Once the winner's accept ends the lead's workflow (no first-touch SLA to watch), the server itself
          // refuses later signals, saying so: a refusal with its reason, as an integrator sees it.
          if (!(error instanceof WorkflowNotFoundError)) throw error;
          tally.refusedWithReason++;
        }
        return;
      }
      let response: Response;
      if (channel === 'api') {
        response = await fetch(`${stack.apiUrl}/v1/offers/${offerId}/${action}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${tokens.get(repId)}`, 'content-type': 'application/json' },
          body: JSON.stringify(reason ? { reason } : {}),
        });
      } else if (channel === 'claim') {
        response = await fetch(`${stack.apiUrl}/claim/${offerId}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ token: tokens.get(repId) ?? '' }),
        });
      } else {
        const token = signLink(
          { action, leadId, offerNumber, repId, expiresAt: new Date(Date.now() + 3_600_000) },
          stack.linkSecret,
        );
        response = await fetch(`${stack.apiUrl}/links/${token}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(reason ? { reason } : {}),
        });
      }
      const text = await response.text();
      if (response.ok) {
        if (action === 'accept') tally.accepted.push(`${repId} via ${channel}`);
        return;
      }
      // A refusal names why: JSON `error`, or the page's text.
      const why =
        channel === 'api' ? ((JSON.parse(text) as { error?: string }).error ?? '') : text.replace(/<[^>]+>/g, ' ');
      if (why.trim().length > 10) tally.refusedWithReason++;
      else tally.refusedWithoutReason.push(`${repId} via ${channel}: ${response.status}`);
    }),
  );
  return tally;
}

async function openOffer(s: Scenario, leadId: string): Promise<{ offerNumber: number; repIds: string[] }> {
  const { rows } = await s.stack.db.query<{ offer_number: number; rep_ids: string[] }>(
    `SELECT offer_number, rep_ids FROM lead_offers WHERE lead_id = $1 AND status = 'open' ORDER BY offer_number DESC LIMIT 1`,
    [leadId],
  );
  const row = rows[0];
  if (!row) throw new Error(`lead ${leadId} has no open offer`);
  return { offerNumber: row.offer_number, repIds: row.rep_ids };
}

async function owners(s: Scenario, leadId: string): Promise<string[]> {
  const { rows } = await s.stack.db.query<{ answered_by: string }>(
    `SELECT answered_by FROM lead_offers WHERE lead_id = $1 AND status = 'accepted'`,
    [leadId],
  );
  return rows.map((r) => r.answered_by);
}

const answerRace: ScenarioDef = {
  id: 6,
  name: 'concurrent answers to one offer from many reps and channels',
  async run(stack, log, sizes) {
    const s = new Scenario(stack, this.name, log);
    const channels: Channel[] = ['api', 'link', 'signal'];

    // A first offer to one rep: everyone answers it, accepts and declines mixed.
    const first = await s.submit('web-form', hotLead(), `s6-${nextId()}`);
    if (!first) throw new Error('scenario 6: the lead was never accepted');
    await s.settle(120_000, told);
    const offer = await openOffer(s, first);
    const everyone = ['ana', 'ben', 'cai', 'dee', 'eli', 'fay', 'mgr', 'head'];
    const storm = Array.from({ length: sizes.answers }, (_, i) => ({
      repId: everyone[i % everyone.length] as string,
      channel: channels[i % channels.length] as Channel,
      action: i % 4 === 3 ? ('decline' as const) : ('accept' as const),
    }));
    const a = await answerStorm(s, first, offer.offerNumber, storm);
    const ownersA = await owners(s, first);
    s.notes.push(
      `first offer to ${offer.repIds.join(',')}: ${a.accepted.length} accepts answered yes (${a.accepted.join(', ') || 'a signal or a decline came first'}), ${a.refusedWithReason} answers refused with a reason, ${a.signals} signals; owner ${ownersA.join(',') || 'none (declined first)'}`,
    );
    // The owner's own repeated accepts are all answered yes (a retry gets its first answer); nobody else's may be.
    const winnersA = new Set(a.accepted.map((answer) => answer.split(' ')[0]));
    if (winnersA.size > 1 || ownersA.length > 1 || (winnersA.size === 1 && !winnersA.has(ownersA[0])))
      s.defects.push(`first offer: accepts answered yes for ${[...winnersA].join(',')}, owners ${ownersA.join(',')}`);
    if (ownersA.length === 1 && !offer.repIds.includes(ownersA[0] as string))
      s.defects.push(`first offer: owned by ${ownersA[0]}, to whom it was not offered`);
    for (const r of a.refusedWithoutReason) s.defects.push(`refused without a reason: ${r}`);

    // A catch-all offer anyone on the team may claim: claims race through the API, the claim page and signals,
    // and declines (which a catch-all offer does not take) are refused.
    const chat = await s.submit(
      'chat',
      {
        visitor: { name: 'Casey', email: `casey.${nextId()}@fabrikam.example` },
        transcript: [
          { from: 'visitor', text: 'We need help moving 40 servers to Azure before March. Budget approved.' },
        ],
      },
      `s6-${nextId()}`,
    );
    if (!chat) throw new Error('scenario 6: the chat was never accepted');
    await s.settle(120_000, ['catch-all'], [chat]);
    const queue = await openOffer(s, chat);
    const claimers = [...queue.repIds, 'ana', 'ben'];
    const claimChannels: Channel[] = ['api', 'claim', 'signal'];
    const claims = Array.from({ length: sizes.answers }, (_, i) => ({
      repId: claimers[i % claimers.length] as string,
      channel: claimChannels[i % claimChannels.length] as Channel,
      action: i % 5 === 4 ? ('decline' as const) : ('accept' as const),
    }));
    // A decline cannot go through the claim page: those go through the API.
    for (const c of claims) if (c.action === 'decline' && c.channel === 'claim') c.channel = 'api';
    const b = await answerStorm(s, chat, queue.offerNumber, claims);
    await sleep(2_000);
    const ownersB = await owners(s, chat);
    s.notes.push(
      `catch-all offer to ${queue.repIds.length} reps: ${b.accepted.length} claims answered yes (${b.accepted.join(', ') || 'a signal came first'}), ${b.refusedWithReason} answers refused with a reason, ${b.signals} signals; owner ${ownersB.join(',') || 'none'}`,
    );
    if (ownersB.length !== 1) s.defects.push(`catch-all offer: ${ownersB.length} owners (${ownersB.join(',')})`);
    const winnersB = new Set(b.accepted.map((answer) => answer.split(' ')[0]));
    if (winnersB.size > 1 || (winnersB.size === 1 && !winnersB.has(ownersB[0])))
      s.defects.push(`catch-all offer: claims answered yes for ${[...winnersB].join(',')}, owner ${ownersB.join(',')}`);
    for (const r of b.refusedWithoutReason) s.defects.push(`refused without a reason: ${r}`);
    await s.settle(60_000);
    return s.result();
  },
};

// ── 7 ────────────────────────────────────────────────────────────────────────────────────────

async function admin(s: Scenario, path: string): Promise<void> {
  const answer = await s.post(path, {}, {}, s.stack.adminToken);
  if (answer.status >= 300) throw new Error(`${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
}

const poisonedSteps: ScenarioDef = {
  id: 7,
  name: 'poisoned steps: a rep deactivated between routing and offering; a team with no members',
  async run(stack, log) {
    const s = new Scenario(stack, this.name, log);
    const leadId = await s.submit('web-form', hotLead(), `s7-${nextId()}`);
    if (!leadId) throw new Error('scenario 7: the lead was never accepted');
    await s.settle(120_000, told);
    const offer = await openOffer(s, leadId);
    // The routing plan named the next candidates already; they leave before their turn comes.
    const others = ['ana', 'ben', 'cai', 'dee', 'eli', 'fay'].filter((r) => !offer.repIds.includes(r));
    for (const rep of others) await admin(s, `/v1/admin/reps/${rep}/deactivate`);
    const [offered] = offer.repIds;
    const token = (await createRepToken(stack.db, offered as string)).token;
    const declined = await s.post(
      `/v1/offers/${leadId}.${offer.offerNumber}/decline`,
      { reason: 'not my area' },
      {},
      token,
    );
    s.notes.push(`${offered} declined (${declined.status}); ${others.length} next candidates deactivated`);
    await sleep(5_000);
    const after = await s.describe(leadId);
    s.notes.push(`then the lead was ${after?.leadStatus} (run ${after?.status})`);
    if (after?.leadStatus !== 'needs-attention')
      s.defects.push(`deactivated candidates: the lead is ${after?.leadStatus}`);
    for (const rep of others) await admin(s, `/v1/admin/reps/${rep}/activate`);

    // A policy rule that routes to a team with no members.
    const support = await s.submit(
      'web-form',
      {
        name: 'Robin',
        email: `robin.${nextId()}@tailspin.example`,
        company: 'Tailspin',
        message:
          'We are an existing customer: our support ticket about the broken backup job is still open, please help.',
      },
      `s7-${nextId()}`,
    );
    if (!support) throw new Error('scenario 7: the support lead was never accepted');
    await s.settle(120_000);
    const supportState = await s.describe(support);
    s.notes.push(`lead for the empty team: ${supportState?.leadStatus} (run ${supportState?.status})`);
    if (supportState?.leadStatus !== 'needs-attention')
      s.defects.push(`a team with no members: the lead is ${supportState?.leadStatus}`);
    return s.result();
  },
};

// ── 8 ────────────────────────────────────────────────────────────────────────────────────────

/** Intake → offer told (the mail server took the offer email), per hot lead, from Postgres. */
async function intakeToOfferMs(s: Scenario, leadIds: string[]): Promise<number[]> {
  const { rows } = await s.stack.db.query<{ ms: number }>(
    `SELECT extract(epoch FROM (o.told_at - sub.received_at)) * 1000 AS ms
       FROM lead_offers o
       JOIN lead_submissions sub ON sub.lead_id = o.lead_id AND sub.submission_id = o.lead_id
      WHERE o.lead_id = ANY($1) AND o.offer_number = 1 AND o.told_at IS NOT NULL`,
    [leadIds],
  );
  return rows.map((r) => Number(r.ms));
}

/**
 * Hot web-form leads, one every `everyMs`: each is accepted by its rep once told, as a rep answering a hot lead
 * would, so the stream measures speed to lead without piling up escalations of its own.
 */
async function hotStream(s: Scenario, count: number, everyMs: number, until?: () => boolean): Promise<string[]> {
  const ids: string[] = [];
  const pending: Array<Promise<unknown>> = [];
  for (let i = 0; until ? !until() : i < count; i++) {
    const n = nextId();
    pending.push(
      s.submit('web-form', hotLead(n), `s8-${n}`).then(async (id) => {
        if (!id) return;
        ids.push(id);
        await acceptOnceTold(s, id);
      }),
    );
    await sleep(everyMs);
  }
  await Promise.all(pending);
  return ids;
}

const repTokens = new Map<string, Promise<string>>();

async function acceptOnceTold(s: Scenario, leadId: string): Promise<void> {
  for (let waited = 0; waited < 120_000; waited += 250) {
    const { rows } = await s.stack.db.query<{ rep_ids: string[] }>(
      `SELECT rep_ids FROM lead_offers WHERE lead_id = $1 AND offer_number = 1 AND told_at IS NOT NULL AND status = 'open'`,
      [leadId],
    );
    const repId = rows[0]?.rep_ids[0];
    if (repId) {
      if (!repTokens.has(repId))
        repTokens.set(
          repId,
          createRepToken(s.stack.db, repId).then((t) => t.token),
        );
      const answer = await s.post(`/v1/offers/${leadId}.1/accept`, {}, {}, await repTokens.get(repId)!);
      if (answer.status !== 200) s.defects.push(`hot lead ${leadId}: accept answered ${answer.status}`);
      return;
    }
    await sleep(250);
  }
  s.defects.push(`hot lead ${leadId} was not told within 2 minutes`);
}

async function importPartnerLeads(s: Scenario, count: number, log: Log): Promise<string[]> {
  const batches = Array.from({ length: Math.ceil(count / 100) }, (_, b) =>
    Array.from({ length: Math.min(100, count - b * 100) }, () => partnerLead()),
  );
  const ids: string[] = [];
  await mapLimit(batches, 2, async (batch) => {
    ids.push(...(await s.submitBatch(batch)).filter(Boolean));
    if (ids.length % 2_000 === 0) log(`  import accepted: ${ids.length} of ${count}`);
  });
  return ids;
}

const burst: ScenarioDef = {
  id: 8,
  name: 'a partner import while hot web-form leads keep arriving',
  async run(stack, log, sizes) {
    const s = new Scenario(stack, this.name, log);
    // Warm-up, not measured: the first leads after a start pay for compiling code paths.
    await hotStream(s, 5, 500);
    const idle = await hotStream(s, sizes.hotLeads, 2_000);
    await s.settle(120_000, told);
    const idleMs = await intakeToOfferMs(s, idle);
    log(
      `  idle: ${idleMs.length} hot leads, p99 ${quantile(idleMs, 0.99).toFixed(0)} ms; importing ${sizes.importLeads}`,
    );
    // Hot leads keep arriving until the import is accepted and every imported lead has been offered.
    let importing = true;
    const started = Date.now();
    let acceptedSeconds = 0;
    const imported = importPartnerLeads(s, sizes.importLeads, log)
      .then(async (ids) => {
        acceptedSeconds = (Date.now() - started) / 1000;
        await s.settle(60 * 60_000, told, ids);
      })
      .finally(() => (importing = false));
    const during = await hotStream(s, 0, 2_000, () => !importing);
    await imported;
    const offeredSeconds = (Date.now() - started) / 1000;
    await s.settle(120_000, told);
    const busyMs = await intakeToOfferMs(s, during);
    const idleP99 = quantile(idleMs, 0.99);
    const busyP99 = quantile(busyMs, 0.99);
    s.notes.push(
      `hot intake→offer p99 idle ${idleP99.toFixed(0)} ms (${idleMs.length} leads), during the import ${busyP99.toFixed(0)} ms (${busyMs.length}); ${sizes.importLeads} imported leads accepted in ${acceptedSeconds.toFixed(0)} s, all offered in ${offeredSeconds.toFixed(0)} s`,
    );
    if (idleMs.length < idle.length || busyMs.length < during.length)
      s.defects.push('a hot lead was never told of (no offer email taken)');
    return s.result({ hotP99Ratio: busyP99 / idleP99 });
  },
};

// ── 9 ────────────────────────────────────────────────────────────────────────────────────────

const openLeads: ScenarioDef = {
  id: 9,
  name: 'thousands of open leads waiting on long SLAs',
  async run(stack, log, sizes) {
    const s = new Scenario(stack, this.name, log);
    const { rows } = await stack.db.query<{ id: string }>(
      `SELECT id FROM leads WHERE status = 'offered' AND source = 'partner-api' AND sla_deadline > now() + interval '1 hour'`,
    );
    const waiting = rows.map((r) => r.id);
    if (waiting.length < sizes.openLeads) {
      log(`  ${waiting.length} open; importing ${sizes.openLeads - waiting.length} more`);
      await s.settle(60 * 60_000, told, await importPartnerLeads(s, sizes.openLeads - waiting.length, log));
    }
    let peak = 0;
    for (let i = 0; i < 20; i++) {
      peak = Math.max(peak, stack.rssMb());
      await sleep(500);
    }
    const { rows: open } = await stack.db.query<{ id: string }>(
      `SELECT id FROM leads WHERE status = 'offered' AND source = 'partner-api' ORDER BY random() LIMIT 20`,
    );
    const timings: number[] = [];
    for (const { id } of open) {
      s.leadIds.add(id);
      const offer = await openOffer(s, id);
      const token = (await createRepToken(stack.db, offer.repIds[0] as string)).token;
      const t0 = Date.now();
      const answer = await s.post(`/v1/offers/${id}.${offer.offerNumber}/accept`, {}, {}, token);
      timings.push(Date.now() - t0);
      if (answer.status !== 200)
        s.defects.push(`accept of lead ${id}: ${answer.status} ${JSON.stringify(answer.body)}`);
      peak = Math.max(peak, stack.rssMb());
    }
    const openNow = waiting.length + s.leadIds.size;
    s.notes.push(
      `${Math.max(openNow, sizes.openLeads)} open leads; API + workers RSS peak ${peak.toFixed(0)} MB; 20 accepts p50 ${quantile(timings, 0.5)} ms, max ${Math.max(...timings)} ms`,
    );
    return s.result({ rssMb: peak });
  },
};

export const scenarios: ScenarioDef[] = [
  workerKills,
  temporalKill,
  postgresStop,
  smtpOutage,
  submissionStorms,
  answerRace,
  poisonedSteps,
  burst,
  openLeads,
];
