// Logged best-fit decisions with a known answer, for offline evaluation: ana was given 80% of 200 cloud leads
// (propensity 0.8), ben 20%; ana's converted 10% of the time, ben's 50%. Decided 30 days before `now`.
import type { Pool } from 'pg';
import { insertOwnedLead } from './owned-leads';

/** The ids are logged000 … logged199; the first 160 went to ana. */
export async function seedLoggedDecisions(db: Pool, now: Date): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const id = `logged${String(i).padStart(3, '0')}`;
    const chosen = i < 160 ? 'ana' : 'ben';
    const converted = chosen === 'ana' ? i < 16 : i < 180;
    const decidedAt = new Date(now.getTime() - 30 * 86_400_000);
    await insertOwnedLead(db, {
      id,
      owner: chosen,
      at: decidedAt,
      qualification: { serviceLine: 'cloud-migration', tier: 'A', urgency: 'now' },
      normalised: { source: 'web-form', region: null, country: null, companySize: null },
    });
    const plan = {
      stages: [{ kind: 'candidate', level: 0, repIds: [chosen] }],
      explanation: {
        fit: {
          segmentKey: 's',
          segment: 's',
          seed: i,
          draws: { ana: 0.2, ben: 0.1 },
          owedRepId: null,
          propensity: chosen === 'ana' ? 0.8 : 0.2,
        },
      },
    };
    await db.query(`INSERT INTO routing_decisions (lead_id, team_id, plan, decided_at) VALUES ($1, 'cloud', $2, $3)`, [
      id,
      JSON.stringify(plan),
      decidedAt,
    ]);
    await db.query(
      `INSERT INTO lead_outcomes (lead_id, event, at, external_id, reported_by, rep_id, reason)
       VALUES ($1, $2, $3, 'x', 'test', $4, $5)`,
      [
        id,
        converted ? 'opportunity' : 'lost',
        new Date(decidedAt.getTime() + 5 * 86_400_000),
        chosen,
        converted ? null : 'price',
      ],
    );
  }
}
