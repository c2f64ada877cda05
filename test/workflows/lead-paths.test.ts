// Every path of the lead workflow, one test each, in milliseconds: the real workflow code on the time-skipping
// server with fake activities that return a scripted routing plan and record every call. No Postgres, SMTP or
// API here; the full-stack files beside this one keep those honest. With EXPORT_HISTORIES=1 (npm run
// export-histories) each path's history is written to test/histories, which test/replay.test.ts replays.
import { randomBytes } from 'node:crypto';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkerOptions, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Activities } from '../../activities';
import type { MatchOutcome } from '../../activities/match';
import type { RoutedPlan } from '../../activities/route';
import type { LeadWorkflowInput, MergedSubmission, NormalisedLead } from '../../src/lead';
import type { BusinessCalendar } from '../../src/routing/business-time';
import type { Qualification } from '../../src/qualification';
import type { OfferStage } from '../../src/routing/plan';
import { workflowsPath } from '../../workers/worker';
import type { leadWorkflow } from '../../workflows/lead';
import {
  acceptOffer,
  acceptSignal,
  declineOffer,
  declineSignal,
  leadStateQuery,
  mergeSubmissionSignal,
  searchAttributes as sa,
  type OfferAnswer,
} from '../../workflows/messages';
import { exportHistory } from '../support/histories';
import { createTimeSkippingEnvironment, installQuietRuntime, quietLogger } from '../support/time-skipping';

const minutes = (n: number) => n * 60_000;

// ── The script: one lead, its qualification, and the plan routing would make for it ────────────────────────

const normalisedLead: NormalisedLead = {
  source: 'web-form',
  externalId: null,
  name: 'Priya Shah',
  email: 'priya@acme-corp.example',
  emailKey: 'priya@acme-corp.example',
  emailDomain: 'acme-corp.example',
  companyDomain: 'acme-corp.example',
  freeMail: false,
  disposableEmail: false,
  phone: null,
  company: 'Acme Corp',
  website: null,
  country: 'US',
  region: 'na',
  timeZone: 'America/New_York',
  companySize: 800,
  text: 'We must migrate our data centre (120 VMs) to AWS ASAP; budget around $250k approved.',
  budget: { amount: 250_000, currency: 'USD', text: '$250k' },
  extracted: [],
};

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
  return {
    kind,
    level,
    repIds,
    sla: { ms, businessHours: null },
    slaText: `${ms / 60_000} minutes`,
    why,
  };
}

/** Ana then Ben for 5 minutes each, the manager for 15, the head of sales for 30, then the catch-all every hour. */
function cloudPlan(stages?: OfferStage[]): RoutedPlan {
  return {
    teamId: 'cloud',
    policyVersion: 1,
    stages: stages ?? [
      stage('candidate', 0, ['ana'], minutes(5), 'next in the rotation of Cloud'),
      stage('candidate', 0, ['ben'], minutes(5), 'after ana in the rotation of Cloud'),
      stage(
        'escalation',
        1,
        ['mgr'],
        minutes(15),
        'escalation level 1: every earlier candidate declined or let the SLA pass',
      ),
      stage(
        'escalation',
        2,
        ['head'],
        minutes(30),
        'escalation level 2: every earlier candidate declined or let the SLA pass',
      ),
    ],
    catchAll: {
      ...stage(
        'catch-all',
        3,
        ['mgr', 'head', 'ana', 'ben'],
        minutes(60),
        'catch-all queue: the whole chain let it pass',
      ),
      alertEmail: 'sales-ops@leadrelay.test',
    },
    explanation: {
      rule: 'default → team Cloud',
      ruleName: null,
      ruleTrace: [],
      teamName: 'Cloud',
      strategy: 'weighted-round-robin',
      fallback: null,
      candidates: ['ana', 'ben'],
      maxCandidates: 5,
      notReached: [],
      candidateDetails: [
        { repId: 'ana', role: 'team', why: 'next in the rotation' },
        { repId: 'ben', role: 'team', why: 'after ana' },
      ],
      excluded: [],
      tieBreak: 'fewest credits, then longest since last lead',
      sla: { name: 'hot', text: '5 minutes', why: 'tier A' },
      policyVersion: 1,
      decidedAt: '2025-03-10T09:00:00.000Z',
      fairness: null,
    },
    description: 'Default route → team Cloud (weighted round robin): ana, then ben; escalation mgr → head → catch-all.',
  };
}

interface Script {
  match?: MatchOutcome;
  qualification?: Qualification;
  plan?: RoutedPlan;
}

// ── Fake activities: the real Activities type, scripted results, every call recorded ─────────────────────────

type ActivityName = keyof Activities;
type InputOf<K extends ActivityName> = Parameters<Activities[K]>[0];
interface Call {
  name: ActivityName;
  input: unknown;
}

class ActivityRecorder {
  readonly calls: Call[] = [];
  readonly activities: Activities;
  private waiting: Array<{ matches: (call: Call) => boolean; resolve: (call: Call) => void }> = [];

  constructor(script: Script) {
    const on = <K extends ActivityName>(name: K, result: () => Awaited<ReturnType<Activities[K]>>) =>
      ((input: InputOf<K>) => {
        this.record({ name, input });
        return Promise.resolve(result());
      }) as Activities[K];
    const nothing = () => undefined;
    this.activities = {
      recordLead: on('recordLead', nothing),
      recordMergedSubmission: on('recordMergedSubmission', nothing),
      matchContact: on('matchContact', () => script.match ?? noMatch),
      qualifyLead: on('qualifyLead', () => script.qualification ?? hot),
      routeLead: on('routeLead', () => script.plan ?? cloudPlan()),
      recordDecision: on('recordDecision', nothing),
      recordProgress: on('recordProgress', nothing),
      openOffer: on('openOffer', nothing),
      remindOffer: on('remindOffer', nothing),
      closeOffer: on('closeOffer', nothing),
      assignLead: on('assignLead', nothing),
      alertCatchAll: on('alertCatchAll', nothing),
    };
  }

  /** The inputs of every call to one activity, in order. */
  inputs<K extends ActivityName>(name: K): Array<InputOf<K>> {
    return this.calls.filter((c) => c.name === name).map((c) => c.input as InputOf<K>);
  }

  /** The decision log as the workflow wrote it: kind and summary. */
  decisions(): Array<[string, string]> {
    return this.inputs('recordDecision').map((d) => [d.kind, d.summary]);
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
        () =>
          reject(new Error(`${name} was not called as expected; calls: ${this.calls.map((c) => c.name).join(', ')}`)),
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

const noMatch: MatchOutcome = {
  contact: null,
  account: null,
  summary: 'new contact: no known contact has this email or phone; no known account matches the company',
};

// ── One environment, one bundle and one worker for the file; each lead has a recorder of its own ────────────

const taskQueue = 'lead-paths';
const recorders = new Map<string, ActivityRecorder>();
const activityNames = Object.keys(new ActivityRecorder({}).activities) as ActivityName[];
/** Every activity input names its lead: the call goes to that lead's recorder. */
const activities = Object.fromEntries(
  activityNames.map((name) => [
    name,
    (input: { leadId: string }) => {
      const recorder = recorders.get(input.leadId);
      if (!recorder) throw new Error(`no recorder for lead ${input.leadId}`);
      return (recorder.activities[name] as (input: unknown) => Promise<unknown>)(input);
    },
  ]),
) as unknown as Activities; // every name, as the recorder's own Activities object has them all

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
  recorders.clear();
});

interface Lead {
  leadId: string;
  taskQueue: string;
  handle: WorkflowHandle<typeof leadWorkflow>;
  fake: ActivityRecorder;
}

/**
 * Starts a lead's workflow on the file's worker (or on `taskQueue`, for a test that runs workers of its own).
 * A `merged` submission is signalled with the start, so it arrives before the lead is recorded.
 */
async function startLead(
  script: Script = {},
  { taskQueue: queue = taskQueue, merged }: { taskQueue?: string; merged?: MergedSubmission } = {},
): Promise<Lead> {
  const leadId = randomBytes(12).toString('hex');
  const fake = new ActivityRecorder(script);
  recorders.set(leadId, fake);
  const input: LeadWorkflowInput = {
    leadId,
    lead: normalisedLead,
    receivedAt: new Date(await env.currentTimeMs()).toISOString(),
  };
  const options = { workflowId: `lead:${leadId}`, taskQueue: queue, args: [input] as [LeadWorkflowInput] };
  const handle = merged
    ? await env.client.workflow.signalWithStart<typeof leadWorkflow, [MergedSubmission]>('leadWorkflow', {
        ...options,
        signal: mergeSubmissionSignal,
        signalArgs: [merged],
      })
    : await env.client.workflow.start<typeof leadWorkflow>('leadWorkflow', options);
  started.push(handle);
  return { leadId, taskQueue: queue, handle, fake };
}

const accept = (lead: Lead, a: OfferAnswer) => lead.handle.executeUpdate(acceptOffer, { args: [a] });
const decline = (lead: Lead, a: OfferAnswer) => lead.handle.executeUpdate(declineOffer, { args: [a] });
const offerTo = (offerNumber: number, repId: string) => (o: { offerNumber: number; stage: OfferStage }) =>
  o.offerNumber === offerNumber && o.stage.repIds.includes(repId);

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
function msAfter(from: string, at: string | undefined): number {
  const ms = Date.parse(at ?? '') - Date.parse(from);
  if (!(ms >= 0)) throw new Error(`${at} is not at or after ${from}`);
  return ms;
}
const tolerance = 5_000;

const outcomesOf = async (lead: Lead) =>
  (await lead.handle.query(leadStateQuery)).offers.map((o) => [o.offerNumber, o.repIds.join(','), o.outcome]);

// ── The paths ────────────────────────────────────────────────────────────────────────────────────────────────

test('accepted on the first offer: the rep owns the lead, and every step is recorded in order', async () => {
  const lead = await startLead();
  const offered = await lead.fake.called('openOffer', offerTo(1, 'ana'));
  expect(Date.parse(offered.deadline) - Date.parse(offered.offeredAt)).toBe(minutes(5));
  expect(offered).toMatchObject({ whyYou: 'next in the rotation of Cloud', qualification: hot });
  expect(await searchAttributesOf(lead)).toEqual({
    status: 'offered',
    offeredRep: 'ana',
    assignedRep: undefined,
    escalationLevel: 0,
    team: 'cloud',
    tier: 'A',
    slaDeadline: offered.deadline,
  });

  expect(await accept(lead, { offerNumber: 1, repId: 'ana' })).toEqual({
    leadId: lead.leadId,
    owner: 'ana',
    offerNumber: 1,
  });
  expect(await lead.handle.result()).toEqual({ leadId: lead.leadId, status: 'assigned', owner: 'ana', offers: 1 });

  expect(lead.fake.calls.map((c) => c.name)).toEqual([
    'recordLead',
    'matchContact',
    'recordDecision',
    'qualifyLead',
    'recordDecision',
    'routeLead',
    'recordDecision',
    'recordProgress',
    'openOffer',
    'recordDecision',
    'closeOffer',
    'recordDecision',
    'assignLead',
    'recordProgress',
    'recordDecision',
  ]);
  const offer = lead.fake.inputs('openOffer')[0];
  expect(lead.fake.decisions()).toEqual([
    ['matched', noMatch.summary],
    [
      'qualified',
      'score 82 (tier A), urgency now, service line cloud-migration: +20 business email domain (acme-corp.example), +30 wants it now',
    ],
    ['routed', cloudPlan().description],
    ['offered', `offer 1 (candidate, level 0) to ana until ${offer?.deadline}: next in the rotation of Cloud`],
    ['accepted', 'offer 1: accepted by ana'],
    ['assigned', 'ana owns the lead (accepted offer 1)'],
  ]);
  expect(lead.fake.inputs('closeOffer')).toMatchObject([
    { offerNumber: 1, status: 'accepted', answeredBy: 'ana', reason: null },
  ]);
  expect(lead.fake.inputs('assignLead')).toMatchObject([{ leadId: lead.leadId, repId: 'ana', match: noMatch }]);
  expect(lead.fake.inputs('recordProgress').map((p) => [p.status, p.offeredRepIds])).toEqual([
    ['offered', ['ana']],
    ['assigned', []],
  ]);
  const described = await lead.handle.describe();
  expect(await searchAttributesOf(lead)).toMatchObject({ status: 'assigned', assignedRep: 'ana', slaDeadline: null });
  expect(described.memo).toEqual({
    summary: 'Priya Shah (Acme Corp) via web-form, tier A (82), cloud-migration — assigned to ana',
    routing: cloudPlan().description,
  });
  await exportHistory('accepted-first-offer', lead.handle);
});

test('declined, then the next rep is offered and accepts', async () => {
  const lead = await startLead();
  await lead.fake.called('openOffer', offerTo(1, 'ana'));
  expect(await decline(lead, { offerNumber: 1, repId: 'ana', reason: 'on a customer visit' })).toEqual({
    leadId: lead.leadId,
    offerNumber: 1,
  });
  await lead.fake.called('openOffer', offerTo(2, 'ben'));
  await accept(lead, { offerNumber: 2, repId: 'ben' });
  expect(await lead.handle.result()).toMatchObject({ status: 'assigned', owner: 'ben', offers: 2 });
  expect(await outcomesOf(lead)).toEqual([
    [1, 'ana', 'declined'],
    [2, 'ben', 'accepted'],
  ]);
  expect(lead.fake.inputs('closeOffer')).toMatchObject([
    { offerNumber: 1, status: 'declined', answeredBy: 'ana', reason: 'on a customer visit' },
    { offerNumber: 2, status: 'accepted', answeredBy: 'ben' },
  ]);
  expect(lead.fake.decisions()).toContainEqual(['declined', 'offer 1: declined by ana ("on a customer visit")']);
  await exportHistory('declined-then-next-rep', lead.handle);
});

test('SLA timeout, then the next rep; the silent rep was reminded half way', async () => {
  const lead = await startLead();
  const first = await lead.fake.called('openOffer', offerTo(1, 'ana'));
  await env.sleep(minutes(5) + 1_000);
  const second = await lead.fake.called('openOffer', offerTo(2, 'ben'));
  expect(Date.parse(second.offeredAt)).toBeGreaterThanOrEqual(Date.parse(first.deadline));
  await accept(lead, { offerNumber: 2, repId: 'ben' });
  expect(await lead.handle.result()).toMatchObject({ status: 'assigned', owner: 'ben', offers: 2 });
  expect(await outcomesOf(lead)).toEqual([
    [1, 'ana', 'timed-out'],
    [2, 'ben', 'accepted'],
  ]);
  const { at, ...closed } = lead.fake.inputs('closeOffer')[0] ?? { at: '' };
  expect(closed).toEqual({
    leadId: lead.leadId,
    offerNumber: 1,
    status: 'timed-out',
    answeredBy: null,
    reason: null,
  });
  expect(msAfter(first.deadline, at)).toBeLessThan(tolerance);
  expect(lead.fake.decisions()).toContainEqual(['timed-out', `offer 1: ana did not answer by ${first.deadline}`]);
  expect(lead.fake.inputs('remindOffer').map((r) => r.offerNumber)).toEqual([1]);
  await exportHistory('timeout-then-next-rep', lead.handle);
});

test('half way through the SLA a silent rep is reminded once, with the same offer', async () => {
  const lead = await startLead();
  const offered = await lead.fake.called('openOffer', offerTo(1, 'ana'));
  await env.sleep(minutes(2.5) + 1_000);
  const reminder = await lead.fake.called('remindOffer');
  const { remindedAt, ...sameOffer } = reminder;
  expect(sameOffer).toEqual(offered);
  expect(msAfter(offered.offeredAt, remindedAt) - minutes(2.5)).toBeLessThan(tolerance);
  expect((await lead.handle.query(leadStateQuery)).currentOffer).toMatchObject({
    offerNumber: 1,
    remindedAt: reminder.remindedAt,
  });

  await accept(lead, { offerNumber: 1, repId: 'ana' });
  expect(await lead.handle.result()).toMatchObject({ owner: 'ana', offers: 1 });
  expect(lead.fake.inputs('remindOffer')).toHaveLength(1);
  await exportHistory('reminded-then-accepted', lead.handle);
});

test('all reps exhausted, then the manager: escalated at level 1 with its own SLA', async () => {
  const lead = await startLead();
  await lead.fake.called('openOffer', offerTo(1, 'ana'));
  await decline(lead, { offerNumber: 1, repId: 'ana', reason: 'full week' });
  await lead.fake.called('openOffer', offerTo(2, 'ben'));
  await env.sleep(minutes(5) + 1_000);

  const escalated = await lead.fake.called('openOffer', offerTo(3, 'mgr'));
  expect(escalated.stage).toMatchObject({ kind: 'escalation', level: 1 });
  expect(Date.parse(escalated.deadline) - Date.parse(escalated.offeredAt)).toBe(minutes(15));
  expect(await lead.handle.query(leadStateQuery)).toMatchObject({ status: 'escalated', escalationLevel: 1 });
  expect(await searchAttributesOf(lead)).toMatchObject({
    status: 'escalated',
    escalationLevel: 1,
    offeredRep: 'mgr',
  });

  await accept(lead, { offerNumber: 3, repId: 'mgr' });
  expect(await lead.handle.result()).toMatchObject({ status: 'assigned', owner: 'mgr', offers: 3 });
  expect(await outcomesOf(lead)).toEqual([
    [1, 'ana', 'declined'],
    [2, 'ben', 'timed-out'],
    [3, 'mgr', 'accepted'],
  ]);
  expect(lead.fake.inputs('recordProgress').map((p) => p.status)).toEqual([
    'offered',
    'offered',
    'escalated',
    'assigned',
  ]);
  await exportHistory('reps-exhausted-then-manager', lead.handle);
});

/** Both reps decline, which brings the lead to the manager at level 1 as offer 3. */
async function declineBothReps(lead: Lead): Promise<void> {
  await lead.fake.called('openOffer', offerTo(1, 'ana'));
  await decline(lead, { offerNumber: 1, repId: 'ana', reason: 'busy' });
  await lead.fake.called('openOffer', offerTo(2, 'ben'));
  await decline(lead, { offerNumber: 2, repId: 'ben', reason: 'busy' });
  await lead.fake.called('openOffer', offerTo(3, 'mgr'));
}

test('manager timeout, then the next level of the chain with its own SLA', async () => {
  const lead = await startLead();
  await declineBothReps(lead);
  await env.sleep(minutes(15) + 1_000);
  const level2 = await lead.fake.called('openOffer', offerTo(4, 'head'));
  expect(level2.stage).toMatchObject({ kind: 'escalation', level: 2 });
  expect(Date.parse(level2.deadline) - Date.parse(level2.offeredAt)).toBe(minutes(30));
  expect(await searchAttributesOf(lead)).toMatchObject({
    status: 'escalated',
    escalationLevel: 2,
    offeredRep: 'head',
  });

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

test('chain exhausted: the catch-all queue re-alerts every round with the history until someone claims the lead', async () => {
  const lead = await startLead();
  await declineBothReps(lead);
  await env.sleep(minutes(15) + 1_000);
  await lead.fake.called('openOffer', offerTo(4, 'head'));
  await env.sleep(minutes(30) + 1_000);

  const round1 = await lead.fake.called('alertCatchAll', (a) => a.round === 1);
  const parked = await lead.handle.query(leadStateQuery);
  expect(parked).toMatchObject({ status: 'catch-all', escalationLevel: 3 });
  expect(parked.currentOffer).toMatchObject({
    offerNumber: 5,
    kind: 'catch-all',
    repIds: ['mgr', 'head', 'ana', 'ben'],
  });
  expect(round1).toMatchObject({
    offerNumber: 5,
    alertEmail: 'sales-ops@leadrelay.test',
    claimants: ['mgr', 'head', 'ana', 'ben'],
    deadline: parked.currentOffer?.deadline,
  });
  expect(round1.history).toEqual([
    'offer 1: declined by ana ("busy")',
    'offer 2: declined by ben ("busy")',
    `offer 3: mgr did not answer by ${parked.offers[2]?.deadline}`,
    `offer 4: head did not answer by ${parked.offers[3]?.deadline}`,
  ]);
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

  await env.sleep(minutes(60) + 1_000);
  const round2 = await lead.fake.called('alertCatchAll', (a) => a.round === 2);
  expect(round2.offerNumber).toBe(6);
  expect(round2.history).toContain(`offer 5: mgr, head, ana, ben did not answer by ${round1.deadline}`);
  await env.sleep(minutes(60) + 1_000);
  await lead.fake.called('alertCatchAll', (a) => a.round === 3);

  expect(await accept(lead, { offerNumber: 7, repId: 'ben' })).toMatchObject({ owner: 'ben', offerNumber: 7 });
  expect(await lead.handle.result()).toMatchObject({ status: 'assigned', owner: 'ben', offers: 7 });
  expect(lead.fake.inputs('alertCatchAll').map((a) => [a.round, a.offerNumber])).toEqual([
    [1, 5],
    [2, 6],
    [3, 7],
  ]);
  // The catch-all has its re-alerts instead of reminders.
  expect(lead.fake.inputs('remindOffer').map((r) => r.offerNumber)).toEqual([3, 4]);
  expect(lead.fake.inputs('closeOffer').map((c) => c.status)).toEqual([
    'declined',
    'declined',
    'timed-out',
    'timed-out',
    'timed-out',
    'timed-out',
    'accepted',
  ]);
  await exportHistory('chain-exhausted-catch-all', lead.handle);
});

test('a late accept after the SLA is refused as stale and changes nothing', async () => {
  const lead = await startLead();
  const first = await lead.fake.called('openOffer', offerTo(1, 'ana'));
  await env.sleep(minutes(5) + 1_000);
  await lead.fake.called('openOffer', offerTo(2, 'ben'));
  const decisionsBefore = lead.fake.decisions().length;

  expect(await refusalOf(accept(lead, { offerNumber: 1, repId: 'ana' }))).toEqual({
    type: 'StaleOffer',
    message: `offer 1 is closed: it expired at ${first.deadline}`,
  });
  expect(await lead.handle.query(leadStateQuery)).toMatchObject({
    status: 'offered',
    owner: null,
    currentOffer: { offerNumber: 2 },
  });
  expect(lead.fake.decisions()).toHaveLength(decisionsBefore);

  await accept(lead, { offerNumber: 2, repId: 'ben' });
  expect(await lead.handle.result()).toMatchObject({ owner: 'ben', offers: 2 });
  await exportHistory('late-accept-refused', lead.handle);
});

test('an accept from a rep the offer was not made to is refused; so are offers never made and malformed answers', async () => {
  const lead = await startLead();
  await lead.fake.called('openOffer', offerTo(1, 'ana'));
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
  await lead.fake.called('openOffer', offerTo(1, 'ana'));
  await decline(lead, { offerNumber: 1, repId: 'ana', reason: 'busy' });
  await lead.fake.called('openOffer', offerTo(2, 'ben'));

  const stale = { type: 'StaleOffer', message: 'offer 1 is closed: it was declined by ana' };
  expect(await refusalOf(accept(lead, { offerNumber: 1, repId: 'ana' }))).toEqual(stale);
  expect(await refusalOf(decline(lead, { offerNumber: 1, repId: 'ana', reason: 'again' }))).toEqual(stale);

  await accept(lead, { offerNumber: 2, repId: 'ben' });
  expect(await lead.handle.result()).toMatchObject({ owner: 'ben', offers: 2 });
  await exportHistory('stale-accept-refused', lead.handle);
});

test('an accept that arrives with the SLA timer, at the deadline itself, is refused as expired', async () => {
  // This lead has workers of its own, none running while the deadline passes. The first keeps no workflow cache,
  // so the second finds the lead's next task on the task queue rather than on the first one's sticky queue.
  const lead = await startLead({}, { taskQueue: `lead-paths-own-${randomBytes(4).toString('hex')}` });
  const offered = await (
    await createWorker(lead.taskQueue, { maxCachedWorkflows: 0 })
  ).runUntil(async () => {
    const offer = await lead.fake.called('openOffer', offerTo(1, 'ana'));
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
    await lead.fake.called('openOffer', offerTo(2, 'ben'));
    await accept(lead, { offerNumber: 2, repId: 'ben' });
    expect(await lead.handle.result()).toMatchObject({ owner: 'ben', offers: 2 });
  });
  expect(lead.fake.inputs('closeOffer')[0]).toMatchObject({ offerNumber: 1, status: 'timed-out', answeredBy: null });
  await exportHistory('accept-at-deadline-refused', lead.handle);
});

async function timersStarted(lead: Lead): Promise<number> {
  const history = await lead.handle.fetchHistory();
  return history.events?.filter((e) => e.timerStartedEventAttributes).length ?? 0;
}

test('signals: a stale or foreign one is ignored with its reason recorded; a valid one decides', async () => {
  const lead = await startLead();
  await lead.fake.called('openOffer', offerTo(1, 'ana'));
  await lead.handle.signal(acceptSignal, { offerNumber: 1, repId: 'mallory' });
  await lead.fake.called('recordDecision', (d) => d.kind === 'ignored-signal');
  const view = await lead.handle.query(leadStateQuery);
  expect(view.ignoredSignals).toMatchObject([
    { signal: 'accept', answer: { offerNumber: 1, repId: 'mallory' }, reason: 'offer 1 was not made to mallory' },
  ]);
  expect(view.currentOffer?.offerNumber).toBe(1);

  await lead.handle.signal(declineSignal, { offerNumber: 1, repId: 'ana', reason: 'via CRM' });
  await lead.fake.called('openOffer', offerTo(2, 'ben'));
  await lead.handle.signal(acceptSignal, { offerNumber: 1, repId: 'ana' });
  await lead.handle.signal(acceptSignal, { offerNumber: 2, repId: 'ben' });
  expect(await lead.handle.result()).toMatchObject({ owner: 'ben', offers: 2 });
  expect(
    lead.fake
      .inputs('recordDecision')
      .filter((d) => d.kind === 'ignored-signal')
      .map((d) => [d.key, d.summary]),
  ).toEqual([
    ['ignored-signal:1', 'accept signal from mallory for offer 1 ignored: offer 1 was not made to mallory'],
    ['ignored-signal:2', 'accept signal from ana for offer 1 ignored: offer 1 is closed: it was declined by ana'],
  ]);
  expect(lead.fake.inputs('closeOffer')).toMatchObject([
    { offerNumber: 1, status: 'declined', answeredBy: 'ana', reason: 'via CRM' },
    { offerNumber: 2, status: 'accepted', answeredBy: 'ben' },
  ]);
  await exportHistory('signals-stale-ignored', lead.handle);
});

test('spam is thrown out with its reason and never routed or offered', async () => {
  const lead = await startLead({ qualification: spam });
  expect(await lead.handle.result()).toEqual({
    leadId: lead.leadId,
    status: 'rejected-spam',
    owner: null,
    offers: 0,
  });
  expect(lead.fake.calls.map((c) => c.name)).toEqual([
    'recordLead',
    'matchContact',
    'recordDecision',
    'qualifyLead',
    'recordDecision',
    'recordProgress',
  ]);
  expect(lead.fake.decisions()[1]).toEqual(['qualified', 'rejected as spam: sells SEO services']);
  expect(lead.fake.inputs('recordProgress')).toMatchObject([{ status: 'rejected-spam', slaDeadline: null }]);
  expect(await searchAttributesOf(lead)).toMatchObject({ status: 'rejected-spam', team: undefined, slaDeadline: null });
  await exportHistory('spam-rejected', lead.handle);
});

test('merged submissions: one sent before the lead is recorded is qualified with it; later ones join the record once', async () => {
  const chat = (n: number): MergedSubmission => ({
    submissionId: `chat-${n}`,
    lead: { ...normalisedLead, source: 'chat', text: `chat ${n}: our AWS landing zone should be ready by Friday` },
    receivedAt: new Date(Date.parse('2025-03-10T09:00:00Z') + n * 60_000).toISOString(),
  });
  // The first chat comes with the start, before recordLead has written the lead.
  const lead = await startLead({}, { merged: chat(1) });
  await lead.fake.called('openOffer', offerTo(1, 'ana'));
  await lead.handle.signal(mergeSubmissionSignal, chat(2));
  await lead.handle.signal(mergeSubmissionSignal, chat(2)); // intake resending a merge it was unsure of
  await lead.fake.called('recordMergedSubmission', (m) => m.submission.submissionId === 'chat-2');
  expect((await lead.handle.query(leadStateQuery)).merged).toEqual([
    { submissionId: 'chat-1', source: 'chat', receivedAt: chat(1).receivedAt },
    { submissionId: 'chat-2', source: 'chat', receivedAt: chat(2).receivedAt },
  ]);
  await accept(lead, { offerNumber: 1, repId: 'ana' });
  expect(await lead.handle.result()).toMatchObject({ owner: 'ana' });
  expect(lead.fake.inputs('qualifyLead')[0]?.merged).toEqual([chat(1)]);
  expect(lead.fake.inputs('recordMergedSubmission')).toEqual([
    { leadId: lead.leadId, submission: chat(1) },
    { leadId: lead.leadId, submission: chat(2) },
  ]);
  const names = lead.fake.calls.map((c) => c.name);
  expect(names.indexOf('recordMergedSubmission')).toBeGreaterThan(names.indexOf('recordLead'));
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

test('a business-day SLA offered Friday 15:00 counts only working hours: reminded Monday 11:00, expired Monday 15:00', async () => {
  const friday = nextFriday3pm(await env.currentTimeMs());
  const businessDay = {
    ...stage('candidate', 0, ['wendy'], 8 * 3_600_000, 'the partner desk'),
    sla: { ms: 8 * 3_600_000, businessHours: officeHoursUtc },
  };
  const plan = cloudPlan([businessDay, stage('escalation', 1, ['mgr'], minutes(15), 'escalation level 1')]);
  await env.sleep(friday - (await env.currentTimeMs()));

  const lead = await startLead({ plan });
  const offered = await lead.fake.called('openOffer', offerTo(1, 'wendy'));
  const offeredAt = Date.parse(offered.offeredAt);
  // Routing judges who is available at the workflow's time (Friday afternoon here), not the machine's.
  expect(msAfter(new Date(friday).toISOString(), lead.fake.inputs('routeLead')[0]?.at)).toBeLessThan(tolerance);
  expect(msAfter(new Date(friday).toISOString(), offered.offeredAt)).toBeLessThan(tolerance);
  // Friday 15:00-17:00 is two working hours; the other six run Monday 09:00-15:00: the same time, three days on.
  expect(Date.parse(offered.deadline) - offeredAt).toBe(3 * 86_400_000);

  // Saturday: still Wendy's, and nobody has been chased.
  await env.sleep(friday + 86_400_000 - (await env.currentTimeMs()));
  expect(await lead.handle.query(leadStateQuery)).toMatchObject({
    status: 'offered',
    currentOffer: { offerNumber: 1 },
  });
  expect(lead.fake.inputs('remindOffer')).toEqual([]);

  await env.sleep(Date.parse(offered.deadline) + 1_000 - (await env.currentTimeMs()));
  await lead.fake.called('openOffer', offerTo(2, 'mgr'));
  const reminders = lead.fake.inputs('remindOffer');
  expect(reminders).toHaveLength(1);
  // Half the working time: Friday's two hours and Monday 09:00-11:00.
  const mondayEleven = new Date(offeredAt + 3 * 86_400_000 - 4 * 3_600_000).toISOString();
  expect(msAfter(mondayEleven, reminders[0]?.remindedAt)).toBeLessThan(tolerance);
  await accept(lead, { offerNumber: 2, repId: 'mgr' });
  expect(await lead.handle.result()).toMatchObject({ owner: 'mgr', offers: 2 });
  expect(await outcomesOf(lead)).toEqual([
    [1, 'wendy', 'timed-out'],
    [2, 'mgr', 'accepted'],
  ]);
  await exportHistory('business-hours-over-weekend', lead.handle);
});
