// The lead workflows as the API reaches them: one per lead, named by the business id.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { firstTouchSignal, leadStateQuery, type FirstTouchNotice, type LeadView } from '../workflows/messages';

export function workflowIdFor(leadId: string): string {
  return `lead:${leadId}`;
}

/** How long a read waits for the running workflow to answer before Postgres, which the workflow keeps current, does. */
const liveViewDeadlineMs = 5_000;

/**
 * Whether the lead's workflow runs, and its own view of the lead when it answers in time: null when it has closed or
 * never started, or when no worker answers (a query waits for one, and for a workflow task in progress).
 */
export async function liveLeadView(
  client: Client,
  leadId: string,
): Promise<{ running: boolean; view: LeadView | null }> {
  const handle = client.workflow.getHandle(workflowIdFor(leadId));
  try {
    if ((await handle.describe()).status.name !== 'RUNNING') return { running: false, view: null };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return { running: false, view: null };
    throw err;
  }
  const view = await client.connection
    .withDeadline(Date.now() + liveViewDeadlineMs, () => handle.query(leadStateQuery))
    .catch(() => null);
  return { running: true, view };
}

/**
 * Tells a lead's workflow its owner reported a first touch. A workflow that has ended (no first-touch SLA, or the
 * lead moved on) or never started needs no telling: the outcome is in Postgres either way.
 */
export async function tellFirstTouch(client: Client, leadId: string, notice: FirstTouchNotice): Promise<void> {
  try {
    await client.workflow.getHandle(workflowIdFor(leadId)).signal(firstTouchSignal, notice);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return;
    throw err;
  }
}
