// The dashboard: server-rendered pages for sales leaders, under /dashboard. Managers (reps on a team's escalation
// chain) see the teams on whose chain they are; admin keys see every team. A browser signs in once at
// /dashboard/sign-in with its token and holds an HttpOnly cookie scoped to /dashboard; scripts send the token as a
// bearer header. Every page reads one date range (UTC days) and offers each chart's data as CSV.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import formbody from '@fastify/formbody';
import type { Pool } from 'pg';
import { z } from 'zod';
import { hasScope, type Principal } from '../../db/credentials';
import {
  readLeadCard,
  readTeamNames,
  refreshDashboard,
  teamsManagedBy,
  type DayRange,
  type TeamScope,
} from '../../db/dashboard';
import { secretsOf, type LinkSecrets } from '../../links/offer-links';
import { bearerOrSessionPrincipal, checkToken, signInRefusal } from '../auth';
import { httpError } from '../errors';
import { FailedAuthLimiter } from '../failed-auth-limiter';
import { esc, renderNotice, setPageSecurityHeaders } from '../pages/html';
import { sessionHours, SessionSigner } from '../session';
import { toCsv } from './charts';
import { conversionPage } from './conversion-page';
import { fairnessPage } from './fairness-page';
import { dashboardHtml, navHtml, rangeForm, sectionsHtml, tableHtml } from './layout';
import type { DashboardPage, PageContext } from './page-model';
import { policiesPage } from './policies-page';
import { shadowEstimateHtml } from './shadow-estimate';
import { speedPage } from './speed-page';
import { stallsPage } from './stalls-page';

export const dashboardPages: readonly DashboardPage[] = [
  speedPage,
  stallsPage,
  fairnessPage,
  conversionPage,
  policiesPage,
];

export const dashboardCookie = 'leadrelay_dashboard';
const dayMs = 86_400_000;
/** The default range: the last 30 days, today included. */
const defaultDays = 30;
/** The longest range a page reads: three years of daily rollups. */
const maxDays = 1096;

export interface DashboardOptions {
  db: Pool;
  /** LEADRELAY_LINK_SECRET: sessions are signed with keys derived from it (a purpose of their own). */
  linkSecret: LinkSecrets;
  /** The Temporal Web UI's address (e.g. http://localhost:8233), for links to a lead's workflow; none when null. */
  webUiUrl: string | null;
  namespace: string;
  now?: () => Date;
  limiter?: FailedAuthLimiter;
  /**
   * Recompute the marked days this often even when nobody reads the dashboard (default 5 minutes; 0: only on
   * reads), so the marks never pile up and a page finds little left to do.
   */
  refreshEveryMs?: number;
}

interface Reader {
  principal: Principal;
  scope: TeamScope;
  who: string;
}

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD')
  .refine(
    (d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    {
      message: 'not a day of the calendar',
    },
  );
const RangeQuery = z.object({ from: isoDay.optional(), to: isoDay.optional() });

/** The range a query asks for, or the last 30 days; a 400 naming the field when it cannot be read. */
export function parseRange(query: unknown, today: Date): DayRange {
  const parsed = RangeQuery.safeParse(query ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw httpError(400, issue.path.join('.') || 'query', issue.message);
  }
  const to = parsed.data.to ?? today.toISOString().slice(0, 10);
  const from =
    parsed.data.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - (defaultDays - 1) * dayMs).toISOString().slice(0, 10);
  if (from > to) throw httpError(400, 'from', `from (${from}) is after to (${to})`);
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / dayMs + 1;
  if (days > maxDays) throw httpError(400, 'from', `a range is at most ${maxDays} days (asked for ${days})`);
  return { from, to };
}

export async function registerDashboard(app: FastifyInstance, opts: DashboardOptions): Promise<void> {
  await app.register(async (scope) => {
    await defineDashboard(scope, opts);
  });
}

async function defineDashboard(app: FastifyInstance, opts: DashboardOptions): Promise<void> {
  const { db } = opts;
  const now = opts.now ?? (() => new Date());
  const limiter = opts.limiter ?? new FailedAuthLimiter();
  const signer = new SessionSigner(
    secretsOf(opts.linkSecret).map((s) => Buffer.from(s, 'utf8')),
    'dashboard',
  );
  const webUi = (workflowId: string) =>
    opts.webUiUrl
      ? `${opts.webUiUrl}/namespaces/${encodeURIComponent(opts.namespace)}/workflows/${encodeURIComponent(workflowId)}`
      : null;

  if (!app.hasContentTypeParser('application/x-www-form-urlencoded'))
    await app.register(formbody, { bodyLimit: 16 * 1024 });

  const refreshEveryMs = opts.refreshEveryMs ?? 5 * 60_000;
  if (refreshEveryMs > 0) {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      refreshDashboard(db)
        .catch((err: unknown) => app.log.warn({ err }, 'dashboard refresh failed; the next read retries it'))
        .finally(() => (running = false));
    }, refreshEveryMs);
    timer.unref();
    app.addHook('onClose', (_instance, done) => {
      clearInterval(timer);
      done();
    });
  }

  app.addHook('onSend', async (_request, reply, payload) => {
    // Links between the dashboard's own pages may say where they came from; nothing leaves for another site.
    setPageSecurityHeaders(reply, 'same-origin');
    return payload;
  });

  app.setErrorHandler((err: { statusCode?: number; message: string; issues?: unknown }, request, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) request.log.error(err);
    const detail = status === 500 ? 'Something went wrong on our side; try again in a minute.' : err.message;
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(
        dashboardHtml(
          status === 400 ? 'This request could not be read' : 'Dashboard',
          renderNotice('problem', `<p>${esc(detail)}</p>`),
        ),
      );
  });

  /** The signed-in manager or admin, or null when no credential came with the request. */
  async function readerOf(request: FastifyRequest, reply: FastifyReply): Promise<Reader | null> {
    const principal = await bearerOrSessionPrincipal(request, reply, { db, limiter, signer, cookie: dashboardCookie });
    if (!principal) return null;
    const reader = await readerFor(principal);
    if ('refused' in reader) throw httpError(403, 'Authorization', reader.refused);
    return reader;
  }

  /** Who may read the dashboard, and which teams: the one rule for pages and for signing in. */
  async function readerFor(principal: Principal): Promise<Reader | { refused: string }> {
    if (principal.kind === 'api-key')
      return hasScope(principal, 'admin')
        ? { principal, scope: null, who: `key ${principal.name}` }
        : { refused: 'the dashboard is for managers and admin keys; this key is neither' };
    const teams = await teamsManagedBy(db, principal.repId);
    return teams.length > 0
      ? { principal, scope: teams, who: `rep ${principal.repId}` }
      : {
          refused: `rep ${principal.repId} manages no team: the dashboard is for managers (reps on a team's escalation chain) and admin keys`,
        };
  }

  async function requireReader(request: FastifyRequest, reply: FastifyReply): Promise<Reader | null> {
    const reader = await readerOf(request, reply);
    if (reader) return reader;
    void reply.redirect(`/dashboard/sign-in?next=${encodeURIComponent(request.url)}`, 303);
    return null;
  }

  async function contextFor(reader: Reader, range: DayRange): Promise<PageContext> {
    // Days marked since the last read are recomputed first, so a page never shows a stale rollup.
    await refreshDashboard(db);
    return {
      db,
      range,
      scope: reader.scope,
      teams: await readTeamNames(db, reader.scope),
      now: now(),
      leadPage: (leadId) => `/dashboard/leads/${encodeURIComponent(leadId)}`,
      webUi,
    };
  }

  const signOut = `<form method="post" action="/dashboard/sign-out"><button type="submit">sign out</button></form>`;

  app.get('/dashboard', { schema: { hide: true }, config: { access: 'public' } }, (_request, reply) =>
    reply.redirect(`/dashboard/${dashboardPages[0]!.slug}`, 303),
  );

  // ── Sign in and out ─────────────────────────────────────────────────────────────────────────
  const SignInForm = z.object({ token: z.string().trim().max(200).optional(), next: z.string().max(2000).optional() });
  /** Only a path of the dashboard's own: never send a signed-in browser to another site. */
  const safeNext = (next: string | undefined) =>
    next && /^\/dashboard(\/|\?|$)/.test(next) && !next.startsWith('//') ? next : '/dashboard';

  app.get('/dashboard/sign-in', { schema: { hide: true }, config: { access: 'public' } }, (request, reply) => {
    const next = safeNext((request.query as { next?: string }).next);
    return sendSignIn(reply, 200, next, null);
  });

  app.post('/dashboard/sign-in', { schema: { hide: true }, config: { access: 'public' } }, async (request, reply) => {
    const form = SignInForm.safeParse(request.body ?? {}).data ?? {};
    const next = safeNext(form.next);
    const check = await checkToken(db, limiter, request.ip, form.token || null);
    if (!check.ok) {
      const refusal = signInRefusal(reply, check);
      return sendSignIn(reply, refusal.status, next, refusal.message);
    }
    const principal = check.principal;
    if ('refused' in (await readerFor(principal)))
      return sendSignIn(
        reply,
        403,
        next,
        'The dashboard is for managers (reps on an escalation chain) and admin keys.',
      );
    const id = principal.kind === 'api-key' ? principal.keyId : principal.tokenId;
    const value = signer.sign({ kind: principal.kind, id, expiresAt: Date.now() + sessionHours * 3_600_000 });
    void reply.header(
      'set-cookie',
      `${dashboardCookie}=${value}; Path=/dashboard; Max-Age=${sessionHours * 3600}; HttpOnly; SameSite=Strict${request.protocol === 'https' ? '; Secure' : ''}`,
    );
    return reply.redirect(next, 303);
  });

  app.post('/dashboard/sign-out', { schema: { hide: true }, config: { access: 'public' } }, (_request, reply) => {
    void reply.header('set-cookie', `${dashboardCookie}=; Path=/dashboard; Max-Age=0; HttpOnly; SameSite=Strict`);
    return reply.redirect('/dashboard/sign-in', 303);
  });

  // ── One lead ────────────────────────────────────────────────────────────────────────────────
  app.get(
    '/dashboard/leads/:leadId',
    { schema: { hide: true }, config: { access: 'public' } },
    async (request, reply) => {
      const reader = await requireReader(request, reply);
      if (!reader) return reply;
      const { leadId } = request.params as { leadId: string };
      const lead = await readLeadCard(db, leadId, reader.scope);
      // A lead of another team is answered as one that does not exist.
      if (!lead) throw httpError(404, 'leadId', `no lead ${leadId} in the teams you manage`);
      const web = webUi(lead.workflowId);
      const facts = [
        `status ${lead.status}`,
        `level ${lead.level}`,
        lead.teamId ? `team ${lead.teamId}` : null,
        lead.tier ? `tier ${lead.tier}` : null,
        `via ${lead.source}`,
        lead.owner ? `owned by ${lead.owner}` : null,
      ].filter(Boolean);
      const body =
        `<p class="summary">${esc(lead.company ?? 'Unknown company')} — ${esc(facts.join(' · '))}</p>` +
        `<p class="meta">Received ${esc(lead.receivedAt.toISOString())}${lead.deadline ? `; deadline ${esc(lead.deadline.toISOString())}` : ''}. ` +
        `${web ? `<a href="${esc(web)}">Open its workflow in the Temporal Web UI</a> · ` : ''}` +
        `Timeline: <code>GET /v1/leads/${esc(lead.id)}/timeline</code></p>` +
        `<h2>Offers</h2>${tableHtml(
          [
            { key: 'number', label: '#', numeric: true },
            { key: 'kind', label: 'kind' },
            { key: 'level', label: 'level', numeric: true },
            { key: 'reps', label: 'offered to' },
            { key: 'told', label: 'told' },
            { key: 'deadline', label: 'deadline' },
            { key: 'status', label: 'status' },
            { key: 'answered_by', label: 'answered by' },
            { key: 'reason', label: 'reason' },
          ],
          lead.offers.map((o) => ({
            number: o.number,
            kind: o.kind,
            level: o.level,
            reps: o.reps.length > 3 ? `${o.reps.slice(0, 3).join(', ')} +${o.reps.length - 3}` : o.reps.join(', '),
            told: o.toldAt?.toISOString() ?? null,
            deadline: o.deadline?.toISOString() ?? null,
            status: o.status,
            answered_by: o.answeredBy,
            reason: o.reason,
          })),
        )}<h2>Outcomes</h2>${tableHtml(
          [
            { key: 'event', label: 'event' },
            { key: 'at', label: 'at' },
            { key: 'rep', label: 'credited to' },
          ],
          lead.outcomes.map((o) => ({ event: o.event, at: o.at.toISOString(), rep: o.repId })),
        )}`;
      return reply
        .type('text/html; charset=utf-8')
        .send(
          dashboardHtml(
            `Lead ${lead.id}`,
            `${navHtml(dashboardPages, '', parseRange({}, now()))}${body}`,
            `${esc(reader.who)} · ${signOut}`,
          ),
        );
    },
  );

  // ── The shadow's offline estimate, on request ─────────────────────────────────────────────────
  app.get(
    '/dashboard/shadow-estimate',
    { schema: { hide: true }, config: { access: 'public' } },
    async (request, reply) => {
      const reader = await requireReader(request, reply);
      if (!reader) return reply;
      if (reader.scope !== null)
        throw httpError(403, 'Authorization', "the shadow's estimate reads every team's decisions: admin keys only");
      const range = parseRange(request.query, now());
      const body = `${navHtml(dashboardPages, '', range)}${rangeForm('/dashboard/shadow-estimate', range)}${await shadowEstimateHtml(db, range)}`;
      return reply
        .type('text/html; charset=utf-8')
        .send(dashboardHtml('Shadow policy: estimated conversion', body, `${esc(reader.who)} · ${signOut}`));
    },
  );

  // ── Pages and their CSVs ─────────────────────────────────────────────────────────────────────
  for (const page of dashboardPages) {
    app.get(
      `/dashboard/${page.slug}`,
      { schema: { hide: true }, config: { access: 'public' } },
      async (request, reply) => {
        const reader = await requireReader(request, reply);
        if (!reader) return reply;
        const range = parseRange(request.query, now());
        const ctx = await contextFor(reader, range);
        const sections = await page.load(ctx);
        const scopeNote =
          reader.scope === null ? 'All teams' : `Teams you manage: ${ctx.teams.map((t) => t.name).join(', ')}`;
        const body = `${navHtml(dashboardPages, page.slug, range)}${rangeForm(`/dashboard/${page.slug}`, range)}<p class="meta">${esc(scopeNote)} · ${range.from} to ${range.to} (UTC days).</p>${await sectionsHtml(page.slug, sections, range)}`;
        return reply
          .type('text/html; charset=utf-8')
          .send(dashboardHtml(page.title, body, `${esc(reader.who)} · ${signOut}`));
      },
    );

    app.get(
      `/dashboard/${page.slug}/:file`,
      { schema: { hide: true }, config: { access: 'public' } },
      async (request, reply) => {
        const reader = await readerOf(request, reply);
        if (!reader)
          throw httpError(401, 'Authorization', 'sign in at /dashboard/sign-in, or send Authorization: Bearer <token>');
        const { file } = request.params as { file: string };
        const id = /^([a-z0-9-]+)\.csv$/.exec(file)?.[1];
        const range = parseRange(request.query, now());
        const sections = await page.load(await contextFor(reader, range));
        const chart = sections.flatMap((s) => s.charts).find((c) => c.id === id);
        if (!chart)
          throw httpError(
            404,
            'file',
            `no chart ${file} on ${page.slug}: one of ${sections.flatMap((s) => s.charts.map((c) => `${c.id}.csv`)).join(', ')}`,
          );
        return reply
          .type('text/csv; charset=utf-8')
          .header(
            'content-disposition',
            `attachment; filename="leadrelay-${page.slug}-${chart.id}-${range.from}-${range.to}.csv"`,
          )
          .send(toCsv(chart.rows));
      },
    );
  }

  function sendSignIn(reply: FastifyReply, status: number, next: string, error: string | null) {
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(
        dashboardHtml(
          'Sign in to the dashboard',
          (error ? renderNotice('problem', `<p>${esc(error)}</p>`) : '') +
            `<p>For managers (reps on a team's escalation chain: paste your <code>lrr_…</code> token from <code>npx leadrelay keys rep-token --rep &lt;you&gt;</code>) and admin keys. This browser stays signed in for ${sessionHours} hours.</p>` +
            `<form method="post" action="/dashboard/sign-in"><input type="hidden" name="next" value="${esc(next)}"><label for="token">Your token</label><input id="token" name="token" type="password" autocomplete="off" required style="width:100%;font:inherit;padding:.5rem"><button type="submit" style="margin-top:.5rem;font:inherit;padding:.5rem 1rem">Sign in</button></form>`,
        ),
      );
  }
}
