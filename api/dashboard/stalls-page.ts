// Where leads stall: the open leads right now by status, escalation level and time to deadline; SLA breaches in the
// range by team, rep and level; and the two queues a person must work (catch-all, needs-attention), each lead linked
// to its page and to its workflow in the Temporal Web UI.
import { readOfferTotals, readOpenLeads, readQueues } from '../../db/dashboard';
import { pct, type Row } from './charts';
import { tableHtml } from './layout';
import { teamLabel, type DashboardPage } from './page-model';

const deadlineOrder = ['overdue', 'under 5 min', '5–30 min', '30 min–2 h', '2–8 h', 'over 8 h', 'no deadline yet'];
/** How many leads of each queue the page lists; the CSV has them too. */
const queueRows = 50;

export const stallsPage: DashboardPage = {
  slug: 'stalls',
  title: 'Where leads stall',
  async load(ctx) {
    const [open, totals, queues] = await Promise.all([
      readOpenLeads(ctx.db, ctx.scope, ctx.now),
      readOfferTotals(ctx.db, ctx.range, ctx.scope),
      readQueues(ctx.db, ctx.scope, queueRows),
    ]);
    const openRows: Row[] = open.map((o) => ({
      status: o.status,
      level: o.level,
      deadline: o.deadline,
      deadline_order: deadlineOrder.indexOf(o.deadline),
      leads: o.leads,
    }));
    const openTotal = open.reduce((n, o) => n + o.leads, 0);
    const overdue = open.filter((o) => o.deadline === 'overdue').reduce((n, o) => n + o.leads, 0);

    const breachRows: Row[] = totals
      .filter((t) => t.offers > 0)
      .map((t) => ({
        by: t.by,
        name: t.by === 'team' ? `team ${teamLabel(ctx, t.key || null)}` : t.by === 'level' ? `level ${t.key}` : t.key,
        team: t.by === 'level' ? null : teamLabel(ctx, t.teamId || null),
        offers: t.offers,
        timed_out: t.timedOut,
        breach_pct: pct(t.timedOut, t.offers),
      }));
    const worstReps = breachRows
      .filter((r) => r.by === 'rep' && (r.timed_out as number) > 0)
      .sort((a, b) => (b.timed_out as number) - (a.timed_out as number))
      .slice(0, 15);
    const breachesTotal = totals.filter((t) => t.by === 'level').reduce((n, t) => n + t.timedOut, 0);

    const queueTable: Row[] = queues.map((q) => ({
      lead: q.id,
      workflow_id: q.workflowId,
      queue: q.status,
      team: teamLabel(ctx, q.teamId),
      tier: q.tier,
      source: q.source,
      company: q.company,
      received: q.receivedAt.toISOString(),
      deadline: q.deadline?.toISOString() ?? null,
      level: q.level,
    }));
    const links = (row: Row) => {
      const web = ctx.webUi(String(row.workflow_id));
      return [{ href: ctx.leadPage(String(row.lead)), text: 'page' }, ...(web ? [{ href: web, text: 'Web UI' }] : [])];
    };
    const queueColumns = [
      { key: 'lead', label: 'lead' },
      { key: 'team', label: 'team' },
      { key: 'tier', label: 'tier' },
      { key: 'source', label: 'source' },
      { key: 'company', label: 'company' },
      { key: 'received', label: 'received (UTC)' },
      { key: 'deadline', label: 'deadline (UTC)' },
    ];

    return [
      {
        heading: 'Open leads now',
        summary: `${openTotal} open leads, ${overdue} past their deadline.`,
        charts: [
          {
            id: 'open-by-status',
            title: 'Open leads by status and escalation level',
            rows: openRows,
            spec: {
              height: { step: 18 },
              data: { values: openRows },
              mark: 'bar',
              encoding: {
                y: { field: 'status', type: 'nominal', title: null },
                x: { aggregate: 'sum', field: 'leads', type: 'quantitative', title: 'leads' },
                color: { field: 'level', type: 'ordinal', title: 'level', scale: { scheme: 'oranges' } },
              },
            } as never,
          },
          {
            id: 'open-by-deadline',
            title: 'Open leads by time to deadline',
            note: 'Overdue leads are stuck: no one answered in time and the next step has not run.',
            rows: openRows,
            spec: {
              height: { step: 18 },
              data: { values: openRows },
              mark: 'bar',
              encoding: {
                y: { field: 'deadline', type: 'ordinal', sort: deadlineOrder, title: null },
                x: { aggregate: 'sum', field: 'leads', type: 'quantitative', title: 'leads' },
                color: { field: 'status', type: 'nominal', title: null },
              },
            } as never,
          },
        ],
      },
      {
        heading: 'SLA breaches',
        summary: `${breachesTotal} offers timed out in this range.`,
        charts: [
          {
            id: 'breaches-by-team-and-level',
            title: 'Offers timed out, per team and escalation level',
            rows: breachRows.filter((r) => r.by !== 'rep'),
            spec: {
              height: { step: 18 },
              data: { values: breachRows.filter((r) => r.by !== 'rep') },
              mark: 'bar',
              encoding: {
                y: { field: 'name', type: 'nominal', sort: null, title: null },
                x: { field: 'breach_pct', type: 'quantitative', title: '% of offers timed out' },
                color: { field: 'by', type: 'nominal', title: null },
                tooltip: [{ field: 'timed_out' }, { field: 'offers' }],
              },
            } as never,
          },
          {
            id: 'breaches-by-rep',
            title: 'Reps whose offers timed out most',
            rows: worstReps,
            spec: {
              height: { step: 16 },
              data: { values: worstReps },
              mark: 'bar',
              encoding: {
                y: { field: 'name', type: 'nominal', sort: '-x', title: null },
                x: { field: 'timed_out', type: 'quantitative', title: 'offers timed out' },
                color: { field: 'team', type: 'nominal', title: null },
              },
            } as never,
          },
        ],
      },
      {
        heading: 'Queues a person must work',
        summary: `${queues.filter((q) => q.status === 'catch-all').length} in the catch-all queue, ${queues.filter((q) => q.status === 'needs-attention').length} needing attention (oldest first, up to ${queueRows} each).`,
        charts: [{ id: 'queues', title: 'Queued leads', rows: queueTable, spec: null }],
        html: `<h3>Catch-all queue</h3>${tableHtml(
          queueColumns,
          queueTable.filter((r) => r.queue === 'catch-all'),
          links,
        )}<h3>Needs attention</h3>${tableHtml(
          queueColumns,
          queueTable.filter((r) => r.queue === 'needs-attention'),
          links,
        )}<p class="meta"><a href="/dashboard/stalls/queues.csv">Both queues as CSV</a></p>`,
      },
    ];
  },
};
