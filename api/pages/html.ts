// The small HTML kit of the rep pages: one phone-friendly layout, escaping, the lead summary card and the answer forms.
import type { FastifyReply } from 'fastify';
import type { LeadSummary } from '../../db/lead-records';
import type { LinkFailure } from '../../links/offer-links';
import { excerptOf, formatInstant } from '../../src/notifications';

/** The lead on a page's card: who, what they wrote, how good it looks. */
/** A correction of the classifier's reading as the lead page lists it. */
export interface PageCorrection {
  correctedBy: string;
  summary: string;
  note: string | null;
  createdAt: string;
}

export type PageLead = LeadSummary & { corrections?: PageCorrection[] };

/** Every page: readable on a phone, works without JavaScript, tells nobody where it was opened from. */
export function renderPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${esc(title)} — leadrelay</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;line-height:1.45;margin:0 auto;padding:1rem;max-width:36rem;color:#1b1b1b}
h1{font-size:1.35rem;margin:.2rem 0 1rem}h2{font-size:1.1rem;margin:.2rem 0}
.card{border:1px solid #ddd;border-radius:10px;padding:1rem;margin:0 0 1rem}
.meta{color:#555;font-size:.92rem;margin:.3rem 0}
blockquote{margin:.6rem 0;padding:.4rem .8rem;border-left:4px solid #ccc;white-space:pre-wrap;overflow-wrap:anywhere}
.notice{border-radius:10px;padding:.8rem 1rem;margin:0 0 1rem}
.ok{background:#e7f6ec;border:1px solid #9bd3ae}.problem{background:#fdecea;border:1px solid #f0a9a0}.info{background:#eef3fb;border:1px solid #a9bfe6}
button{font:inherit;font-weight:600;border:0;border-radius:8px;padding:.8rem 1.4rem;color:#fff;cursor:pointer;width:100%;margin:.3rem 0}
.accept{background:#0a7d36}.decline{background:#8a1f11}
label{display:block;font-weight:600;margin:.6rem 0 .2rem}textarea{width:100%;box-sizing:border-box;font:inherit;padding:.5rem;min-height:5rem}
.error{color:#8a1f11;font-weight:600}
</style></head>
<body><h1>${esc(title)}</h1>
${body}
</body></html>`;
}

/** The lead as a rep sees it before answering: who, what they wrote, how good it looks. Contact details wait for the accept. */
export function renderLeadCard(lead: PageLead, opts: { contact?: boolean; extra?: string } = {}): string {
  const who = lead.name ?? lead.email ?? lead.phone ?? 'Unnamed contact';
  const grade = [
    lead.tier ? `Tier ${lead.tier}` : null,
    lead.score !== null ? `score ${lead.score}` : null,
    lead.serviceLine,
    lead.urgency ? `urgency ${lead.urgency}` : null,
    lead.source ? `via ${lead.source}` : null,
  ]
    .filter((part): part is string => part !== null)
    .join(' · ');
  const contact =
    opts.contact && (lead.email || lead.phone)
      ? `<p>${lead.email ? `<a href="mailto:${esc(lead.email)}">${esc(lead.email)}</a>` : ''}${lead.email && lead.phone ? ' · ' : ''}${lead.phone ? `<a href="tel:${esc(lead.phone)}">${esc(lead.phone)}</a>` : ''}</p>`
      : '';
  const excerpt = excerptOf(lead.message, 400);
  return `<section class="card"><h2>${esc(who)}${lead.company ? ` — ${esc(lead.company)}` : ''}</h2>${grade ? `<p class="meta">${esc(grade)}</p>` : ''}${contact}${
    excerpt ? `<blockquote>${esc(excerpt)}</blockquote>` : '<p class="meta">(no message)</p>'
  }${renderCorrections(lead.corrections ?? [])}${opts.extra ?? ''}</section>`;
}

/** Who corrected the classifier's reading, and how: the service line and urgency above are the corrected ones. */
function renderCorrections(corrections: readonly PageCorrection[]): string {
  if (corrections.length === 0) return '';
  const items = corrections.map(
    (c) =>
      `<li>${esc(c.summary)} <span class="meta">— ${esc(c.correctedBy)}, ${esc(c.createdAt.slice(0, 10))}${c.note ? `: ${esc(c.note)}` : ''}</span></li>`,
  );
  return `<h3>Corrections</h3><ul class="corrections">${items.join('')}</ul><p class="meta">Correct the reading with POST /v1/leads/:id/corrections; corrected leads teach the next model.</p>`;
}

export function renderNotice(kind: 'ok' | 'problem' | 'info', html: string): string {
  return `<div class="notice ${kind}" role="status">${html}</div>`;
}

export function esc(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Headers for a page that carries a secret (a link token, a session form) or private figures: never cached, never
 * framed, never handed to another site in a Referer, and no script or foreign resource allowed. A page whose URL
 * carries no secret may keep the Referer within its own origin (`same-origin`).
 */
export function setPageSecurityHeaders(
  reply: FastifyReply,
  referrerPolicy: 'no-referrer' | 'same-origin' = 'no-referrer',
): void {
  reply.header('cache-control', 'no-store');
  reply.header('referrer-policy', referrerPolicy);
  reply.header('x-frame-options', 'DENY');
  reply.header('x-content-type-options', 'nosniff');
  reply.header(
    'content-security-policy',
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  );
}

export function sendPage(reply: FastifyReply, status: number, title: string, body: string) {
  return reply.code(status).type('text/html; charset=utf-8').send(renderPage(title, body));
}

export function acceptForm(action: string, catchAll: boolean): string {
  return `<form method="post" action="${esc(action)}"><button class="accept" type="submit">${catchAll ? 'Claim lead' : 'Accept lead'}</button></form>`;
}

/** Records the first touch of a lead the rep owns (api/pages/first-touch-page.ts). */
export function firstTouchForm(action: string): string {
  return `<form method="post" action="${esc(action)}"><button class="accept" type="submit">I contacted them</button></form>`;
}

export function declineForm(action: string, error: string | null): string {
  return `<form method="post" action="${esc(action)}"><label for="reason-${esc(action.slice(-12))}">Why do you decline?</label>${error ? `<p class="error" role="alert">${esc(error)}</p>` : ''}<textarea id="reason-${esc(action.slice(-12))}" name="reason" required maxlength="2000" placeholder="e.g. on holiday until Monday; not my territory"></textarea><button class="decline" type="submit">Decline lead</button></form>`;
}

/** Why a link does not work, in words a rep can act on. */
export function linkProblem(f: LinkFailure): string {
  switch (f.kind) {
    case 'malformed':
      return 'The link is incomplete. Some mail programs cut long links: open it again from the email, or copy the whole link into the browser.';
    case 'tampered':
      return 'The link was changed after leadrelay sent it, so it cannot be trusted. Open it again from the email.';
    case 'wrong-action':
      return `This is not a link for this page (${f.message}).`;
    case 'expired':
      return `The link stopped working at ${formatInstant(f.claims.expiresAt, null)}.`;
  }
}
