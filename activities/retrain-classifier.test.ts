// Retraining on a real Postgres: a candidate from good corrections is activated and replaces the worker's model;
// one from a careless batch measures worse and is kept aside with its figures, the active model untouched.
import fs from 'node:fs';
import path from 'node:path';
import type { Pool } from 'pg';
import { listModels, readActiveModel } from '../db/corrections';
import { createPool } from '../db/pool';
import { trainClassifier, type LeadClassifier } from '../src/classification/classifier';
import { parseCorpus } from '../src/classification/corpus';
import { copyOfTemplateDatabase } from '../test/support/database';
import { ReplaceableClassifier } from '../workers/classifier';
import { createRetrainActivities } from './retrain-classifier';

const dataDir = path.join(__dirname, '..', 'data', 'classifier');
const training = parseCorpus(fs.readFileSync(path.join(dataDir, 'training.jsonl'), 'utf8'));
// A slice of the frozen set keeps the test quick; the activity reads whatever set it is given.
const evaluation = parseCorpus(fs.readFileSync(path.join(dataDir, 'evaluation.jsonl'), 'utf8')).filter(
  (_, i) => i % 4 === 0,
);

class CountingClassifier extends ReplaceableClassifier {
  replaced = 0;
  override replace(next: LeadClassifier): void {
    this.replaced++;
    super.replace(next);
  }
}

let db: Pool;
let n = 0;
beforeAll(async () => {
  db = createPool(await copyOfTemplateDatabase());
});
afterAll(async () => {
  await db?.end();
});

async function correctedLead(text: string, was: string, to: string): Promise<void> {
  const id = (++n).toString(16).padStart(24, '0');
  await db.query(
    `INSERT INTO leads (id, workflow_id, source, name, email, email_normalised, message, received_at, status, qualification)
     VALUES ($1, $2, 'web-form', 'Kim', 'kim@acme.example', 'kim@acme.example', $3, '2025-06-02T07:30:00Z', 'assigned', $4)`,
    [id, `lead:${id}`, text, JSON.stringify({ serviceLine: was, urgency: 'none', spam: false })],
  );
  await db.query(`INSERT INTO lead_corrections (lead_id, corrected_by, service_line, was) VALUES ($1, 'ana', $2, $3)`, [
    id,
    to,
    JSON.stringify({ serviceLine: was, urgency: 'none', spam: false }),
  ]);
}

test('good corrections: activated, and the running classifier is replaced', async () => {
  const classifier = new CountingClassifier(trainClassifier(training));
  const { retrainClassifier } = createRetrainActivities({
    db,
    classifier,
    retraining: { base: () => training, evaluation: () => evaluation },
  });
  await correctedLead('Our EDR flags a process dumping credentials on two servers', 'managed-it', 'cybersecurity');
  const first = await retrainClassifier();
  expect(first).toMatchObject({ version: 1, status: 'active', corrections: 1, examples: 1 });
  expect(first.reason).toMatch(/^not worse than the active model/);
  expect(classifier.replaced).toBe(1);
  expect((await readActiveModel(db))?.examples.map((e) => e.serviceLine)).toEqual(['cybersecurity']);
});

test('a careless batch: kept aside with its figures, the active model and the running classifier untouched', async () => {
  const classifier = new CountingClassifier(trainClassifier(training));
  const { retrainClassifier } = createRetrainActivities({
    db,
    classifier,
    retraining: { base: () => training, evaluation: () => evaluation },
  });
  for (const e of training.filter((x) => !x.spam && x.serviceLine === 'cloud-migration'))
    await correctedLead(e.text, 'cloud-migration', 'support');
  const second = await retrainClassifier();
  expect(second.status).toBe('set-aside');
  // Which figure the careless labels cost depends on the corpus; the reason names every one that got worse.
  expect(second.reason).toMatch(/^worse than the active model: (service line|urgency|spam recall|false positives) /);
  expect(classifier.replaced).toBe(0);
  expect((await readActiveModel(db))?.version).toBe(1);
  const models = await listModels(db);
  expect(models.map((m) => [m.version, m.status])).toEqual([
    [2, 'set-aside'],
    [1, 'active'],
  ]);
  const [candidate, active] = [models[0]!.figures, models[1]!.figures];
  expect(
    candidate.serviceLine < active.serviceLine ||
      candidate.urgency < active.urgency ||
      candidate.spamRecall < active.spamRecall ||
      candidate.spamFalsePositiveRate > active.spamFalsePositiveRate,
  ).toBe(true);
});
