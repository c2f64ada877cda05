// The page behind the "I contacted them" link of a first-touch nudge (and the my-offers page's button): a GET shows
// the lead and a confirm form, the POST records the first touch as an outcome and tells the lead's workflow.
import type { FastifyReply } from 'fastify';
import { readLeadSummary, readRepProfiles } from '../../db/lead-records';
import { firstTouchAt, reportOutcomeOf } from '../../db/outcomes';
import { verifyLink, type FirstTouchLinkClaims } from '../../links/offer-links';
import { formatInstant } from '../../src/notifications';
import { tellFirstTouch } from '../lead-workflow';
import { esc, firstTouchForm, linkProblem, renderLeadCard, renderNotice, sendPage } from './html';
import type { LinkPagesDeps } from './link-pages';
import { parseOr400, TokenParams } from './schemas';

export function createFirstTouchPage({ client, db, linkSecret, now }: LinkPagesDeps) {
  return { showFirstTouch, recordFirstTouch };

  /** GET /first-touch/<token>: the lead and the confirm button, or when the first touch was recorded. */
  async function showFirstTouch(reply: FastifyReply, params: unknown) {
    const checked = await check(reply, params);
    if (!checked.ok) return checked.sent;
    const { token, claims, timeZone, lead } = checked;
    const touched = await firstTouchAt(db, claims.leadId, claims.repId);
    const card = renderLeadCard(lead, { contact: true });
    if (touched) return sendPage(reply, 200, 'First touch recorded', recordedNotice(touched, timeZone) + card);
    const form = firstTouchForm(token);
    return sendPage(
      reply,
      200,
      'Did you contact this lead?',
      renderNotice('info', '<p>Confirm once you have reached the person (call, email or meeting).</p>') + card + form,
    );
  }

  /** POST /first-touch/<token>: records the first touch once (a repeat shows the first) and tells the workflow. */
  async function recordFirstTouch(reply: FastifyReply, params: unknown) {
    const checked = await check(reply, params);
    if (!checked.ok) return checked.sent;
    const { claims, at, timeZone } = checked;
    const { leadId, repId } = claims;
    const report = await reportOutcomeOf(
      db,
      leadId,
      // One first touch per owner through this page: a second click finds it under the same id.
      { event: 'first-touch', at: at.toISOString(), externalId: `first-touch-page:${repId}` },
      repId,
    );
    if (!('outcome' in report))
      return sendPage(
        reply,
        409,
        'You no longer own this lead',
        renderNotice('problem', '<p>Nothing was recorded.</p>'),
      );
    // A conflict is a second click at another moment: the first one's record stands.
    const { outcome } = report;
    await tellFirstTouch(client, leadId, { at: outcome.at, outcomeId: outcome.id });
    return sendPage(reply, 200, 'First touch recorded', recordedNotice(outcome.at, timeZone));
  }

  /** The link verified and its rep still the owner; or the page that says why not, already sent. */
  async function check(reply: FastifyReply, params: unknown) {
    const { token } = parseOr400(TokenParams, params);
    const at = await now();
    const verified = verifyLink(token, { secret: linkSecret, now: at, actions: ['first-touch'] });
    if (!verified.ok) {
      const f = verified.failure;
      const status = f.kind === 'expired' ? 410 : f.kind === 'tampered' ? 403 : 400;
      return {
        ok: false as const,
        sent: sendPage(
          reply,
          status,
          'This link does not work',
          renderNotice('problem', `<p>${esc(linkProblem(f))}</p>`),
        ),
      };
    }
    const claims = verified.claims as FirstTouchLinkClaims;
    const timeZone = (await readRepProfiles(db, [claims.repId])).get(claims.repId)?.timeZone ?? null;
    const lead = await readLeadSummary(db, claims.leadId);
    if (!lead || lead.owner !== claims.repId)
      return {
        ok: false as const,
        sent: sendPage(
          reply,
          409,
          'You no longer own this lead',
          renderNotice(
            'problem',
            `<p>Lead ${esc(claims.leadId)} ${lead?.owner ? 'has another owner now' : 'was offered to your team again'}: nothing was recorded.</p>`,
          ),
        ),
      };
    return { ok: true as const, token, claims, at, timeZone, lead };
  }
}

function recordedNotice(at: string, timeZone: string | null): string {
  return renderNotice('ok', `<p>Your first touch is recorded (${esc(formatInstant(new Date(at), timeZone))}).</p>`);
}
