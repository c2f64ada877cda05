// `npx leadrelay outcomes import <file.csv>`: outcomes from a CRM export, one per row, each credited to the
// lead's owner like an API report. A row already imported (same lead, stage and date, or the same externalId) is
// reported as such and writes nothing, so an export can be imported again after a fix.
import { parse as parseCsv } from 'csv-parse/sync';
import type { Pool } from 'pg';
import { ownedLeadsByEmail, reportOutcomeOf } from '../db/outcomes';
import { createPool } from '../db/pool';
import { loadConfig, requireSetting } from '../src/config';
import { describeOutcome, OutcomeInputSchema } from '../src/outcomes';
import { readTextFile } from './read-text-file';

const usage = `usage: leadrelay outcomes import <file.csv>
CSV columns (header row): lead, stage, date, amount, currency, reason, externalId
  lead        the lead id, or the contact's email when exactly one owned lead has it
  stage       first-touch, meeting-booked, qualified, opportunity, won or lost
  date        an ISO date (midnight UTC) or instant, e.g. 2026-11-20 or 2026-11-20T10:00:00Z
  amount, currency   optional, together (e.g. 12000, EUR); reason: required for lost
  externalId  optional: the CRM's id for the stage change (by default the stage and date)
DATABASE_URL names the database.`;

export interface OutcomesIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** The database to use; by default a pool on DATABASE_URL, closed when the command ends. */
  db?: Pool;
}

const leadIdPattern = /^[a-f0-9]{24}$/;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;

export async function main(
  args: string[],
  io: OutcomesIo = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) },
): Promise<number> {
  const [command, file, ...extra] = args;
  if (command === '--help' || command === '-h') {
    io.out(usage);
    return 0;
  }
  if (command !== 'import' || !file || extra.length > 0) {
    io.err(usage);
    return 2;
  }
  let text: string;
  let rows: Array<Record<string, string>>;
  try {
    text = readTextFile(file);
  } catch (error) {
    io.err(`leadrelay outcomes: ${(error as Error).message}`);
    return 2;
  }
  try {
    rows = parseCsv(text, { columns: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (error) {
    io.err(`leadrelay outcomes: ${file}: ${(error as Error).message}`);
    return 2;
  }
  const header = rows[0] ? Object.keys(rows[0]) : [];
  for (const required of ['lead', 'stage', 'date'])
    if (rows.length > 0 && !header.includes(required)) {
      io.err(`leadrelay outcomes: ${file}: no ${required} column\n${usage}`);
      return 2;
    }

  const db = io.db ?? createPool(requireSetting(loadConfig(process.env), 'DATABASE_URL'), io.err);
  const counts = { recorded: 0, already: 0, refused: 0 };
  try {
    for (const [i, row] of rows.entries()) {
      const line = i + 2; // the header is line 1
      const refuse = (why: string) => {
        counts.refused += 1;
        io.out(`line ${line}: refused: ${why}`);
      };
      const date = row.date ?? '';
      const parsed = OutcomeInputSchema.safeParse({
        event: row.stage,
        at: datePattern.test(date) ? `${date}T00:00:00Z` : date,
        ...(row.amount ? { amount: Number(row.amount) } : {}),
        ...(row.currency ? { currency: row.currency } : {}),
        ...(row.reason ? { reason: row.reason } : {}),
        ...(row.externalId ? { externalId: row.externalId } : {}),
      });
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const column = { event: 'stage', at: 'date' }[String(issue.path[0])] ?? String(issue.path[0]);
        refuse(`${column}: ${issue.message}`);
        continue;
      }
      const lead = row.lead ?? '';
      let leadId = lead;
      if (!leadIdPattern.test(lead)) {
        if (!lead.includes('@')) {
          refuse(`lead: "${lead}" is neither a lead id (24 hex characters) nor an email`);
          continue;
        }
        const ids = await ownedLeadsByEmail(db, lead);
        if (ids.length !== 1) {
          refuse(
            ids.length === 0
              ? `lead: no owned lead of ${lead}`
              : `lead: ${ids.length} owned leads of ${lead} (${ids.join(', ')}): give the lead id`,
          );
          continue;
        }
        leadId = ids[0]!;
      }
      const report = await reportOutcomeOf(db, leadId, parsed.data, 'cli:outcomes-import');
      switch (report.result) {
        case 'no-lead':
          refuse(`lead: no lead ${leadId}`);
          break;
        case 'unowned':
          refuse(`lead: ${leadId} has no owner yet`);
          break;
        case 'conflict':
          refuse(`externalId: ${report.externalId} already records ${describeOutcome(report.outcome)}`);
          break;
        case 'repeated':
          counts.already += 1;
          io.out(`line ${line}: already recorded: ${leadId} ${describeOutcome(report.outcome)}`);
          break;
        case 'created':
          counts.recorded += 1;
          io.out(`line ${line}: recorded: ${leadId} ${describeOutcome(report.outcome)}`);
      }
    }
  } finally {
    if (!io.db) await db.end();
  }
  io.out(
    `outcomes import: rows=${rows.length} recorded=${counts.recorded} already=${counts.already} refused=${counts.refused}`,
  );
  return counts.refused > 0 ? 1 : 0;
}
