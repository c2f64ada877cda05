// Corpus files: JSON lines validated with errors naming line and field; a deployment's own examples appended or replacing.
import { combineCorpora, CorpusError, parseCorpus } from './corpus';

const line = (fields: Record<string, unknown>) =>
  JSON.stringify({ text: 'x', serviceLine: 'cloud-migration', urgency: 'none', spam: false, ...fields });

test('parses lines, skipping blank lines and // comments', () => {
  const examples = parseCorpus(
    [
      line({ text: 'a', lang: 'en' }),
      '',
      '// deployment examples',
      line({ text: 'b', spam: true, spamKind: 'test', receivedAt: '2025-03-10T09:00:00Z' }),
    ].join('\n'),
  );
  expect(examples.map((e) => e.text)).toEqual(['a', 'b']);
  expect(examples[1]).toMatchObject({ spam: true, spamKind: 'test', receivedAt: '2025-03-10T09:00:00Z' });
});

test('reports every bad line at once, naming the source, line and field', () => {
  const content = [
    line({}),
    line({ urgency: 'soon' }),
    '{not json',
    line({ serviceLine: 'Cloud Migration' }),
    line({ colour: 'red' }),
  ].join('\n');
  let error: unknown;
  try {
    parseCorpus(content, 'extra.jsonl');
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(CorpusError);
  const { issues } = error as CorpusError;
  expect(issues).toHaveLength(4);
  expect(issues[0]).toMatch(/^extra\.jsonl:2: urgency: /);
  expect(issues[1]).toMatch(/^extra\.jsonl:3: not JSON/);
  expect(issues[2]).toBe('extra.jsonl:4: serviceLine: service lines are lowercase letters, digits and dashes');
  expect(issues[3]).toMatch(/^extra\.jsonl:5: \(line\): .*colour/);
  expect((error as Error).message).toMatch(/^extra\.jsonl: 4 bad lines:/);
});

test('a deployment appends its examples to the defaults, or replaces them', () => {
  const defaults = parseCorpus(line({ text: 'default' }));
  const own = parseCorpus(line({ text: 'own', serviceLine: 'erp' }));
  expect(combineCorpora(defaults, own, 'append').map((e) => e.text)).toEqual(['default', 'own']);
  expect(combineCorpora(defaults, own, 'replace').map((e) => e.text)).toEqual(['own']);
});
