// Tokens: folding, stemming in the text's language, stop words, mail headers, and the features built from them.
import fc from 'fast-check';
import { featuresOf, foldText, splitCompound, stripMailHeaders, tokenise } from './tokens';
import { genericWords, timeWords } from './stop-words';

const stems = (text: string) => tokenise(text).tokens.map((t) => t.stem);

describe('foldText', () => {
  test.each([
    ['Migración', 'migracion'],
    ['Größe', 'grosse'],
    ['SÉCURITÉ', 'securite'],
    ['Œuvre', 'oeuvre'],
    ['Ærø', 'aero'],
  ])('%s → %s', (text, folded) => {
    expect(foldText(text)).toBe(folded);
  });
});

describe('tokenise', () => {
  test('stems with the stemmer of the text language: English, Spanish, German, French', () => {
    expect(stems('We are migrating our servers')).toEqual(['migrat', 'server']);
    expect(stems('Queremos migrar los servidores')).toEqual(['quer', 'migr', 'servidor']);
    expect(tokenise('Wir möchten unsere Server migrieren').language).toBe('de');
    expect(stems('Nous souhaitons migrer nos serveurs')).toEqual(['souhaiton', 'migr', 'serveur']);
  });

  test('drops stop words, bare numbers and single letters, keeps negations and time words', () => {
    expect(tokenise('the 40 servers are not working today').tokens.map((t) => t.word)).toEqual([
      'servers',
      'not',
      'working',
      'today',
    ]);
  });

  test("contractions keep their negation: can't, won't, doesn't", () => {
    expect(tokenise("can't log in, won't start, doesn't print").tokens.map((t) => t.word)).toEqual([
      'not',
      'log',
      'not',
      'start',
      'not',
      'print',
    ]);
  });

  test('marks a word a negation governs, across one function word, in four languages', () => {
    const negated = (text: string) =>
      tokenise(text)
        .tokens.filter((t) => t.negated)
        .map((t) => t.word);
    expect(negated('nothing urgent, the printer is not working')).toEqual(['urgent', 'working']);
    expect(negated("Ce n'est pas urgent, rien d'urgent")).toEqual(['urgent', 'urgent']);
    expect(negated('Es ist nicht dringend, keine Eile')).toEqual(['dringend', 'eile']);
    expect(negated('No es urgente, sin prisa')).toEqual(['urgente', 'prisa']);
    // A content word in between ends the negation's reach: "not sure" does not negate what follows.
    expect(negated('We are not sure urgent help is needed')).toEqual(['sure']);
    expect(negated('Urgent: our mail server is down')).toEqual([]);
  });

  test('keeps each word as written for explanations, lowercased', () => {
    expect(tokenise('Migrating AWS').tokens).toEqual([
      { stem: 'migrat', word: 'migrating' },
      { stem: 'aw', word: 'aws' },
    ]);
  });

  test('allTokens keeps stop words and adds the shapes of pitches: prices, percentages, links', () => {
    const stemsOf = tokenise('We offer backlinks from $49, 20% off at www.linkfarm.example').allTokens.map(
      (t) => t.stem,
    );
    expect(stemsOf).toEqual(expect.arrayContaining(['we', 'offer', '<price>', '<percent>', '<link>']));
  });
});

describe('stripMailHeaders', () => {
  test('drops the header lines of forwarded and quoted mail in four languages, keeps the subject and the body', () => {
    const text = [
      '---------- Forwarded message ---------',
      'From: Jens Koch <j.koch@koch-bau.de>',
      'Date: Mon, 3 Mar 2025 at 14:02',
      'Subject: Server',
      'Gesendet: Dienstag, 4. März 2025 10:15',
      'Envoyé : mardi 4 mars',
      'Enviado el: martes',
      'Sent from my iPhone',
      'Our server is nine years old.',
    ].join('\n');
    expect(stripMailHeaders(text).split('\n').filter(Boolean)).toEqual([
      'Subject: Server',
      'Our server is nine years old.',
    ]);
  });
});

describe('featuresOf', () => {
  const weights = { words: 1, bigrams: 0.5, charNgrams: 4, concepts: 2 };

  test('words, bigrams of neighbouring content words, character n-grams and cross-language concepts', () => {
    const { vector } = featuresOf(tokenise('migrate servers'), weights);
    expect(vector.get('w:migrat')).toBe(1);
    expect(vector.get('b:migrat server')).toBe(0.5);
    expect(vector.get('c:_mig')).toBeGreaterThan(0);
    expect(vector.get('k:migrate')).toBe(2);
    expect(vector.get('k:server')).toBe(2);
  });

  test('the same concept in another language yields the same concept feature', () => {
    for (const text of ['Rechnung falsch', 'factura incorrecta', 'facture erronée', 'wrong invoice']) {
      expect(featuresOf(tokenise(text), weights).vector.has('k:invoice')).toBe(true);
    }
  });

  test('who writes to whom, said with stop words, yields a phrase concept in every language', () => {
    const phrases = { ...weights, phraseConcepts: 3 };
    for (const text of [
      'the backup you set up for us fails',
      'unser Vertrag mit Ihnen',
      'le pare-feu que vous gérez',
      'el técnico que nos enviasteis',
    ]) {
      expect(featuresOf(tokenise(text), phrases).vector.get('k:existing-customer')).toBe(3);
    }
    expect(featuresOf(tokenise('we are not a customer of yours'), phrases).vector.get('k:prospect')).toBe(3);
    expect(featuresOf(tokenise('the backup you set up for us fails'), weights).vector.has('k:existing-customer')).toBe(
      false,
    );
  });

  test('a word said three times weighs more than once, but not three times more', () => {
    const once = featuresOf(tokenise('security'), weights).vector.get('w:secur')!;
    const thrice = featuresOf(tokenise('security security security'), weights).vector.get('w:secur')!;
    expect(thrice).toBeGreaterThan(once);
    expect(thrice).toBeLessThan(3 * once);
  });

  test('each word carries the same character n-gram weight, however long it is', () => {
    const sum = (text: string) =>
      [...featuresOf(tokenise(text), { words: 0, bigrams: 0, charNgrams: 4 }).vector.values()].reduce(
        (a, b) => a + b,
        0,
      );
    expect(sum('aws')).toBeCloseTo(4);
    expect(sum('kubernetes')).toBeCloseTo(4);
  });

  test('skipped word sets leave time and request words out of the topic', () => {
    const { vector } = featuresOf(tokenise('we need help by Friday with Kubernetes'), {
      ...weights,
      skip: [timeWords, genericWords],
    });
    expect([...vector.keys()].filter((k) => k.startsWith('w:'))).toEqual(['w:kubernet']);
  });

  test('surface forms explain features in the words the person wrote', () => {
    expect(featuresOf(tokenise('Migrating servers'), weights).surface.get('b:migrat server')).toBe('migrating servers');
  });
});

test('property: tokenising never throws and every feature weight is positive', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 300 }), (text) => {
      const tokenised = tokenise(text);
      for (const weight of featuresOf(tokenised, {
        words: 1,
        bigrams: 0.5,
        charNgrams: 4,
        concepts: 2,
        everyWord: true,
      }).vector.values()) {
        expect(weight).toBeGreaterThan(0);
      }
    }),
    { numRuns: 300 },
  );
});

describe('splitCompound', () => {
  // German stems: "Sicherheit" stems to "sich".
  const known = new Set(['netzwerk', 'ausfall', 'sich', 'vorfall']);
  const knows = (stem: string) => known.has(stem);

  test('a compound the model has not seen is read as its known parts, linking "s" included', () => {
    expect(splitCompound('Netzwerkausfall', knows).map((t) => t.stem)).toEqual(['netzwerk', 'ausfall']);
    expect(splitCompound('Sicherheitsvorfall', knows).map((t) => t.stem)).toEqual(['sich', 'vorfall']);
  });

  test('no split without two known parts, and none of a short word', () => {
    expect(splitCompound('Netzwerkkabel', knows)).toEqual([]);
    expect(splitCompound('Ausfall', knows)).toEqual([]);
  });
});
