// Corrections to the classifier's reading of leads, and the classifier models retrained from them.
import type { Pool, PoolClient } from 'pg';
import type { LabelledInquiry } from '../src/classification/corpus';
import type { Urgency } from '../src/classification/urgency';
import type { CorrectedLead, CorrectionInput, ModelFigures, Reading, StoredCorrection } from '../src/corrections';

type Queryable = Pool | PoolClient;

interface CorrectionRow {
  id: string;
  lead_id: string;
  corrected_by: string;
  service_line: string | null;
  urgency: Urgency | null;
  spam: boolean | null;
  note: string | null;
  was: Reading;
  created_at: Date;
}

const toCorrection = (r: CorrectionRow): StoredCorrection => ({
  id: Number(r.id),
  leadId: r.lead_id,
  correctedBy: r.corrected_by,
  serviceLine: r.service_line,
  urgency: r.urgency,
  spam: r.spam,
  note: r.note,
  was: r.was,
  createdAt: r.created_at.toISOString(),
});

/** The classifier's reading of a lead as stored with its qualification; null when it was never qualified. */
export async function readLeadReading(db: Queryable, leadId: string): Promise<Reading | null> {
  const { rows } = await db.query<{ q: { serviceLine: string; urgency: Urgency; spam: boolean } | null }>(
    'SELECT qualification AS q FROM leads WHERE id = $1',
    [leadId],
  );
  const q = rows[0]?.q;
  return q ? { serviceLine: q.serviceLine, urgency: q.urgency, spam: q.spam } : null;
}

export async function insertCorrection(
  db: Queryable,
  c: { leadId: string; correctedBy: string; was: Reading } & CorrectionInput,
): Promise<StoredCorrection> {
  const { rows } = await db.query<CorrectionRow>(
    `INSERT INTO lead_corrections (lead_id, corrected_by, service_line, urgency, spam, note, was)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
    [
      c.leadId,
      c.correctedBy,
      c.serviceLine ?? null,
      c.urgency ?? null,
      c.spam ?? null,
      c.note ?? null,
      JSON.stringify(c.was),
    ],
  );
  return toCorrection(rows[0]!);
}

export async function listCorrections(db: Queryable, leadId: string): Promise<StoredCorrection[]> {
  const { rows } = await db.query<CorrectionRow>('SELECT * FROM lead_corrections WHERE lead_id = $1 ORDER BY id', [
    leadId,
  ]);
  return rows.map(toCorrection);
}

/** Every corrected lead with its text, arrival and the classifier's reading: the deployment's corpus additions. */
export async function readCorrectedLeads(db: Queryable): Promise<CorrectedLead[]> {
  const { rows } = await db.query<{
    id: string;
    message: string;
    received_at: Date;
    time_zone: string | null;
    q: { serviceLine: string; urgency: Urgency; spam: boolean } | null;
  }>(
    `SELECT l.id, l.message, l.received_at, l.time_zone, l.qualification AS q
       FROM leads l
      WHERE l.qualification IS NOT NULL AND EXISTS (SELECT 1 FROM lead_corrections c WHERE c.lead_id = l.id)
      ORDER BY l.id`,
  );
  const corrections = await db.query<CorrectionRow>(
    'SELECT * FROM lead_corrections WHERE lead_id = ANY($1) ORDER BY id',
    [rows.map((r) => r.id)],
  );
  const byLead = new Map<string, StoredCorrection[]>();
  for (const row of corrections.rows) {
    const c = toCorrection(row);
    byLead.set(c.leadId, [...(byLead.get(c.leadId) ?? []), c]);
  }
  return rows.map((r) => ({
    leadId: r.id,
    text: r.message,
    receivedAt: r.received_at.toISOString(),
    timeZone: r.time_zone,
    reading: { serviceLine: r.q!.serviceLine, urgency: r.q!.urgency, spam: r.q!.spam },
    corrections: byLead.get(r.id) ?? [],
  }));
}

export type ModelStatus = 'active' | 'set-aside' | 'retired';

export interface StoredModel {
  version: number;
  status: ModelStatus;
  examples: LabelledInquiry[];
  corrections: number;
  figures: ModelFigures;
  reason: string;
  createdAt: string;
}

interface ModelRow {
  version: number;
  status: ModelStatus;
  examples: LabelledInquiry[];
  corrections: number;
  figures: ModelFigures;
  reason: string;
  created_at: Date;
}

const toModel = (r: ModelRow): StoredModel => ({
  version: r.version,
  status: r.status,
  examples: r.examples,
  corrections: r.corrections,
  figures: r.figures,
  reason: r.reason,
  createdAt: r.created_at.toISOString(),
});

export async function readActiveModel(db: Queryable): Promise<StoredModel | null> {
  const { rows } = await db.query<ModelRow>("SELECT * FROM classifier_models WHERE status = 'active'");
  return rows[0] ? toModel(rows[0]) : null;
}

/** Records a candidate; an activated one retires the active model in the same transaction. */
export async function saveModel(
  db: Pool,
  m: { activate: boolean; examples: LabelledInquiry[]; corrections: number; figures: ModelFigures; reason: string },
): Promise<StoredModel> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    if (m.activate) await client.query("UPDATE classifier_models SET status = 'retired' WHERE status = 'active'");
    const { rows } = await client.query<ModelRow>(
      `INSERT INTO classifier_models (status, examples, corrections, figures, reason)
       VALUES ($1, $2, $3, $4, $5) RETURNING *`,
      [
        m.activate ? 'active' : 'set-aside',
        JSON.stringify(m.examples),
        m.corrections,
        JSON.stringify(m.figures),
        m.reason,
      ],
    );
    await client.query('COMMIT');
    return toModel(rows[0]!);
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}

export async function listModels(db: Queryable, limit = 20): Promise<StoredModel[]> {
  const { rows } = await db.query<ModelRow>('SELECT * FROM classifier_models ORDER BY version DESC LIMIT $1', [limit]);
  return rows.map(toModel);
}
