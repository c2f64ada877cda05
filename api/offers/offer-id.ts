// `<leadId>.<offerNumber>`: the offer id every link, email, listing and lead view uses.
import { z } from 'zod';

export const OfferIdSchema = z
  .string()
  .regex(/^[a-f0-9]{24}\.[1-9][0-9]{0,5}$/, 'offerId must be <lead id>.<offer number>, e.g. 5f1c0a9e3b7d2c4a8e6f1b0d.1')
  .describe('`<leadId>.<offerNumber>`');

/** Splits an id that OfferIdSchema accepted. */
export function parseOfferId(offerId: string): { leadId: string; offerNumber: number } {
  const [leadId = '', number = ''] = offerId.split('.');
  return { leadId, offerNumber: Number(number) };
}

export function offerIdOf(leadId: string, offerNumber: number): string {
  return `${leadId}.${offerNumber}`;
}
