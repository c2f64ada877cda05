// The shadow policy's conversion estimated offline beside live, for the dashboard: the same computation as
// `npx leadrelay shadow report` (db/offline-evaluation.ts), run when a manager asks for it, since it reads each
// resolved decision's evidence and takes seconds, not the milliseconds a page has.
import type { Pool } from 'pg';
import type { DayRange } from '../../db/dashboard';
import { loadDirectory } from '../../db/directory';
import { evaluateCandidate } from '../../db/offline-evaluation';
import { listPolicies, readPolicy } from '../../db/policies';
import { NotEvaluable } from '../../src/learning/evaluate-policy';
import { parsePolicy } from '../../src/policy/parse-policy';
import { esc } from '../pages/html';

const dayMs = 86_400_000;
/** Draws per decision for a best-fit shadow's probability of making the logged first offer. */
const draws = 400;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The estimate as HTML for the range, or why there is none. Admin keys only: it reads every team's decisions. */
export async function shadowEstimateHtml(db: Pool, range: DayRange): Promise<string> {
  const policies = await listPolicies(db);
  const shadow =
    policies.find((p) => p.status === 'shadow') ?? [...policies].reverse().find((p) => p.shadowedAt !== null);
  if (!shadow)
    return '<p>No policy has run as the shadow: <code>POST /v1/admin/policies/&lt;version&gt;/shadow</code>.</p>';
  const directory = await loadDirectory(db);
  const stored = await readPolicy(db, shadow.version);
  const parsed = stored && parsePolicy(stored.yaml, { teamIds: directory.teams.map((t) => t.id) });
  if (!parsed?.ok) return `<p>Policy v${shadow.version} no longer validates against the directory: no estimate.</p>`;
  const from = new Date(`${range.from}T00:00:00Z`);
  const to = new Date(Date.parse(`${range.to}T00:00:00Z`) + dayMs);
  try {
    const e = await evaluateCandidate(db, { policy: parsed.policy, directory, from, to, draws });
    const live = e.liveRate === null ? 'no resolved decisions' : `${pct(e.liveRate)} ± ${pct(e.liveHalf)}`;
    const estimate =
      e.estimate.rate === null
        ? 'no estimate: it would have made none of the logged first offers, or none resolved'
        : `${pct(e.estimate.rate)} [${pct(e.estimate.low!)}, ${pct(e.estimate.high!)}] from ${e.estimate.matched} decisions it shares`;
    return `<p>Shadow v${shadow.version}, over ${e.resolved.length} resolved best-fit decisions from ${range.from} to ${range.to} (${e.decisions.length - e.resolved.length} still inside their outcome window):</p><ul><li>live converted ${esc(live)}</li><li>shadow, estimated offline: ${esc(estimate)}</li></ul><p class="meta">Self-normalised inverse propensity scoring over the decisions both policies would have made the same first offer in.</p>`;
  } catch (error) {
    if (!(error instanceof NotEvaluable)) throw error;
    return `<p>No estimate: ${esc(error.message)}</p>`;
  }
}
