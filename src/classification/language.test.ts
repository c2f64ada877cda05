// Language guessing from function words and letters.
import { detectLanguage } from './language';
import { tokenise } from './tokens';

const languageOf = (text: string) => tokenise(text).language;

test.each([
  ['We would like to move our servers to the cloud', 'en'],
  ['Queremos migrar nuestros servidores a la nube', 'es'],
  ['Wir möchten unsere Server in die Cloud migrieren', 'de'],
  ['Nous souhaitons migrer nos serveurs vers le cloud', 'fr'],
  ['¿Podéis ayudarnos?', 'es'],
  ['Größe', 'de'],
  ['ça marche', 'fr'],
])('%j is %s', (text, language) => {
  expect(languageOf(text)).toBe(language);
});

test('a text with no cue is read as English', () => {
  expect(detectLanguage(['aws', 'erp'], 'AWS ERP')).toBe('en');
  expect(languageOf('')).toBe('en');
});

test('a mixed message goes to the language with more function words', () => {
  expect(languageOf('Hello, queremos migrar nuestro ERP a la nube de Azure, gracias')).toBe('es');
});
