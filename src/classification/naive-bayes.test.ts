// Naive Bayes: learns from weighted features, normalised probabilities, evidence, temperature.
import fc from 'fast-check';
import { trainNaiveBayes } from './naive-bayes';

const doc = (...features: string[]) => new Map(features.map((f) => [f, 1]));
const examples = [
  { features: doc('aws', 'migrate', 'servers'), label: 'cloud' },
  { features: doc('azure', 'migrate'), label: 'cloud' },
  { features: doc('cloud', 'move', 'servers'), label: 'cloud' },
  { features: doc('ransomware', 'encrypted', 'servers'), label: 'security' },
  { features: doc('phishing', 'training'), label: 'security' },
  { features: doc('pentest', 'web', 'app'), label: 'security' },
];

describe('trainNaiveBayes', () => {
  const model = trainNaiveBayes(examples, { alpha: 0.5, temperature: 1 });

  test('labels are the training labels, sorted', () => {
    expect(model.labels).toEqual(['cloud', 'security']);
  });

  test('predicts from the words it has seen, with the other label as runner-up', () => {
    expect(model.predict(doc('migrate', 'aws'))).toMatchObject({
      label: 'cloud',
      runnerUp: 'security',
      knownFeatures: 2,
    });
    expect(model.predict(doc('ransomware', 'phishing')).label).toBe('security');
  });

  test('probabilities are between 0 and 1 and sum to 1', () => {
    const { probabilities } = model.predict(doc('servers', 'web'));
    expect(probabilities.cloud! + probabilities.security!).toBeCloseTo(1);
    expect(probabilities.cloud).toBeGreaterThan(0);
  });

  test('features never seen are ignored: only the priors speak', () => {
    const p = model.predict(doc('bakery', 'croissant'));
    expect(p.knownFeatures).toBe(0);
    expect(p.probabilities.cloud).toBeCloseTo(0.5);
  });

  test('evidence ranks the features that argue for a label over another, strongest first', () => {
    const evidence = model.evidence(doc('migrate', 'servers', 'phishing'), 'cloud', 'security');
    expect(evidence.map((e) => e.feature)).toEqual(['migrate', 'servers']);
    expect(evidence[0]!.weight).toBeGreaterThan(evidence[1]!.weight);
    expect(model.evidence(doc('migrate'), 'cloud', 'nonsense')).toEqual([]);
  });

  test('knows which features it was trained on', () => {
    expect(model.knows('aws')).toBe(true);
    expect(model.knows('bakery')).toBe(false);
  });

  test('refuses an empty corpus and nonsense options', () => {
    expect(() => trainNaiveBayes([], { alpha: 1, temperature: 1 })).toThrow(/at least one/);
    expect(() => trainNaiveBayes(examples, { alpha: 0, temperature: 1 })).toThrow(/alpha/);
    expect(() => trainNaiveBayes(examples, { alpha: 1, temperature: 0 })).toThrow(/temperature/);
  });
});

test('property: temperature softens the probabilities but never changes the winner', () => {
  const cold = trainNaiveBayes(examples, { alpha: 0.5, temperature: 1 });
  const warm = trainNaiveBayes(examples, { alpha: 0.5, temperature: 5 });
  const vocabulary = [
    'aws',
    'migrate',
    'servers',
    'azure',
    'cloud',
    'move',
    'ransomware',
    'encrypted',
    'phishing',
    'training',
    'pentest',
    'web',
    'app',
    'unknown',
  ];
  fc.assert(
    fc.property(fc.uniqueArray(fc.constantFrom(...vocabulary), { maxLength: 8 }), (words) => {
      const a = cold.predict(doc(...words));
      const b = warm.predict(doc(...words));
      expect(b.label).toBe(a.label);
      expect(Math.max(b.probabilities.cloud!, b.probabilities.security!)).toBeLessThanOrEqual(
        Math.max(a.probabilities.cloud!, a.probabilities.security!) + 1e-12,
      );
    }),
  );
});

describe('normaliseLength', () => {
  // Existing customers write short notes; prospects write long mails. "office" is in one note of three and in two
  // mails of three.
  const notes = [doc('printer', 'office', 'again'), doc('vpn'), doc('mail')];
  const mails = [
    doc('migrate', 'servers', 'azure', 'plan', 'cost', 'office'),
    doc('move', 'file', 'shares', 'cloud', 'budget', 'office'),
    doc('aws', 'landing', 'zone', 'accounts', 'network', 'design'),
  ];
  const training = [
    ...notes.map((features) => ({ features, label: 'support' })),
    ...mails.map((features) => ({ features, label: 'cloud' })),
  ];

  test('without it, the class of short texts draws a word both use', () => {
    expect(trainNaiveBayes(training, { alpha: 0.5, temperature: 1 }).predict(doc('office')).label).toBe('support');
  });

  test('with it, each text weighs the same, and the word goes where more texts use it', () => {
    const model = trainNaiveBayes(training, { alpha: 0.5, temperature: 1, normaliseLength: true });
    expect(model.predict(doc('office')).label).toBe('cloud');
  });
});
