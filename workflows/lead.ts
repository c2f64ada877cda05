// One inbound lead, from intake until a rep owns it. Reads top to bottom as the sales process:
// receive (dedupe and qualify) → route → offer to each candidate under an SLA → escalate → catch-all, and a person
// for a lead no step can move on; then, once owned, the first touch: nudge the owner, tell the manager, offer the
// lead again. No run ends Failed, and every state has a deadline.
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  CancelledFailure,
  TemporalFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { FirstTouchWait } from '../activities/assign';
import type { ClosingOffer, OpenedOffer, ToldOffer } from '../activities/offers';
import type { LeadRoute } from '../activities/route';
import type { LeadStatus } from '../src/lead';
import { describeIgnoredSignal, summariseLead } from '../src/lead-narrative';
import { statusOf } from '../src/offer';
import { refuseAnswer, type OffersNow } from '../src/offer-refusals';
import { catchAllReAlertCeilingMs } from '../src/routing/catch-all-alerts';
import {
  acceptOffer,
  acceptSignal,
  declineOffer,
  declineSignal,
  firstTouchSignal,
  leadStateQuery,
  mergeSubmissionSignal,
  receivedLeadView,
  searchAttributes as sa,
  type LeadView,
  type LeadWorkflowInput,
  type OfferAnswer,
} from './messages';

// Postgres or SMTP being down must delay a lead, never lose it: every step retries until they are back. Only an
// error retrying cannot cure reaches the workflow, which hands the lead to a person.
const retry = { initialInterval: '1 second', maximumInterval: '1 minute' } as const;
/** Short, idempotent database steps (and the in-process classifier): no round trip to the server each. */
const local = proxyLocalActivities<Activities>({ startToCloseTimeout: '30 seconds', retry });
/** Emails: their own steps after the offer is durable, retried by the server through an outage of any length. */
const remote = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry });
/**
 * An offer's email is tried once inside the workflow task, as the rep is waiting for it: no round trip through the
 * server. A refusal hands it to `remote`, whose retries add nothing to the history however long the outage lasts.
 * Short, because answers and queries wait for the task: a slow mail server is `remote`'s to wait for.
 */
const firstTry = proxyLocalActivities<Activities>({ startToCloseTimeout: '5 seconds', retry: { maximumAttempts: 1 } });

/** Catch-all rounds one run carries before it continues as new (sooner if the server suggests it). */
export const roundsPerRun = 50;
/** Ignored signals and merges the query view keeps across runs; the timeline keeps them all. */
const carriedListLength = 20;

export interface LeadOutcome {
  leadId: string;
  status: Extract<LeadStatus, 'assigned' | 'rejected-spam'>;
  owner: string | null;
  offers: number;
}

interface Answer {
  kind: 'accepted' | 'declined';
  offerNumber: number;
  repId: string;
  reason?: string;
  /** Set once the workflow acted on it: true when durable, else why it could not be (the Update fails with it). */
  settled?: true | string;
}

export async function leadWorkflow(input: LeadWorkflowInput): Promise<LeadOutcome> {
  const { leadId, receivedAt } = input;

  // ── State ───────────────────────────────────────────────────────────────────────────────
  // The intake deadline counts from when the API took the lead, not from when a worker first ran this.
  const view: LeadView = input.waiting?.view ?? receivedLeadView(leadId, Date.parse(receivedAt));
  /** The answer to the current offer, once a valid one arrives. */
  let answer: Answer | undefined;
  /** The offer that ended but is not yet closed in Postgres: the next step closes it. */
  let closing: { offer: ClosingOffer; answer?: Answer } | null = null;
  /** Merged submissions and ignored signals wait for the lead's own record before adding to it. */
  let recorded = input.waiting !== undefined;
  let ignoredSignals = input.waiting?.ignoredSignals ?? 0;
  /** When the owner reported the first touch, once the outcomes API says so. */
  let touched: string | undefined;

  // ── Handlers ────────────────────────────────────────────────────────────────────────────
  setHandler(leadStateQuery, () => view);

  setHandler(
    acceptOffer,
    async (a) => {
      const mine: Answer = { kind: 'accepted', offerNumber: a.offerNumber, repId: a.repId };
      answer = mine;
      // The rep learns the lead is theirs only once that is durable in Postgres.
      await condition(() => mine.settled !== undefined);
      if (mine.settled !== true)
        throw ApplicationFailure.create({ type: 'AssignmentFailed', message: mine.settled, nonRetryable: true });
      return { leadId, owner: a.repId, offerNumber: a.offerNumber };
    },
    { validator: (a: OfferAnswer) => assertAnswerable(a, 'accept') },
  );

  setHandler(
    declineOffer,
    async (a) => {
      const mine: Answer = { kind: 'declined', offerNumber: a.offerNumber, repId: a.repId, reason: a.reason };
      answer = mine;
      await condition(() => mine.settled !== undefined);
      return { leadId, offerNumber: a.offerNumber };
    },
    { validator: (a: OfferAnswer) => assertAnswerable(a, 'decline') },
  );

  setHandler(mergeSubmissionSignal, async (notice) => {
    // Intake may resend a merge it is unsure was delivered; the submission id makes that harmless.
    if (view.merged.some((m) => m.submissionId === notice.submissionId)) return;
    view.merged.push(notice);
    await condition(() => recorded);
    try {
      await local.recordMergedSubmission({ leadId, submissionId: notice.submissionId });
    } catch (err) {
      // The submission stays in Postgres; the lead goes on without its words.
      if (!isStepFailure(err)) throw err;
      view.problem = `submission ${notice.submissionId} could not be merged: ${problemOf(err)}`;
    }
  });

  // Only the owner can report an outcome (the API refuses anyone else), so any touch is the owner's.
  setHandler(firstTouchSignal, (notice) => {
    touched ??= notice.at;
  });

  setHandler(acceptSignal, (a) => receiveSignal('accept', a));
  setHandler(declineSignal, (a) => receiveSignal('decline', a));

  // ── The process ─────────────────────────────────────────────────────────────────────────
  if (input.waiting) return await waitForClaim(input.waiting.round, Date.parse(input.waiting.nextAlertAt));

  try {
    const { source, qualification } = await local.receiveLead({ leadId, at: now() });
    recorded = true;
    view.source = source;
    view.qualification = qualification;
    if (qualification.spam) {
      show('rejected-spam', null);
      return await close('rejected-spam');
    }

    const route = await local.routeLead({ leadId, at: now() });
    view.teamId = route.teamId;
    view.routing = route.description;

    let opened = route.firstOffer;
    for (let stage = 0; stage < route.stages.length; stage++) {
      opened ??= await openNext(route, stage);
      const outcome = await offer(opened);
      if (outcome?.kind === 'accepted') return await owned(outcome, await assign(outcome));
      opened = null;
    }
    // Nobody in the chain took it: the catch-all queue, alerted until someone claims the lead.
    enter(await openNext(route, 'catch-all'));
  } catch (err) {
    if (!isStepFailure(err)) throw err;
    await needsAttention(problemOf(err));
  }
  return await waitForClaim(0, Date.now());

  // ── Steps ───────────────────────────────────────────────────────────────────────────────
  /** Opens the plan's next stage, closing the offer that just ended in the same step. */
  async function openNext(route: LeadRoute, stage: number | 'catch-all'): Promise<OpenedOffer> {
    const ended = closing;
    const opened = await local.openOffer({
      leadId,
      offerNumber: view.offers.length + 1,
      stage,
      closing: ended?.offer ?? null,
      at: now(),
    });
    settle(ended);
    return opened;
  }

  /** Tells the rep, reminds them half way, and waits for the SLA; resolves with the answer, or undefined. */
  async function offer(opened: OpenedOffer): Promise<Answer | undefined> {
    // The search attributes show a later offer at once: until it is told they would show the one that ended.
    const current = opened.offer.offerNumber === 1 ? track(opened) : enter(opened);
    // The SLA starts when the mail server takes the offer: an SMTP outage delays it, and burns nothing.
    const told = await unlessAnswered(notifyOffer(opened));
    if (told) {
      current.toldAt = told.toldAt;
      current.deadline = told.deadline;
      if (answer === undefined) show(statusOf(opened.offer.kind), told.deadline);

      // Half the working time, so a Friday-afternoon offer is not chased at 3 a.m. on Sunday.
      if (!(await condition(answered, untilMs(told.remindAt)))) {
        const remindedAt = await unlessAnswered(
          until(answered, () => remote.remindOffer({ leadId, offerNumber: current.offerNumber })),
        );
        if (remindedAt) current.remindedAt = remindedAt;
      }
      // A rep who answered before the reminder needs no second wait (a timer set and cancelled at once).
      if (!answered()) await condition(answered, untilMs(told.deadline));
    }
    const result = answer;
    answer = undefined;
    view.currentOffer = null;
    current.outcome = result?.kind ?? 'timed-out';
    current.answeredBy = result?.repId;
    current.reason = result?.reason;
    if (result?.kind !== 'accepted') {
      const ended = { offerNumber: current.offerNumber, outcome: current.outcome, at: now() };
      closing = {
        offer: { ...ended, answeredBy: result?.repId ?? null, reason: result?.reason ?? null },
        answer: result,
      };
    }
    return result;
  }

  /** Until the mail server takes the email, the lead shows it is waiting to notify (rarely seen: the first try). */
  async function notifyOffer(opened: OpenedOffer): Promise<ToldOffer | undefined> {
    const { offerNumber } = opened.offer;
    try {
      return await firstTry.notifyOffer({ leadId, offerNumber, at: now() });
    } catch (err) {
      // A rep who answered meanwhile (from their offers page) needs no email, and their answer no wait.
      if (!isStepFailure(err) || !retryable(err) || answered()) throw err;
      show(opened.status, opened.deadline);
      return await until(answered, () => remote.notifyOffer({ leadId, offerNumber, at: now() }));
    }
  }

  /**
   * An email retried through a mail outage is dropped once it no longer matters (the rep answered, the owner
   * reported the first touch): nothing waits for it.
   */
  async function until<T>(done: () => boolean, email: () => Promise<T>): Promise<T | undefined> {
    return await CancellationScope.cancellable(async () => {
      const sending = email();
      const answering = condition(done);
      // Whichever loses the race is cancelled below; its rejection is expected.
      sending.catch(() => {});
      answering.catch(() => {});
      try {
        return await Promise.race([sending, answering.then(() => undefined)]);
      } finally {
        CancellationScope.current().cancel();
      }
    });
  }

  /** An email to the rep that could not be sent no longer matters once the rep has answered: the answer stands. */
  async function unlessAnswered<T>(email: Promise<T>): Promise<T | undefined> {
    try {
      return await email;
    } catch (err) {
      if (!isStepFailure(err) || !answered()) throw err;
      view.problem = problemOf(err);
      return undefined;
    }
  }

  /** Makes the rep who accepted the owner; resolves with their first-touch SLA, if the policy sets one. */
  async function assign(a: Answer): Promise<FirstTouchWait | null> {
    let firstTouch: FirstTouchWait | null;
    try {
      ({ firstTouch } = await local.assignLead({ leadId, offerNumber: a.offerNumber, repId: a.repId, at: now() }));
    } catch (err) {
      if (!isStepFailure(err)) throw err;
      // The rep is told why, and the offer they took is withdrawn for the person who picks the lead up.
      const problem = `${a.repId} could not be made the owner: ${problemOf(err)}`;
      a.settled = problem;
      const taken = view.offers[a.offerNumber - 1];
      if (taken) Object.assign(taken, { outcome: 'withdrawn', reason: problem });
      const ended = { offerNumber: a.offerNumber, outcome: 'withdrawn' as const, at: now() };
      closing = { offer: { ...ended, answeredBy: null, reason: problem } };
      throw err;
    }
    const accepted = view.offers[a.offerNumber - 1];
    if (accepted) Object.assign(accepted, { outcome: 'accepted', answeredBy: a.repId });
    view.currentOffer = null;
    view.owner = a.repId;
    a.settled = true;
    return firstTouch;
  }

  /**
   * Owned is not contacted: until the owner reports a first touch, the policy's steps follow one SLA apart (nudge
   * the owner, tell their manager, offer the lead again). Without a first-touch SLA the lead is done once owned.
   */
  async function owned(a: Answer, plan: FirstTouchWait | null): Promise<LeadOutcome> {
    if (!plan) {
      show('assigned', null);
      return await close('assigned');
    }
    const owner = a.repId;
    const isTouched = () => touched !== undefined;
    view.firstTouch = { dueAt: plan.dueAt, slaText: plan.slaText, touchedAt: null };
    show('assigned', plan.dueAt);
    for (const [step, { kind, at }] of plan.steps.entries()) {
      if (await condition(isTouched, untilMs(at))) break;
      if (kind === 'reoffer') {
        try {
          const offerNumber = view.offers.length + 1;
          const result = await local.reofferUntouched({ leadId, offerNumber, repId: owner, plan, at: now() });
          if (result.touchedAt !== null) {
            touched ??= result.touchedAt;
            break;
          }
          view.owner = null;
          view.firstTouch = null;
          enter(result.opened);
        } catch (err) {
          if (!isStepFailure(err)) throw err;
          await needsAttention(`the lead could not be offered again: ${problemOf(err)}`);
        }
        return await waitForClaim(0, Date.now());
      }
      try {
        const result = await until(isTouched, () =>
          remote.remindFirstTouch({ leadId, offerNumber: a.offerNumber, repId: owner, plan, step }),
        );
        if (result && result.touchedAt !== null) touched ??= result.touchedAt;
      } catch (err) {
        // The steps go on: a nudge that cannot be sent must not keep the manager from hearing of the lead.
        if (!isStepFailure(err)) throw err;
        view.problem = `${kind} failed: ${problemOf(err)}`;
      }
      if (isTouched()) break;
      show('first-touch-overdue', plan.steps[step + 1]?.at ?? plan.watchUntil);
    }
    // Left with its owner after the last step: watched for a first touch as long as outcomes count.
    if (!isTouched()) await condition(isTouched, untilMs(plan.watchUntil));
    if (touched !== undefined) {
      view.firstTouch.touchedAt = touched;
      try {
        await local.noteFirstTouch({ leadId, offerNumber: a.offerNumber, repId: owner, at: touched });
      } catch (err) {
        if (!isStepFailure(err)) throw err;
        view.problem = `the first touch could not be recorded on the lead: ${problemOf(err)}`;
      }
      show('assigned', null);
    }
    return await close('assigned');
  }

  /**
   * The catch-all queue (or a lead that needs attention): alerted when due, backing off, until someone claims it.
   * Each round is a timer and an alert; the run continues as new before its history grows large.
   */
  async function waitForClaim(round: number, nextAlertAt: number): Promise<LeadOutcome> {
    /** The alert being sent: a claim is taken while it retries through a mail outage. */
    let alerting: Promise<void> | null = null;
    for (let roundsThisRun = 0; ;) {
      const current = view.currentOffer;
      if (!alerting && current && Date.now() >= nextAlertAt) {
        round++;
        roundsThisRun++;
        const alerted = round;
        alerting = remote.alertCatchAll({ leadId, offerNumber: current.offerNumber, round: alerted }).then(
          (a) => {
            nextAlertAt = Date.parse(a.nextAlertAt);
            alerting = null;
            if (!view.owner) show(view.status, nextAlertAt);
          },
          (err: unknown) => {
            if (!isStepFailure(err)) throw err;
            view.problem = `alert ${alerted} could not be sent: ${problemOf(err)}`;
            nextAlertAt = Date.now() + catchAllReAlertCeilingMs;
            alerting = null;
            if (!view.owner) show(view.status, nextAlertAt);
          },
        );
      }
      if (alerting) await condition(() => answered() || alerting === null);
      else await condition(answered, Math.max(1, nextAlertAt - Date.now()));
      if (answered()) {
        const claim = answer!;
        answer = undefined;
        let firstTouch: FirstTouchWait | null;
        try {
          firstTouch = await assign(claim);
        } catch (err) {
          if (!isStepFailure(err)) throw err;
          await needsAttention(claim.settled as string);
          nextAlertAt = Date.now();
          continue;
        }
        return await owned(claim, firstTouch);
      }
      if (!alerting && (roundsThisRun >= roundsPerRun || workflowInfo().continueAsNewSuggested)) {
        // Let an Update reply and a merge be recorded first; a claim that arrived meanwhile is taken in this run.
        await condition(allHandlersFinished);
        if (answer !== undefined) continue;
        const carried: LeadView = {
          ...view,
          ignoredSignals: view.ignoredSignals.slice(-carriedListLength),
          merged: view.merged.slice(-carriedListLength),
        };
        const waiting = { view: carried, round, nextAlertAt: new Date(nextAlertAt).toISOString(), ignoredSignals };
        return await continueAsNew<typeof leadWorkflow>({ leadId, receivedAt, waiting });
      }
    }
  }

  /**
   * A step failed in a way retrying cannot cure: the open offer is withdrawn and the lead waits in the catch-all
   * queue for a person, its team alerted once with the reason (the catch-all's re-alerts follow).
   */
  async function needsAttention(problem: string): Promise<void> {
    view.problem = problem;
    const current = view.currentOffer;
    const ended =
      closing ??
      (current
        ? {
            offer: {
              offerNumber: current.offerNumber,
              outcome: 'withdrawn' as const,
              answeredBy: null,
              reason: problem,
              at: now(),
            },
          }
        : null);
    if (current && !closing) Object.assign(current, { outcome: 'withdrawn', reason: problem });
    const offerNumber = view.offers.length + 1;
    try {
      enter(
        await local.flagNeedsAttention({ leadId, offerNumber, problem, closing: ended?.offer ?? null, at: now() }),
        'needs-attention',
      );
      settle(ended);
    } catch (err) {
      if (!isStepFailure(err)) throw err;
      // Even handing the lead to a person failed: the Web UI still shows it, and any rep may claim it. A decline
      // that ended the offer is answered all the same.
      settle(ended);
      enter(
        {
          offer: {
            offerNumber,
            kind: 'catch-all',
            level: view.escalationLevel,
            repIds: [],
            offeredAt: now(),
            deadline: null,
            outcome: 'open',
          },
          status: 'needs-attention',
          deadline: new Date(Date.now() + catchAllReAlertCeilingMs).toISOString(),
        },
        'needs-attention',
      );
      view.problem = `${problem}; handing it to a person failed too: ${problemOf(err)}`;
    }
  }

  /** The lead is at a new offer: the query view, search attributes and memo show it. */
  function enter(opened: OpenedOffer, status: LeadStatus = opened.status) {
    const current = track(opened);
    show(status, opened.deadline);
    return current;
  }

  /** The lead is at a new offer, in the query view only: search attributes and memo follow once it is told. */
  function track(opened: OpenedOffer) {
    const current = { ...opened.offer };
    view.offers[current.offerNumber - 1] = current;
    view.currentOffer = current;
    view.escalationLevel = current.level;
    view.status = opened.status;
    view.deadline = opened.deadline === null ? null : new Date(opened.deadline).toISOString();
    return current;
  }

  async function close(status: LeadOutcome['status']): Promise<LeadOutcome> {
    // Let an update handler reply to its rep, and an ignored signal be recorded, before the run ends.
    await condition(allHandlersFinished);
    return { leadId, status, owner: view.owner, offers: view.offers.length };
  }

  /** The one place that keeps the query view, search attributes and memo in step (Postgres moves in each step). */
  function show(status: LeadStatus, deadline: number | string | null): void {
    view.status = status;
    view.deadline = deadline === null ? null : new Date(deadline).toISOString();
    const current = view.currentOffer;
    const offered = current && current.kind !== 'catch-all' ? (current.repIds[0] ?? null) : null;
    // One upsert per change of state: each is a history event and a visibility write.
    upsertSearchAttributes([
      { key: sa.LeadStatus, value: status },
      ...(view.teamId ? [{ key: sa.Team, value: view.teamId }] : []),
      ...(view.qualification ? [{ key: sa.LeadTier, value: view.qualification.tier }] : []),
      // Null when a lead offered again has no owner any more.
      { key: sa.AssignedRep, value: view.owner },
      { key: sa.OfferedRep, value: offered },
      { key: sa.EscalationLevel, value: view.escalationLevel },
      { key: sa.SlaDeadline, value: view.deadline === null ? null : new Date(view.deadline) },
    ]);
    const summary = summariseLead(view.source ?? 'new', view);
    upsertMemo({ summary, routing: view.routing });
    // The Web UI's "current details" of the run: answered through a query, so the codec encrypts it too.
    setCurrentDetails(view.routing ? `${summary}\n\n${view.routing}` : summary);
  }

  function settle(ended: { answer?: Answer } | null): void {
    if (ended?.answer) ended.answer.settled = true;
    if (ended === closing) closing = null;
  }

  // ── Answers ─────────────────────────────────────────────────────────────────────────────
  function answered(): boolean {
    return answer !== undefined;
  }

  /** Signals cannot be refused to the sender, so an invalid one is ignored and the reason recorded. */
  async function receiveSignal(signal: 'accept' | 'decline', a: OfferAnswer): Promise<void> {
    const refusal = refuseAnswer(a, signal, offersNow());
    if (!refusal) {
      const kind = signal === 'accept' ? 'accepted' : 'declined';
      answer = { kind, offerNumber: a.offerNumber, repId: a.repId, reason: a.reason };
      return;
    }
    const at = now();
    view.ignoredSignals.push({ signal, answer: a, reason: refusal.message, at });
    const number = ++ignoredSignals;
    await condition(() => recorded);
    const summary = describeIgnoredSignal(signal, a, refusal.message);
    try {
      await local.recordIgnoredSignal({ leadId, number, summary, at });
    } catch (err) {
      if (!isStepFailure(err)) throw err;
    }
  }

  function assertAnswerable(a: OfferAnswer, action: 'accept' | 'decline'): void {
    const refusal = refuseAnswer(a, action, offersNow());
    if (refusal) throw ApplicationFailure.create({ ...refusal, nonRetryable: true });
  }

  function offersNow(): OffersNow {
    const { offers, currentOffer: current } = view;
    return { leadId, offers, current, answered: answer !== undefined, nowMs: Date.now() };
  }
}

function now(): string {
  return new Date().toISOString();
}

/** Milliseconds from the workflow's now until `iso`, at least 1 (a timer of 0 would never fire). */
function untilMs(iso: string): number {
  return Math.max(1, Date.parse(iso) - Date.now());
}

/**
 * A step's failure that retrying could not cure (activities retry everything else until it works). A local
 * activity's reaches the workflow as its own ApplicationFailure, a remote one's wrapped in an ActivityFailure.
 */
function isStepFailure(err: unknown): err is TemporalFailure {
  return err instanceof TemporalFailure && !(err instanceof CancelledFailure);
}

/** A step failure that another attempt may cure: anything but an error the step itself declared final. */
function retryable(err: TemporalFailure): boolean {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return !(cause instanceof ApplicationFailure && cause.nonRetryable);
}

/** What went wrong, in the words of the step that failed. */
function problemOf(err: TemporalFailure): string {
  if (err instanceof ActivityFailure)
    return `${err.activityType ?? 'a step'} failed: ${err.cause?.message ?? err.message}`;
  return err.message;
}
