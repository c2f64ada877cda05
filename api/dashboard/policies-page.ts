// Policy versions: each version's period and its figures side by side, and the shadow policy beside the live one
// (where their decisions differ: per rule, per rep, and in fairness).
import { readConversion, readPolicyPeriods, readRepShares, readShadowComparison, readSpeed } from '../../db/dashboard';
import { lowestFairShare } from '../../src/dashboard/fair-share';
import { quantileOf } from '../../src/dashboard/histogram';
import { pct, type Row } from './charts';
import { tableHtml } from './layout';
import type { DashboardPage } from './page-model';

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);

export const policiesPage: DashboardPage = {
  slug: 'policies',
  title: 'Policy versions',
  async load(ctx) {
    const [periods, speed, conversion, shadow, reps] = await Promise.all([
      readPolicyPeriods(ctx.db),
      readSpeed(ctx.db, ctx.range, ctx.scope, 'policy'),
      readConversion(ctx.db, ctx.range, ctx.scope, 'policy'),
      readShadowComparison(ctx.db, ctx.range, ctx.scope),
      readRepShares(ctx.db, ctx.range, ctx.scope),
    ]);
    const versionRows: Row[] = periods.map((p) => {
      const s = speed.find((r) => r.by === 'policy' && r.key === String(p.version));
      const c = conversion.find((r) => r.dim === 'policy' && r.value === String(p.version));
      const leads = s ? s.leads - s.spam : 0;
      const acceptedP50 = s ? quantileOf(s.acceptedBuckets, 0.5) : null;
      return {
        version: `v${p.version}`,
        status: p.status,
        live_from: day(p.activatedAt),
        live_until: p.status === 'active' ? 'now' : day(p.endedAt),
        shadow_from: day(p.shadowedAt),
        leads,
        within_sla_pct: s ? pct(s.withinSla, leads) : null,
        accepted_p50_minutes: acceptedP50 === null ? null : Math.round((acceptedP50 / 60) * 10) / 10,
        accepted_pct: s ? pct(s.accepted, leads) : null,
        opportunity_pct: c ? pct(c.opportunities, c.leads) : null,
        won_pct: c ? pct(c.won, c.leads) : null,
      };
    });
    const figures: Row[] = versionRows
      .filter((r) => (r.leads as number) > 0)
      .flatMap((r) =>
        (
          [
            ['within SLA', r.within_sla_pct],
            ['accepted', r.accepted_pct],
            ['opportunity', r.opportunity_pct],
            ['won', r.won_pct],
          ] as const
        ).map(([figure, value]) => ({ version: r.version ?? null, figure, pct: value ?? null })),
      );

    const overall = shadow.filter((s) => s.by === 'all');
    // The same fairness measure as `shadow report`, over the leads each side offered to someone first.
    const repOf = new Map(reps.map((r) => [r.repId, r]));
    const fairShare = (version: number, side: 'liveFirstOffers' | 'shadowFirstOffers') => {
      const offered = shadow.flatMap((s) => {
        const rep = repOf.get(s.key);
        return s.by === 'rep' && s.shadowVersion === version && rep
          ? [{ teamId: rep.teamId, weight: rep.weight, firstOffers: s[side] }]
          : [];
      });
      const leads = (teamId: string) =>
        offered.filter((o) => o.teamId === teamId).reduce((n, o) => n + o.firstOffers, 0);
      return lowestFairShare(offered, leads).toFixed(2);
    };
    const byRule: Row[] = shadow
      .filter((s) => s.by === 'rule')
      .map((s) => ({
        shadow: `v${s.shadowVersion}`,
        rule: s.key,
        decisions: s.decisions,
        same_first_rep_pct: pct(s.sameFirstRep, s.decisions),
        same_team_pct: pct(s.sameTeam, s.decisions),
        unroutable: s.unroutable,
      }));
    const byRep: Row[] = shadow
      .filter((s) => s.by === 'rep')
      .flatMap((s) => [
        { shadow: `v${s.shadowVersion}`, rep: s.key, side: 'live', first_offers: s.liveFirstOffers },
        { shadow: `v${s.shadowVersion}`, rep: s.key, side: 'shadow', first_offers: s.shadowFirstOffers },
      ]);

    return [
      {
        heading: 'Versions side by side',
        summary: `${periods.length} versions; figures are for leads received in the range, by the version that routed them.`,
        charts: [
          {
            id: 'versions',
            title: 'Figures per version',
            rows: versionRows,
            spec: {
              height: { step: 12 },
              data: { values: figures },
              mark: 'bar',
              encoding: {
                y: { field: 'figure', type: 'nominal', sort: null, title: null },
                yOffset: { field: 'version' },
                x: { field: 'pct', type: 'quantitative', title: '% of leads' },
                color: { field: 'version', type: 'nominal', title: null },
              },
            } as never,
          },
        ],
        html: tableHtml(
          [
            { key: 'version', label: 'version' },
            { key: 'status', label: 'status' },
            { key: 'live_from', label: 'live from' },
            { key: 'live_until', label: 'until' },
            { key: 'shadow_from', label: 'shadow from' },
            { key: 'leads', label: 'leads', numeric: true },
            { key: 'within_sla_pct', label: '% within SLA', numeric: true },
            { key: 'accepted_p50_minutes', label: 'accepted p50 (min)', numeric: true },
            { key: 'opportunity_pct', label: '% opportunity', numeric: true },
            { key: 'won_pct', label: '% won', numeric: true },
          ],
          versionRows,
        ),
      },
      {
        heading: 'Shadow against live',
        summary: overall.length
          ? overall
              .map(
                (s) =>
                  `Shadow v${s.shadowVersion}: ${s.decisions} decisions, the same first rep in ${pct(s.sameFirstRep, s.decisions)}%, the same team in ${pct(s.sameTeam, s.decisions)}%, ${s.unroutable} it could not route; the lowest share of a team's first offers against a rep's weighted share: live ${fairShare(s.shadowVersion, 'liveFirstOffers')}, shadow ${fairShare(s.shadowVersion, 'shadowFirstOffers')} (1 is exactly fair).`,
              )
              .join(' ')
          : 'No shadow decisions in this range.',
        charts: [
          {
            id: 'shadow-by-rule',
            title: 'Same first rep as live, per live rule',
            rows: byRule,
            spec: {
              height: { step: 16 },
              data: { values: byRule },
              mark: 'bar',
              encoding: {
                y: { field: 'rule', type: 'nominal', title: null },
                x: {
                  field: 'same_first_rep_pct',
                  type: 'quantitative',
                  title: '% same first rep',
                  scale: { domain: [0, 100] },
                },
                color: { field: 'shadow', type: 'nominal', title: null },
              },
            } as never,
          },
          {
            id: 'shadow-by-rep',
            title: 'First offers per rep: live and shadow',
            rows: byRep,
            spec: {
              height: { step: 8 },
              data: { values: byRep },
              mark: 'bar',
              encoding: {
                y: { field: 'rep', type: 'nominal', title: null },
                yOffset: { field: 'side' },
                x: { field: 'first_offers', type: 'quantitative', title: 'first offers' },
                color: { field: 'side', type: 'nominal', title: null },
              },
            } as never,
          },
        ],
        html: `<p class="meta"><a href="/dashboard/shadow-estimate?from=${ctx.range.from}&amp;to=${ctx.range.to}">Estimate the shadow's conversion beside live</a> (offline, from the logged propensities; takes a few seconds; admin keys), or <code>npx leadrelay shadow report</code>. Promote it with <code>POST /v1/admin/policies/shadow/promote</code>.</p>`,
      },
    ];
  },
};
