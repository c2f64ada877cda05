// Conversion by routing path: how leads did by the rule that routed them, the strategy, the offer that was
// accepted, the escalation level and the source; and for best-fit, predicted fit against what happened (calibration).
import { readCalibration, readConversion, type ConversionRow } from '../../db/dashboard';
import { pct, type Row } from './charts';
import { tableHtml } from './layout';
import type { DashboardPage } from './page-model';

const dims: Array<{ dim: ConversionRow['dim']; label: string; value: (v: string) => string }> = [
  { dim: 'rule', label: 'rule', value: (v) => v },
  { dim: 'strategy', label: 'strategy', value: (v) => v },
  { dim: 'offer', label: 'accepted offer', value: (v) => `offer ${v}` },
  { dim: 'level', label: 'escalation level', value: (v) => (v === '0' ? 'level 0 (candidates)' : `level ${v}`) },
  { dim: 'source', label: 'source', value: (v) => v },
];

export const conversionPage: DashboardPage = {
  slug: 'conversion',
  title: 'Conversion by routing path',
  async load(ctx) {
    const [conversion, calibration] = await Promise.all([
      readConversion(ctx.db, ctx.range, ctx.scope),
      readCalibration(ctx.db, ctx.range, ctx.scope),
    ]);
    const pathRows: Row[] = dims.flatMap(({ dim, label, value }) =>
      conversion
        .filter((r) => r.dim === dim)
        .map((r) => ({
          by: label,
          path: value(r.value),
          leads: r.leads,
          accepted: r.accepted,
          meeting_pct: pct(r.meetings, r.leads),
          opportunity_pct: pct(r.opportunities, r.leads),
          won_pct: pct(r.won, r.leads),
        })),
    );
    const calibrationRows: Row[] = calibration.map((c) => ({
      policy: `v${c.policyVersion}`,
      predicted_range: `${c.bin * 10}–${c.bin * 10 + 10}%`,
      leads: c.leads,
      predicted_pct: Math.round(c.predicted * 1000) / 10,
      converted_pct: pct(c.converted, c.leads),
    }));
    const calibrated = calibration.reduce(
      (t, c) => ({
        leads: t.leads + c.leads,
        predicted: t.predicted + c.predicted * c.leads,
        converted: t.converted + c.converted,
      }),
      { leads: 0, predicted: 0, converted: 0 },
    );
    const all = conversion
      .filter((r) => r.dim === 'source')
      .reduce(
        (t, r) => ({ leads: t.leads + r.leads, opportunities: t.opportunities + r.opportunities, won: t.won + r.won }),
        { leads: 0, opportunities: 0, won: 0 },
      );

    return [
      {
        heading: 'Which paths convert',
        summary: `${all.leads} routed leads: ${pct(all.opportunities, all.leads) ?? 0}% became opportunities, ${pct(all.won, all.leads) ?? 0}% were won.`,
        charts: [
          {
            id: 'by-path',
            title: 'Opportunity rate by routing path',
            note: 'Leads received in the range that became opportunities (or were won), by how they were routed.',
            rows: pathRows,
            spec: {
              data: { values: pathRows },
              facet: {
                row: {
                  field: 'by',
                  type: 'nominal',
                  title: null,
                  sort: dims.map((d) => d.label),
                  header: { labelAngle: 0, labelAlign: 'left', labelAnchor: 'start', labelOrient: 'top' },
                },
              },
              spec: {
                width: 230,
                height: { step: 14 },
                mark: 'bar',
                encoding: {
                  y: { field: 'path', type: 'nominal', title: null },
                  x: { field: 'opportunity_pct', type: 'quantitative', title: '% opportunity' },
                  color: { field: 'by', type: 'nominal', legend: null },
                  tooltip: [{ field: 'leads' }, { field: 'won_pct' }],
                },
              },
              resolve: { scale: { y: 'independent' } },
              autosize: { type: 'pad' },
              width: undefined,
            } as never,
          },
          {
            id: 'calibration',
            title: 'Best-fit calibration: predicted fit against outcome',
            note: 'Each point is a band of the owner’s predicted chance (its size: leads); on the diagonal, predictions come true as often as they say.',
            rows: calibrationRows,
            spec: {
              height: 240,
              layer: [
                {
                  data: {
                    values: [
                      { x: 0, y: 0 },
                      { x: 100, y: 100 },
                    ],
                  },
                  mark: { type: 'line', color: '#999', strokeDash: [4, 4] },
                  encoding: {
                    x: { field: 'x', type: 'quantitative', title: 'predicted %', scale: { domain: [0, 100] } },
                    y: { field: 'y', type: 'quantitative', title: 'converted %', scale: { domain: [0, 100] } },
                  },
                },
                {
                  data: { values: calibrationRows },
                  mark: { type: 'point', filled: true },
                  encoding: {
                    x: { field: 'predicted_pct', type: 'quantitative' },
                    y: { field: 'converted_pct', type: 'quantitative' },
                    size: { field: 'leads', type: 'quantitative', title: 'leads' },
                    color: { field: 'policy', type: 'nominal', title: null },
                  },
                },
              ],
            } as never,
          },
        ],
        html:
          (calibrated.leads
            ? `<p class="meta">Best-fit leads: predicted ${pct(calibrated.predicted, calibrated.leads)}% on average, ${pct(calibrated.converted, calibrated.leads)}% converted (${calibrated.leads} leads).</p>`
            : '') +
          tableHtml(
            [
              { key: 'path', label: 'path' },
              { key: 'by', label: 'by' },
              { key: 'leads', label: 'leads', numeric: true },
              { key: 'accepted', label: 'accepted', numeric: true },
              { key: 'meeting_pct', label: '% meeting', numeric: true },
              { key: 'opportunity_pct', label: '% opportunity', numeric: true },
              { key: 'won_pct', label: '% won', numeric: true },
            ],
            pathRows,
          ),
      },
    ];
  },
};
