// An offer of a lead under an SLA and a rep's answer to it, as the lead workflow keeps them and the API shows them.
import type { LeadStatus } from './lead';
import type { StageKind } from './routing/plan';

export interface OfferAnswer {
  offerNumber: number;
  repId: string;
  /** Why the rep declines; recorded with the decision. */
  reason?: string;
}

export interface OfferView {
  offerNumber: number;
  kind: StageKind;
  level: number;
  repIds: string[];
  offeredAt: string;
  /** When the mail server took the offer's email: the rep knows, and the SLA counts from here. */
  toldAt?: string;
  /**
   * Null while the email is on its way (nothing counts before the rep is told), and for the catch-all queue,
   * which stays open until someone claims the lead.
   */
  deadline: string | null;
  /** `withdrawn`: a step failed that retrying cannot cure, and the lead went to a person (needs-attention). */
  outcome: 'open' | 'accepted' | 'declined' | 'timed-out' | 'withdrawn';
  /** When the half-SLA reminder went out, if it did. */
  remindedAt?: string;
  answeredBy?: string;
  reason?: string;
}

/** The lead's status while an offer of this kind waits on its reps (once they are told). */
export function statusOf(kind: StageKind): LeadStatus {
  return kind === 'candidate' ? 'offered' : kind === 'escalation' ? 'escalated' : 'catch-all';
}
