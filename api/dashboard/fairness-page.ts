// Fairness: each rep's share of their team's first offers against the share their weight entitles them to, week by
// week, and who routing passed over and why, in aggregate.
import { readRepShares, readSkips, readWeeklyFirstOffers } from '../../db/dashboard';
import { pct, type Row } from './charts';
import { tableHtml } from './layout';
import { teamLabel, type DashboardPage } from './page-model';

export const fairnessPage: DashboardPage = {
  slug: 'fairness',
  title: 'Fairness',
  async load(ctx) {
    const [shares, weekly, skips] = await Promise.all([
      readRepShares(ctx.db, ctx.range, ctx.scope),
      readWeeklyFirstOffers(ctx.db, ctx.range, ctx.scope),
      readSkips(ctx.db, ctx.range, ctx.scope),
    ]);
    // A team's weights count its active members; a rep who left still shows what they received.
    const teamTotals = new Map<string, { weight: number; firstOffers: number }>();
    for (const s of shares) {
      const t = teamTotals.get(s.teamId) ?? { weight: 0, firstOffers: 0 };
      if (s.active) t.weight += s.weight;
      t.firstOffers += s.firstOffers;
      teamTotals.set(s.teamId, t);
    }
    const shareRows: Row[] = shares.map((s) => {
      const team = teamTotals.get(s.teamId)!;
      const expected = s.active && team.weight > 0 ? s.weight / team.weight : 0;
      return {
        team: teamLabel(ctx, s.teamId),
        rep: s.repName,
        rep_id: s.repId,
        weight: s.weight,
        first_offers: s.firstOffers,
        accepted: s.accepted,
        share_pct: pct(s.firstOffers, team.firstOffers),
        weight_share_pct: Math.round(expected * 1000) / 10,
        ratio:
          expected > 0 && team.firstOffers > 0
            ? Math.round((s.firstOffers / team.firstOffers / expected) * 100) / 100
            : null,
      };
    });
    const weightOf = new Map(shares.map((s) => [`${s.teamId}/${s.repId}`, s]));
    const weekTotals = new Map<string, number>();
    for (const w of weekly)
      weekTotals.set(`${w.week}/${w.teamId}`, (weekTotals.get(`${w.week}/${w.teamId}`) ?? 0) + w.firstOffers);
    const weeklyRows: Row[] = weekly.map((w) => {
      const rep = weightOf.get(`${w.teamId}/${w.repId}`);
      const team = teamTotals.get(w.teamId);
      const expected = rep && rep.active && team && team.weight > 0 ? rep.weight / team.weight : null;
      const total = weekTotals.get(`${w.week}/${w.teamId}`) ?? 0;
      return {
        week: w.week,
        team: teamLabel(ctx, w.teamId),
        rep: rep?.repName ?? w.repId,
        first_offers: w.firstOffers,
        ratio: expected && total > 0 ? Math.round((w.firstOffers / total / expected) * 100) / 100 : null,
      };
    });
    const skipRows: Row[] = skips.map((s) => ({
      team: teamLabel(ctx, s.teamId),
      rep: s.repId,
      reason: s.code,
      skipped: s.skipped,
    }));
    const byReason = new Map<string, number>();
    for (const s of skips) byReason.set(s.code, (byReason.get(s.code) ?? 0) + s.skipped);
    const ratios = shareRows.map((r) => r.ratio).filter((r): r is number => typeof r === 'number');

    return [
      {
        heading: 'First offers against weight',
        summary: ratios.length
          ? `Across ${ratios.length} reps, the share of first offers ranges from ${Math.min(...ratios)}× to ${Math.max(...ratios)}× what their weight entitles them to (1× is exactly fair).`
          : 'No first offers in this range.',
        charts: [
          {
            id: 'share-vs-weight',
            title: 'Share of the team’s first offers (bar) and weight share (tick)',
            rows: shareRows,
            spec: {
              height: { step: 14 },
              data: { values: shareRows },
              encoding: { y: { field: 'rep', type: 'nominal', sort: null, title: null } },
              layer: [
                {
                  mark: 'bar',
                  encoding: {
                    x: { field: 'share_pct', type: 'quantitative', title: '% of team’s first offers' },
                    color: { field: 'team', type: 'nominal', title: null },
                  },
                },
                {
                  mark: { type: 'tick', color: '#111', thickness: 2 },
                  encoding: { x: { field: 'weight_share_pct', type: 'quantitative' } },
                },
              ],
            } as never,
          },
          {
            id: 'weekly',
            title: 'Week by week: received ÷ entitled',
            note: 'Each cell is a rep’s share of their team’s first offers that week over their weight share; 1 is fair.',
            rows: weeklyRows,
            spec: {
              height: { step: 12 },
              data: { values: weeklyRows.filter((r) => r.ratio !== null) },
              mark: 'rect',
              encoding: {
                x: {
                  field: 'week',
                  type: 'ordinal',
                  timeUnit: 'yearmonthdate',
                  title: null,
                  axis: { labelAngle: -45, format: '%d %b' },
                },
                y: { field: 'rep', type: 'nominal', title: null },
                color: {
                  field: 'ratio',
                  type: 'quantitative',
                  title: 'received ÷ entitled',
                  scale: { scheme: 'redblue', domainMid: 1, domain: [0, 2], clamp: true },
                },
              },
            } as never,
          },
        ],
        html: tableHtml(
          [
            { key: 'rep', label: 'rep' },
            { key: 'team', label: 'team' },
            { key: 'weight', label: 'weight', numeric: true },
            { key: 'first_offers', label: 'first offers', numeric: true },
            { key: 'share_pct', label: '% of team', numeric: true },
            { key: 'weight_share_pct', label: 'weight %', numeric: true },
            { key: 'accepted', label: 'accepted', numeric: true },
          ],
          shareRows,
        ),
      },
      {
        heading: 'Who was skipped, and why',
        summary: [...byReason].map(([code, n]) => `${code}: ${n}`).join(' · ') || 'Nobody was skipped in this range.',
        charts: [
          {
            id: 'skips',
            title: 'Reps passed over, by reason',
            rows: skipRows,
            spec: {
              height: { step: 18 },
              data: { values: skipRows },
              mark: 'bar',
              encoding: {
                y: { field: 'reason', type: 'nominal', sort: '-x', title: null },
                x: { aggregate: 'sum', field: 'skipped', type: 'quantitative', title: 'times skipped' },
                color: { field: 'team', type: 'nominal', title: null },
              },
            } as never,
          },
        ],
      },
    ];
  },
};
