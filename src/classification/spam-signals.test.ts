// Spam by shape: test submissions, a spelling model for gibberish, runs of one letter.
import { detectTestSubmission, hasLetterRun, trainSpellingModel } from './spam-signals';
import { tokenise } from './tokens';

const words = (text: string) => tokenise(text).words;

describe('detectTestSubmission', () => {
  // Phrased like the training corpus's test submissions; the evaluation sets' are theirs to measure.
  test.each([
    ['test', 'test'],
    ['Testing the contact form, please ignore', 'testing'],
    ['asdfasdf', 'asdfasdf'],
    ['Lorem ipsum dolor sit amet, sed do eiusmod tempor.', 'lorem'],
    ['testing 1 2 3', 'testing'],
    ['Dies ist ein Test des Kontaktformulars.', 'test'],
    ['Mensaje de prueba, ignorar por favor.', 'prueba'],
    ['Message de test, ne pas tenir compte.', 'test'],
    ['Testanfrage', 'testanfrage'],
    ['test from marketing', 'test'],
  ])('%j is a test (cue %j)', (text, cue) => {
    expect(detectTestSubmission(words(text))).toBe(cue);
  });

  test.each([
    ['We need a penetration test of our web app'],
    ['Can you load test our backup restore?'],
    ['hello'],
    ['Testimonials page for our website'],
    ['We need to test our backup restore this month'],
    [''],
  ])('%j is not a test', (text) => {
    expect(detectTestSubmission(words(text))).toBeNull();
  });

  test('beside "please ignore" or a form, a signature and a few words of request are forgiven', () => {
    const text =
      'Hi, this is a test of the new contact form after the relaunch. Please ignore. Olivia, Brightsite agency';
    const topicWords = new Set(['new', 'contact', 'agency']);
    expect(detectTestSubmission(words(text), { topicWords, strayAllowance: 2 })).toBe('test');
    expect(detectTestSubmission(words(text))).toBeNull();
  });

  test('without such a word, a request that mentions a test keeps its words', () => {
    const text = "Nous avons besoin d'un test d'intrusion sur notre site web et notre réseau.";
    const topicWords = new Set(['intrusion', 'reseau']);
    expect(detectTestSubmission(words(text), { topicWords, strayAllowance: 2 })).toBeNull();
  });

  test('a long message that mentions testing is not a test submission', () => {
    expect(detectTestSubmission(words('test '.repeat(30)))).toBeNull();
  });
});

describe('trainSpellingModel', () => {
  const model = trainSpellingModel(
    [
      'We would like to migrate our servers to the cloud',
      'Our printer is broken again',
      'Necesitamos una auditoría de seguridad',
      'Wir brauchen Unterstützung',
      'Nous cherchons un prestataire',
    ].map(words),
  );

  test('real words score above keyboard mashing, and mashing falls below the threshold', () => {
    expect(model.score(words('our servers are broken'))).toBeGreaterThan(model.score(words('sdfkjh qwpz')));
    expect(model.score(words('xkcd qpzm vbnt'))).toBeLessThan(model.threshold);
  });

  test('no letters, no score', () => {
    expect(model.score(words('123 456'))).toBeNaN();
  });
});

test('hasLetterRun: four or more of one letter in a row', () => {
  expect(hasLetterRun(['jjjjjjj'])).toBe(true);
  expect(hasLetterRun(['aaaa'])).toBe(true);
  expect(hasLetterRun(['committee', 'aaa'])).toBe(false);
});
