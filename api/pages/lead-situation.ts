// Where a lead stands, as the rep pages need it, and what that means for one rep's link to one offer.
import type { Pool } from 'pg';
import type { Client } from '@temporalio/client';
import { listCorrections } from '../../db/corrections';
import { readLeadSummary, readStoredOffers, type RepProfile } from '../../db/lead-records';
import { correctedReading, describeCorrection } from '../../src/corrections';
import { formatInstant } from '../../src/notifications';
import type { OfferView } from '../../workflows/messages';
import { liveLeadView } from '../lead-workflow';
import type { PageLead } from './html';

export interface SituationOffer extends OfferView {
  /** When the answer or the timeout was recorded in Postgres; unknown for a moment after it happened. */
  closedAt: string | null;
}

export interface LeadSituation {
  leadId: string;
  /** True while the workflow runs: its live state wins over Postgres, which follows it. */
  running: boolean;
  status: string;
  owner: string | null;
  currentOffer: SituationOffer | null;
  offers: SituationOffer[];
  lead: PageLead;
}

/**
 * The live workflow state while it runs (Postgres when no worker answers in 5 s), Postgres once it has closed; null
 * when no such lead exists.
 */
export async function readLeadSituation(client: Client, db: Pool, leadId: string): Promise<LeadSituation | null> {
  const record = await withCorrections(db, leadId, await readLeadSummary(db, leadId));
  const stored = await readStoredOffers(db, leadId);
  const closedAt = new Map(stored.map((o) => [o.view.offerNumber, o.closedAt]));

  const { running, view } = await liveLeadView(client, leadId);
  if (view) {
    const offers = view.offers.map((o) => ({ ...o, closedAt: closedAt.get(o.offerNumber) ?? null }));
    return {
      leadId,
      running: true,
      status: view.status,
      owner: view.owner,
      currentOffer: view.currentOffer ? (offers[view.currentOffer.offerNumber - 1] ?? null) : null,
      offers,
      lead: record ?? emptyLead(view.qualification),
    };
  }
  if (!record) return null;
  const offers: SituationOffer[] = stored.map((o) => ({ ...o.view, closedAt: o.closedAt }));
  return {
    leadId,
    running,
    status: record.status,
    owner: record.owner,
    currentOffer: offers.find((o) => o.outcome === 'open') ?? null,
    offers,
    lead: record,
  };
}

/** The lead with the corrections made to its reading, and the service line and urgency as corrected. */
async function withCorrections<L extends PageLead>(db: Pool, leadId: string, lead: L | null): Promise<L | null> {
  if (!lead) return null;
  const corrections = await listCorrections(db, leadId);
  if (corrections.length === 0) return lead;
  const last = correctedReading(corrections[0]!.was, corrections);
  return {
    ...lead,
    serviceLine: last.serviceLine,
    urgency: last.urgency,
    corrections: corrections.map((c) => ({
      correctedBy: c.correctedBy,
      summary: describeCorrection(c),
      note: c.note,
      createdAt: c.createdAt,
    })),
  };
}

function emptyLead(q: { score: number; tier: string; urgency: string; serviceLine: string } | null): PageLead {
  return {
    name: null,
    email: null,
    phone: null,
    company: null,
    message: '',
    source: null,
    score: q?.score ?? null,
    tier: q?.tier ?? null,
    urgency: q?.urgency ?? null,
    serviceLine: q?.serviceLine ?? null,
  };
}

export type OfferVerdict =
  | { kind: 'open'; offer: SituationOffer }
  | { kind: 'closed'; status: number; headline: string; detail: string; owned: boolean };

/**
 * What a rep's link to an offer can still do. Open only when it is the lead's current offer, made to this rep,
 * not past its deadline; otherwise the words say what happened to the lead, e.g. "taken by Ben at 10:42".
 */
export function judgeOffer(
  situation: LeadSituation,
  link: { offerNumber: number; repId: string; action: 'accept' | 'decline' },
  ctx: { now: Date; reps: Map<string, RepProfile>; timeZone: string | null },
): OfferVerdict {
  const when = (iso: string | null) => (iso ? formatInstant(new Date(iso), ctx.timeZone) : null);
  const nameOf = (id: string) => ctx.reps.get(id)?.name ?? id;
  const offer = situation.offers[link.offerNumber - 1];
  if (!offer)
    return {
      kind: 'closed',
      status: 404,
      headline: 'This offer does not exist',
      detail: `Lead ${situation.leadId} has no offer ${link.offerNumber}.`,
      owned: false,
    };
  if (!offer.repIds.includes(link.repId)) {
    return {
      kind: 'closed',
      status: 403,
      headline: 'This offer was not made to you',
      detail: `Offer ${link.offerNumber} went to ${offer.repIds.map(nameOf).join(', ')}.`,
      owned: false,
    };
  }
  const open =
    situation.running && situation.currentOffer?.offerNumber === offer.offerNumber && offer.outcome === 'open';
  if (open && (offer.deadline === null || ctx.now.getTime() < Date.parse(offer.deadline))) {
    if (link.action === 'decline' && offer.kind === 'catch-all') {
      return {
        kind: 'closed',
        status: 409,
        headline: 'This lead can be claimed, not declined',
        detail: 'It waits in the catch-all queue until someone claims it.',
        owned: false,
      };
    }
    return { kind: 'open', offer };
  }

  const accepted = situation.offers.find((o) => o.outcome === 'accepted');
  const owner = situation.owner ?? accepted?.answeredBy ?? null;
  if (owner === link.repId) {
    return {
      kind: 'closed',
      status: 409,
      headline: 'You already own this lead',
      detail: `You accepted it${accepted?.closedAt ? ` at ${when(accepted.closedAt)}` : ''}.`,
      owned: true,
    };
  }
  if (owner) {
    return {
      kind: 'closed',
      status: 409,
      headline: `This lead was already taken by ${nameOf(owner)}`,
      detail: `${nameOf(owner)} accepted it${accepted?.closedAt ? ` at ${when(accepted.closedAt)}` : ''}.`,
      owned: false,
    };
  }
  if (situation.status === 'rejected-spam')
    return {
      kind: 'closed',
      status: 409,
      headline: 'This lead was thrown out as spam',
      detail: 'Nobody needs to answer it.',
      owned: false,
    };
  const now = describeNow(situation, nameOf);
  if (offer.outcome === 'declined') {
    const by = offer.answeredBy === link.repId ? 'You' : nameOf(offer.answeredBy ?? 'someone');
    return {
      kind: 'closed',
      status: 409,
      headline: `${by} declined this lead${offer.closedAt ? ` at ${when(offer.closedAt)}` : ''}`,
      detail: `The lead moved on: ${now}.`,
      owned: false,
    };
  }
  // Timed out, or past its deadline a moment before the workflow's timer closed it.
  return {
    kind: 'closed',
    status: 409,
    headline: `The offer expired at ${when(offer.deadline)}`,
    detail: `The lead moved on: ${now}.`,
    owned: false,
  };
}

/** The lead's present, in words: "it is now offered to Ben", "it waits in the catch-all queue". */
export function describeNow(situation: LeadSituation, nameOf: (id: string) => string): string {
  const current = situation.currentOffer;
  if (situation.status === 'assigned' && situation.owner) return `${nameOf(situation.owner)} owns it`;
  if (situation.status === 'rejected-spam') return 'it was thrown out as spam';
  // Between one offer closing and the next opening, for the moment it takes the workflow to move on.
  if (!current) return situation.running ? 'it goes to the next in line' : `it is ${situation.status}`;
  if (current.kind === 'catch-all') return 'it waits in the catch-all queue for anyone on the team to claim it';
  if (current.kind === 'escalation')
    return `it is escalated to ${current.repIds.map(nameOf).join(', ')} (level ${current.level})`;
  return `it is now offered to ${current.repIds.map(nameOf).join(', ')}`;
}
