// Function words dropped before the model sees a text. Deliberately short lists: negations ("not", "kein", "pas"),
// time words ("now", "today", "still", "again") and second-person pronouns ("your engineer", "vuestro técnico",
// "Ihr Techniker" mark an existing customer) carry signal here, so they are NOT stop words.
import type { Language } from './language';

// Written without diacritics: lookups use the folded form of a word.
const lists: Record<Language, string> = {
  en: `a an the and or but if then than so as of at by for with about against between into through during before after
    above below to from in on off over under out up further here there when where why how all any both each few more most
    other some such only own same too very can will just should would could shall may might must i me my myself we us
    our ours ourselves he him his she her hers it its they them their theirs what which who whom this that these those
    am is are was were be been being have has had having do does did doing also hi hello dear thanks thank regards
    best kind cheers please sir madam team`,
  es: `el la los las un una unos unas lo al del de y e o u ni pero sino que en con por para sin sobre entre hasta desde
    hacia como mas muy ya este esta estos estas ese esa esos esas aquel aquella mi mis su sus nuestro nuestra nuestros
    nuestras yo nosotros nosotras el ella ellos ellas me se le les nos es son soy somos era fue ser estar estamos estan
    esta he ha han hemos hay haber tener tenemos tiene tienen hola buenos buenas dias tardes gracias saludos cordial
    atentamente favor usted ustedes quisiera`,
  de: `der die das den dem des ein eine einen einem einer eines und oder aber doch sondern dass als wie wenn ob zu zum
    zur im in an am auf aus bei mit nach von vor fur uber unter um durch gegen ohne bis seit ich wir uns unser unsere
    unseren unserem unserer er es man mein meine sein seine ist sind war waren bin sein hat haben hatte hatten wird
    werden wurde wurden kann konnen konnte mochte mochten auch noch so sehr hallo guten tag geehrte geehrter damen
    herren freundlichen grussen gruss gruß mfg vg danke dank bitte liebe lieber`,
  fr: `le la les un une des du de d l et ou mais donc or ni car que qui quoi dont ce cet cette ces mon ma mes notre nos
    son sa ses leur leurs je j nous il elle ils elles on se s en y a au aux dans par pour sur sous avec chez entre
    vers est sont suis sommes etre ete avoir avons ont ai avait fait faire tres plus aussi bonjour bonsoir madame
    monsieur merci cordialement salutations bien`,
};

/** Every language's stop words together: inquiries mix languages, and a German signature is noise in any text. */
export const stopWords: ReadonlySet<string> = new Set(
  Object.values(lists).flatMap((list) => list.split(/\s+/).filter(Boolean)),
);

// Words that ask for something without saying what: every service line's inquiries use them alike, and on a small
// corpus their counts are noise that outvotes the one telling word.
const requestWords = `need needs needed want wants wanted looking look like help would could can able get getting
  necesitamos necesito necesitan queremos quiero quisieramos buscamos busco ayuda ayudar podeis pueden podrian
  brauchen benotigen mochten suchen wollen konnten konnen wurden hilfe unterstutzung
  besoin voulons souhaitons cherchons recherchons pouvez pourriez aide aider aimerions voudrions`;

/** Words that say when, not what: the timeline reader and the urgency model read them, the topic models do not. */
export const timeWords: ReadonlySet<string> = new Set(
  `today tomorrow tonight week weeks weekend month months year years day days hour hours asap urgent urgently immediately
   soon quickly fast monday tuesday wednesday thursday friday saturday sunday next end quarter morning afternoon
   hoy manana semana semanas mes meses ano dia dias urgente cuanto antes pronto lunes martes miercoles jueves viernes
   sabado domingo proximo proxima fin final trimestre
   heute morgen woche wochen monat monate monaten jahr tag tage tagen dringend sofort schnell montag dienstag mittwoch
   donnerstag freitag samstag sonntag nachste nachsten nachster ende quartal
   aujourd hui demain semaine semaines mois annee jour jours urgence urgent immediatement vite lundi mardi mercredi jeudi
   vendredi samedi dimanche prochain prochaine prochains prochaines trimestre matin`
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
