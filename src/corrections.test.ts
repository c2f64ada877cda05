// Corrections: the reading they leave, the examples they make, and when a retrained model may take over.
import fs from 'node:fs';
import path from 'node:path';
import { parseCorpus } from './classification/corpus';
import {
  CorrectionSchema,
  correctedExample,
  correctedReading,
  describeCorrection,
  judgeCandidate,
  retrainCandidate,
  type CorrectedLead,
  type ModelFigures,
  type StoredCorrection,
} from './corrections';

const was = { serviceLine: 'support', urgency: 'none' as const, spam: false };
const correction = (id: number, c: Partial<StoredCorrection>): StoredCorrection => ({
  id,
  leadId: 'lead-1',
  correctedBy: 'ana',
  serviceLine: null,
  urgency: null,
  spam: null,
  note: null,
  was,
  createdAt: '2025-06-02T08:00:00.000Z',
  ...c,
});

test('each field takes its latest correction, in the order they were made', () => {
  const corrections = [
    correction(2, { urgency: 'this-week' }),
    correction(1, { serviceLine: 'cybersecurity', urgency: 'now' }),
  ];
  expect(correctedReading(was, corrections)).toEqual({
    serviceLine: 'cybersecurity',
    urgency: 'this-week',
    spam: false,
  });
  expect(describeCorrection(corrections[1]!)).toBe('service line support → cybersecurity; urgency none → now');
  expect(describeCorrection(correction(3, { spam: true }))).toBe('is spam');
});

test('a lead corrected to spam is a spam example with no urgency; an uncorrected or empty one is none', () => {
  const lead: CorrectedLead = {
    leadId: 'lead-1',
    text: 'we sell LED screens, see our catalogue',
    receivedAt: '2025-06-02T07:30:00.000Z',
    timeZone: null,
    reading: { serviceLine: 'other', urgency: 'this-week', spam: false },
    corrections: [correction(1, { spam: true })],
  };
  expect(correctedExample(lead)).toEqual({
    text: lead.text,
    serviceLine: 'other',
    urgency: 'none',
    spam: true,
    receivedAt: lead.receivedAt,
  });
  expect(correctedExample({ ...lead, corrections: [] })).toBeNull();
  expect(correctedExample({ ...lead, text: '  ' })).toBeNull();
});

test('the correction body needs one of the three fields and names a bad one', () => {
  expect(CorrectionSchema.safeParse({ urgency: 'now' }).success).toBe(true);
  const empty = CorrectionSchema.safeParse({ note: 'just a note' });
  expect(empty.success).toBe(false);
  expect(empty.error?.issues.map((i) => i.path.join('.'))).toEqual(['serviceLine']);
  const bad = CorrectionSchema.safeParse({ urgency: 'soon' });
  expect(bad.error?.issues.map((i) => i.path.join('.'))).toEqual(['urgency']);
});

describe('judgeCandidate: activated only if no figure is worse', () => {
  const active: ModelFigures = {
    serviceLine: 0.9,
    urgency: 0.9,
    spamRecall: 0.95,
    spamFalsePositiveRate: 0.01,
    evaluated: 340,
  };
  test.each([
    [{}, true],
    [{ urgency: 0.93 }, true],
    [{ serviceLine: 0.89 }, false],
    [{ urgency: 0.95, spamRecall: 0.9 }, false],
    [{ spamFalsePositiveRate: 0.02 }, false],
  ])('%j → activate %s', (change, activate) => {
    expect(judgeCandidate({ ...active, ...change }, active).activate).toBe(activate);
  });

  test('the reason names what got worse, with both figures', () => {
    expect(judgeCandidate({ ...active, serviceLine: 0.85 }, active).reason).toBe(
      'worse than the active model: service line 85.0% < 90.0%',
    );
    expect(judgeCandidate(active, null)).toMatchObject({ activate: true });
  });
});

describe('retrainCandidate', () => {
  const dataDir = path.join(__dirname, '..', 'data', 'classifier');
  const training = parseCorpus(fs.readFileSync(path.join(dataDir, 'training.jsonl'), 'utf8'));
  const evaluation = parseCorpus(fs.readFileSync(path.join(dataDir, 'evaluation.jsonl'), 'utf8'));
  const lead = (n: number, text: string): CorrectedLead => ({
    leadId: `lead-${n}`,
    text,
    receivedAt: '2025-06-02T07:30:00.000Z',
    timeZone: null,
    reading: { serviceLine: 'other', urgency: 'none', spam: false },
    corrections: [correction(n, { serviceLine: 'cybersecurity' })],
  });

  test('trains on the corrected leads, never on an evaluation text, and measures on the frozen set', () => {
    const leaked = evaluation.find((e) => !e.spam)!.text;
    const result = retrainCandidate({
      base: training,
      corrected: [lead(1, 'Our SIEM shows logins from abroad on the domain controller'), lead(2, leaked)],
      evaluation,
      active: null,
    });
    expect(result.examples.map((e) => e.text)).toEqual(['Our SIEM shows logins from abroad on the domain controller']);
    expect(result.figures.evaluated).toBe(evaluation.length);
    expect(result.activate).toBe(true);
  });

  test('a candidate taught wrong labels measures worse and is kept aside with its figures', () => {
    const baseline = retrainCandidate({ base: training, corrected: [], evaluation, active: null }).figures;
    // Every cloud migration in training "corrected" to support: a careless rep's batch.
    const wrong = training
      .filter((e) => !e.spam && e.serviceLine === 'cloud-migration')
      .map((e, i): CorrectedLead => ({
        ...lead(i + 10, e.text),
        corrections: [correction(i + 10, { serviceLine: 'support' })],
      }));
    const result = retrainCandidate({ base: training, corrected: wrong, evaluation, active: baseline });
    expect(result.activate).toBe(false);
    expect(result.figures.serviceLine).toBeLessThan(baseline.serviceLine);
    expect(result.reason).toMatch(/^worse than the active model: service line /);
  });
});
