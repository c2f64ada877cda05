// Function words dropped before the model sees a text. Deliberately short lists: negations ("not", "kein", "pas"),
// time words ("now", "today", "still", "again") and second-person pronouns ("your engineer", "vuestro técnico",
// "Ihr Techniker" mark an existing customer) carry signal here, so they are NOT stop words.
import type { Language } from './language';

// Written without diacritics: lookups use the folded form of a word.
const lists: Record<Language, string> = {
  en: `a an the and or but if then than so as of at by for with about against between into through during before after
    above below to from in on off over under out up further here there when where how all any both each few more most
    other some such only own same too very can will just should would could may might must i me my myself we us
    our ourselves he him his she her hers it they them their theirs what which who whom this that these those
    am is are was were be been being have has having do does did doing hi hello dear thanks thank regards
    best kind please sir team`,
  es: `el la los las un una unas lo al del de y e o ni pero sino que en con por para sin sobre entre desde
    como mas muy ya este esta estos estas ese esa esos esas aquel aquella mi mis su sus nuestro nuestra nuestros
    nuestras yo nosotros nosotras el ella ellos ellas me se le les nos es son soy somos era ser estar estamos estan
    esta he ha han hemos haber tenemos tiene tienen hola buenos buenas dias tardes cordial
    atentamente favor usted ustedes`,
  de: `der die das den dem des ein eine einen einem einer eines und oder doch sondern dass als wie wenn ob zu zum
    zur im in an am auf aus bei mit nach von vor fur uber um durch gegen ohne bis seit ich wir uns unser unsere
    unseren unserem unserer er es man mein meine sein ist sind war waren bin sein hat haben hatten wird
    werden wurde wurden kann konnen konnte mochte mochten auch noch so hallo guten tag geehrter
    freundlichen grussen gruß vg dank bitte liebe lieber`,
  fr: `le la les un une des du de d l et ou mais donc or ni car que qui quoi dont ce cet cette mon ma mes notre nos
    son ses leur leurs je j nous il elle ils elles on se s en y a au aux dans par pour sur sous avec chez entre
    vers est sont suis sommes etre ete avoir avons ont ai avait fait faire tres plus aussi bonjour bonsoir madame
    monsieur merci salutations`,
};

/** Every language's stop words together: inquiries mix languages, and a German signature is noise in any text. */
export const stopWords: ReadonlySet<string> = new Set(
  Object.values(lists).flatMap((list) => list.split(/\s+/).filter(Boolean)),
);

// Words that ask for something without saying what: every service line's inquiries use them alike, and on a small
// corpus their counts are noise that outvotes the one telling word.
const requestWords = `need needs needed want wants wanted looking look like help would could can able get getting
  necesitamos necesito necesitan queremos quiero buscamos busco ayuda podeis pueden podrian
  brauchen benotigen mochten suchen wollen konnten konnen wurden hilfe unterstutzung
  besoin voulons souhaitons cherchons recherchons pouvez pourriez aide aimerions`;

/** Words that say when, not what: the timeline reader and the urgency model read them, the topic models do not. */
export const timeWords: ReadonlySet<string> = new Set(
  `today tomorrow week weeks weekend month months year years day days hours asap urgent urgently immediately
   soon quickly fast monday wednesday thursday friday next end quarter morning afternoon
   hoy manana semana semanas mes meses ano dias urgente cuanto antes pronto lunes miercoles viernes
   sabado domingo proximo fin final
   heute morgen woche wochen monat monate jahr tag tagen dringend sofort schnell
   freitag samstag sonntag nachste nachsten nachster ende
   aujourd hui demain semaine semaines mois annee jour jours urgence urgent immediatement vite lundi mardi
   vendredi samedi prochain prochaine prochains prochaines matin`
    .split(/\s+/)
    .filter(Boolean),
);

/** Request verbs, stop words of every language. */
export const genericWords: ReadonlySet<string> = new Set(requestWords.split(/\s+/).filter(Boolean));

/** Per-language lists, used to guess the language of a text. */
export const stopWordsByLanguage: Readonly<Record<Language, ReadonlySet<string>>> = {
  en: new Set(lists.en.split(/\s+/).filter(Boolean)),
  es: new Set(lists.es.split(/\s+/).filter(Boolean)),
  de: new Set(lists.de.split(/\s+/).filter(Boolean)),
  fr: new Set(lists.fr.split(/\s+/).filter(Boolean)),
};
