// An offer of a lead under an SLA and a rep's answer to it, as the lead workflow keeps them and the API shows them.
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
  deadline: string;
  outcome: 'open' | 'accepted' | 'declined' | 'timed-out';
  /** When the half-SLA reminder went out, if it did. */
  remindedAt?: string;
  answeredBy?: string;
  reason?: string;
}
