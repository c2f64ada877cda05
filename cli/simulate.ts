// `npx leadrelay simulate`: where each lead of a CSV file would go under a routing policy, and why, per-rep counts
// and the fairness spread. Reads files only; touches no database, ledger or mailbox.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { LeadClassifier } from '../src/classification/classifier';
import { loadClassifier } from '../workers/classifier';
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import { DirectoryFileError, parseDirectoryFile } from '../src/directory-file';
import { regions, sources, tiers, urgencies, type RoutingLead } from '../src/policy/lead-attributes';
import { parsePolicy } from '../src/policy/parse-policy';
import { simulateRouting, type SimulatedLead, type SimulationResult } from '../src/routing/simulation';
import { qualify } from '../src/qualification';
import type { Tier, Urgency } from '../src/qualification';
import { describeRouting } from '../src/routing/explanation';

const usage = `usage: leadrelay simulate --policy <policy.yaml> --leads <leads.csv> [--directory <directory.json>] [--at <ISO instant>] [--policy-version <n>] [--json]
  --directory       default config/directory.json
  --at              route every lead at this instant, as one burst, in file order (default: each at its receivedAt)
  --policy-version  the version number recorded in the explanations (default 0: a file, not a stored version)
  --json            print the simulation as JSON instead of text
CSV columns (header row): ${'id, region, country, serviceLine, urgency, tier, source, companySize, contactOwnerRepId, accountOwnerRepId, receivedAt, text'}
  serviceLine, urgency and tier may be left empty when a text column says what the lead wrote.`;

/** The CSV row as read, every value a trimmed string (empty when absent). */
export type LeadRow = Readonly<Record<string, string>>;

export interface SimulateOptions {
  /** Fills serviceLine, urgency and tier from a row's text; by default the keyword qualification in src/qualification.ts. */
  qualify?: (row: LeadRow) => { serviceLine: string; urgency: Urgency; tier: Tier };
  out?: (text: string) => void;
  err?: (text: string) => void;
}

const columns = [
  'id',
  'region',
  'country',
  'serviceLine',
  'urgency',
  'tier',
  'source',
  'companySize',
  'contactOwnerRepId',
  'accountOwnerRepId',
  'receivedAt',
  'text',
] as const;

const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? null : v), schema.nullable());
const repId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a rep id (lowercase letters, digits and dashes)');
const oneOf = (values: readonly string[]) => `one of ${values.join(', ')}`;

const RowSchema = z.object({
  id: z.string(),
  region: optional(
    z
      .string()
      .toLowerCase()
      .pipe(z.enum(regions, { error: oneOf(regions) })),
  ),
  country: optional(
    z
      .string()
      .regex(/^[A-Za-z]{2}$/, 'an ISO 3166-1 alpha-2 code, e.g. DE')
      .transform((c) => c.toUpperCase()),
  ),
  serviceLine: optional(z.string()),
  urgency: optional(z.enum(urgencies, { error: oneOf(urgencies) })),
  tier: optional(
    z
      .string()
      .toUpperCase()
      .pipe(z.enum(tiers, { error: oneOf(tiers) })),
  ),
  source: optional(z.enum(sources, { error: oneOf(sources) })),
  companySize: optional(z.string().regex(/^\d+$/, 'a whole number of employees').transform(Number)),
  contactOwnerRepId: optional(repId),
  accountOwnerRepId: optional(repId),
  receivedAt: optional(z.iso.datetime({ offset: true, error: 'an ISO-8601 instant, e.g. 2026-11-23T15:00:00Z' })),
  text: z.string(),
});

class InputError extends Error {}

export async function main(args: string[], options: SimulateOptions = {}): Promise<number> {
  const out = options.out ?? ((text: string) => process.stdout.write(`${text}\n`));
  const err = options.err ?? ((text: string) => process.stderr.write(`${text}\n`));
  let values: {
    policy?: string;
    leads?: string;
    directory?: string;
    at?: string;
    'policy-version'?: string;
    json?: boolean;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        policy: { type: 'string' },
        leads: { type: 'string' },
        directory: { type: 'string' },
        at: { type: 'string' },
        'policy-version': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    err(`leadrelay simulate: ${error instanceof Error ? error.message : String(error)}\n${usage}`);
    return 2;
  }
  if (values.help) {
    out(usage);
    return 0;
  }
  const usageError = (message: string) => {
    err(`leadrelay simulate: ${message}\n${usage}`);
    return 2;
  };
  if (!values.policy) return usageError('--policy is required');
  if (!values.leads) return usageError('--leads is required');
  const at = values.at === undefined ? null : Date.parse(values.at);
  if (at !== null && (!/^\d{4}-\d{2}-\d{2}T/.test(values.at!) || Number.isNaN(at)))
    return usageError(`--at must be an ISO-8601 instant, e.g. 2026-11-23T15:00:00Z (got ${values.at})`);
  const policyVersion = values['policy-version'] === undefined ? 0 : Number(values['policy-version']);
  if (!Number.isInteger(policyVersion) || policyVersion < 0)
    return usageError(`--policy-version must be a whole number (got ${values['policy-version']})`);

  try {
    const directoryPath = values.directory ?? 'config/directory.json';
    const directory = await readDirectory(directoryPath);
    const parsed = parsePolicy(await readText(values.policy), { teamIds: directory.teams.map((t) => t.id) });
    if (!parsed.ok)
      throw new InputError(
        parsed.errors
          .map((e) => `${values.policy}:${e.line}:${e.column}: ${e.path ? `${e.path}: ` : ''}${e.message}`)
          .join('\n'),
      );
    const leads = await readLeads(values.leads, options.qualify ?? qualifyByClassifier(), at !== null);
    const result = simulateRouting({ policy: parsed.policy, policyVersion, directory, leads, at });
    if (values.json) out(JSON.stringify(result, null, 2));
    else out(render(result, { policyPath: values.policy, directoryPath, leadsPath: values.leads, at, policyVersion }));
    return result.decisions.every((d) => d.ok) ? 0 : 1;
  } catch (error) {
    if (error instanceof InputError) {
      err(error.message);
      return 1;
    }
    throw error;
  }
}

async function readText(file: string): Promise<string> {
  try {
    return await fs.promises.readFile(file, 'utf8');
  } catch (error) {
    throw new InputError(`${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

async function readDirectory(file: string) {
  const text = await readText(file);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${file}: not JSON (${(error as Error).message})`);
  }
  try {
    return parseDirectoryFile(json);
  } catch (error) {
    if (error instanceof DirectoryFileError) throw new InputError(`${file}: ${error.message}`);
    throw error;
  }
}

/**
 * Text-only rows are qualified by the same classifier the worker trains (built-in corpus plus
 * LEADRELAY_CLASSIFIER_CORPUS). Only the text is known, so the lead is scored on what it says.
 */
function qualifyByClassifier(): (row: LeadRow) => { serviceLine: string; urgency: Urgency; tier: Tier } {
  let classifier: LeadClassifier | undefined;
  return (row) => {
    classifier ??= loadClassifier({ ownCorpusPath: process.env.LEADRELAY_CLASSIFIER_CORPUS || undefined });
    const q = qualify(
      {
        text: row.text ?? '',
        receivedAt: row.receivedAt ?? new Date().toISOString(),
        timeZone: null,
        name: null,
        email: null,
        company: null,
        companyDomain: null,
        freeMail: false,
        disposableEmail: false,
        phone: null,
        companySize: null,
        budget: null,
        knownCustomer: false,
      },
      classifier,
    );
    return { serviceLine: q.serviceLine, urgency: q.urgency, tier: q.tier };
  };
}

async function readLeads(
  file: string,
  qualify: NonNullable<SimulateOptions['qualify']>,
  oneInstant: boolean,
): Promise<SimulatedLead[]> {
  const text = await readText(file);
  let records: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    records = parseCsv<{ record: Record<string, string>; info: { lines: number } }>(text, {
      columns: true,
      info: true,
      skip_empty_lines: true,
      trim: true,
      bom: true,
    });
  } catch (error) {
    throw new InputError(`${file}: ${(error as Error).message}`);
  }
  const header = records[0] ? Object.keys(records[0].record) : [];
  const unknown = header.filter((c) => !(columns as readonly string[]).includes(c));
  if (unknown.length > 0)
    throw new InputError(
      `${file}: unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((c) => `"${c}"`).join(', ')} (known: ${columns.join(', ')})`,
    );
  if (records.length === 0) throw new InputError(`${file}: no leads (a header row and one lead per line)`);

  const errors: string[] = [];
  const leads: SimulatedLead[] = [];
  records.forEach(({ record, info }, index) => {
    const where = `${file} row ${index + 1} (line ${info.lines})`;
    const row: Record<string, string> = Object.fromEntries(columns.map((c) => [c, record[c] ?? '']));
    row.id ||= `row-${index + 1}`;
    const result = RowSchema.safeParse(row);
    if (!result.success) {
      for (const issue of result.error.issues)
        errors.push(
          `${where}, column ${issue.path.join('.')}: ${issue.message} (got ${JSON.stringify(row[String(issue.path[0])])})`,
        );
      return;
    }
    const r = result.data;
    let { serviceLine, urgency, tier } = r;
    if (!serviceLine || !urgency || !tier) {
      if (!r.text) {
        const missing = [!serviceLine && 'serviceLine', !urgency && 'urgency', !tier && 'tier']
          .filter(Boolean)
          .join(', ');
        errors.push(`${where}, column ${missing}: empty, and there is no text to qualify the lead from`);
        return;
      }
      const q = qualify(row);
      serviceLine ||= q.serviceLine;
      urgency ||= q.urgency;
      tier ||= q.tier;
    }
    if (!oneInstant && r.receivedAt === null) {
      errors.push(`${where}, column receivedAt: empty; give each lead its arrival time, or --at for the whole batch`);
      return;
    }
    const lead: RoutingLead = {
      region: r.region,
      country: r.country,
      serviceLine,
      urgency,
      tier,
      source: r.source,
      companySize: r.companySize,
      contactOwnerRepId: r.contactOwnerRepId,
      accountOwnerRepId: r.accountOwnerRepId,
    };
    leads.push({ id: r.id, lead, receivedAt: r.receivedAt === null ? null : Date.parse(r.receivedAt) });
  });
  if (errors.length > 0) throw new InputError(errors.join('\n'));
  return leads;
}

function render(
  result: SimulationResult,
  context: { policyPath: string; directoryPath: string; leadsPath: string; at: number | null; policyVersion: number },
): string {
  const lines: string[] = [];
  const when =
    context.at === null ? 'each at its receivedAt' : `all at ${new Date(context.at).toISOString()} (one burst)`;
  lines.push(`Simulating ${result.decisions.length} lead(s) from ${context.leadsPath}, ${when}.`);
  lines.push(
    `Policy ${context.policyPath} as v${context.policyVersion}, directory ${context.directoryPath}. Nothing is stored.`,
  );
  lines.push('Load model: a first offer counts against its rep until its SLA deadline, as if nobody answered early.');
  for (const d of result.decisions) {
    lines.push('');
    if (!d.ok) {
      lines.push(`${d.id} at ${new Date(d.at).toISOString()}: NOT ROUTED: ${d.error}`);
      continue;
    }
    const first = d.plan.stages[0];
    const goesTo = d.firstRepId
      ? `first offer to ${d.firstRepId} (${first?.slaText})`
      : first
        ? `no rep available: straight to escalation, ${first.repIds[0]} (${first.slaText})`
        : `nobody available: straight to the catch-all queue (${d.plan.catchAll.alertEmail})`;
    lines.push(`${d.id} at ${new Date(d.at).toISOString()} → team ${d.plan.teamId}, ${goesTo}`);
    for (const line of describeRouting(d.plan, { maxListed: 10 }).split('\n')) lines.push(`  ${line}`);
  }
  lines.push(
    '',
    'First offers per rep, by team (active reps; [weight] when not 1; "never available" when never a candidate):',
  );
  for (const team of result.teams) {
    const reps = team.reps
      .map(
        (r) =>
          `${r.repId}${r.weight !== 1 ? ` [${r.weight}]` : ''} ${r.candidateIn > 0 ? r.firstOffers : 'never available'}`,
      )
      .join(', ');
    const weighted = team.reps.some((r) => r.weight !== 1) ? `, per unit of weight ${team.weightedSpread}` : '';
    lines.push(
      `  ${team.teamId} (${team.teamName}), ${team.leads} lead(s): ${reps || 'no active reps'}; spread ${team.spread}${weighted}`,
    );
  }
  lines.push(
    "Spread: most minus fewest first offers among the reps who were available for at least one of the team's leads.",
  );
  const failed = result.decisions.filter((d) => !d.ok).length;
  if (failed > 0) lines.push(`${failed} lead(s) could not be routed: the policy needs a rule or a default for them.`);
  return lines.join('\n');
}
