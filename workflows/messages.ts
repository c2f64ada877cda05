// The lead workflow's public surface, imported by the workflow, the worker and the API alike.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { intakeDeadlineMs, type LeadStatus, type MergeNotice } from '../src/lead';
import type { OfferAnswer, OfferView } from '../src/offer';
import type { Qualification } from '../src/qualification';

export type { OfferAnswer, OfferView } from '../src/offer';
/** Failure types a refused accept or decline carries; the API maps them to HTTP statuses. */
export { refusalTypes } from '../src/offer-refusals';

export const searchAttributes = {
  LeadStatus: defineSearchAttributeKey('LeadStatus', SearchAttributeType.KEYWORD),
  OfferedRep: defineSearchAttributeKey('OfferedRep', SearchAttributeType.KEYWORD),
  AssignedRep: defineSearchAttributeKey('AssignedRep', SearchAttributeType.KEYWORD),
  Team: defineSearchAttributeKey('Team', SearchAttributeType.KEYWORD),
  Source: defineSearchAttributeKey('Source', SearchAttributeType.KEYWORD),
  LeadTier: defineSearchAttributeKey('LeadTier', SearchAttributeType.KEYWORD),
  EscalationLevel: defineSearchAttributeKey('EscalationLevel', SearchAttributeType.INT),
  SlaDeadline: defineSearchAttributeKey('SlaDeadline', SearchAttributeType.DATETIME),
} as const;

export interface IgnoredSignal {
  signal: 'accept' | 'decline';
  answer: OfferAnswer;
  reason: string;
  at: string;
}

/**
 * A lead workflow starts from ids: the lead itself waits in Postgres (lead_submissions), where the API stored it,
 * and each step reads what it needs. `waiting` is set only when a run continues as new in the catch-all queue.
 */
export interface LeadWorkflowInput {
  leadId: string;
  /** ISO-8601; when the API accepted the lead. The intake deadline counts from here. */
  receivedAt: string;
  waiting?: CatchAllWait;
}

/** What a lead waiting in the catch-all queue carries into its next run: small and bounded. */
export interface CatchAllWait {
  view: LeadView;
  /** The alert round last sent (0: none went out yet). */
  round: number;
  /** Signals ignored so far: the view keeps only the latest, the timeline numbers them all. */
  ignoredSignals: number;
  /** When the next re-alert is due. */
  nextAlertAt: string;
}

export interface LeadView {
  leadId: string;
  /** Where the lead came from (web-form, chat, partner); null until the workflow has read it. */
  source: string | null;
  status: LeadStatus;
  /** When the current state must have moved on; null only once the lead is closed. */
  deadline: string | null;
  escalationLevel: number;
  teamId: string | null;
  owner: string | null;
  currentOffer: OfferView | null;
  offers: OfferView[];
  qualification: Qualification | null;
  routing: string | null;
  ignoredSignals: IgnoredSignal[];
  /** Later submissions from the same person merged into this lead (a chat after the form). */
  merged: MergeNotice[];
  /** Why the lead needs a person, when a step failed in a way retrying cannot cure. */
  problem: string | null;
  /** The owner's first-touch SLA, once owned under a policy that sets one. */
  firstTouch: { dueAt: string; slaText: string; touchedAt: string | null } | null;
}

/** A lead as intake leaves it: received, nothing decided yet, due out of intake `intakeDeadlineMs` after `receivedAtMs`. */
export function receivedLeadView(leadId: string, receivedAtMs: number): LeadView {
  return {
    leadId,
    source: null,
    status: 'received',
    deadline: new Date(receivedAtMs + intakeDeadlineMs).toISOString(),
    escalationLevel: 0,
    teamId: null,
    owner: null,
    currentOffer: null,
    offers: [],
    qualification: null,
    routing: null,
    ignoredSignals: [],
    merged: [],
    problem: null,
    firstTouch: null,
  };
}

export interface AcceptResult {
  leadId: string;
  owner: string;
  offerNumber: number;
}

export interface DeclineResult {
  leadId: string;
  offerNumber: number;
}

export const acceptOffer = defineUpdate<AcceptResult, [OfferAnswer]>('acceptOffer');
export const declineOffer = defineUpdate<DeclineResult, [OfferAnswer]>('declineOffer');
/** Fire-and-forget twins of the updates, for webhooks and bots; stale or foreign ones are ignored and recorded. */
export const acceptSignal = defineSignal<[OfferAnswer]>('accept');
export const declineSignal = defineSignal<[OfferAnswer]>('decline');
export const leadStateQuery = defineQuery<LeadView>('leadState');
/** Sent by intake when the same person submits again within the merge window; duplicates are ignored. */
export const mergeSubmissionSignal = defineSignal<[MergeNotice]>('mergeSubmission');

/** What a first touch report carries: when it happened (the outcome's instant) and the outcome that reported it. */
export interface FirstTouchNotice {
  at: string;
  outcomeId: number;
}
/**
 * Sent by the outcomes API when an owned lead's first funnel event is recorded (a first touch, or anything after
 * it): the first-touch SLA is met. Repeats are harmless.
 */
export const firstTouchSignal = defineSignal<[FirstTouchNotice]>('firstTouch');
