// The dashboard's HTML: one layout (phone first, a grid of charts on wider screens), the range form, tables.
import { esc } from '../pages/html';
import type { DayRange } from '../../db/dashboard';
import { renderSvg, type Row } from './charts';
import type { Section } from './page-model';

export interface NavLink {
  slug: string;
  title: string;
}

const style = `
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;line-height:1.4;margin:0 auto;padding:.75rem;max-width:76rem;color:#1b1b1b}
h1{font-size:1.3rem;margin:.2rem 0 .6rem}h2{font-size:1.1rem;margin:1.2rem 0 .3rem}
nav{display:flex;flex-wrap:wrap;gap:.3rem .9rem;margin:0 0 .6rem}nav a{color:#0b4f9c}nav a[aria-current]{font-weight:700;color:#1b1b1b;text-decoration:none}
form.range{display:flex;flex-wrap:wrap;gap:.4rem;align-items:end;margin:0 0 .6rem}
form.range label{font-size:.85rem;display:flex;flex-direction:column}form.range input,form.range button{font:inherit;padding:.3rem .4rem}
.summary{margin:.2rem 0 .6rem}.meta{color:#555;font-size:.88rem}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,360px),1fr));gap:.8rem}
figure{margin:0;border:1px solid #ddd;border-radius:10px;padding:.6rem;min-width:0}
figcaption{font-weight:600;margin:0 0 .3rem}figcaption a{font-weight:400;font-size:.85rem;margin-left:.4rem}
figure svg{max-width:100%;height:auto;display:block}
.empty{color:#555;font-style:italic;padding:1rem 0}
.table{overflow-x:auto;margin:.6rem 0;max-width:100%}
table{border-collapse:collapse;font-size:.88rem}th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #eee;white-space:nowrap}
td.num,th.num{text-align:right}
.who{float:right;font-size:.85rem;color:#555}.who form{display:inline}.who button{font:inherit;background:none;border:0;color:#0b4f9c;text-decoration:underline;cursor:pointer;padding:0}
`;

export function dashboardHtml(title: string, body: string, who?: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${esc(title)} — leadrelay</title><style>${style}</style></head>
<body>${who ? `<div class="who">${who}</div>` : ''}<h1>${esc(title)}</h1>
${body}
</body></html>`;
}

export function navHtml(pages: readonly NavLink[], current: string, range: DayRange): string {
  const query = `?from=${range.from}&to=${range.to}`;
  return `<nav>${pages
    .map(
      (p) =>
        `<a href="/dashboard/${p.slug}${query}"${p.slug === current ? ' aria-current="page"' : ''}>${esc(p.title)}</a>`,
    )
    .join('')}</nav>`;
}

export function rangeForm(action: string, range: DayRange): string {
  return `<form class="range" method="get" action="${esc(action)}"><label>From<input type="date" name="from" value="${range.from}" required></label><label>To<input type="date" name="to" value="${range.to}" required></label><button type="submit">Show</button></form>`;
}

/** Every chart of every section rendered to SVG, with its CSV link; a chart with no data says so instead. */
export async function sectionsHtml(slug: string, sections: readonly Section[], range: DayRange): Promise<string> {
  const parts: string[] = [];
  for (const section of sections) {
    const figures: string[] = [];
    for (const chart of section.charts) {
      if (!chart.spec) continue;
      const csv = `/dashboard/${slug}/${chart.id}.csv?from=${range.from}&to=${range.to}`;
      const caption = `<figcaption>${esc(chart.title)}<a href="${csv}" download>CSV</a></figcaption>`;
      const note = chart.note ? `<p class="meta">${esc(chart.note)}</p>` : '';
      const body =
        chart.rows.length === 0 ? '<p class="empty">No data in this range.</p>' : await renderSvg(chart.spec);
      figures.push(`<figure id="${chart.id}" data-rows="${chart.rows.length}">${caption}${note}${body}</figure>`);
    }
    parts.push(
      `<section><h2>${esc(section.heading)}</h2>${section.summary ? `<p class="summary">${esc(section.summary)}</p>` : ''}${
        figures.length ? `<div class="grid">${figures.join('')}</div>` : ''
      }${section.html ?? ''}</section>`,
    );
  }
  return parts.join('\n');
}

export interface Column {
  key: string;
  label: string;
  numeric?: boolean;
}

/** A table of rows; `link` turns a row's first cell into links (already-escaped HTML is never taken from rows). */
export function tableHtml(
  columns: readonly Column[],
  rows: readonly Row[],
  link?: (row: Row) => Array<{ href: string; text: string }>,
): string {
  if (rows.length === 0) return '<p class="empty">None.</p>';
  const head = columns.map((c) => `<th${c.numeric ? ' class="num"' : ''}>${esc(c.label)}</th>`).join('');
  const body = rows
    .map((row) => {
      const cells = columns.map((c, i) => {
        const value = row[c.key];
        const text = value === null || value === undefined ? '–' : esc(String(value));
        const links = i === 0 && link ? link(row) : [];
        const content = links.length
          ? `${text} ${links.map((l) => `<a href="${esc(l.href)}">${esc(l.text)}</a>`).join(' ')}`
          : text;
        return `<td${c.numeric ? ' class="num"' : ''}>${content}</td>`;
      });
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('');
  return `<div class="table"><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}
