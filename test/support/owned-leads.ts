// Leads already routed and owned, written straight to Postgres, for tests of what reads their history: the
// outcomes best-fit learns from, the decisions offline evaluation weighs.
import type { Pool } from 'pg';

export interface OwnedLead {
  id: string;
  owner: string;
  /** When it arrived (and, in these tests, was decided and accepted). */
  at: Date | string;
  qualification: Record<string, unknown>;
  normalised: Record<string, unknown>;
  teamId?: string;
}

export async function insertOwnedLead(db: Pool, lead: OwnedLead): Promise<void> {
  await db.query(
    `INSERT INTO leads (id, workflow_id, source, name, email, email_normalised, message, received_at, status,
                        team_id, owner_rep_id, qualification, normalised)
     VALUES ($1, $2, 'web-form', 'X', $3, $3, 'Move us to AWS', $4, 'assigned', $5, $6, $7, $8)`,
    [
      lead.id,
      `lead:${lead.id}`,
      `${lead.id}@past.example`,
      lead.at,
      lead.teamId ?? 'cloud',
      lead.owner,
      JSON.stringify(lead.qualification),
      JSON.stringify(lead.normalised),
    ],
  );
}
