// Speed to lead: received → told (the rep's email delivered) → accepted → first touch, as distributions per day,
// team, source and tier, with the share of leads answered within SLA (accepted with no offer timed out).
import { readSpeed, type SpeedRow } from '../../db/dashboard';
import { addBuckets, bucketLabel, duration, emptyBuckets, quantileOf } from '../../src/dashboard/histogram';
import { pct, type Row } from './charts';
import { tableHtml } from './layout';
import { teamLabel, type DashboardPage, type PageContext } from './page-model';

const stages = [
  { key: 'told', label: 'told', buckets: (r: SpeedRow) => r.toldBuckets, count: (r: SpeedRow) => r.told },
  {
    key: 'accepted',
    label: 'accepted',
    buckets: (r: SpeedRow) => r.acceptedBuckets,
    count: (r: SpeedRow) => r.accepted,
  },
  {
    key: 'touched',
    label: 'first touch',
    buckets: (r: SpeedRow) => r.touchedBuckets,
    count: (r: SpeedRow) => r.touched,
  },
] as const;

const minutes = (seconds: number | null) => (seconds === null ? null : Math.round((seconds / 60) * 100) / 100);

function segmentName(ctx: PageContext, row: SpeedRow): string {
  if (row.by === 'team') return `team ${teamLabel(ctx, row.key || null)}`;
  if (row.by === 'policy') return row.key ? `policy v${row.key}` : 'no policy';
  return `${row.by} ${row.key || '(none)'}`;
}

export const speedPage: DashboardPage = {
  slug: 'speed',
  title: 'Speed to lead',
  async load(ctx) {
    const rows = await readSpeed(ctx.db, ctx.range, ctx.scope);
    const days = rows.filter((r) => r.by === 'day');
    const total = days.reduce(
      (t, r) => ({
        leads: t.leads + r.leads - r.spam,
        accepted: t.accepted + r.accepted,
        within: t.within + r.withinSla,
      }),
      { leads: 0, accepted: 0, within: 0 },
    );

    const byDay: Row[] = days.flatMap((r) =>
      stages.map((s) => ({
        day: r.key,
        stage: s.label,
        leads: s.count(r),
        p50_minutes: minutes(quantileOf(s.buckets(r), 0.5)),
        p90_minutes: minutes(quantileOf(s.buckets(r), 0.9)),
      })),
    );
    // Each step's waits over the whole range, for the distribution and the headline median.
    const rangeBuckets = new Map(
      stages.map((s) => [s.key, days.reduce((sum, r) => addBuckets(sum, s.buckets(r)), emptyBuckets())]),
    );
    const distribution: Row[] = stages.flatMap((s) => {
      const sum = rangeBuckets.get(s.key)!;
      const all = sum.reduce((a, b) => a + b, 0);
      return sum.map((n, i) => ({
        bucket: bucketLabel(i),
        order: i,
        stage: s.label,
        leads: n,
        share_pct: pct(n, all),
      }));
    });
    const segments: Row[] = rows
      .filter((r) => r.by !== 'day' && r.leads - r.spam > 0)
      .map((r) => ({
        by: r.by,
        segment: segmentName(ctx, r),
        leads: r.leads - r.spam,
        within_sla_pct: pct(r.withinSla, r.leads - r.spam),
        told_p50_minutes: minutes(quantileOf(r.toldBuckets, 0.5)),
        accepted_p50_minutes: minutes(quantileOf(r.acceptedBuckets, 0.5)),
        touched_p50_minutes: minutes(quantileOf(r.touchedBuckets, 0.5)),
      }));

    const medianAccepted = quantileOf(rangeBuckets.get('accepted')!, 0.5);
    return [
      {
        heading: 'How fast leads are answered',
        summary: `${total.leads} leads (spam excluded); ${pct(total.within, total.leads) ?? 0}% answered within SLA; median time to accept ${medianAccepted === null ? '–' : duration(medianAccepted)}.`,
        charts: [
          {
            id: 'by-day',
            title: 'Median time from received, per day',
            note: 'Minutes, log scale: when the rep was told, when someone accepted, when they first touched the lead.',
            rows: byDay,
            spec: {
              height: 200,
              data: { values: byDay.filter((r) => r.p50_minutes !== null && (r.p50_minutes as number) > 0) },
              mark: { type: 'line', point: true },
              encoding: {
                x: { field: 'day', type: 'temporal', title: null },
                y: { field: 'p50_minutes', type: 'quantitative', scale: { type: 'log' }, title: 'minutes (median)' },
                color: { field: 'stage', type: 'nominal', sort: stages.map((s) => s.label), title: null },
              },
            },
          },
          {
            id: 'distribution',
            title: 'Distribution of waits',
            note: 'Share of leads per wait, for each step.',
            rows: distribution,
            spec: {
              height: 220,
              data: { values: distribution },
              mark: 'bar',
              encoding: {
                y: { field: 'bucket', type: 'ordinal', sort: { field: 'order' }, title: 'wait since received' },
                yOffset: { field: 'stage', sort: stages.map((s) => s.label) },
                x: { field: 'share_pct', type: 'quantitative', title: '% of leads' },
                color: { field: 'stage', type: 'nominal', sort: stages.map((s) => s.label), title: null },
              },
            },
          },
          {
            id: 'within-sla',
            title: 'Answered within SLA, per team, source, tier and policy',
            note: 'Accepted with no offer timed out, as a share of the segment’s leads.',
            rows: segments,
            spec: {
              height: { step: 14 },
              data: { values: segments },
              mark: 'bar',
              encoding: {
                y: { field: 'segment', type: 'nominal', sort: null, title: null },
                x: {
                  field: 'within_sla_pct',
                  type: 'quantitative',
                  title: '% within SLA',
                  scale: { domain: [0, 100] },
                },
                color: { field: 'by', type: 'nominal', title: null },
              },
            } as never,
          },
        ],
        html: tableHtml(
          [
            { key: 'segment', label: 'segment' },
            { key: 'leads', label: 'leads', numeric: true },
            { key: 'within_sla_pct', label: '% within SLA', numeric: true },
            { key: 'told_p50_minutes', label: 'told p50 (min)', numeric: true },
            { key: 'accepted_p50_minutes', label: 'accepted p50 (min)', numeric: true },
            { key: 'touched_p50_minutes', label: 'first touch p50 (min)', numeric: true },
          ],
          segments,
        ),
      },
    ];
  },
};
