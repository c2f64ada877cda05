// Every path of the lead workflow, one test each, in milliseconds: the real workflow code on the time-skipping
// server with fake activities that model offers and deadlines in memory, return a scripted routing plan and record
// every call. No Postgres, SMTP or API here; the full-stack files beside this one keep those honest. With
// EXPORT_HISTORIES=1 (npm run export-histories) each path's history is written to test/histories, which
// test/replay.test.ts replays.
import { randomBytes } from 'node:crypto';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkerOptions, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Activities } from '../../activities';
import { activityNow } from '../../activities/clock';
import type { FirstTouchWait } from '../../activities/assign';
import type { OpenedOffer } from '../../activities/offers';
import type { LeadRoute } from '../../activities/route';
import type { LeadStatus, MergeNotice } from '../../src/lead';
import type { OfferView } from '../../src/offer';
import type { Qualification } from '../../src/qualification';
import { slaDeadline, type BusinessCalendar } from '../../src/routing/business-time';
import { catchAllReAlertDelayMs } from '../../src/routing/catch-all-alerts';
import type { OfferStage } from '../../src/routing/plan';
import { workflowsPath } from '../../workers/worker';
import { roundsPerRun, type leadWorkflow } from '../../workflows/lead';
import {
  acceptOffer,
  acceptSignal,
  declineOffer,
  declineSignal,
  firstTouchSignal,
  leadStateQuery,
  mergeSubmissionSignal,
  searchAttributes as sa,
  type LeadWorkflowInput,
  type OfferAnswer,
} from '../../workflows/messages';
import { exportHistory } from '../support/histories';
import { createTimeSkippingEnvironment, installQuietRuntime, quietLogger } from '../support/time-skipping';

const minutes = (n: number) => n * 60_000;
const days = (n: number) => n * 86_400_000;

// ── The script: one lead, its qualification, and the plan routing would make for it ────────────────────────

const hot: Qualification = {
  score: 82,
  tier: 'A',
  urgency: 'now',
  serviceLine: 'cloud-migration',
  spam: false,
  parts: [
    { points: 20, reason: 'business email domain (acme-corp.example)', kind: 'fit' },
    { points: 30, reason: 'wants it now', kind: 'intent' },
  ],
  fit: 20,
  intent: 30,
  timeline: null,
  confidence: { serviceLine: 0.9, urgency: 0.9, spam: 0.99 },
  reasons: [],
};

const spam: Qualification = { ...hot, score: 0, tier: 'C', spam: true, spamReason: 'sells SEO services', parts: [] };

function stage(kind: OfferStage['kind'], level: number, repIds: string[], ms: number, why: string): OfferStage {
  return { kind, level, repIds, sla: { ms, businessHours: null }, slaText: `${ms / 60_000} minutes`, why };
}

interface Plan {
  teamId: string;
  description: string;
  stages: OfferStage[];
  catchAll: OfferStage & { alertEmail: string };
}

const catchAllOf = (realertMs: number) => ({
  ...stage('catch-all', 3, ['mgr', 'head', 'ana', 'ben'], realertMs, 'catch-all queue: the whole chain let it pass'),
  alertEmail: 'sales-ops@leadrelay.test',
});

/** Ana then Ben for 5 minutes each, the manager for 15, the head of sales for 30, then the catch-all every hour. */
function cloudPlan(stages?: OfferStage[], catchAll = catchAllOf(minutes(60))): Plan {
  return {
    teamId: 'cloud',
    description: 'Default route → team Cloud (weighted round robin): ana, then ben; escalation mgr → head → catch-all.',
    stages: stages ?? [
      stage('candidate', 0, ['ana'], minutes(5), 'next in the rotation of Cloud'),
      stage('candidate', 0, ['ben'], minutes(5), 'after ana in the rotation of Cloud'),
      stage('escalation', 1, ['mgr'], minutes(15), 'escalation level 1'),
      stage('escalation', 2, ['head'], minutes(30), 'escalation level 2'),
    ],
    catchAll,
  };
}

type ActivityName = keyof Activities;
type InputOf<K extends ActivityName> = Parameters<Activities[K]>[0];
interface Call {
  name: ActivityName;
  input: unknown;
}

interface Script {
  qualification?: Qualification;
  plan?: Plan;
  /** Every call of these activities fails in a way retrying cannot cure. */
  poisoned?: ActivityName | ActivityName[];
  /** The offer email fails for good, but only once this settles (the rep may answer meanwhile). */
  offerEmailFailsAfter?: Promise<void>;
  /** ...and with a refusal retrying may cure (the mail server is down), not a final one. */
  offerEmailFailureRetryable?: boolean;
  /** The mail server refuses every email until this moment (server time). */
  mailDownUntilMs?: number;
  /** ...but only from this offer on (earlier offers are told). */
  mailDownFromOffer?: number;
  /** The offered rep was deleted between routing and offering. */
  repGone?: boolean;
  /** The owner's first-touch SLA (wall-clock), steps one SLA apart, and how long the last is watched. */
  firstTouch?: { slaMs: number; reoffer: boolean; watchMs?: number };
  /** A first touch Postgres holds (its signal lost on the way), found by the first-touch step with this index. */
  touchedInPostgresAtStep?: number;
}

// ── Fake activities: the real Activities type, offers and deadlines kept in memory, every call recorded ──────

const outline = ({ kind, level, repIds }: OfferStage) => ({ kind, level, repIds });

class FakeLead {
  readonly calls: Call[] = [];
  readonly activities: Activities;
  /** The stage each offer was opened under, by offer number. */
  readonly offers = new Map<number, OfferStage>();
  /** The first-touch plan the last assignment returned. */
  firstTouch: FirstTouchWait | null = null;
  private waiting: Array<{ matches: (call: Call) => boolean; resolve: (call: Call) => void }> = [];

  constructor(readonly script: Script) {
    const plan = script.plan ?? cloudPlan();
    const open = (offerNumber: number, s: OfferStage, at: string, status?: LeadStatus): OpenedOffer => {
      this.offers.set(offerNumber, s);
      const offer: OfferView = { offerNumber, ...outline(s), offeredAt: at, deadline: null, outcome: 'open' };
      const deadline = new Date(Date.parse(at) + minutes(5)).toISOString();
      return { offer, status: status ?? (s.kind === 'catch-all' ? 'catch-all' : 'notifying'), deadline };
    };
    const firstTouchPlan = (at: string): FirstTouchWait => {
      const { slaMs, reoffer, watchMs = days(60) } = script.firstTouch!;
      const kinds = reoffer
        ? (['nudge-owner', 'tell-manager', 'reoffer'] as const)
        : (['nudge-owner', 'tell-manager'] as const);
      const iso = (ms: number) => new Date(Date.parse(at) + ms).toISOString();
      return {
        assignedAt: at,
        dueAt: iso(slaMs),
        slaText: `${slaMs / 60_000} minutes`,
        steps: kinds.map((kind, i) => ({ kind, at: iso(slaMs * (i + 1)) })),
        watchUntil: iso(watchMs),
      };
    };
    const on =
      <K extends ActivityName>(
        name: K,
        result: (input: InputOf<K>) => Awaited<ReturnType<Activities[K]>> | ReturnType<Activities[K]>,
      ) =>
      (input: InputOf<K>) => {
        this.record({ name, input });
        if ([script.poisoned].flat().includes(name))
          throw ApplicationFailure.nonRetryable(`${name} is poisoned for this test`, 'Poisoned');
        if (name === 'notifyOffer' && script.offerEmailFailsAfter)
          return script.offerEmailFailsAfter.then(() => {
            if (script.offerEmailFailureRetryable)
              throw ApplicationFailure.retryable('connect ECONNREFUSED 127.0.0.1:1025', 'MailServerDown');
            throw ApplicationFailure.nonRetryable('550 mailbox unavailable', 'MailRefused');
          });
        return Promise.resolve(result(input));
      };
    this.activities = {
      receiveLead: on('receiveLead', () => ({
        source: 'web-form',
        match: 'new contact',
        qualification: script.qualification ?? hot,
      })),
      recordMergedSubmission: on('recordMergedSubmission', () => undefined),
      recordIgnoredSignal: on('recordIgnoredSignal', () => undefined),
      routeLead: on('routeLead', ({ at }): LeadRoute => {
        const first = plan.stages[0];
        return {
          teamId: plan.teamId,
          description: plan.description,
          stages: plan.stages.map(outline),
          catchAll: outline(plan.catchAll),
          firstOffer: first ? open(1, first, at) : null,
        };
      }),
      openOffer: on('openOffer', ({ offerNumber, stage: s, at }) =>
        open(offerNumber, s === 'catch-all' ? plan.catchAll : plan.stages[s]!, at),
      ),
      notifyOffer: on('notifyOffer', async ({ offerNumber }) => {
        // The test server's clock, as the real step is given: its first try runs in the worker, whose own clock
        // lags the time the test skipped to.
        const told = await env.currentTimeMs();
        if (script.repGone) throw ApplicationFailure.nonRetryable('rep ana is not in the directory', 'UnknownRep');
        const mailDown = script.mailDownUntilMs !== undefined && told < script.mailDownUntilMs;
        if (mailDown && offerNumber >= (script.mailDownFromOffer ?? 1))
          throw ApplicationFailure.retryable('connect ECONNREFUSED 127.0.0.1:1025', 'MailServerDown');
        const { sla } = this.offers.get(offerNumber)!;
        return {
          toldAt: new Date(told).toISOString(),
          deadline: new Date(slaDeadline(told, sla)).toISOString(),
          remindAt: new Date(slaDeadline(told, { ...sla, ms: sla.ms / 2 })).toISOString(),
        };
      }),
      remindOffer: on('remindOffer', () => activityNow().toISOString()),
      assignLead: on('assignLead', ({ at }) => {
        this.firstTouch = script.firstTouch ? firstTouchPlan(at) : null;
        return { firstTouch: this.firstTouch };
      }),
      remindFirstTouch: on('remindFirstTouch', ({ step }) =>
        script.touchedInPostgresAtStep === step
          ? { touchedAt: activityNow().toISOString() }
          : { touchedAt: null, sentAt: activityNow().toISOString() },
      ),
      reofferUntouched: on('reofferUntouched', ({ offerNumber, repId, at, plan: { steps } }) =>
        script.touchedInPostgresAtStep === steps.length - 1
          ? { touchedAt: activityNow().toISOString() }
          : {
              touchedAt: null,
              opened: open(
                offerNumber,
                { ...plan.catchAll, why: `offered again: ${repId} reported no first touch` },
                at,
              ),
            },
      ),
      noteFirstTouch: on('noteFirstTouch', () => undefined),
      flagNeedsAttention: on('flagNeedsAttention', ({ offerNumber, at }) =>
        open(offerNumber, plan.catchAll, at, 'needs-attention'),
      ),
      alertCatchAll: on('alertCatchAll', ({ offerNumber, round }) => {
        const alertedAt = activityNow().getTime();
        const offer = this.offers.get(offerNumber);
        if (!offer) throw ApplicationFailure.nonRetryable(`lead has no offer ${offerNumber}`, 'UnknownOffer');
        const { sla } = offer;
        return {
          alertedAt: new Date(alertedAt).toISOString(),
          nextAlertAt: new Date(alertedAt + catchAllReAlertDelayMs(sla.ms, round)).toISOString(),
        };
      }),
    };
  }

  names(): ActivityName[] {
    return this.calls.map((c) => c.name);
  }

  /** The inputs of every call to one activity, in order. */
  inputs<K extends ActivityName>(name: K): Array<InputOf<K>> {
    return this.calls.filter((c) => c.name === name).map((c) => c.input as InputOf<K>);
  }

  /** The first call to `name` whose input matches, made already or still to come. */
  async called<K extends ActivityName>(
    name: K,
    matches: (input: InputOf<K>) => boolean = () => true,
  ): Promise<InputOf<K>> {
    const fits = (c: Call) => c.name === name && matches(c.input as InputOf<K>);
    const made = this.calls.find(fits);
    if (made) return made.input as InputOf<K>;
    let timer: NodeJS.Timeout | undefined;
    const call = new Promise<Call>((resolve, reject) => {
      this.waiting.push({ matches: fits, resolve });
      timer = setTimeout(
        () => reject(new Error(`${name} was not called as expected; calls: ${this.names().join(', ')}`)),
        10_000,
      );
    });
    try {
      return (await call).input as InputOf<K>;
    } finally {
      clearTimeout(timer);
    }
  }

  private record(call: Call): void {
    this.calls.push(call);
    for (const w of this.waiting.filter((w) => w.matches(call))) w.resolve(call);
    this.waiting = this.waiting.filter((w) => !w.matches(call));
  }
}

// ── One environment, one bundle and one worker for the file; each lead has fakes of its own ─────────────────

const taskQueue = 'lead-paths';
const fakes = new Map<string, FakeLead>();
const activityNames = Object.keys(new FakeLead({}).activities) as ActivityName[];
/** Every activity input names its lead: the call goes to that lead's fakes. */
const activities = Object.fromEntries(
  activityNames.map((name) => [
    name,
    (input: { leadId: string }) => {
      const fake = fakes.get(input.leadId);
      if (!fake) throw new Error(`no fakes for lead ${input.leadId}`);
      return (fake.activities[name] as (input: unknown) => Promise<unknown>)(input);
    },
  ]),
) as unknown as Activities; // every name, as the fake's own Activities object has them all

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
let worker: Worker;
let workerStopped: Promise<void>;
beforeAll(async () => {
  installQuietRuntime();
  env = await createTimeSkippingEnvironment();
  bundle = await bundleWorkflowCode({ workflowsPath, logger: quietLogger });
  worker = await createWorker(taskQueue);
  workerStopped = worker.run();
});
afterAll(async () => {
  worker?.shutdown();
  await workerStopped;
  await env?.teardown();
});

function createWorker(queue: string, options: Partial<WorkerOptions> = {}): Promise<Worker> {
  return Worker.create({
    connection: env.nativeConnection,
    taskQueue: queue,
    workflowBundle: bundle,
    activities,
    ...options,
  });
}

// A lead a failed test leaves running would fire its timers into the queue later, and the server does not skip
// time while a workflow task waits for a worker: every later env.sleep() could then take real minutes.
const started: Array<WorkflowHandle<typeof leadWorkflow>> = [];
afterEach(async () => {
  for (const handle of started.splice(0)) await handle.terminate('test over').catch(() => undefined);
  fakes.clear();
});

interface Lead {
  leadId: string;
  taskQueue: string;
  handle: WorkflowHandle<typeof leadWorkflow>;
  /** The run the lead started in: the first of its chain when it continues as new. */
  firstRunId: string;
  fake: FakeLead;
  receivedAt: string;
}

/**
 * Starts a lead's workflow on the file's worker (or on `taskQueue`, for a test that runs workers of its own).
 * A `merged` submission is signalled with the start, so it arrives before the lead is recorded.
 */
async function startLead(
  script: Script = {},
  {
    taskQueue: queue = taskQueue,
    merged,
    receivedAt,
  }: { taskQueue?: string; merged?: MergeNotice; receivedAt?: string } = {},
): Promise<Lead> {
  const leadId = randomBytes(12).toString('hex');
  const fake = new FakeLead(script);
  fakes.set(leadId, fake);
  const input: LeadWorkflowInput = {
    leadId,
    receivedAt: receivedAt ?? new Date(await env.currentTimeMs()).toISOString(),
  };
  const options = {
    workflowId: `lead:${leadId}`,
    taskQueue: queue,
    args: [input] as [LeadWorkflowInput],
    typedSearchAttributes: [
      { key: sa.LeadStatus, value: 'received' },
      { key: sa.SlaDeadline, value: new Date(Date.parse(input.receivedAt) + minutes(5)) },
    ],
  };
  let handle: WorkflowHandle<typeof leadWorkflow>;
  let firstRunId: string;
  if (merged) {
    const h = await env.client.workflow.signalWithStart<typeof leadWorkflow, [MergeNotice]>('leadWorkflow', {
      ...options,
      signal: mergeSubmissionSignal,
      signalArgs: [merged],
    });
    [handle, firstRunId] = [h, h.signaledRunId];
  } else {
    const h = await env.client.workflow.start<typeof leadWorkflow>('leadWorkflow', options);
    [handle, firstRunId] = [h, h.firstExecutionRunId];
  }
  started.push(handle);
  return { leadId, taskQueue: queue, handle, firstRunId, fake, receivedAt: input.receivedAt };
}

const accept = (lead: Lead, a: OfferAnswer) => lead.handle.executeUpdate(acceptOffer, { args: [a] });
const decline = (lead: Lead, a: OfferAnswer) => lead.handle.executeUpdate(declineOffer, { args: [a] });

/** The offer once its rep was told: the workflow's view of it, with its deadline. */
async function told(lead: Lead, offerNumber: number) {
  await lead.fake.called('notifyOffer', (n) => n.offerNumber === offerNumber);
  for (let i = 0; i < 400; i++) {
    const offer = (await lead.handle.query(leadStateQuery)).offers[offerNumber - 1];
    if (offer?.deadline) return offer as OfferView & { deadline: string; toldAt: string };
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`offer ${offerNumber} was never told`);
}

/** What the rep is told when the workflow refuses their answer: the failure's type and message. */
async function refusalOf(update: Promise<unknown>): Promise<{ type: string | null | undefined; message: string }> {
  try {
    await update;
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure)
      return { type: err.cause.type, message: err.cause.message };
    throw err;
  }
  throw new Error('the answer was taken, not refused');
}

async function searchAttributesOf(lead: Lead) {
  const { typedSearchAttributes: attrs } = await lead.handle.describe();
  return {
    status: attrs.get(sa.LeadStatus),
    offeredRep: attrs.get(sa.OfferedRep),
    assignedRep: attrs.get(sa.AssignedRep),
    escalationLevel: attrs.get(sa.EscalationLevel),
    team: attrs.get(sa.Team),
    tier: attrs.get(sa.LeadTier),
    slaDeadline: attrs.get(sa.SlaDeadline)?.toISOString() ?? null,
  };
}

/**
 * How long after `from` an event at `at` happened; never negative when the workflow keeps its times. The server's
 * clock runs on between a timer firing and the workflow task that acts on it, so events land just after their due
 * time, not on it.
 */
function msAfter(from: string, at: string | undefined | null): number {
  const ms = Date.parse(at ?? '') - Date.parse(from);
  if (!(ms >= 0)) throw new Error(`${at} is not at or after ${from}`);
  return ms;
}
const tolerance = 5_000;

const outcomesOf = async (lead: Lead) =>
  (await lead.handle.query(leadStateQuery)).offers.map((o) => [o.offerNumber, o.repIds.join(','), o.outcome]);

async function historyOf(lead: Lead, runId?: string) {
  return await env.client.workflow.getHandle(lead.handle.workflowId, runId).fetchHistory();
}

// ── The paths ────────────────────────────────────────────────────────────────────────────────────────────────

test('accepted on the first offer: four steps before the rep is told, the SLA counts from then, under 40 events', async () => {
  const lead = await startLead();
  const offer = await told(lead, 1);
  expect(Date.parse(offer.deadline) - Date.parse(offer.toldAt)).toBe(minutes(5));
  expect(await searchAttributesOf(lead)).toEqual({
    status: 'offered',
    offeredRep: 'ana',
    assignedRep: undefined,
    escalationLevel: 0,
    team: 'cloud',
    tier: 'A',
    slaDeadline: offer.deadline,
  });

  expect(await accept(lead, { offerNumber: 1, repId: 'ana' })).toEqual({
    leadId: lead.leadId,
    owner: 'ana',
    offerNumber: 1,
  });
  expect(await lead.handle.result()).toEqual({ leadId: lead.leadId, status: 'assigned', owner: 'ana', offers: 1 });
  expect(lead.fake.names()).toEqual(['receiveLead', 'routeLead', 'notifyOffer', 'assignLead']);
  expect(lead.fake.inputs('assignLead')).toMatchObject([{ leadId: lead.leadId, offerNumber: 1, repId: 'ana' }]);
  // Ids only: no step is handed the person's name, email or words.
  expect(JSON.stringify(lead.fake.calls)).not.toMatch(/Priya|acme-corp|AWS/);

  const described = await lead.handle.describe();
  expect(await searchAttributesOf(lead)).toMatchObject({ status: 'assigned', assignedRep: 'ana', slaDeadline: null });
  expect(described.memo).toEqual({
    summary: 'web-form lead, tier A (82), cloud-migration — assigned to ana',
    routing: cloudPlan().description,
  });
  const events = (await historyOf(lead)).events ?? [];
  expect(events.length).toBeLessThanOrEqual(40);
  // Every step, the email too, ran in the workflow's own tasks: no activity went through the server, and the
  // lead showed each state once (offered, then assigned), never `notifying` for an email that went out at once.
  expect(events.filter((e) => e.activityTaskScheduledEventAttributes)).toEqual([]);
  expect(events.filter((e) => e.upsertWorkflowSearchAttributesEventAttributes)).toHaveLength(2);
  await exportHistory('accepted-first-offer', lead.handle);
});

test('declined, then the next rep is offered and accepts; the decline is closed in the step that opens offer 2', async () => {
  const lead = await startLead();
  await told(lead, 1);
  expect(await decline(lead, { offerNumber: 1, repId: 'ana', reason: 'on a customer visit' })).toEqual({
    leadId: lead.leadId,
    offerNumber: 1,
  });
  const opened = await lead.fake.called('openOffer', (o) => o.offerNumber === 2);
  expect(opened).toMatchObject({
    stage: 1,
    closing: { offerNumber: 1, outcome: 'declined', answeredBy: 'ana', reason: 'on a customer visit' },
  });
  await told(lead, 2);
  await accept(lead, { offerNumber: 2, repId: 'ben' });
  expect(await lead.handle.result()).toMatchObject({ status: 'assigned', owner: 'ben', offers: 2 });
  expect(await outcomesOf(lead)).toEqual([
    [1, 'ana', 'declined'],
    [2, 'ben', 'accepted'],
  ]);
  await exportHistory('declined-then-next-rep', lead.handle);
});

test('SLA timeout, then the next rep; the silent rep was reminded half way', async () => {
  const lead = await startLead();
  const first = await told(lead, 1);
  await env.sleep(minutes(5) + 1_000);
  const opened = await lead.fake.called('openOffer', (o) => o.offerNumber === 2);
  expect(opened.closing).toMatchObject({ offerNumber: 1, outcome: 'timed-out', answeredBy: null, reason: null });
  expect(msAfter(first.deadline, opened.closing?.at)).toBeLessThan(tolerance);
  await told(lead, 2);
  await accept(lead, { offerNumber: 2, repId: 'ben' });
  expect(await lead.handle.result()).toMatchObject({ status: 'assigned', owner: 'ben', offers: 2 });
  expect(await outcomesOf(lead)).toEqual([
    [1, 'ana', 'timed-out'],
    [2, 'ben', 'accepted'],
  ]);
  expect(lead.fake.inputs('remindOffer').map((r) => r.offerNumber)).toEqual([1]);
  await exportHistory('timeout-then-next-rep', lead.handle);
});

test('half way through the SLA a silent rep is reminded once, with the same offer', async () => {
  const lead = await startLead();
  const offer = await told(lead, 1);
  await env.sleep(minutes(2.5) + 1_000);
  await lead.fake.called('remindOffer');
  let view = await lead.handle.query(leadStateQuery);
  for (let i = 0; i < 100 && !view.currentOffer?.remindedAt; i++) view = await lead.handle.query(leadStateQuery);
  expect(msAfter(offer.toldAt, view.currentOffer?.remindedAt) - minutes(2.5)).toBeLessThan(tolerance);
  await accept(lead, { offerNumber: 1, repId: 'ana' });
  expect(await lead.handle.result()).toMatchObject({ owner: 'ana', offers: 1 });
  expect(lead.fake.inputs('remindOffer')).toEqual([{ leadId: lead.leadId, offerNumber: 1 }]);
  await exportHistory('reminded-then-accepted', lead.handle);
});

test('all reps exhausted, then the manager: escalated at level 1 with its own SLA', async () => {
  const lead = await startLead();
  await told(lead, 1);
  await decline(lead, { offerNumber: 1, repId: 'ana', reason: 'full week' });
  await told(lead, 2);
  await env.sleep(minutes(5) + 1_000);
  const escalated = await told(lead, 3);
  expect(escalated).toMatchObject({ kind: 'escalation', level: 1, repIds: ['mgr'] });
  expect(Date.parse(escalated.deadline) - Date.parse(escalated.toldAt)).toBe(minutes(15));
  expect(await lead.handle.query(leadStateQuery)).toMatchObject({ status: 'escalated', escalationLevel: 1 });
  expect(await searchAttributesOf(lead)).toMatchObject({ status: 'escalated', escalationLevel: 1, offeredRep: 'mgr' });

  await accept(lead, { offerNumber: 3, repId: 'mgr' });
  expect(await lead.handle.result()).toMatchObject({ status: 'assigned', owner: 'mgr', offers: 3 });
  expect(await outcomesOf(lead)).toEqual([
    [1, 'ana', 'declined'],
    [2, 'ben', 'timed-out'],
    [3, 'mgr', 'accepted'],
  ]);
  await exportHistory('reps-exhausted-then-manager', lead.handle);
});

/** Both reps decline, which brings the lead to the manager at level 1 as offer 3. */
async function declineBothReps(lead: Lead): Promise<void> {
  await told(lead, 1);
  await decline(lead, { offerNumber: 1, repId: 'ana', reason: 'busy' });
  await told(lead, 2);
  await decline(lead, { offerNumber: 2, repId: 'ben', reason: 'busy' });
  await told(lead, 3);
}

test('manager timeout, then the next level of the chain with its own SLA', async () => {
  const lead = await startLead();
  await declineBothReps(lead);
  await env.sleep(minutes(15) + 1_000);
  const level2 = await told(lead, 4);
  expect(level2).toMatchObject({ kind: 'escalation', level: 2, repIds: ['head'] });
  expect(Date.parse(level2.deadline) - Date.parse(level2.toldAt)).toBe(minutes(30));
  expect(await searchAttributesOf(lead)).toMatchObject({ status: 'escalated', escalationLevel: 2, offeredRep: 'head' });
  await accept(lead, { offerNumber: 4, repId: 'head' });
  expect(await lead.handle.result()).toMatchObject({ status: 'assigned', owner: 'head', offers: 4 });
  expect(await outcomesOf(lead)).toEqual([
    [1, 'ana', 'declined'],
    [2, 'ben', 'declined'],
    [3, 'mgr', 'timed-out'],
    [4, 'head', 'accepted'],
  ]);
  await exportHistory('manager-timeout-then-next-level', lead.handle);
});

test('chain exhausted: one catch-all offer, alerted and re-alerted with backing off, until someone claims it', async () => {
  const lead = await startLead();
  await declineBothReps(lead);
  await env.sleep(minutes(15) + 1_000);
  await told(lead, 4);
  await env.sleep(minutes(30) + 1_000);

  const round1 = await lead.fake.called('alertCatchAll', (a) => a.round === 1);
  expect(round1).toEqual({ leadId: lead.leadId, offerNumber: 5, round: 1 });
  const parked = await lead.handle.query(leadStateQuery);
  expect(parked).toMatchObject({ status: 'catch-all', escalationLevel: 3 });
  expect(parked.currentOffer).toMatchObject({
    offerNumber: 5,
    kind: 'catch-all',
    repIds: ['mgr', 'head', 'ana', 'ben'],
  });
  // In the queue nobody is singled out, and nobody may decline.
  expect(await searchAttributesOf(lead)).toMatchObject({
    status: 'catch-all',
    offeredRep: undefined,
    escalationLevel: 3,
  });
  expect(await refusalOf(decline(lead, { offerNumber: 5, repId: 'ana', reason: 'no' }))).toEqual({
    type: 'NotDeclinable',
    message: 'a lead in the catch-all queue can be claimed, not declined',
  });

  // An hour, then two: each unanswered alert doubles the wait for the next.
  await env.sleep(minutes(60) + 1_000);
  await lead.fake.called('alertCatchAll', (a) => a.round === 2);
  await env.sleep(minutes(60) + 1_000);
  expect(lead.fake.inputs('alertCatchAll')).toHaveLength(2);
  await env.sleep(minutes(60));
  await lead.fake.called('alertCatchAll', (a) => a.round === 3);

  expect(await accept(lead, { offerNumber: 5, repId: 'ben' })).toMatchObject({ owner: 'ben', offerNumber: 5 });
  expect(await lead.handle.result()).toMatchObject({ status: 'assigned', owner: 'ben', offers: 5 });
  expect(lead.fake.inputs('alertCatchAll').map((a) => [a.round, a.offerNumber])).toEqual([
    [1, 5],
    [2, 5],
    [3, 5],
  ]);
  // The catch-all has its re-alerts instead of reminders.
  expect(lead.fake.inputs('remindOffer').map((r) => r.offerNumber)).toEqual([3, 4]);
  await exportHistory('chain-exhausted-catch-all', lead.handle);
});

test('90 days unclaimed at a 1-minute re-alert: every run stays small, the lead is claimable throughout, then claimed', async () => {
  const lead = await startLead({ plan: cloudPlan([], catchAllOf(minutes(1))) });
  await lead.fake.called('alertCatchAll');
  for (let day = 0; day < 90; day += 15) {
    await env.sleep(days(15));
    const view = await lead.handle.query(leadStateQuery);
    expect(view).toMatchObject({ status: 'catch-all', owner: null });
    expect(view.currentOffer).toMatchObject({ offerNumber: 1, kind: 'catch-all', outcome: 'open' });
    expect(Date.parse(view.deadline ?? '')).toBeGreaterThan(await env.currentTimeMs());
    expect(await searchAttributesOf(lead)).toMatchObject({ status: 'catch-all', team: 'cloud' });
  }
  expect(await accept(lead, { offerNumber: 1, repId: 'head' })).toMatchObject({ owner: 'head' });
  expect(await lead.handle.result()).toMatchObject({ status: 'assigned', owner: 'head', offers: 1 });

  // Walk the chain of runs from the first: each continued as new, small, and the last one assigned the lead.
  const runs: Array<{ events: number; bytes: number }> = [];
  for (let runId: string | undefined = lead.firstRunId; runId;) {
    const history = await historyOf(lead, runId);
    const events = history.events ?? [];
    runs.push({ events: events.length, bytes: temporal.api.history.v1.History.encode(history).finish().length });
    runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  const alerts = lead.fake.inputs('alertCatchAll').length;
  expect(alerts).toBeGreaterThan(500); // every four hours for 90 days, after the first doublings
  expect(runs.length).toBeGreaterThanOrEqual(Math.floor(alerts / roundsPerRun));
  for (const run of runs) {
    expect(run.events).toBeLessThan(2_000);
    expect(run.bytes).toBeLessThan(1_000_000);
  }
  await exportHistory('catch-all-continued-as-new', lead.handle);
}, 300_000);

test('a late accept after the SLA is refused as stale and changes nothing', async () => {
  const lead = await startLead();
  const first = await told(lead, 1);
  await env.sleep(minutes(5) + 1_000);
  await told(lead, 2);
  expect(await refusalOf(accept(lead, { offerNumber: 1, repId: 'ana' }))).toEqual({
    type: 'StaleOffer',
    message: `offer 1 is closed: it expired at ${first.deadline}`,
  });
  expect(await lead.handle.query(leadStateQuery)).toMatchObject({
    status: 'offered',
    owner: null,
    currentOffer: { offerNumber: 2 },
  });
  await accept(lead, { offerNumber: 2, repId: 'ben' });
  expect(await lead.handle.result()).toMatchObject({ owner: 'ben', offers: 2 });
  await exportHistory('late-accept-refused', lead.handle);
});

test('an accept from a rep the offer was not made to is refused; so are offers never made and malformed answers', async () => {
  const lead = await startLead();
  await told(lead, 1);
  expect(await refusalOf(accept(lead, { offerNumber: 1, repId: 'ben' }))).toEqual({
    type: 'NotOfferedToRep',
    message: 'offer 1 was not made to ben',
  });
  expect(await refusalOf(decline(lead, { offerNumber: 1, repId: 'mgr', reason: 'x' }))).toMatchObject({
    type: 'NotOfferedToRep',
  });
  expect(await refusalOf(accept(lead, { offerNumber: 7, repId: 'ana' }))).toEqual({
    type: 'UnknownOffer',
    message: `lead ${lead.leadId} has no offer 7`,
  });
  expect(await refusalOf(accept(lead, { offerNumber: '1', repId: 'ana' } as unknown as OfferAnswer))).toMatchObject({
    type: 'MalformedAnswer',
  });
  expect(await lead.handle.query(leadStateQuery)).toMatchObject({ owner: null, currentOffer: { offerNumber: 1 } });
  await accept(lead, { offerNumber: 1, repId: 'ana' });
  expect(await lead.handle.result()).toMatchObject({ owner: 'ana', offers: 1 });
  // A refused Update leaves no trace in the history: only ana's accept is there.
  const history = await lead.handle.fetchHistory();
  expect(history.events?.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toHaveLength(1);
  await exportHistory('foreign-accept-refused', lead.handle);
});

test('an answer to an offer already closed by a decline is refused as stale', async () => {
  const lead = await startLead();
  await told(lead, 1);
  await decline(lead, { offerNumber: 1, repId: 'ana', reason: 'busy' });
  await told(lead, 2);
  const stale = { type: 'StaleOffer', message: 'offer 1 is closed: it was declined by ana' };
  expect(await refusalOf(accept(lead, { offerNumber: 1, repId: 'ana' }))).toEqual(stale);
  expect(await refusalOf(decline(lead, { offerNumber: 1, repId: 'ana', reason: 'again' }))).toEqual(stale);
  await accept(lead, { offerNumber: 2, repId: 'ben' });
  expect(await lead.handle.result()).toMatchObject({ owner: 'ben', offers: 2 });
  await exportHistory('stale-accept-refused', lead.handle);
});

async function timersStarted(lead: Lead): Promise<number> {
  const history = await lead.handle.fetchHistory();
  return history.events?.filter((e) => e.timerStartedEventAttributes).length ?? 0;
}

test('an accept and the SLA timer at the same instant: the timeout wins, the accept is refused as expired', async () => {
  // This lead has workers of its own, none running while the deadline passes. The first keeps no workflow cache,
  // so the second finds the lead's next task on the task queue rather than on the first one's sticky queue.
  const lead = await startLead({}, { taskQueue: `lead-paths-own-${randomBytes(4).toString('hex')}` });
  const offered = await (
    await createWorker(lead.taskQueue, { maxCachedWorkflows: 0 })
  ).runUntil(async () => {
    const offer = await told(lead, 1);
    await env.sleep(minutes(2.5) + 1_000);
    await lead.fake.called('remindOffer');
    // Wait for the deadline's timer, started once the reminder is out.
    for (let i = 0; i < 200 && (await timersStarted(lead)) < 2; i++) await new Promise((r) => setTimeout(r, 25));
    return offer;
  });

  // With no worker running, the deadline passes: its timer fires, and ana's accept arrives in the same task.
  await env.sleep(Date.parse(offered.deadline) - (await env.currentTimeMs()));
  const atDeadline = refusalOf(accept(lead, { offerNumber: 1, repId: 'ana' }));
  await (
    await createWorker(lead.taskQueue)
  ).runUntil(async () => {
    expect(await atDeadline).toEqual({ type: 'StaleOffer', message: `offer 1 expired at ${offered.deadline}` });
    await told(lead, 2);
    await accept(lead, { offerNumber: 2, repId: 'ben' });
    expect(await lead.handle.result()).toMatchObject({ owner: 'ben', offers: 2 });
  });
  expect(lead.fake.inputs('openOffer')[0]?.closing).toMatchObject({ offerNumber: 1, outcome: 'timed-out' });
  await exportHistory('accept-at-deadline-refused', lead.handle);
});

test('signals: a stale or foreign one is ignored with its reason recorded; a valid one decides', async () => {
  const lead = await startLead();
  await told(lead, 1);
  await lead.handle.signal(acceptSignal, { offerNumber: 1, repId: 'mallory' });
  await lead.fake.called('recordIgnoredSignal');
  const view = await lead.handle.query(leadStateQuery);
  expect(view.ignoredSignals).toMatchObject([
    { signal: 'accept', answer: { offerNumber: 1, repId: 'mallory' }, reason: 'offer 1 was not made to mallory' },
  ]);
  expect(view.currentOffer?.offerNumber).toBe(1);

  await lead.handle.signal(declineSignal, { offerNumber: 1, repId: 'ana', reason: 'via CRM' });
  await told(lead, 2);
  await lead.handle.signal(acceptSignal, { offerNumber: 1, repId: 'ana' });
  await lead.handle.signal(acceptSignal, { offerNumber: 2, repId: 'ben' });
  expect(await lead.handle.result()).toMatchObject({ owner: 'ben', offers: 2 });
  expect(lead.fake.inputs('recordIgnoredSignal').map((d) => [d.number, d.summary])).toEqual([
    [1, 'accept signal from mallory for offer 1 ignored: offer 1 was not made to mallory'],
    [2, 'accept signal from ana for offer 1 ignored: offer 1 is closed: it was declined by ana'],
  ]);
  expect(lead.fake.inputs('openOffer')[0]?.closing).toMatchObject({
    offerNumber: 1,
    outcome: 'declined',
    reason: 'via CRM',
  });
  await exportHistory('signals-stale-ignored', lead.handle);
});

test('spam is thrown out with its reason and never routed or offered', async () => {
  const lead = await startLead({ qualification: spam });
  expect(await lead.handle.result()).toEqual({ leadId: lead.leadId, status: 'rejected-spam', owner: null, offers: 0 });
  expect(lead.fake.names()).toEqual(['receiveLead']);
  expect(await searchAttributesOf(lead)).toMatchObject({ status: 'rejected-spam', team: undefined, slaDeadline: null });
  await exportHistory('spam-rejected', lead.handle);
});

test('merged submissions: one sent before the lead is recorded waits for it; later ones join once', async () => {
  const chat = (n: number): MergeNotice => ({
    submissionId: `chat-${n}`,
    source: 'chat',
    receivedAt: new Date(Date.parse('2025-03-10T09:00:00Z') + n * 60_000).toISOString(),
  });
  const lead = await startLead({}, { merged: chat(1) });
  await told(lead, 1);
  await lead.handle.signal(mergeSubmissionSignal, chat(2));
  await lead.handle.signal(mergeSubmissionSignal, chat(2)); // intake resending a merge it was unsure of
  await lead.fake.called('recordMergedSubmission', (m) => m.submissionId === 'chat-2');
  expect((await lead.handle.query(leadStateQuery)).merged).toEqual([chat(1), chat(2)]);
  await accept(lead, { offerNumber: 1, repId: 'ana' });
  expect(await lead.handle.result()).toMatchObject({ owner: 'ana' });
  expect(lead.fake.inputs('recordMergedSubmission')).toEqual([
    { leadId: lead.leadId, submissionId: 'chat-1' },
    { leadId: lead.leadId, submissionId: 'chat-2' },
  ]);
  const names = lead.fake.names();
  expect(names.indexOf('recordMergedSubmission')).toBeGreaterThan(names.indexOf('receiveLead'));
  await exportHistory('merged-before-and-after-recording', lead.handle);
});

/** Monday to Friday, 09:00-17:00 UTC, no holidays. */
const officeHoursUtc: BusinessCalendar = {
  timeZone: 'UTC',
  week: [[], [[540, 1020]], [[540, 1020]], [[540, 1020]], [[540, 1020]], [[540, 1020]], []],
  holidays: [],
  offsets: [{ fromMs: 0, offsetMinutes: 0 }],
  horizonEndMs: Date.parse('2100-01-01T00:00:00Z'),
};

/** The first Friday 15:00 UTC after `fromMs`. */
function nextFriday3pm(fromMs: number): number {
  const day = new Date(fromMs);
  day.setUTCHours(15, 0, 0, 0);
  while (day.getUTCDay() !== 5 || day.getTime() <= fromMs) day.setUTCDate(day.getUTCDate() + 1);
  return day.getTime();
}

test('a business-day SLA told Friday 15:00 counts only working hours: reminded Monday 11:00, expired Monday 15:00', async () => {
  const friday = nextFriday3pm(await env.currentTimeMs());
  const businessDay = {
    ...stage('candidate', 0, ['wendy'], 8 * 3_600_000, 'the partner desk'),
    sla: { ms: 8 * 3_600_000, businessHours: officeHoursUtc },
  };
  const plan = cloudPlan([businessDay, stage('escalation', 1, ['mgr'], minutes(15), 'escalation level 1')]);
  await env.sleep(friday - (await env.currentTimeMs()));

  const lead = await startLead({ plan });
  const offered = await told(lead, 1);
  const toldAt = Date.parse(offered.toldAt);
  // Routing judges who is available at the workflow's time (Friday afternoon here), not the machine's.
  expect(msAfter(new Date(friday).toISOString(), lead.fake.inputs('routeLead')[0]?.at)).toBeLessThan(tolerance);
  expect(msAfter(new Date(friday).toISOString(), offered.toldAt)).toBeLessThan(tolerance);
  // Friday 15:00-17:00 is two working hours; the other six run Monday 09:00-15:00: the same time, three days on.
  expect(Date.parse(offered.deadline) - toldAt).toBe(days(3));

  await env.sleep(friday + days(1) - (await env.currentTimeMs()));
  expect(await lead.handle.query(leadStateQuery)).toMatchObject({
    status: 'offered',
    currentOffer: { offerNumber: 1 },
  });
  expect(lead.fake.inputs('remindOffer')).toEqual([]);

  await env.sleep(Date.parse(offered.deadline) + 1_000 - (await env.currentTimeMs()));
  await told(lead, 2);
  const view = await lead.handle.query(leadStateQuery);
  // Half the working time: Friday's two hours and Monday 09:00-11:00.
  const mondayEleven = new Date(toldAt + days(3) - 4 * 3_600_000).toISOString();
  expect(msAfter(mondayEleven, view.offers[0]?.remindedAt)).toBeLessThan(tolerance);
  await accept(lead, { offerNumber: 2, repId: 'mgr' });
  expect(await lead.handle.result()).toMatchObject({ owner: 'mgr', offers: 2 });
  expect(await outcomesOf(lead)).toEqual([
    [1, 'wendy', 'timed-out'],
    [2, 'mgr', 'accepted'],
  ]);
  await exportHistory('business-hours-over-weekend', lead.handle);
});

test('the mail server down for ten minutes delays the offer and its deadline, and burns nothing', async () => {
  const downUntil = (await env.currentTimeMs()) + minutes(10);
  const lead = await startLead({ mailDownUntilMs: downUntil });
  await lead.fake.called('notifyOffer');
  // Waiting to notify: the offer is made, its email not yet taken, and no deadline counts against the rep.
  const waiting = await lead.handle.query(leadStateQuery);
  expect(waiting).toMatchObject({ status: 'notifying', currentOffer: { offerNumber: 1, deadline: null } });
  expect(await searchAttributesOf(lead)).toMatchObject({ status: 'notifying', offeredRep: 'ana' });

  await env.sleep(minutes(11));
  const offer = await told(lead, 1);
  expect(Date.parse(offer.toldAt)).toBeGreaterThanOrEqual(downUntil);
  expect(Date.parse(offer.deadline) - Date.parse(offer.toldAt)).toBe(minutes(5));
  expect(await lead.handle.query(leadStateQuery)).toMatchObject({
    status: 'offered',
    currentOffer: { offerNumber: 1 },
  });
  expect(lead.fake.inputs('remindOffer')).toEqual([]);
  expect(await accept(lead, { offerNumber: 1, repId: 'ana' })).toMatchObject({ owner: 'ana' });
  expect(await lead.handle.result()).toMatchObject({ status: 'assigned', offers: 1 });
  expect(lead.fake.inputs('notifyOffer').length).toBeGreaterThan(1);
  await exportHistory('mail-down-then-up', lead.handle);
});

test('the mail server down and the rep accepts from their offers page meanwhile: the lead is theirs at once', async () => {
  const downUntil = (await env.currentTimeMs()) + minutes(60);
  const lead = await startLead({ mailDownUntilMs: downUntil });
  // The first try was refused, and the server-side step retries through the outage.
  for (let i = 0; i < 500 && lead.fake.inputs('notifyOffer').length < 2; i++)
    await new Promise((resolve) => setTimeout(resolve, 10));
  expect(await searchAttributesOf(lead)).toMatchObject({ status: 'notifying', offeredRep: 'ana' });
  // The accept does not wait the hour for the mail server: the email is dropped, the rep owns the lead.
  expect(await accept(lead, { offerNumber: 1, repId: 'ana' })).toMatchObject({ owner: 'ana' });
  expect(await lead.handle.result()).toMatchObject({ status: 'assigned', owner: 'ana', offers: 1 });
  expect(await searchAttributesOf(lead)).toMatchObject({ status: 'assigned', assignedRep: 'ana' });
  expect(Date.parse((await lead.fake.called('assignLead')).at)).toBeLessThan(downUntil);
});

test('a later offer shows in the search attributes at once, not only once its rep is told', async () => {
  const lead = await startLead({ mailDownUntilMs: (await env.currentTimeMs()) + minutes(60), mailDownFromOffer: 2 });
  await told(lead, 1);
  await decline(lead, { offerNumber: 1, repId: 'ana', reason: 'on holiday' });
  await lead.fake.called('notifyOffer', (n) => n.offerNumber === 2);
  const opened = await lead.fake.called('openOffer', (o) => o.offerNumber === 2);
  // While ben's email waits for the mail server, the Web UI shows ben's offer waiting to notify, not ana's.
  expect(await searchAttributesOf(lead)).toMatchObject({
    status: 'notifying',
    offeredRep: 'ben',
    slaDeadline: new Date(Date.parse(opened.at) + minutes(5)).toISOString(),
  });
  expect(await accept(lead, { offerNumber: 2, repId: 'ben' })).toMatchObject({ owner: 'ben' });
});

test('the intake deadline counts from when the API took the lead, not from when a worker first ran it', async () => {
  // The API took the lead ten minutes ago, and no worker ran it since (an outage): it is overdue, and stays so.
  const queue = `lead-paths-outage-${randomBytes(4).toString('hex')}`;
  const receivedAt = new Date((await env.currentTimeMs()) - minutes(10)).toISOString();
  const lead = await startLead({}, { taskQueue: queue, receivedAt });
  const due = new Date(Date.parse(receivedAt) + minutes(5)).toISOString();
  expect(await searchAttributesOf(lead)).toMatchObject({ status: 'received', slaDeadline: due });
  await (
    await createWorker(queue)
  ).runUntil(async () => {
    const offer = await told(lead, 1);
    await accept(lead, { offerNumber: 1, repId: 'ana' });
    expect(await lead.handle.result()).toMatchObject({ owner: 'ana' });
    // Once running, the workflow moved the deadline only with the lead: its first new deadline is the offer's.
    const deadlines = ((await historyOf(lead)).events ?? [])
      .map((e) => e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields)
      .filter((fields) => fields?.SlaDeadline);
    const first = (field: string) => JSON.parse(Buffer.from(deadlines[0]?.[field]?.data ?? []).toString()) as unknown;
    expect(first('LeadStatus')).toBe('offered');
    expect(first('SlaDeadline')).toBe(offer.deadline);
  });
});

// ── A step that retrying cannot cure: the lead goes to a person, the run never fails ──────────────────────────

/** Brings the lead to where `poisoned` runs, and says what must hold after it failed. */
const poisonings: Array<{ poisoned: ActivityName; plan?: Plan; reach?: (lead: Lead) => Promise<void> }> = [
  { poisoned: 'receiveLead' },
  { poisoned: 'routeLead' },
  { poisoned: 'notifyOffer' },
  {
    poisoned: 'remindOffer',
    reach: async () => {
      await env.sleep(minutes(2.5) + 1_000);
    },
  },
  {
    poisoned: 'openOffer',
    reach: async (lead) => {
      await told(lead, 1);
      await decline(lead, { offerNumber: 1, repId: 'ana', reason: 'busy' });
    },
  },
];

test.each(poisonings)('$poisoned poisoned: the lead needs attention, alerted once, and is claimable', async (p) => {
  const lead = await startLead({ poisoned: p.poisoned, plan: p.plan });
  await p.reach?.(lead);
  const flagged = await lead.fake.called('flagNeedsAttention');
  expect(flagged.problem).toContain(`${p.poisoned} is poisoned for this test`);
  await lead.fake.called('alertCatchAll');
  const view = await lead.handle.query(leadStateQuery);
  expect(view).toMatchObject({ status: 'needs-attention', currentOffer: { kind: 'catch-all', outcome: 'open' } });
  expect(view.problem).toContain(p.poisoned);
  expect(Date.parse(view.deadline ?? '')).toBeGreaterThan(await env.currentTimeMs());
  expect(await searchAttributesOf(lead)).toMatchObject({ status: 'needs-attention' });
  expect(lead.fake.inputs('alertCatchAll')).toHaveLength(1);
  // An offer its rep could no longer answer is withdrawn, not left open.
  expect(view.offers.filter((o) => o.outcome === 'open')).toHaveLength(1);

  const claim = view.currentOffer!;
  expect(await accept(lead, { offerNumber: claim.offerNumber, repId: 'mgr' })).toMatchObject({ owner: 'mgr' });
  expect(await lead.handle.result()).toMatchObject({ status: 'assigned', owner: 'mgr' });
  if (p.poisoned === 'notifyOffer') await exportHistory('needs-attention-then-claimed', lead.handle);
});

test('assignLead poisoned: the claim is refused with the reason, and the lead needs attention instead of failing', async () => {
  const lead = await startLead({ poisoned: 'assignLead' });
  await told(lead, 1);
  const refused = await refusalOf(accept(lead, { offerNumber: 1, repId: 'ana' }));
  expect(refused).toMatchObject({ type: 'AssignmentFailed' });
  expect(refused.message).toContain('assignLead is poisoned');
  await lead.fake.called('alertCatchAll');
  expect(await lead.handle.query(leadStateQuery)).toMatchObject({ status: 'needs-attention', owner: null });
  expect((await lead.handle.describe()).status.name).toBe('RUNNING');
});

test('flagNeedsAttention poisoned too: the lead still shows it needs attention, and any rep may claim it', async () => {
  // Something must fail first for the lead to need attention: the offered rep is gone from the directory.
  const lead = await startLead({ poisoned: 'flagNeedsAttention', repGone: true });
  await lead.fake.called('flagNeedsAttention');
  let view = await lead.handle.query(leadStateQuery);
  for (let i = 0; i < 100 && view.status !== 'needs-attention'; i++) view = await lead.handle.query(leadStateQuery);
  expect(view).toMatchObject({ status: 'needs-attention', currentOffer: { repIds: [] } });
  expect(view.problem).toContain('handing it to a person failed too');
  expect(await searchAttributesOf(lead)).toMatchObject({ status: 'needs-attention' });
  expect(await accept(lead, { offerNumber: view.currentOffer!.offerNumber, repId: 'zoe' })).toMatchObject({
    owner: 'zoe',
  });
  expect(await lead.handle.result()).toMatchObject({ status: 'assigned', owner: 'zoe' });
});

test('a decline whose next offer cannot open, and the hand-off fails too: the decline is answered all the same', async () => {
  const lead = await startLead({ poisoned: ['openOffer', 'flagNeedsAttention'] });
  await told(lead, 1);
  expect(await decline(lead, { offerNumber: 1, repId: 'ana', reason: 'on holiday' })).toMatchObject({
    offerNumber: 1,
  });
  const view = await lead.handle.query(leadStateQuery);
  expect(view).toMatchObject({ status: 'needs-attention', currentOffer: { offerNumber: 2, outcome: 'open' } });
  expect(view.offers[0]).toMatchObject({ outcome: 'declined', answeredBy: 'ana' });
  expect(await accept(lead, { offerNumber: 2, repId: 'mgr' })).toMatchObject({ owner: 'mgr' });
  expect(await lead.handle.result()).toMatchObject({ status: 'assigned', owner: 'mgr' });
});

test('alertCatchAll poisoned: the lead stays in the catch-all queue with the problem shown, claimable', async () => {
  const lead = await startLead({ poisoned: 'alertCatchAll', plan: cloudPlan([]) });
  await lead.fake.called('alertCatchAll');
  let view = await lead.handle.query(leadStateQuery);
  for (let i = 0; i < 100 && !view.problem; i++) view = await lead.handle.query(leadStateQuery);
  expect(view).toMatchObject({ status: 'catch-all', currentOffer: { offerNumber: 1 } });
  expect(view.problem).toContain('alert 1 could not be sent');
  expect(await accept(lead, { offerNumber: 1, repId: 'ben' })).toMatchObject({ owner: 'ben' });
  expect(await lead.handle.result()).toMatchObject({ status: 'assigned' });
});

test('recordMergedSubmission and recordIgnoredSignal poisoned: the lead goes on, the problem is shown', async () => {
  const lead = await startLead({ poisoned: 'recordMergedSubmission' });
  await told(lead, 1);
  await lead.handle.signal(mergeSubmissionSignal, {
    submissionId: 'chat-9',
    source: 'chat',
    receivedAt: lead.receivedAt,
  });
  await lead.fake.called('recordMergedSubmission');
  let view = await lead.handle.query(leadStateQuery);
  for (let i = 0; i < 100 && !view.problem; i++) view = await lead.handle.query(leadStateQuery);
  expect(view.problem).toContain('submission chat-9 could not be merged');
  expect(view.status).toBe('offered');
  await accept(lead, { offerNumber: 1, repId: 'ana' });
  expect(await lead.handle.result()).toMatchObject({ status: 'assigned' });

  const other = await startLead({ poisoned: 'recordIgnoredSignal' });
  await told(other, 1);
  await other.handle.signal(acceptSignal, { offerNumber: 1, repId: 'mallory' });
  await other.fake.called('recordIgnoredSignal');
  await accept(other, { offerNumber: 1, repId: 'ana' });
  expect(await other.handle.result()).toMatchObject({ status: 'assigned', owner: 'ana' });
});

// ── After assignment: the first-touch SLA ────────────────────────────────────────────────────────────────────

/** A lead Ana owns under a first-touch SLA of an hour; the plan her assignment returned. */
async function ownedByAna(
  firstTouch: Script['firstTouch'] = { slaMs: minutes(60), reoffer: true },
  script: Script = {},
) {
  const lead = await startLead({ ...script, firstTouch });
  await told(lead, 1);
  await accept(lead, { offerNumber: 1, repId: 'ana' });
  for (let i = 0; i < 400; i++) {
    const plan = (await stateOf(lead)).firstTouch;
    if (plan) return { lead, plan };
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the lead never showed its first-touch SLA');
}

/** The first-touch plan the lead's latest assignment returned. */
async function planOf(lead: Lead): Promise<FirstTouchWait> {
  await lead.fake.called('assignLead');
  return lead.fake.firstTouch!;
}

const stateOf = (lead: Lead) => lead.handle.query(leadStateQuery);

/**
 * Skips to just past each first-touch step in turn and waits for it to be taken: one timer per sleep, as the
 * time-skipping server may stall when a sleep spans a timer whose step runs as a remote activity.
 */
async function passSteps(lead: Lead, plan: FirstTouchWait, count: number) {
  for (const [step, { kind, at }] of plan.steps.slice(0, count).entries()) {
    await env.sleep(Math.max(1, Date.parse(at) + 1_000 - (await env.currentTimeMs())));
    if (kind === 'reoffer') await lead.fake.called('reofferUntouched');
    else await lead.fake.called('remindFirstTouch', (r) => r.step === step);
  }
}
const touch = (lead: Lead, at: number) =>
  lead.handle.signal(firstTouchSignal, { at: new Date(at).toISOString(), outcomeId: 1 });

/** Until the workflow shows `status` (its tasks run a moment after the server's clock reaches a timer). */
async function statusReaches(lead: Lead, status: LeadStatus) {
  for (let i = 0; i < 400; i++) {
    if ((await stateOf(lead)).status === status) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`the lead never showed ${status}; it shows ${(await stateOf(lead)).status}`);
}

describe('after assignment: the first-touch SLA', () => {
  // A server of its own: an earlier test may leave a server-side step outstanding (a cancelled email's retries),
  // and the time-skipping server does not skip time while one is, so these sleeps would wait in real time.
  beforeAll(async () => {
    worker.shutdown();
    await workerStopped;
    await env.teardown();
    env = await createTimeSkippingEnvironment();
    worker = await createWorker(taskQueue);
    workerStopped = worker.run();
  });

  test('first touch within its SLA: owned with the due time as its deadline, then done with nothing sent', async () => {
    const { lead, plan } = await ownedByAna();
    expect(Date.parse(plan.dueAt) - Date.parse((await lead.fake.called('assignLead')).at)).toBe(minutes(60));
    expect(await searchAttributesOf(lead)).toMatchObject({
      status: 'assigned',
      assignedRep: 'ana',
      slaDeadline: plan.dueAt,
    });
    await env.sleep(minutes(20));
    const touchedAt = await env.currentTimeMs();
    await touch(lead, touchedAt);
    expect(await lead.handle.result()).toEqual({ leadId: lead.leadId, status: 'assigned', owner: 'ana', offers: 1 });
    expect(lead.fake.names()).toEqual(['receiveLead', 'routeLead', 'notifyOffer', 'assignLead', 'noteFirstTouch']);
    expect(lead.fake.inputs('noteFirstTouch')).toEqual([
      { leadId: lead.leadId, offerNumber: 1, repId: 'ana', at: new Date(touchedAt).toISOString() },
    ]);
    expect(await searchAttributesOf(lead)).toMatchObject({ status: 'assigned', assignedRep: 'ana', slaDeadline: null });
    expect((await stateOf(lead)).firstTouch).toEqual({ ...plan, touchedAt: new Date(touchedAt).toISOString() });
    await exportHistory('first-touch-in-time', lead.handle);
  });

  test('no first touch by the due time: the owner is nudged and the lead shows overdue until the manager is due', async () => {
    const { lead, plan } = await ownedByAna();
    await passSteps(lead, await planOf(lead), 1);
    expect(await lead.fake.called('remindFirstTouch')).toMatchObject({ offerNumber: 1, repId: 'ana', step: 0 });
    await statusReaches(lead, 'first-touch-overdue');
    const nudged = await searchAttributesOf(lead);
    expect(nudged).toMatchObject({ status: 'first-touch-overdue', assignedRep: 'ana' });
    expect(msAfter(plan.dueAt, nudged.slaDeadline)).toBe(minutes(60));
    expect((await lead.handle.describe()).memo?.summary).toMatch(/assigned to ana — first touch overdue/);

    await touch(lead, await env.currentTimeMs());
    expect(await lead.handle.result()).toMatchObject({ status: 'assigned', owner: 'ana' });
    expect(lead.fake.names().slice(3)).toEqual(['assignLead', 'remindFirstTouch', 'noteFirstTouch']);
    expect(await searchAttributesOf(lead)).toMatchObject({ status: 'assigned', slaDeadline: null });
    await exportHistory('first-touch-nudged', lead.handle);
  });

  test('the manager is told one SLA after the nudge; a touch Postgres holds (its signal lost) ends the watch', async () => {
    const { lead } = await ownedByAna(undefined, { touchedInPostgresAtStep: 2 });
    await passSteps(lead, await planOf(lead), 3);
    // The re-offer step found the touch in Postgres: the lead stays with Ana, no offer is made again.
    expect(await lead.handle.result()).toMatchObject({ status: 'assigned', owner: 'ana', offers: 1 });
    expect(lead.fake.names().slice(4)).toEqual([
      'remindFirstTouch',
      'remindFirstTouch',
      'reofferUntouched',
      'noteFirstTouch',
    ]);
  });

  test('never touched: nudge, manager, then offered to the team again; a claim makes a new owner with a new SLA', async () => {
    const { lead } = await ownedByAna();
    const plan = await planOf(lead);
    await passSteps(lead, plan, 3);
    expect(await lead.fake.called('reofferUntouched')).toMatchObject({ offerNumber: 2, repId: 'ana', plan });
    await lead.fake.called('alertCatchAll', (a) => a.offerNumber === 2);
    await statusReaches(lead, 'catch-all');
    expect(await searchAttributesOf(lead)).toMatchObject({ status: 'catch-all', assignedRep: undefined });
    expect(await stateOf(lead)).toMatchObject({
      owner: null,
      firstTouch: null,
      currentOffer: { offerNumber: 2, kind: 'catch-all' },
    });

    await accept(lead, { offerNumber: 2, repId: 'ben' });
    await lead.fake.called('assignLead', (a) => a.repId === 'ben');
    expect(await searchAttributesOf(lead)).toMatchObject({ status: 'assigned', assignedRep: 'ben' });
    await touch(lead, await env.currentTimeMs());
    expect(await lead.handle.result()).toEqual({ leadId: lead.leadId, status: 'assigned', owner: 'ben', offers: 2 });
    expect(lead.fake.inputs('assignLead').map((a) => [a.offerNumber, a.repId])).toEqual([
      [1, 'ana'],
      [2, 'ben'],
    ]);
    expect(lead.fake.inputs('noteFirstTouch')).toMatchObject([{ offerNumber: 2, repId: 'ben' }]);
    await exportHistory('first-touch-reoffered', lead.handle);
  });

  test('without re-offer the lead stays with its owner after the manager is told, watched until the outcome window ends', async () => {
    const { lead } = await ownedByAna({ slaMs: minutes(60), reoffer: false, watchMs: days(60) });
    const plan = await planOf(lead);
    await passSteps(lead, plan, 2);
    await statusReaches(lead, 'first-touch-overdue');
    expect((await searchAttributesOf(lead)).slaDeadline).toBe(plan.watchUntil);
    await env.sleep(Date.parse(plan.watchUntil) + 1_000 - (await env.currentTimeMs()));
    expect(await lead.handle.result()).toMatchObject({ status: 'assigned', owner: 'ana', offers: 1 });
    expect(lead.fake.names()).not.toContain('reofferUntouched');
    // Never touched: the Web UI keeps listing it as overdue.
    expect(await searchAttributesOf(lead)).toMatchObject({ status: 'first-touch-overdue', assignedRep: 'ana' });
  });

  test('a nudge that cannot be sent is shown as the problem; the manager is still told on time', async () => {
    const { lead } = await ownedByAna({ slaMs: minutes(60), reoffer: false }, { poisoned: 'remindFirstTouch' });
    await passSteps(lead, await planOf(lead), 2);
    await statusReaches(lead, 'first-touch-overdue');
    expect((await stateOf(lead)).problem).toMatch(/tell-manager failed: .*remindFirstTouch is poisoned/);
    await touch(lead, await env.currentTimeMs());
    expect(await lead.handle.result()).toMatchObject({ status: 'assigned', owner: 'ana' });
    expect((await lead.handle.describe()).status.name).toBe('COMPLETED');
  });
});

// Last in the file: the server-side email step this test abandons stays outstanding, and the time-skipping server
// does not skip time past it, so a test after it that sleeps would wait in real time.
test('an accept taken while the offer email hangs stands: the email is dropped, the rep owns the lead', async () => {
  let refuseEmail!: () => void;
  const offerEmailFailsAfter = new Promise<void>((resolve) => (refuseEmail = resolve));
  const lead = await startLead({ offerEmailFailsAfter });
  await lead.fake.called('notifyOffer');
  // The rep accepts from their offers page while the mail server hangs: the first try gives up after its few
  // seconds, the server-side step takes over, and the accept is taken without waiting for it.
  try {
    expect(await accept(lead, { offerNumber: 1, repId: 'ana' })).toMatchObject({ owner: 'ana' });
    expect(await lead.handle.result()).toMatchObject({ status: 'assigned', owner: 'ana', offers: 1 });
    expect(lead.fake.inputs('notifyOffer')).toHaveLength(2);
    expect(lead.fake.names()).not.toContain('flagNeedsAttention');
  } finally {
    refuseEmail();
  }
});
