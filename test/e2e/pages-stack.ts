// The real stack of test/support/harness.ts (the rep pages included) listening on a port, with an intake key.
import type { AddressInfo } from 'node:net';
import { myOffersUrl, offerLinkUrls } from '../../links/offer-links';
import { createHarness, type Harness } from '../support/harness';
import type { LeadView } from '../../workflows/messages';

export interface PagesStack {
  h: Harness;
  /** Where the API (and the pages) listen, e.g. http://127.0.0.1:41234. */
  baseUrl: string;
  linkSecret: string;
  /** Bearer token of an intake key with leads:write and leads:read. */
  intakeKey: string;
  submitLead(submission: Record<string, unknown>): Promise<string>;
  readLead(leadId: string): Promise<{ status: number; body: Record<string, unknown> }>;
  /** The Accept/Decline links the worker signs for the lead's current offer to `repId`. */
  linksFor(leadId: string, view: LeadView, repId: string): { accept: string; decline: string };
  myOffersLink(repId: string, expiresAt: Date): string;
  /** The pages' own clock: the time-skipping server's, so link expiry and SLA timers agree. */
  now(): Promise<Date>;
  teardown(): Promise<void>;
}

export async function startPagesStack(): Promise<PagesStack> {
  const h = await createHarness();
  const { linkSecret } = h;
  const now = async () => new Date(await h.env.currentTimeMs());
  // The harness registers the rep pages on its API with its link secret, as the production API does.
  await h.api.listen({ host: '127.0.0.1', port: 0 });
  const baseUrl = `http://127.0.0.1:${(h.api.server.address() as AddressInfo).port}`;
  const intakeKey = h.intakeToken;
  const auth = { authorization: `Bearer ${intakeKey}` };

  return {
    h,
    baseUrl,
    linkSecret,
    intakeKey,
    now,
    async submitLead(submission) {
      const res = await fetch(`${baseUrl}/v1/leads`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify(submission),
      });
      const body = (await res.json()) as { leadId?: string };
      if (res.status !== 202 || !body.leadId)
        throw new Error(`submitting the lead answered ${res.status}: ${JSON.stringify(body)}`);
      return body.leadId;
    },
    async readLead(leadId) {
      const res = await fetch(`${baseUrl}/v1/leads/${leadId}`, { headers: auth });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    linksFor(leadId, view, repId) {
      const offer = view.currentOffer;
      if (!offer) throw new Error(`lead ${leadId} has no current offer`);
      return offerLinkUrls({
        apiUrl: baseUrl,
        secret: linkSecret,
        leadId,
        offerNumber: offer.offerNumber,
        repId,
        expiresAt: offer.deadline ?? new Date(Date.now() + 86_400_000),
      });
    },
    myOffersLink: (repId, expiresAt) => myOffersUrl({ apiUrl: baseUrl, secret: linkSecret, repId, expiresAt }),
    teardown: () => h.teardown(),
  };
}

/** The path and query of a link, for `api.inject`. */
export function pathOf(url: string): string {
  const u = new URL(url);
  return u.pathname + u.search;
}
