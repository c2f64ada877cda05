// Charts are Vega-Lite specs rendered to SVG on the server by Vega itself: a page needs no script, and what a phone
// shows is what the benchmark times. Every chart is drawn at a phone's width and scales down, never overflowing.
import type { TopLevelSpec } from 'vega-lite' with { 'resolution-mode': 'import' };

/** Wide enough to read on a desktop grid, narrow enough for a 390 px phone (minus the page's padding). */
export const chartWidth = 330;

export type { TopLevelSpec };

export type Row = Record<string, string | number | null>;

/** What a page shows for one chart: its data (also its CSV) and the spec that draws it. */
export interface Chart {
  /** URL-safe and unique in its page: names the CSV (`<page>/<id>.csv`) and the figure's anchor. */
  id: string;
  title: string;
  /** How to read it, in one sentence. */
  note?: string;
  rows: Row[];
  /** Null for data shown as a table only. */
  spec: TopLevelSpec | null;
}

// Both are ESM-only (vega with a top-level await, so not even require(esm) loads it): imported once, on the first chart.
async function importLibraries() {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  return { vega, vegaLite };
}
let libraries: ReturnType<typeof importLibraries> | undefined;

const config = {
  font: 'system-ui, -apple-system, Segoe UI, sans-serif',
  axis: { labelFontSize: 11, titleFontSize: 11, labelLimit: 140 },
  legend: {
    labelFontSize: 11,
    titleFontSize: 11,
    orient: 'bottom',
    direction: 'horizontal',
    columns: 2,
    labelLimit: 150,
  },
  view: { stroke: null },
} as const;

/** The chart as an SVG element, sized to `chartWidth` (its height is the spec's). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const { vega, vegaLite } = await (libraries ??= importLibraries());
  const full = {
    width: chartWidth,
    autosize: { type: 'fit-x', contains: 'padding' },
    ...spec,
    config: { ...config, ...(spec as { config?: object }).config },
  } as TopLevelSpec;
  const view = new vega.View(vega.parse(vegaLite.compile(full, { logger: vega.logger(vega.Error) }).spec), {
    renderer: 'none',
  });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** RFC 4180 CSV of the rows, columns in the first row's order (every row has the same keys). */
export function toCsv(rows: readonly Row[], columns?: readonly string[]): string {
  const keys = columns ?? Object.keys(rows[0] ?? {});
  const cell = (value: string | number | null | undefined) => {
    if (value === null || value === undefined) return '';
    const text = String(value);
    // A leading =, +, - or @ would run as a formula in a spreadsheet: quote it as text.
    const safe = /^[=+\-@]/.test(text) && typeof value === 'string' ? `'${text}` : text;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return [keys.join(','), ...rows.map((row) => keys.map((k) => cell(row[k])).join(','))].join('\r\n') + '\r\n';
}

export const pct = (part: number, whole: number): number | null =>
  whole === 0 ? null : Math.round((part / whole) * 1000) / 10;
