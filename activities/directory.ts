// Reads the sales directory (teams, reps, their open offers) that routing decides over.
import type { Pool } from 'pg';
import { withTransaction } from './postgres';
import type { Directory, EscalationLevel, Team } from '../src/routing';
import type { ServiceLine } from '../src/qualification';

export async function loadDirectory(db: Pool): Promise<Directory> {
  const teams = await db.query<{ id: string; name: string; service_lines: string[]; is_default: boolean; escalation: EscalationLevel[]; alert_email: string; catch_all_realert_minutes: number }>(
    'SELECT id, name, service_lines, is_default, escalation, alert_email, catch_all_realert_minutes FROM teams ORDER BY id',
  );
  const reps = await db.query<{ id: string; name: string; email: string; team_id: string; active: boolean; away: boolean; open_offers: string }>(
    `SELECT r.id, r.name, r.email, r.team_id, r.active, r.away,
            (SELECT count(*) FROM lead_offers o WHERE o.status = 'open' AND r.id = ANY (o.rep_ids)) AS open_offers
       FROM reps r ORDER BY r.id`,
  );
  return {
    teams: teams.rows.map(
      (t): Team => ({
        id: t.id,
        name: t.name,
        serviceLines: t.service_lines as ServiceLine[],
        isDefault: t.is_default,
        escalation: t.escalation,
        alertEmail: t.alert_email,
        catchAllRealertMinutes: t.catch_all_realert_minutes,
      }),
    ),
    reps: reps.rows.map((r) => ({ id: r.id, name: r.name, email: r.email, teamId: r.team_id, active: r.active, away: r.away, openOffers: Number(r.open_offers) })),
  };
}

/** Writes a directory (teams first, then reps), updating what exists: how a deployment loads its sales org. */
export async function upsertDirectory(db: Pool, directory: Omit<Directory, 'reps'> & { reps: Array<Omit<Directory['reps'][number], 'openOffers'>> }): Promise<void> {
  await withTransaction(db, async (client) => {
    for (const t of directory.teams) {
      await client.query(
        `INSERT INTO teams (id, name, service_lines, is_default, escalation, alert_email, catch_all_realert_minutes)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (id) DO UPDATE SET name = $2, service_lines = $3, is_default = $4, escalation = $5, alert_email = $6, catch_all_realert_minutes = $7`,
        [t.id, t.name, t.serviceLines, t.isDefault, JSON.stringify(t.escalation), t.alertEmail, t.catchAllRealertMinutes],
      );
    }
    for (const r of directory.reps) {
      await client.query(
        `INSERT INTO reps (id, name, email, team_id, active, away) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (id) DO UPDATE SET name = $2, email = $3, team_id = $4, active = $5, away = $6`,
        [r.id, r.name, r.email, r.teamId, r.active, r.away],
      );
    }
  });
}
