// A rep's open offers as the JSON API lists them: the lead in brief, and where to answer.
import type { Pool } from 'pg';
import { readOpenOffersOf, type RepOpenOffer } from '../../db/lead-records';
import { offerIdOf } from '../offers/offer-id';
import type { MyOffer } from './schemas';

const excerptLength = 280;

export async function listMyOffers(db: Pool, repId: string, at: Date): Promise<{ repId: string; offers: MyOffer[] }> {
  return { repId, offers: (await readOpenOffersOf(db, repId, at)).map(presentOffer) };
}

function presentOffer(o: RepOpenOffer): MyOffer {
  const offerId = offerIdOf(o.leadId, o.offerNumber);
  const characters = [...o.lead.message];
  return {
    offerId,
    leadId: o.leadId,
    offerNumber: o.offerNumber,
    kind: o.kind,
    level: o.level,
    offeredAt: o.offeredAt.toISOString(),
    deadline: o.deadline?.toISOString() ?? null,
    lead: {
      name: o.lead.name,
      company: o.lead.company,
      email: o.lead.email,
      phone: o.lead.phone,
      excerpt: characters.length > excerptLength ? `${characters.slice(0, excerptLength).join('')}…` : o.lead.message,
      tier: o.lead.tier,
      score: o.lead.score,
      serviceLine: o.lead.serviceLine,
    },
    accept: `/v1/offers/${offerId}/accept`,
    decline: `/v1/offers/${offerId}/decline`,
  };
}
