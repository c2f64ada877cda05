// One inbound lead, from intake until a rep owns it. Reads top to bottom as the sales process:
// record → dedupe → qualify → route → offer to each candidate under an SLA → escalate → catch-all.
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  proxyActivities,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { describePerson, type LeadStatus, type LeadWorkflowInput, type MergedSubmission } from '../src/lead';
import {
  describeAssignment,
  describeIgnoredSignal,
  describeMatch,
  describeOffer,
  describeOfferOpened,
  describeQualification,
  summariseLead,
} from '../src/lead-narrative';
import { refuseAnswer, type OffersNow } from '../src/offer-refusals';
import { slaDeadline } from '../src/routing/business-time';
import type { OfferStage } from '../src/routing/plan';
import {
  acceptOffer,
  acceptSignal,
  declineOffer,
  declineSignal,
  leadStateQuery,
  mergeSubmissionSignal,
  receivedLeadView,
  searchAttributes as sa,
  type OfferAnswer,
  type OfferView,
} from './messages';

const activities = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  // Postgres or SMTP being down must delay a lead, never lose it: retry until they are back.
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

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
}

export async function leadWorkflow(input: LeadWorkflowInput): Promise<LeadOutcome> {
  const { leadId } = input;

  // ── State ───────────────────────────────────────────────────────────────────────────────
  const view = receivedLeadView(leadId, Date.now());
  /** The answer to the current offer, once a valid one arrives. */
  let answer: Answer | undefined;
  /** Merged submissions wait for the lead's own record before adding to it. */
  let recorded = false;
  const merges: MergedSubmission[] = [];

  // ── Handlers ────────────────────────────────────────────────────────────────────────────
  setHandler(leadStateQuery, () => view);

  setHandler(
    acceptOffer,
    async (a) => {
      answer = { kind: 'accepted', offerNumber: a.offerNumber, repId: a.repId };
      // The rep learns the lead is theirs only once that is durable in Postgres.
      await condition(() => view.owner !== null);
      return { leadId, owner: a.repId, offerNumber: a.offerNumber };
    },
    { validator: (a: OfferAnswer) => assertAnswerable(a, 'accept') },
  );

  setHandler(
    declineOffer,
    async (a) => {
      answer = { kind: 'declined', offerNumber: a.offerNumber, repId: a.repId, reason: a.reason };
      await condition(() => view.offers[a.offerNumber - 1]?.outcome === 'declined');
      return { leadId, offerNumber: a.offerNumber };
    },
    { validator: (a: OfferAnswer) => assertAnswerable(a, 'decline') },
  );

  setHandler(mergeSubmissionSignal, async (submission) => {
    // Intake may resend a merge it is unsure was delivered; the submission id makes that harmless.
    if (merges.some((m) => m.submissionId === submission.submissionId)) return;
    merges.push(submission);
    const { submissionId, receivedAt } = submission;
    view.merged.push({ submissionId, source: submission.lead.source, receivedAt });
    await condition(() => recorded);
    await activities.recordMergedSubmission({ leadId, submission });
  });

  setHandler(acceptSignal, (a) => receiveSignal('accept', a));
  setHandler(declineSignal, (a) => receiveSignal('decline', a));

  // ── The process ─────────────────────────────────────────────────────────────────────────
  upsertSearchAttributes([
    { key: sa.LeadStatus, value: view.status },
    { key: sa.Source, value: input.lead.source },
    { key: sa.EscalationLevel, value: 0 },
    { key: sa.SlaDeadline, value: new Date(view.deadline as string) },
  ]);
  await activities.recordLead(input);
  recorded = true;

  const match = await activities.matchContact({ leadId, input });
  await decide('matched', 'matched', describeMatch(match), match);

  // A chat merged before qualification is read together with the form it follows.
  const qualification = await activities.qualifyLead({ leadId, input, merged: [...merges], match });
  view.qualification = qualification;
  await decide('qualified', 'qualified', describeQualification(qualification), qualification);
  if (qualification.spam) {
    await moveTo('rejected-spam', null);
    return await close('rejected-spam');
  }

  const plan = await activities.routeLead({ leadId, input, qualification, match, at: new Date().toISOString() });
  view.teamId = plan.teamId;
  view.routing = plan.description;
  upsertSearchAttributes([
    { key: sa.Team, value: plan.teamId },
    { key: sa.LeadTier, value: qualification.tier },
  ]);
  await decide('routed', 'routed', plan.description, plan);

  for (const stage of plan.stages) {
    const outcome = await offer(stage);
    if (outcome?.kind === 'accepted') return await assign(outcome);
  }

  // Nobody in the chain took it: the catch-all queue, re-alerting until someone claims the lead.
  for (let round = 1; ; round++) {
    const outcome = await offer(plan.catchAll, async (offerNumber) => {
      await activities.alertCatchAll({
        leadId,
        input,
        offerNumber,
        round,
        alertEmail: plan.catchAll.alertEmail,
        claimants: plan.catchAll.repIds,
        history: view.offers.filter((o) => o.outcome !== 'open').map(describeOffer),
        // Claim links stop working when this round's re-alert supersedes them.
        deadline: view.currentOffer?.deadline,
      });
    });
    if (outcome?.kind === 'accepted') return await assign(outcome);
  }

  // ── Steps ───────────────────────────────────────────────────────────────────────────────
  /** Offers the lead under the stage's SLA; resolves with the answer, or undefined when the SLA passed. */
  async function offer(
    stage: OfferStage,
    notify?: (offerNumber: number) => Promise<void>,
  ): Promise<Answer | undefined> {
    const offeredAt = new Date();
    const deadline = new Date(slaDeadline(offeredAt.getTime(), stage.sla));
    const current: OfferView = {
      offerNumber: view.offers.length + 1,
      kind: stage.kind,
      level: stage.level,
      repIds: stage.repIds,
      offeredAt: offeredAt.toISOString(),
      deadline: deadline.toISOString(),
      outcome: 'open',
    };
    view.offers.push(current);
    view.currentOffer = current;
    view.escalationLevel = stage.level;
    await moveTo(statusOf(stage), deadline);
    const offered = {
      leadId,
      input,
      qualification,
      offerNumber: current.offerNumber,
      stage,
      offeredAt: current.offeredAt,
      deadline: current.deadline,
      whyYou: stage.why,
    };
    await activities.openOffer(offered);
    await decide(`offer:${current.offerNumber}:opened`, 'offered', describeOfferOpened(current, stage.why), current);
    await notify?.(current.offerNumber);

    // Half way to the deadline, a silent rep gets one reminder; the catch-all has its own re-alerts.
    if (stage.kind !== 'catch-all') {
      // Half the working time, so a Friday-afternoon offer is not chased at 3 a.m. on Sunday.
      const halfway = slaDeadline(offeredAt.getTime(), { ...stage.sla, ms: stage.sla.ms / 2 });
      if (!(await condition(() => answer !== undefined, Math.max(1, halfway - Date.now())))) {
        current.remindedAt = new Date().toISOString();
        await activities.remindOffer({ ...offered, remindedAt: current.remindedAt });
      }
    }
    await condition(() => answer !== undefined, Math.max(1, deadline.getTime() - Date.now()));
    const result = answer;
    answer = undefined;
    view.currentOffer = null;

    current.outcome = result?.kind ?? 'timed-out';
    current.answeredBy = result?.repId;
    current.reason = result?.reason;
    const closedAt = new Date().toISOString();
    await activities.closeOffer({
      leadId,
      offerNumber: current.offerNumber,
      status: current.outcome,
      answeredBy: result?.repId ?? null,
      reason: result?.reason ?? null,
      at: closedAt,
    });
    const closed = `offer:${current.offerNumber}:${current.outcome}`;
    await decide(closed, current.outcome, describeOffer(current), current, closedAt);
    return result;
  }

  async function assign(outcome: Answer): Promise<LeadOutcome> {
    await activities.assignLead({ leadId, repId: outcome.repId, input, match });
    view.owner = outcome.repId;
    upsertSearchAttributes([{ key: sa.AssignedRep, value: outcome.repId }]);
    await moveTo('assigned', null);
    await decide('assigned', 'assigned', describeAssignment(outcome), outcome);
    return await close('assigned');
  }

  async function close(status: LeadOutcome['status']): Promise<LeadOutcome> {
    // Let an update handler reply to its rep, and an ignored signal be recorded, before the run ends.
    await condition(allHandlersFinished);
    return { leadId, status, owner: view.owner, offers: view.offers.length };
  }

  /** One place that keeps the query view, search attributes, memo and Postgres in step. */
  async function moveTo(status: LeadStatus, deadline: Date | null): Promise<void> {
    view.status = status;
    view.deadline = deadline?.toISOString() ?? null;
    const offered = view.currentOffer?.kind !== 'catch-all' ? (view.currentOffer?.repIds[0] ?? null) : null;
    upsertSearchAttributes([
      { key: sa.LeadStatus, value: status },
      { key: sa.OfferedRep, value: offered },
      { key: sa.EscalationLevel, value: view.escalationLevel },
      { key: sa.SlaDeadline, value: deadline },
    ]);
    upsertMemo({ summary: summariseLead(describePerson(input), view), routing: view.routing });
    await activities.recordProgress({
      leadId,
      status,
      escalationLevel: view.escalationLevel,
      slaDeadline: view.deadline,
      offeredRepIds: view.currentOffer?.repIds ?? [],
    });
  }

  async function decide(key: string, kind: string, summary: string, detail: unknown, at = new Date().toISOString()) {
    await activities.recordDecision({ leadId, key, kind, summary, detail, at });
  }

  // ── Answers ─────────────────────────────────────────────────────────────────────────────
  /** Signals cannot be refused to the sender, so an invalid one is ignored and the reason recorded. */
  async function receiveSignal(signal: 'accept' | 'decline', a: OfferAnswer): Promise<void> {
    const refusal = refuseAnswer(a, signal, offersNow());
    if (!refusal) {
      const kind = signal === 'accept' ? 'accepted' : 'declined';
      answer = { kind, offerNumber: a.offerNumber, repId: a.repId, reason: a.reason };
      return;
    }
    const at = new Date().toISOString();
    view.ignoredSignals.push({ signal, answer: a, reason: refusal.message, at });
    const summary = describeIgnoredSignal(signal, a, refusal.message);
    await decide(`ignored-signal:${view.ignoredSignals.length}`, 'ignored-signal', summary, { signal, answer: a }, at);
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

function statusOf(stage: OfferStage): LeadStatus {
  return stage.kind === 'candidate' ? 'offered' : stage.kind === 'escalation' ? 'escalated' : 'catch-all';
}
