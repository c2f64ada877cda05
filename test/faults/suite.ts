// What every scenario shares: submitting leads as an intake system would (retrying with the same key until the API
// accepts), answering offers, waiting for the stack to settle, and the invariants checked after each scenario.
import fs from 'node:fs/promises';
import { WorkflowNotFoundError } from '@temporalio/client';
import { workflowIdFor } from '../../api/lead-workflow';
import { leadStatuses } from '../../src/lead';
import { searchAttributes as sa } from '../../workflows/messages';
import type { FaultStack } from './stack';
import { sleep } from './processes';

export type Log = (line: string) => void;

/** How long a deadline may lie in the past while the worker is acting on it (timer fired, task being processed). */
export const deadlineGraceMs = 30_000;

export interface ScenarioResult {
  name: string;
  submitted: number;
  /** What the scenario measured beyond the invariants, shown in the table (e.g. "p99 412 ms"). */
  notes: string[];
  /** Scenario-specific failures: an answer refused without a reason, a latency never measured. */
  defects: string[];
  hotP99Ratio?: number;
  rssMb?: number;
  leadIds: Set<string>;
  submissions: Map<string, string | null>;
}

export interface Invariants {
  lost: number;
  doubleOwners: number;
  duplicateEmails: number;
  missingEmails: number;
  withoutDeadline: number;
  failedRuns: number;
  details: string[];
}

export class Scenario {
  readonly leadIds = new Set<string>();
  /** Submissions the API accepted, by their key; null for one never accepted within the retry bound. */
  readonly submissions = new Map<string, string | null>();
  readonly notes: string[] = [];
  readonly defects: string[] = [];

  constructor(
    readonly stack: FaultStack,
    readonly name: string,
    readonly log: Log,
  ) {}

  /**
   * Submits one lead as an intake system does: the same Idempotency-Key on every retry, retrying while the API or
   * what stands behind it is down (connection refused, 5xx, 429), for up to `retryForMs`.
   */
  async submit(channel: 'web-form' | 'chat', body: object, key: string, retryForMs = 300_000): Promise<string | null> {
    const deadline = Date.now() + retryForMs;
    for (let attempt = 0; ; attempt++) {
      const answer = await this.post(`/v1/leads/${channel}`, body, { 'idempotency-key': key }).catch(() => null);
      if (answer && answer.status < 300) {
        const leadId = (answer.body as { leadId: string }).leadId;
        this.submissions.set(key, leadId);
        this.leadIds.add(leadId);
        return leadId;
      }
      if (answer && answer.status < 500 && answer.status !== 429)
        throw new Error(`${channel} submission refused (${answer.status}): ${JSON.stringify(answer.body)}`);
      this.noteServerError(answer);
      if (Date.now() > deadline) {
        this.submissions.set(key, null);
        return null;
      }
      await sleep(Math.min(5_000, 200 * 2 ** Math.min(attempt, 5)));
    }
  }

  /** A partner batch, retried whole (each lead's externalId makes that safe) until every lead is accepted. */
  async submitBatch(
    leads: Array<{ externalId: string; [field: string]: unknown }>,
    retryForMs = 600_000,
  ): Promise<string[]> {
    const deadline = Date.now() + retryForMs;
    for (let attempt = 0; ; attempt++) {
      const answer = await this.post('/v1/leads/partner', { leads }).catch(() => null);
      if (answer && answer.status < 300) {
        const results = (answer.body as { results: Array<{ status: number; leadId?: string }> }).results;
        const ids = results.map((r, i) => {
          const key = `partner:${leads[i]?.externalId}`;
          this.submissions.set(key, r.leadId ?? null);
          if (r.leadId) this.leadIds.add(r.leadId);
          return r.leadId ?? '';
        });
        return ids;
      }
      if (answer && answer.status < 500 && answer.status !== 429)
        throw new Error(`partner batch refused (${answer.status}): ${JSON.stringify(answer.body).slice(0, 500)}`);
      this.noteServerError(answer);
      if (Date.now() > deadline) {
        for (const lead of leads) this.submissions.set(`partner:${lead.externalId}`, null);
        return [];
      }
      await sleep(Math.min(5_000, 200 * 2 ** Math.min(attempt, 5)));
    }
  }

  /** An outage is answered 503 (retry); a 500 means the API took it for a bug of its own. */
  private noteServerError(answer: { status: number; body: unknown } | null): void {
    if (answer?.status === 500 && !this.defects.some((d) => d.startsWith('the API answered 500')))
      this.defects.push(`the API answered 500 instead of 503: ${JSON.stringify(answer.body)}`);
  }

  async post(
    path: string,
    body: object,
    headers: Record<string, string> = {},
    token = this.stack.intakeToken,
  ): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${this.stack.apiUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // A page, not JSON: kept as text.
    }
    return { status: response.status, body: parsed };
  }

  describe(leadId: string): Promise<LeadState | null> {
    return describeLead(this.stack, leadId);
  }

  /**
   * Waits until every lead of the scenario (or of `ids`) has one of `statuses` in Postgres: by default, past
   * intake. One query per second, however many leads.
   */
  async settle(timeoutMs: number, statuses: readonly string[] = pastIntake, ids = [...this.leadIds]): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let pending = ids.length;
    while (pending > 0 && Date.now() < deadline) {
      pending = await this.unsettled(ids, statuses).catch(() => ids.length);
      if (pending > 0) await sleep(1_000);
    }
    if (pending > 0) this.log(`  ${pending} lead(s) still unsettled after ${timeoutMs / 1000} s`);
  }

  async unsettled(ids: readonly string[], statuses: readonly string[]): Promise<number> {
    const { rows } = await this.stack.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM unnest($1::text[]) AS ids (id) LEFT JOIN leads l ON l.id = ids.id
        WHERE l.status IS NULL OR NOT (l.status = ANY($2))`,
      [ids, statuses],
    );
    return rows[0]?.n ?? ids.length;
  }

  result(extra: Partial<ScenarioResult> = {}): ScenarioResult {
    return {
      name: this.name,
      submitted: this.submissions.size,
      notes: this.notes,
      defects: this.defects,
      leadIds: this.leadIds,
      submissions: this.submissions,
      ...extra,
    };
  }
}

export interface LeadState {
  status: string;
  leadStatus: string | null;
  deadline: Date | null;
  assignedRep: string | null;
  offeredRep: string | null;
}

/** The lead's status and deadline as its workflow shows them (search attributes), and whether it runs. */
export async function describeLead(stack: FaultStack, leadId: string): Promise<LeadState | null> {
  try {
    const d = await stack.client.workflow.getHandle(workflowIdFor(leadId)).describe();
    return {
      status: d.status.name,
      leadStatus: d.typedSearchAttributes.get(sa.LeadStatus) ?? null,
      deadline: d.typedSearchAttributes.get(sa.SlaDeadline) ?? null,
      assignedRep: d.typedSearchAttributes.get(sa.AssignedRep) ?? null,
      offeredRep: d.typedSearchAttributes.get(sa.OfferedRep) ?? null,
    };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
}

const ownedStatuses = new Set(['assigned', 'rejected-spam']);

/** Past intake: routed and at an offer (maybe waiting for its email), owned, in a person's queue, or spam. */
export const pastIntake = leadStatuses.filter((status) => status !== 'received');
/** Past intake and told: nobody waits for an email any more. */
export const told = pastIntake.filter((status) => status !== 'notifying');

/** Every invariant of the issue, over the leads of one scenario. */
export async function checkInvariants(stack: FaultStack, scenario: ScenarioResult): Promise<Invariants> {
  const out: Invariants = {
    lost: 0,
    doubleOwners: 0,
    duplicateEmails: 0,
    missingEmails: 0,
    withoutDeadline: 0,
    failedRuns: 0,
    details: [],
  };
  const note = (line: string) => {
    if (out.details.length < 20) out.details.push(line);
  };

  // Every submission has exactly one lead and one workflow.
  for (const [key, leadId] of scenario.submissions) {
    if (leadId === null) {
      out.lost++;
      note(`lost: submission ${key} was never accepted`);
    }
  }
  const ids = [...scenario.leadIds];
  const { rows: known } = await stack.db.query<{ lead_id: string; submissions: number }>(
    `SELECT lead_id, count(*)::int AS submissions FROM lead_submissions WHERE lead_id = ANY($1) GROUP BY lead_id`,
    [ids],
  );
  const withSubmission = new Set(known.map((r) => r.lead_id));
  const { rows: leads } = await stack.db.query<{ id: string; owner_rep_id: string | null; accepted: number }>(
    `SELECT l.id, l.owner_rep_id,
            (SELECT count(*)::int FROM lead_offers o WHERE o.lead_id = l.id AND o.status = 'accepted') AS accepted
       FROM leads l WHERE l.id = ANY($1)`,
    [ids],
  );
  const leadRows = new Map(leads.map((r) => [r.id, r]));
  const now = Date.now();
  const states = await mapLimit(ids, 8, async (id) => [id, await describeLead(stack, id)] as const);
  for (const [id, state] of states) {
    if (!withSubmission.has(id) || !state) {
      out.lost++;
      note(`lost: lead ${id} has ${withSubmission.has(id) ? 'no workflow' : 'no submission row'}`);
      continue;
    }
    if (state.status !== 'RUNNING' && state.status !== 'COMPLETED') {
      out.failedRuns++;
      note(`run ${state.status}: lead ${id}`);
      continue;
    }
    const row = leadRows.get(id);
    if (state.status === 'RUNNING' && !ownedStatuses.has(state.leadStatus ?? '')) {
      const waitingToNotify = state.leadStatus === 'notifying';
      const inTime = state.deadline !== null && state.deadline.getTime() > now - deadlineGraceMs;
      if (!state.leadStatus || (!waitingToNotify && !inTime)) {
        out.withoutDeadline++;
        note(
          `without deadline: lead ${id} is ${state.leadStatus ?? 'without status'}, deadline ${state.deadline?.toISOString() ?? 'none'}`,
        );
      }
    }
    // One owner, and Postgres agrees with the workflow.
    const pgOwner = row?.owner_rep_id ?? null;
    if ((row?.accepted ?? 0) > 1 || (state.assignedRep ?? null) !== pgOwner) {
      out.doubleOwners++;
      note(
        `owners: lead ${id}: ${row?.accepted ?? 0} accepted offers, Postgres owner ${pgOwner}, workflow owner ${state.assignedRep}`,
      );
    }
  }
  // A run that failed ends its lead's chain of runs, so the latest run of each lead (above) shows every failure.

  // Exactly one email per (lead, offer, kind): what the SMTP server received against the outbox.
  const received = new Map<string, number>();
  for (const line of (await fs.readFile(stack.mailLog, 'utf8').catch(() => '')).split('\n')) {
    if (!line) continue;
    const { messageId } = JSON.parse(line) as { messageId: string };
    const leadId = /^<([^.]+)\./.exec(messageId)?.[1];
    if (leadId && scenario.leadIds.has(leadId)) received.set(messageId, (received.get(messageId) ?? 0) + 1);
  }
  for (const [messageId, count] of received) {
    if (count > 1) {
      out.duplicateEmails += count - 1;
      note(`duplicate email: ${messageId} received ${count} times`);
    }
  }
  const { rows: sent } = await stack.db.query<{ message_id: string }>(
    `SELECT message_id FROM outbound_emails WHERE lead_id = ANY($1) AND sent_at IS NOT NULL`,
    [ids],
  );
  for (const { message_id } of sent) {
    if (!received.has(message_id)) {
      out.missingEmails++;
      note(`missing email: ${message_id} is recorded as sent but never arrived`);
    }
  }
  return out;
}

export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i] as T);
      }
    }),
  );
  return results;
}

export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
}
