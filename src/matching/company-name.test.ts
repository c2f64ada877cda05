// Company-name keys and name matching: what makes two spellings one company, and what keeps two companies apart.
import fc from 'fast-check';
import {
  chooseNameMatch,
  companyNameKey,
  distinctiveWords,
  scoreNameMatch,
  trigramSimilarity,
  type NameCandidate,
} from './company-name';

describe('companyNameKey', () => {
  test.each([
    ['The Acme Company Ltd', 'acme'],
    ['ACME Co.', 'acme'],
    ['Acme, Inc.', 'acme'],
    ['Acme Incorporated', 'acme'],
    ['Acme LLC', 'acme'],
    ['Acme PLC', 'acme'],
    ['Acme Pty Ltd', 'acme'],
    ['Acme B.V.', 'acme'],
    ['Acme N.V.', 'acme'],
    ['Müller Technik GmbH', 'muller technik'],
    ['Mueller Technik', 'muller technik'],
    ['Muller Technik', 'muller technik'],
    ['Göthe Bau', 'gothe bau'],
    ['Goethe Bau', 'gothe bau'],
    ['Schmidt GmbH & Co. KG', 'schmidt'],
    ['Verein Sonnenschein e.V.', 'verein sonnenschein'],
    ['Beispiel UG (haftungsbeschränkt)', 'beispiel'],
    ['Société Générale S.A.', 'societe generale'],
    ['Dubois et Fils SARL', 'dubois fils'],
    ['Atelier Lumière SAS', 'atelier lumiere'],
    ['García y Cía., S.L.', 'garcia'],
    ['Construcciones Andinas S.A. de C.V.', 'construcciones andinas'],
    ['Servicios Norte S. de R.L. de C.V.', 'servicios norte'],
    ['Johnson & Johnson', 'johnson johnson'],
    ['Johnson and Johnson', 'johnson johnson'],
    ["McDonald's Corporation", 'mcdonalds'],
    ["Acme Int'l Mfg. Co.", 'acme international manufacturing'],
    ['Acme International Manufacturing', 'acme international manufacturing'],
    ['Zentrix Tech', 'zentrix technologies'],
    ['Zentrix Technology Inc', 'zentrix technologies'],
    ['Orbis Sys. Grp.', 'orbis systems group'],
    ['Orbis Systems Group', 'orbis systems group'],
    ['J.P. Morgan Chase & Co.', 'jp morgan chase'],
    ['Ａｃｍｅ Ｉｎｃ', 'acme'],
    ['3M Company', '3m'],
  ])('%j -> %j', (name, key) => {
    expect(companyNameKey(name)).toBe(key);
  });

  test('legal forms are stripped from the end only: inside a name they are part of it', () => {
    expect(companyNameKey('Limited Brands Outlet')).toBe('limited brands outlet');
    expect(companyNameKey('Co-operative Bank')).toBe('co operative bank');
  });

  test('"ue", "oe", "ae" fold only between consonants, where they spell an umlaut', () => {
    expect(companyNameKey('Blue Queen Aerospace')).toBe('blue queen aerospace');
  });

  test('"The" goes only as the first word', () => {
    expect(companyNameKey('Thebes Trading')).toBe('thebes trading');
    expect(companyNameKey('Catch The Wave Ltd')).toBe('catch the wave');
  });

  test('a name made only of legal words keeps them rather than losing its key', () => {
    expect(companyNameKey('The Company Ltd')).toBe('the company ltd');
    expect(companyNameKey('Limited')).toBe('limited');
  });

  test('nothing to key on gives an empty key', () => {
    expect(companyNameKey('  -- & ..  ')).toBe('');
  });

  const nameWord = fc.constantFrom(
    'acme',
    'zentrix',
    'muller',
    'northwind',
    'orbis',
    'garcia',
    'dubois',
    'technik',
    'analytics',
    'harbor',
    '3m',
  );
  const baseName = fc.array(nameWord, { minLength: 1, maxLength: 3 }).map((words) => words.join(' '));
  const legalForm = fc.constantFrom(
    '',
    ' Inc',
    ' Inc.',
    ', Inc.',
    ' LLC',
    ' Ltd',
    ' Limited',
    ' PLC',
    ' Corp.',
    ' Corporation',
    ' Co.',
    ' GmbH',
    ' AG',
    ' GmbH & Co. KG',
    ' S.A.',
    ' S.L.',
    ' SARL',
    ' SAS',
    ' B.V.',
    ' Pty Ltd',
  );

  test('property: a key is its own key', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 40 }), baseName),
        (name) => {
          const key = companyNameKey(name);
          expect(companyNameKey(key)).toBe(key);
        },
      ),
      { numRuns: 2000 },
    );
  });

  test('property: case, punctuation, a leading "The" and the legal form never change the key', () => {
    const casing = fc.constantFrom(
      (s: string) => s,
      (s: string) => s.toUpperCase(),
      (s: string) => s.replace(/\b\w/g, (c) => c.toUpperCase()),
    );
    fc.assert(
      fc.property(
        baseName,
        legalForm,
        fc.boolean(),
        casing,
        fc.constantFrom('', '.', ',', '!', ' '),
        (base, form, the, cased, trailing) => {
          const variant = cased(`${the ? 'The ' : ''}${base}${form}${trailing}`);
          expect(companyNameKey(variant)).toBe(companyNameKey(base));
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('distinctiveWords', () => {
  test.each([
    ['zentrix technologies', 'zentrix'],
    ['zentrix technolgies', 'zentrix'],
    ['blue harbor logistica', 'blue harbor'],
    ['global services', ''],
    ['muller technik', 'muller'],
  ])('%j -> %j', (key, words) => {
    expect(distinctiveWords(key)).toBe(words);
  });
});

describe('trigramSimilarity (pg_trgm semantics)', () => {
  test('identical words are 1, disjoint words 0', () => {
    expect(trigramSimilarity('acme', 'acme')).toBe(1);
    expect(trigramSimilarity('acme', 'zulu')).toBe(0);
  });

  test('word order does not matter: trigrams are per word', () => {
    expect(trigramSimilarity('acme labs', 'labs acme')).toBe(1);
  });

  test('nothing to compare is 0, not NaN', () => {
    expect(trigramSimilarity('', '')).toBe(0);
  });

  test('property: symmetric and within 0..1', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), (a, b) => {
        const s = trigramSimilarity(a, b);
        expect(s).toBe(trigramSimilarity(b, a));
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('scoreNameMatch', () => {
  test('two spellings of one company: same key, 0.98, and the reason shows the key', () => {
    expect(scoreNameMatch('ACME Corp.', 'Acme Corporation')).toMatchObject({
      matched: true,
      exactKey: true,
      confidence: 0.98,
      reason: "name 'ACME Corp.' = account 'Acme Corporation' (same key 'acme')",
    });
  });

  test('the three spellings of an umlaut are one key', () => {
    expect(scoreNameMatch('Muller Technik', 'Müller Technik GmbH')).toMatchObject({ exactKey: true, confidence: 0.98 });
  });

  test('a misspelling still matches, with its similarity as confidence', () => {
    expect(scoreNameMatch('Kestrl Robotics', 'Kestrel Robotics GmbH')).toMatchObject({
      matched: true,
      exactKey: false,
      confidence: 0.74,
      reason:
        "name 'Kestrl Robotics' ~ account 'Kestrel Robotics GmbH' (similarity 0.74; distinctive words 'kestrl' vs 'kestrel' 0.50)",
    });
  });

  test('a shared generic word is not enough: the distinctive words must agree', () => {
    expect(scoreNameMatch('Smyth Consulting', 'Smith Consulting')).toMatchObject({
      matched: false,
      confidence: 0,
      reason:
        "name 'Smyth Consulting' is not account 'Smith Consulting' (similarity 0.70, but distinctive words 'smyth' vs 'smith' 0.33 < 0.5)",
    });
    expect(scoreNameMatch('Acme Rocket Technologies', 'Acme Technologies').matched).toBe(false);
  });

  test('a name of generic words only matches only names like it', () => {
    expect(scoreNameMatch('Global Service', 'Global Services Ltd')).toMatchObject({ matched: true, exactKey: true });
    expect(scoreNameMatch('Global Servces', 'Global Services Ltd')).toMatchObject({ matched: true, exactKey: false });
    expect(scoreNameMatch('Global Services', 'Zentrix Global Services').matched).toBe(false);
  });

  test('two companies sharing a word are not a match', () => {
    expect(scoreNameMatch('Northwind Logistics', 'Northwind Traders')).toMatchObject({
      matched: false,
      confidence: 0,
      reason: "name 'Northwind Logistics' is not account 'Northwind Traders' (similarity 0.36 < 0.6)",
    });
  });

  test('the same words in another order are close but never as sure as the same key', () => {
    const score = scoreNameMatch('Labs Acme', 'Acme Labs');
    expect(score.similarity).toBe(1);
    expect(score.confidence).toBe(0.95);
  });

  test('property: confidence is 0..1, and 0 exactly when not matched', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), (a, b) => {
        const { confidence, matched } = scoreNameMatch(a, b);
        expect(confidence).toBeGreaterThanOrEqual(0);
        expect(confidence).toBeLessThanOrEqual(1);
        expect(confidence === 0).toBe(!matched);
      }),
    );
  });
});

describe('chooseNameMatch', () => {
  const candidate = (accountId: string, name: string): NameCandidate => ({
    accountId,
    name,
    nameKey: companyNameKey(name),
  });

  test('no candidate over the threshold is no match', () => {
    expect(chooseNameMatch('Acme Corp', [candidate('1', 'Apex Corp')])).toBeNull();
    expect(chooseNameMatch('Acme Corp', [])).toBeNull();
  });

  test('a company name with nothing to key on matches nothing', () => {
    expect(chooseNameMatch('...', [candidate('1', 'Acme')])).toBeNull();
  });

  test('the same key beats an equally similar different key, which still makes it less sure', () => {
    const chosen = chooseNameMatch('Acme Labs', [
      candidate('1', 'Labs Acme'),
      candidate('2', 'ACME Laboratories Inc.'),
    ]);
    expect(chosen).toMatchObject({ accountId: '2', exactKey: true, confidence: 0.91 });
    expect(chosen?.reason).toBe(
      "name 'Acme Labs' = account 'ACME Laboratories Inc.' (same key 'acme laboratories'); account 'Labs Acme' (id 1) is at 1.00, so confidence 0.91",
    );
  });

  test('two accounts with the same key: the older is taken, confidence drops to 0.88 and the reason names the other', () => {
    const chosen = chooseNameMatch('Acme Corp', [candidate('12', 'Acme Ltd'), candidate('9', 'ACME Inc.')]);
    expect(chosen).toEqual({
      accountId: '9',
      name: 'ACME Inc.',
      confidence: 0.88,
      similarity: 1,
      exactKey: true,
      reason:
        "name 'Acme Corp' = account 'ACME Inc.' (same key 'acme'); account 'Acme Ltd' (id 12) has the same key, so confidence 0.88",
    });
  });

  test('a clear winner keeps its confidence', () => {
    const chosen = chooseNameMatch('Acme Corp', [candidate('3', 'Acme Corporation'), candidate('4', 'Acme Labs')]);
    expect(chosen).toMatchObject({ accountId: '3', confidence: 0.98 });
    expect(chosen?.reason).not.toContain(';');
  });

  test('property: the pick is one of the candidates over the threshold, confidence within 0..1', () => {
    const names = fc.constantFrom(
      'Acme Corp',
      'ACME Inc',
      'Acme Labs',
      'Acme Analytics',
      'Apex Corp',
      'Acmee',
      'Acne Corp',
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(1000), names), { maxLength: 6 }), (rows) => {
        const candidates = rows.map(([id, name]) => candidate(String(id + 1), name));
        const chosen = chooseNameMatch('Acme Corp', candidates);
        const eligible = candidates.filter((c) => scoreNameMatch('Acme Corp', c.name).matched);
        if (eligible.length === 0) expect(chosen).toBeNull();
        else {
          expect(eligible.map((c) => c.accountId)).toContain(chosen?.accountId);
          expect(chosen?.confidence).toBeGreaterThan(0);
          expect(chosen?.confidence).toBeLessThanOrEqual(1);
        }
      }),
    );
  });
});
