// `npm run bench:match`: matchLead latency against 1,000,000 contacts and 200,000 accounts in a throwaway
// PostgreSQL, next to the cheapest round trip (db/pool.ts `ping`) measured in the same process.
// Options: --contacts N --accounts N --leads N --seed N. DATABASE_URL: use that server (needs CREATEDB).
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import {
  createMatcher,
  importAccounts,
  matchQueries,
  similarNamesSql,
  type AccountInput,
  type LeadMatch,
  type MatchLeadInput,
} from '../db/contacts-and-accounts';
import { listReps } from '../db/directory';
import {
  droppableIndexes,
  dropIndexes,
  explainAnalyze,
  isAccountNameKey,
  maxIds,
  rebuildIndexes,
  sampleAccounts,
  sampleContacts,
  seedContacts,
  seededCounts,
  serverVersion,
  vacuumAnalyzeContactsAndAccounts,
} from '../db/match-benchmark';
import { createPool, ping } from '../db/pool';
import { companyNameKey, distinctiveWords } from '../src/matching/company-name';
import { loadConfig } from '../src/config';
import { isFreeMailDomain } from '../src/matching/match-input';
import { throwawayDatabase } from '../stack/throwaway-database';
import { migrateAndLoadDirectory } from './migrate';

// ---- options ---------------------------------------------------------------------------------------------

function readOptions(args: string[]) {
  const options = { contacts: 1_000_000, accounts: 200_000, leads: 5_000, seed: 42 };
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i]?.replace(/^--/, '') ?? '';
    const value = Number(args[i + 1]);
    if (!(name in options))
      throw new Error(`unknown option ${args[i]}: expected --contacts, --accounts, --leads or --seed`);
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`--${name}: expected a positive whole number, got ${args[i + 1]}`);
    options[name as keyof typeof options] = value;
  }
  return options;
}

// ---- seeded generation of realistic companies ---------------------------------------------------------------

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
function createRandom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const weighted = <T>(items: ReadonlyArray<readonly [T, number]>): T => {
    let r = next() * items.reduce((sum, [, w]) => sum + w, 0);
    for (const [item, w] of items) if ((r -= w) < 0) return item;
    return items[items.length - 1]![0];
  };
  return { next, int, pick, weighted };
}
type Random = ReturnType<typeof createRandom>;

interface Country {
  code: string;
  weight: number;
  forms: string[];
  tld: string;
  dial: string;
  digits: number;
  language: 'en' | 'de' | 'es' | 'fr';
  and: string;
}

const countries: Country[] = [
  {
    code: 'US',
    weight: 35,
    forms: ['Inc', 'Inc.', 'LLC', 'Corp.', 'Corporation', 'Co.'],
    tld: 'com',
    dial: '1',
    digits: 10,
    language: 'en',
    and: '&',
  },
  {
    code: 'GB',
    weight: 12,
    forms: ['Ltd', 'Limited', 'PLC', 'Ltd.'],
    tld: 'co.uk',
    dial: '44',
    digits: 10,
    language: 'en',
    and: '&',
  },
  {
    code: 'DE',
    weight: 14,
    forms: ['GmbH', 'AG', 'GmbH & Co. KG', 'KG', 'UG (haftungsbeschränkt)'],
    tld: 'de',
    dial: '49',
    digits: 10,
    language: 'de',
    and: '&',
  },
  { code: 'AT', weight: 3, forms: ['GmbH', 'AG'], tld: 'at', dial: '43', digits: 10, language: 'de', and: 'und' },
  {
    code: 'ES',
    weight: 8,
    forms: ['S.A.', 'S.L.', 'S.L.U.'],
    tld: 'es',
    dial: '34',
    digits: 9,
    language: 'es',
    and: 'y',
  },
  {
    code: 'MX',
    weight: 4,
    forms: ['S.A. de C.V.', 'S. de R.L. de C.V.'],
    tld: 'com.mx',
    dial: '52',
    digits: 10,
    language: 'es',
    and: 'y',
  },
  {
    code: 'FR',
    weight: 10,
    forms: ['SARL', 'SAS', 'S.A.', 'SASU'],
    tld: 'fr',
    dial: '33',
    digits: 9,
    language: 'fr',
    and: 'et',
  },
  { code: 'NL', weight: 5, forms: ['B.V.', 'N.V.'], tld: 'nl', dial: '31', digits: 9, language: 'en', and: '&' },
  { code: 'AU', weight: 5, forms: ['Pty Ltd'], tld: 'com.au', dial: '61', digits: 9, language: 'en', and: '&' },
];

const industries = {
  en: [
    'Technologies',
    'Systems',
    'Analytics',
    'Logistics',
    'Consulting',
    'Software',
    'Solutions',
    'Services',
    'Manufacturing',
    'Partners',
    'Labs',
    'Energy',
    'Health',
    'Capital',
    'Foods',
    'Media',
    'Networks',
    'Robotics',
    'Security',
    'Cloud',
    'Data',
    'Engineering',
    'Design',
    'Group',
    'Holdings',
    'Industries',
    'Pharma',
    'Biotech',
    'Insurance',
    'Retail',
    'Motors',
    'Materials',
    'Devices',
    'Instruments',
    'Dynamics',
    'Ventures',
    'Digital',
    'Interactive',
    'Telecom',
    'Properties',
  ],
  de: [
    'Technik',
    'Maschinenbau',
    'Logistik',
    'Beratung',
    'Systeme',
    'Software',
    'Elektronik',
    'Bau',
    'Automation',
    'Handel',
    'Versicherung',
    'Medizintechnik',
    'Anlagenbau',
    'Verwaltung',
    'Energie',
  ],
  es: [
    'Soluciones',
    'Tecnología',
    'Servicios',
    'Ingeniería',
    'Consultores',
    'Logística',
    'Construcciones',
    'Comercial',
    'Sistemas',
    'Alimentos',
    'Energía',
    'Inversiones',
    'Transportes',
  ],
  fr: [
    'Conseil',
    'Ingénierie',
    'Services',
    'Technologies',
    'Solutions',
    'Logistique',
    'Industries',
    'Distribution',
    'Informatique',
    'Énergie',
    'Systèmes',
    'Transports',
    'Bâtiment',
  ],
};
const surnames = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Miller',
  'Davis',
  'Wilson',
  'Anderson',
  'Taylor',
  'Thomas',
  'Moore',
  'Jackson',
  'White',
  'Harris',
  'Clark',
  'Lewis',
  'Walker',
  'Hall',
  'Allen',
  'Young',
  'King',
  'Wright',
  'Scott',
  'Green',
  'Baker',
  'Adams',
  'Nelson',
  'Hill',
  'Campbell',
  'Mitchell',
  'Roberts',
  'Carter',
  'Phillips',
  'Evans',
  'Turner',
  'Parker',
  'Collins',
  'Edwards',
  'Stewart',
  'Morris',
  'Murphy',
  'Cook',
  'Rogers',
  'Morgan',
  'Cooper',
  'Peterson',
  'Reed',
  'Bailey',
  'Bell',
  'Kelly',
  'Howard',
  'Ward',
  'Cox',
  'Richardson',
  'Wood',
  'Watson',
  'Brooks',
  'Bennett',
  'Gray',
  'Hughes',
  'Price',
  'Sanders',
  'Myers',
  'Long',
  'Ross',
  'Foster',
  "O'Brien",
  'Walsh',
  'Byrne',
  'Clarke',
  'Fletcher',
  'Hargreaves',
  'Pemberton',
  'Ashworth',
  'Müller',
  'Schmidt',
  'Schneider',
  'Fischer',
  'Weber',
  'Meyer',
  'Wagner',
  'Becker',
  'Schulz',
  'Hoffmann',
  'Schäfer',
  'Koch',
  'Bauer',
  'Richter',
  'Klein',
  'Wolf',
  'Schröder',
  'Neumann',
  'Schwarz',
  'Zimmermann',
  'Braun',
  'Krüger',
  'Hofmann',
  'Hartmann',
  'Lange',
  'Schmitt',
  'Werner',
  'Krause',
  'Meier',
  'Lehmann',
  'Huber',
  'Gruber',
  'Steiner',
  'Moser',
  'Brunner',
  'García',
  'Martínez',
  'López',
  'Sánchez',
  'Pérez',
  'Fernández',
  'Gómez',
  'Díaz',
  'Moreno',
  'Muñoz',
  'Álvarez',
  'Romero',
  'Navarro',
  'Torres',
  'Domínguez',
  'Vázquez',
  'Ramos',
  'Gil',
  'Serrano',
  'Molina',
  'Dubois',
  'Martin',
  'Bernard',
  'Lefèvre',
  'Moreau',
  'Laurent',
  'Girard',
  'Rousseau',
  'Fournier',
  'Mercier',
  'Lambert',
  'Bonnet',
  'Fontaine',
  'Chevalier',
  'Roussel',
  'Jansen',
  'de Vries',
  'Bakker',
  'Visser',
  'Smit',
  'Mulder',
  'de Boer',
  'Rossi',
  'Ferrari',
  'Esposito',
  'Nguyen',
  'Tanaka',
  'Kowalski',
  'Novak',
  'Andersen',
  'Larsen',
  'Nielsen',
  'Lindqvist',
];
const places = [
  'Northwind',
  'Blue Harbor',
  'Alpine',
  'Andina',
  'Atlantic',
  'Pacific',
  'Nordic',
  'Baltic',
  'Iberia',
  'Rhein',
  'Alster',
  'Provence',
  'Sierra',
  'Cascade',
  'Summit',
  'Redwood',
  'Ironwood',
  'Silver Lake',
  'Eastgate',
  'Westbridge',
  'Highland',
  'Lakeside',
  'Riverside',
  'Hanse',
  'Bavaria',
  'Meridian',
  'Polaris',
  'Aurora',
  'Horizon',
  'Pinnacle',
  'Keystone',
  'Granite',
  'Copper',
  'Falcon',
  'Eagle',
  'Harbor',
  'Oakridge',
  'Stonebridge',
  'Greenfield',
  'Bright Star',
  'Coastal',
  'Prairie',
  'Mesa',
  'Canyon',
  'Glacier',
  'Evergreen',
  'Maple',
  'Cedar',
  'Willow',
  'Birch',
  'Thames',
  'Pennine',
  'Cotswold',
  'Lothian',
  'Mersey',
  'Schwarzwald',
  'Elbe',
  'Isar',
  'Donau',
  'Taunus',
  'Mistral',
  'Loire',
  'Garonne',
  'Vosges',
  'Azur',
  'Cantabria',
  'Galicia',
  'Levante',
  'Mediterránea',
  'Pampa',
  'Yucatán',
  'Sonora',
  'Tasman',
  'Coral Sea',
  'Outback',
  'Zuider',
  'Veluwe',
  'Orion',
  'Vega',
  'Sirius',
];
interface Syllables {
  onsets: string[];
  vowels: string[];
  codas: string[];
}
/** Brand names the accounts are made of ("Zentrix", "Valora", "Kestrel"...). */
const accountSyllables: Syllables = {
  onsets: [
    'b',
    'br',
    'c',
    'cr',
    'd',
    'dr',
    'f',
    'fl',
    'g',
    'gr',
    'h',
    'j',
    'k',
    'kr',
    'l',
    'm',
    'n',
    'p',
    'pr',
    'qu',
    'r',
    's',
    'st',
    't',
    'tr',
    'v',
    'z',
    'x',
    'w',
    'sh',
  ],
  vowels: ['a', 'e', 'i', 'o', 'u', 'ae', 'io', 'ea', 'y', 'ai'],
  codas: [
    '',
    'n',
    'r',
    'x',
    's',
    'l',
    'm',
    'nt',
    'rk',
    'th',
    'v',
    'nd',
    'ra',
    'on',
    'ix',
    'is',
    'ex',
    'or',
    'um',
    'ia',
  ],
};
/** Brand names no account has: other sounds, so a match on one is a false match, not a namesake. */
const strangerSyllables: Syllables = {
  onsets: ['bl', 'gl', 'pl', 'sl', 'sn', 'sp', 'sw', 'tw', 'wr', 'ph', 'ch', 'scr', 'thr', 'gn', 'kl'],
  vowels: ['oo', 'ou', 'ei', 'au', 'ue', 'oy'],
  codas: ['ck', 'pp', 'gg', 'ft', 'mp', 'sk', 'lb', 'zz', 'dge', 'wn'],
};

function coinedWord(r: Random, syllables: Syllables = accountSyllables): string {
  const count = r.weighted([
    [1, 10],
    [2, 60],
    [3, 30],
  ] as const);
  let word = '';
  for (let i = 0; i < count; i++)
    word += r.pick(syllables.onsets) + r.pick(syllables.vowels) + (i === count - 1 ? r.pick(syllables.codas) : '');
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** A company nobody has heard of, in the shapes real names take. */
function strangerName(r: Random, country: Country): string {
  const industry = () =>
    r.pick(country.language !== 'en' && r.next() < 0.7 ? industries[country.language] : industries.en);
  const form = r.next() < 0.9 ? ` ${r.pick(country.forms)}` : '';
  switch (r.int(3)) {
    case 0:
      return `${coinedWord(r, strangerSyllables)} ${industry()}${form}`;
    case 1:
      return `${coinedWord(r, strangerSyllables)}${form}`;
    default:
      return `${r.pick(places)} ${coinedWord(r, strangerSyllables)}${form}`;
  }
}

function companyName(r: Random, country: Country): string {
  const industry = () =>
    r.pick(country.language !== 'en' && r.next() < 0.7 ? industries[country.language] : industries.en);
  const form = () => (r.next() < 0.9 ? ` ${r.pick(country.forms)}` : '');
  const english = country.language === 'en';
  // Mostly brand words, as in real account lists; names built only from common words are the few.
  switch (
    r.weighted<number>([
      [0, 37],
      [1, 15],
      [2, 6],
      [3, 5],
      [4, 4],
      [5, 16],
      [6, 5],
      [7, 12],
    ])
  ) {
    case 0:
      return `${coinedWord(r)} ${industry()}${form()}`;
    case 1:
      return `${coinedWord(r)}${form()}`;
    case 2:
      return `${r.pick(surnames)} ${industry()}${form()}`;
    case 3:
      return `${r.pick(surnames)} ${country.and} ${r.pick(surnames)}${form()}`;
    case 4:
      return `${r.pick(places)} ${industry()}${form()}`;
    case 5:
      return english && r.next() < 0.3
        ? `The ${r.pick(places)} ${coinedWord(r)} Company`
        : `${r.pick(places)} ${coinedWord(r)}${form()}`;
    case 6:
      return `${coinedWord(r)} ${industry()} ${industry()}`;
    default:
      return `${coinedWord(r)} ${coinedWord(r)}${form()}`;
  }
}

function generateAccounts(r: Random, count: number, repIds: string[]): Array<AccountInput & { country: string }> {
  const usedDomains = new Set<string>();
  const accounts: Array<AccountInput & { country: string }> = [];
  for (let i = 0; i < count; i++) {
    const country = r.weighted(countries.map((c) => [c, c.weight] as const));
    const name = companyName(r, country);
    let domain: string | null = null;
    // One in ten accounts came from a trade show list or a partner, without a website.
    if (r.next() >= 0.1) {
      const slug = companyNameKey(name)
        .replace(/[^a-z0-9 ]/g, '')
        .trim();
      for (const candidate of [
        slug.replace(/ /g, ''),
        slug.replace(/ /g, '-'),
        ...Array.from({ length: 50 }, (_, n) => `${slug.replace(/ /g, '')}${n + 2}`),
      ]) {
        const full = `${candidate}.${country.tld}`;
        if (candidate && !usedDomains.has(full) && !isFreeMailDomain(full)) {
          domain = full;
          usedDomains.add(full);
          break;
        }
      }
    }
    accounts.push({
      name,
      domain,
      country: country.code,
      ownerRepId: r.next() < 0.7 ? r.pick(repIds) : null,
      employees: Math.round(Math.exp(r.next() * Math.log(50_000))),
    });
  }
  return accounts;
}

// ---- seeding ---------------------------------------------------------------------------------------------

const firstNames = [
  'James',
  'Mary',
  'Robert',
  'Patricia',
  'John',
  'Jennifer',
  'Michael',
  'Linda',
  'David',
  'Elizabeth',
  'William',
  'Barbara',
  'Richard',
  'Susan',
  'Joseph',
  'Jessica',
  'Thomas',
  'Sarah',
  'Lukas',
  'Anna',
  'Jonas',
  'Lena',
  'Felix',
  'Hannah',
  'Maximilian',
  'Sophie',
  'Jose',
  'Maria',
  'Javier',
  'Lucia',
  'Carlos',
  'Carmen',
  'Antonio',
  'Elena',
  'Pierre',
  'Camille',
  'Louis',
  'Chloe',
  'Hugo',
  'Manon',
  'Priya',
  'Arjun',
  'Mei',
  'Wei',
  'Yuki',
  'Kenji',
  'Olga',
  'Ivan',
  'Fatima',
  'Omar',
  'Sven',
  'Ingrid',
  'Noah',
  'Emma',
  'Liam',
  'Olivia',
  'Mateo',
  'Valentina',
  'Ahmed',
  'Aisha',
];
const lastNames = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Garcia',
  'Miller',
  'Davis',
  'Rodriguez',
  'Martinez',
  'Hernandez',
  'Lopez',
  'Gonzalez',
  'Wilson',
  'Anderson',
  'Thomas',
  'Taylor',
  'Moore',
  'Jackson',
  'Martin',
  'Lee',
  'Perez',
  'Thompson',
  'White',
  'Harris',
  'Sanchez',
  'Clark',
  'Ramirez',
  'Lewis',
  'Robinson',
  'Mueller',
  'Schmidt',
  'Schneider',
  'Fischer',
  'Weber',
  'Meyer',
  'Wagner',
  'Becker',
  'Schulz',
  'Hoffmann',
  'Dubois',
  'Bernard',
  'Moreau',
  'Laurent',
  'Simon',
  'Michel',
  'Lefebvre',
  'Leroy',
  'Roux',
  'David',
  'Shah',
  'Patel',
  'Chen',
  'Wang',
  'Sato',
  'Suzuki',
  'Ivanova',
  'Novak',
  'Jansen',
  'Visser',
];
const freeMailDomains = [
  'gmail.com',
  'outlook.com',
  'yahoo.com',
  'hotmail.com',
  'gmx.de',
  'web.de',
  'orange.fr',
  'icloud.com',
];

/** The rep ids contacts and accounts are owned by. */
async function repIdsOf(db: pg.Pool): Promise<string[]> {
  return (await listReps(db)).map((r) => r.rep.id);
}

// ---- the leads to match ----------------------------------------------------------------------------------

type Kind = 'known email' | 'phone only' | 'new person, known domain' | 'fuzzy company name' | 'unknown';
interface Probe {
  kind: Kind;
  input: MatchLeadInput;
  /** The account a correct match finds; null: none should be found. */
  expectedAccountId: string | null;
  /** The key of the company the lead really is: another account with this key is a namesake, not a mistake. */
  companyKey: string | null;
}

/** How people mistype a company they already buy from. */
function misspell(r: Random, name: string): string {
  const edits: Array<(s: string) => string> = [
    (s) => s.toUpperCase(),
    (s) => s.toLowerCase(),
    (s) =>
      s.replace(
        /\s+(Inc\.?|LLC|Corp\.?|Corporation|Co\.|Ltd\.?|Limited|PLC|GmbH( & Co\. KG)?|AG|KG|UG \(haftungsbeschränkt\)|S\.A\.( de C\.V\.)?|S\.L\.U?\.|S\. de R\.L\. de C\.V\.|SARL|SAS|SASU|B\.V\.|N\.V\.|Pty Ltd)$/,
        '',
      ),
    (s) => `${s.replace(/^The /, '')} Inc.`,
    (s) => (s.startsWith('The ') ? s : `The ${s}`),
    (s) =>
      s
        .replace('Technologies', 'Tech')
        .replace('Systems', 'Sys')
        .replace('Services', 'Svcs')
        .replace('Manufacturing', 'Mfg')
        .replace('Group', 'Grp'),
    (s) =>
      s
        .replace(/ü/g, 'u')
        .replace(/é/g, 'e')
        .replace(/í/g, 'i')
        .replace(/è/g, 'e')
        .replace(/á/g, 'a')
        .replace(/ó/g, 'o'),
    (s) => s.replace(/ & | und | y | et /, ' and '),
    (s) => typo(r, s),
  ];
  let out = name;
  const count = 1 + r.int(2);
  for (let i = 0; i < count; i++) out = r.pick(edits)(out);
  return out;
}

const legalFormWords = new Set(['Company', ...countries.flatMap((c) => c.forms.flatMap((form) => form.split(' ')))]);

/** One slip of the finger in one word of the name proper (a legal form typed wrong is another matter). */
function typo(r: Random, s: string): string {
  const words = s.split(' ');
  const candidates = words
    .map((w, i) => [w, i] as const)
    .filter(([w]) => w.length >= 4 && !legalFormWords.has(w) && !/^\(/.test(w));
  if (candidates.length === 0) return s;
  const [w, index] = r.pick(candidates);
  const at = 1 + r.int(w.length - 2);
  const edit = r.int(3);
  words[index] =
    edit === 0
      ? w.slice(0, at) + w.slice(at + 1)
      : edit === 1
        ? w.slice(0, at) + w[at + 1] + w[at] + w.slice(at + 2)
        : w.slice(0, at) + w[at] + w.slice(at);
  return words.join(' ');
}

async function buildProbes(db: pg.Pool, r: Random, count: number, seed: number): Promise<Probe[]> {
  const bounds = await maxIds(db);
  const ids = (max: number, n: number) => Array.from({ length: n }, () => String(1 + r.int(max)));
  const contactRows = async (n: number, filter: { withPhone?: boolean } = {}) =>
    (await sampleContacts(db, ids(bounds.contacts, n * 2), filter)).slice(0, n);
  const accountRows = async (n: number, filter: { withDomain?: boolean } = {}) =>
    (await sampleAccounts(db, ids(bounds.accounts, n * 2), filter)).slice(0, n);

  const share = (fraction: number) => Math.round(count * fraction);
  const probes: Probe[] = [];
  // A returning contact fills in the form again: email, phone, their company's site and name.
  for (const c of await contactRows(share(0.3))) {
    const companyDomain = freeMailDomains.includes(c.emailDomain) ? null : c.emailDomain;
    probes.push({
      kind: 'known email',
      input: { emailKey: c.emailKey, phone: c.phone, companyDomain, company: c.company },
      expectedAccountId: c.expectedAccountId,
      companyKey: c.company ? companyNameKey(c.company) : null,
    });
  }
  // A chat where only the phone number was given.
  for (const c of await contactRows(share(0.1), { withPhone: true })) {
    probes.push({
      kind: 'phone only',
      input: { emailKey: null, phone: c.phone, companyDomain: null, company: null },
      expectedAccountId: c.accountId,
      companyKey: null,
    });
  }
  // Someone new at a company we know, writing from work.
  let k = 0;
  for (const a of await accountRows(share(0.2), { withDomain: true })) {
    probes.push({
      kind: 'new person, known domain',
      input: { emailKey: `new.lead.${++k}@${a.domain}`, phone: null, companyDomain: a.domain, company: a.name },
      expectedAccountId: a.id,
      companyKey: companyNameKey(a.name),
    });
  }
  // Someone new from a private mailbox, typing the company name their own way.
  for (const a of await accountRows(share(0.25))) {
    probes.push({
      kind: 'fuzzy company name',
      input: { emailKey: `lead.${++k}@gmail.com`, phone: null, companyDomain: null, company: misspell(r, a.name) },
      expectedAccountId: a.id,
      companyKey: companyNameKey(a.name),
    });
  }
  // A company nobody has heard of.
  const strangers = createRandom(seed + 7_777);
  while (probes.length < count) {
    const country = strangers.pick(countries);
    const name = strangerName(strangers, country);
    const domain = `${companyNameKey(name).replace(/[^a-z0-9]/g, '')}-${++k}.example`;
    probes.push({
      kind: 'unknown',
      input: {
        emailKey: `hello@${domain}`,
        phone: `+${country.dial}${'8'.repeat(country.digits - 4)}${String(k % 10_000).padStart(4, '0')}`,
        companyDomain: domain,
        company: name,
      },
      expectedAccountId: null,
      companyKey: null,
    });
  }
  // Interleave the kinds as real traffic would be.
  for (let i = probes.length - 1; i > 0; i--) {
    const j = r.int(i + 1);
    [probes[i], probes[j]] = [probes[j]!, probes[i]!];
  }
  return probes;
}

// ---- measuring -------------------------------------------------------------------------------------------

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

function summarise(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

const ms = (n: number) => n.toFixed(3).padStart(8);

/** EXPLAIN ANALYZE of each statement the matcher runs, with a parameter from the probes: which scans answer it. */
async function explainQueries(db: pg.Pool, probes: Probe[]): Promise<string[]> {
  const sample = (pick: (p: Probe) => string | null) => probes.map(pick).find((v): v is string => v !== null) ?? '';
  // A misspelt name that is no account's key, so the trigram search runs.
  let typo = 'kestrl robotics';
  for (const probe of probes.filter((p) => p.kind === 'fuzzy company name')) {
    const key = companyNameKey(probe.input.company ?? '');
    if (distinctiveWords(key) && !(await isAccountNameKey(db, key))) {
      typo = key;
      break;
    }
  }
  const generic = companyNameKey('Global Services Group');
  const similarNames = (key: string) => similarNamesSql(key, distinctiveWords(key));
  const exact = companyNameKey(probes.find((p) => p.kind === 'new person, known domain')?.input.company ?? 'Acme');
  const shapes: Array<{ what: string; sql: string; params: unknown[]; threshold?: number }> = [
    { what: 'contact by email key', sql: matchQueries.contactByEmailKey, params: [sample((p) => p.input.emailKey)] },
    { what: 'contact by phone', sql: matchQueries.contactByPhone, params: [sample((p) => p.input.phone)] },
    { what: 'account by domain', sql: matchQueries.accountByDomain, params: [sample((p) => p.input.companyDomain)] },
    { what: `accounts by name key '${exact}'`, sql: matchQueries.accountsByNameKey, params: [exact] },
    { what: `accounts by similar distinctive words '${distinctiveWords(typo)}'`, params: [], ...similarNames(typo) },
    { what: `accounts by similar name of generic words '${generic}'`, params: [], ...similarNames(generic) },
  ];
  const lines: string[] = [];
  for (const { what, sql, params, threshold } of shapes) {
    const plan = await explainAnalyze(db, { sql, params, threshold });
    const scans = plan
      .filter((line) => /Scan/.test(line))
      .map((line) =>
        line
          .trim()
          .replace(/^->\s*/, '')
          .replace(/\s*\(actual.*?\)/, '')
          .replace(/\s*\(never executed\)/, ' (never executed)'),
      );
    const time = ['Planning Time', 'Execution Time']
      .map((label) => plan.find((line) => line.startsWith(label)))
      .join(', ');
    lines.push(
      `  ${what}: ${scans.join('; ')}  [${time}]${scans.some((scan) => scan.startsWith('Seq Scan')) ? '  <-- SEQUENTIAL SCAN' : ''}`,
    );
  }
  return lines;
}

// ---- main ------------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const options = readOptions(process.argv.slice(2));
  const config = loadConfig(process.env);
  const log = (line: string) => console.log(line);
  const cleanups: Array<() => Promise<unknown>> = [];
  let cleaning: Promise<void> | undefined;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      for (const cleanup of cleanups.reverse())
        await cleanup().catch((err: unknown) =>
          console.error(`cleanup: ${err instanceof Error ? err.message : String(err)}`),
        );
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      console.error(`\n${signal}: stopping Postgres and removing the temporary data`);
      void cleanUp().then(() => process.exit(130));
    });
  }

  try {
    const database = await throwawayDatabase(config.DATABASE_URL, `leadrelay_bench_${randomBytes(4).toString('hex')}`);
    cleanups.push(...database.cleanups);
    const databaseUrl = database.url;
    log(`PostgreSQL: ${database.where}`);
    await migrateAndLoadDirectory(
      databaseUrl,
      { directory: config.LEADRELAY_DIRECTORY, policy: config.LEADRELAY_POLICY },
      log,
    );
    // Stopping Postgres can reach a connection the pool is still closing; that is no news then.
    // Seeding a million rows is one long statement: no statement timeout here.
    const db = createPool(
      databaseUrl,
      (line) => {
        if (!cleaning) log(line);
      },
      { statementMs: 0 },
    );
    cleanups.push(() => db.end());
    log(`server ${await serverVersion(db)}, ${os.cpus().length} cores, node ${process.version}`);

    // Seeding: a bulk load, as a CRM import would be done. Indexes that enforce nothing (not unique, no
    // constraint) are dropped first and rebuilt after from their own definitions (pg_get_indexdef), so they
    // are exactly the migration's.
    const random = createRandom(options.seed);
    let t = performance.now();
    const accounts = generateAccounts(random, options.accounts, await repIdsOf(db));
    const generated = performance.now() - t;
    const indexes = await droppableIndexes(db);
    await dropIndexes(db, indexes);
    t = performance.now();
    for (let i = 0; i < accounts.length; i += 10_000) await importAccounts(db, accounts.slice(i, i + 10_000));
    const accountsTime = performance.now() - t;
    t = performance.now();
    await seedContacts(db, {
      count: options.contacts,
      seed: options.seed,
      firstNames,
      lastNames,
      freeMailDomains,
      repIds: await repIdsOf(db),
      dialPlans: countries.map((c) => ({ country: c.code, dial: c.dial, digits: c.digits })),
    });
    const contactsTime = performance.now() - t;
    t = performance.now();
    await rebuildIndexes(db, indexes);
    const indexTime = performance.now() - t;
    t = performance.now();
    await vacuumAnalyzeContactsAndAccounts(db);
    const analyzeTime = performance.now() - t;
    const c = await seededCounts(db);
    log(
      `seeded ${c.contacts} contacts (${c.withPhone} with a phone, ${c.linked} linked to an account) and ${c.accounts} accounts; database ${c.size}`,
    );
    log(
      `seed time: accounts ${(accountsTime / 1000).toFixed(1)} s (+ ${(generated / 1000).toFixed(1)} s generating names in Node), contacts ${(contactsTime / 1000).toFixed(1)} s, ` +
        `${indexes.length} indexes (${indexes.map((i) => i.name).join(', ')}) ${(indexTime / 1000).toFixed(1)} s, vacuum+analyze ${(analyzeTime / 1000).toFixed(1)} s; ` +
        `total ${((generated + accountsTime + contactsTime + indexTime + analyzeTime) / 1000).toFixed(1)} s`,
    );

    const probes = await buildProbes(db, random, options.leads, options.seed);
    log('\nplans (EXPLAIN ANALYZE of the matcher’s own statements):');
    for (const line of await explainQueries(db, probes)) log(line);

    const { matchLead } = createMatcher(db);
    // Warm the pool's connections and the plan caches before measuring.
    for (const probe of probes.slice(0, 200)) await matchLead(probe.input);

    // Each lead is measured right after a ping on the same pool, so both see the same machine load.
    const baseline: number[] = [];
    const byKind = new Map<Kind, number[]>();
    const all: number[] = [];
    const outcomes = new Map<Kind, { right: number; namesake: number; wrong: number; none: number; contact: number }>();
    for (const probe of probes) {
      let start = performance.now();
      await ping(db);
      baseline.push(performance.now() - start);
      start = performance.now();
      const match: LeadMatch = await matchLead(probe.input);
      const elapsed = performance.now() - start;
      all.push(elapsed);
      const samples = byKind.get(probe.kind) ?? [];
      samples.push(elapsed);
      byKind.set(probe.kind, samples);
      const o = outcomes.get(probe.kind) ?? { right: 0, namesake: 0, wrong: 0, none: 0, contact: 0 };
      if (match.contact) o.contact++;
      if ((match.account?.accountId ?? null) === probe.expectedAccountId) o.right++;
      else if (!match.account) o.none++;
      else if (probe.companyKey !== null && companyNameKey(match.account.name) === probe.companyKey) o.namesake++;
      else o.wrong++;
      outcomes.set(probe.kind, o);
    }

    log(`\nmatchLead latency per lead, ${probes.length} leads one after another (ms):`);
    log(
      `  ${'kind'.padEnd(26)} ${'n'.padStart(5)} ${'p50'.padStart(8)} ${'p99'.padStart(8)} ${'max'.padStart(8)}   outcome`,
    );
    for (const [kind, samples] of [...byKind.entries()].sort()) {
      const s = summarise(samples);
      const o = outcomes.get(kind)!;
      const outcome =
        kind === 'unknown'
          ? `${o.right} no account, ${o.wrong} matched some account (false match)`
          : `${o.right} right, ${o.namesake} a namesake (another account of the same name), ${o.wrong} wrong, ${o.none} none` +
            (o.contact ? `; ${o.contact} known contact` : '');
      log(`  ${kind.padEnd(26)} ${String(s.n).padStart(5)} ${ms(s.p50)} ${ms(s.p99)} ${ms(s.max)}   ${outcome}`);
    }
    const total = summarise(all);
    const base = summarise(baseline);
    log(`  ${'all'.padEnd(26)} ${String(total.n).padStart(5)} ${ms(total.p50)} ${ms(total.p99)} ${ms(total.max)}`);
    log(
      `  ${'baseline: ping'.padEnd(26)} ${String(base.n).padStart(5)} ${ms(base.p50)} ${ms(base.p99)} ${ms(base.max)}`,
    );
    log(
      `  ratio matchLead / ping: p50 ${(total.p50 / base.p50).toFixed(1)}x, p99 ${(total.p99 / base.p99).toFixed(1)}x`,
    );
    log(`  target p99 <= 5 ms per lead: ${total.p99 <= 5 ? 'met' : 'MISSED'} (${total.p99.toFixed(2)} ms)`);
    return 0;
  } finally {
    await cleanUp();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exitCode = 1;
  },
);
