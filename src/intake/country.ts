// Countries for intake: names and codes people type, the sales region and time zone of a country, and the
// country a domain's ccTLD points to.
// @ts-expect-error TS1479: the package points its require build at ESM-scoped types (esm/package.json is
// "type": "module"); the CommonJS build it loads at run time is fine.
import ct from 'countries-and-timezones';
import { getPublicSuffix } from 'tldts';

export type SalesRegion = 'na' | 'latam' | 'emea' | 'apac';

const knownCountries = ct.getAllCountries();

/** Every time zone name of the tz database countries-and-timezones carries, current and deprecated (aliases). */
export const tzDatabaseNames: readonly string[] = Object.keys(ct.getAllTimezones({ deprecated: true }));

/** Every ISO 3166-1 alpha-2 code countries-and-timezones knows. */
export const countryCodes: readonly string[] = Object.keys(knownCountries);

/** True for an ISO 3166-1 alpha-2 code of a country we know (upper case). */
export function isCountryCode(code: string): boolean {
  return Object.hasOwn(knownCountries, code);
}

// Lookup keys ignore case, accents, punctuation and spacing: "EE.UU." and "ee uu", "Österreich" and "osterreich".
function foldName(name: string): string {
  return name
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

// German is often typed without umlauts as ae/oe/ue ("Oesterreich", "Tuerkei"); index that spelling too.
function foldGermanTransliteration(name: string): string {
  return foldName(name.toLowerCase().replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue'));
}

// Names Intl.DisplayNames does not give in any of the four languages, but people write in forms.
const countryAliases: Record<string, readonly string[]> = {
  US: [
    'usa',
    'u s',
    'u s a',
    'us of a',
    'united states of america',
    'america',
    'eeuu',
    'ee uu',
    'eua',
    'estados unidos de america',
    'etats unis d amerique',
    'vereinigte staaten von amerika',
    'amerika',
  ],
  GB: [
    'uk',
    'u k',
    'great britain',
    'britain',
    'england',
    'scotland',
    'wales',
    'northern ireland',
    'gran bretana',
    'inglaterra',
    'grossbritannien',
    'england',
    'grande bretagne',
    'angleterre',
    'ecosse',
    'escocia',
    'schottland',
    'united kingdom of great britain and northern ireland',
  ],
  NL: ['holland', 'nederland', 'holanda', 'hollande'],
  DE: ['brd', 'bundesrepublik deutschland', 'federal republic of germany', 'republica federal de alemania'],
  AE: ['uae', 'u a e', 'eau', 'vae', 'emirates'],
  KR: ['korea', 'republic of korea', 'corea', 'coree', 'korea republic of'],
  RU: ['russian federation', 'federacion de rusia', 'russische foederation', 'federation de russie'],
  CZ: ['czech republic', 'republica checa', 'tschechische republik', 'republique tcheque'],
  TR: ['turkey', 'turkiye', 'turquia', 'turquie', 'tuerkei'],
  CI: ['ivory coast', 'costa de marfil', 'elfenbeinkueste', 'cote d ivoire'],
  CH: ['svizzera', 'confoederatio helvetica', 'helvetia'],
  VA: ['vatican', 'vatican city', 'vaticano', 'vatikan', 'vatican city state'],
  MK: ['macedonia', 'mazedonien', 'macedoine'],
  SZ: ['swaziland', 'suazilandia', 'swasiland'],
  CV: ['cape verde', 'cabo verde', 'kap verde', 'cap vert'],
  MM: ['burma', 'birmania', 'birmanie'],
  TL: ['east timor', 'timor oriental', 'osttimor'],
  CN: ['prc', 'peoples republic of china', 'people s republic of china', 'mainland china'],
  HK: ['hongkong', 'hong kong sar'],
  MO: ['macau'],
  PS: ['palestine', 'palestina', 'palaestina'],
  CD: ['drc', 'dr congo', 'congo kinshasa'],
  CG: ['congo brazzaville'],
  KP: ['dprk'],
  BA: ['bosnia'],
  IR: ['persia'],
  LA: ['lao pdr'],
  SY: ['syrian arab republic'],
  VN: ['viet nam'],
  BO: ['bolivia plurinational state of'],
  VE: ['venezuela bolivarian republic of'],
};

// Leading articles people sometimes type ("the Netherlands", "la France", "el Salvador" is a name, kept).
const leadingArticle = /^(the|la|le|les|los|las|die|der|l) /;

const countryByName: ReadonlyMap<string, string> = (() => {
  const byName = new Map<string, string>();
  const add = (name: string, code: string) => {
    for (const key of [foldName(name), foldGermanTransliteration(name)]) {
      // The first language wins on a clash; English is added first.
      if (key && !byName.has(key)) byName.set(key, code);
    }
  };
  const codes = Object.keys(knownCountries);
  for (const code of codes) add(knownCountries[code as keyof typeof knownCountries].name, code);
  for (const language of ['en', 'es', 'de', 'fr']) {
    const names = new Intl.DisplayNames([language], { type: 'region', fallback: 'none' });
    for (const code of codes) {
      const name = names.of(code);
      if (name) add(name, code);
    }
  }
  for (const [code, aliases] of Object.entries(countryAliases)) for (const alias of aliases) add(alias, code);
  return byName;
})();

/**
 * The ISO 3166-1 alpha-2 code for what someone typed in a country field: a code ("DE", "de", "UK") or a
 * country name in English, Spanish, German or French ("Germany", "Alemania", "Deutschland", "Allemagne").
 * Null when it names no country we know.
 */
export function resolveCountry(input: string): string | null {
  const trimmed = input.trim();
  if (/^[A-Za-z]{2}$/.test(trimmed)) {
    const code = trimmed.toUpperCase();
    if (code === 'UK') return 'GB';
    if (isCountryCode(code)) return code;
  }
  const key = foldName(trimmed);
  const found = countryByName.get(key) ?? countryByName.get(key.replace(leadingArticle, ''));
  return found ?? null;
}

// Sales territories. A territory follows where the team that sells to it sits and works: overseas territories go
// with their geography (French Caribbean is LATAM, Réunion is EMEA), except Puerto Rico, the US Virgin Islands,
// Bermuda and Saint Pierre and Miquelon, which North American teams cover. Central Asia, the Caucasus and Russia
// are EMEA; South Asia and Afghanistan are APAC. Antarctica has no region.
const regionCountries: Record<SalesRegion, readonly string[]> = {
  na: ['US', 'CA', 'PR', 'VI', 'BM', 'PM'],
  latam: [
    'MX',
    'GT',
    'BZ',
    'SV',
    'HN',
    'NI',
    'CR',
    'PA',
    'CU',
    'DO',
    'HT',
    'JM',
    'BS',
    'BB',
    'TT',
    'AG',
    'DM',
    'GD',
    'KN',
    'LC',
    'VC',
    'AI',
    'AW',
    'BQ',
    'CW',
    'SX',
    'MF',
    'BL',
    'GP',
    'MQ',
    'KY',
    'TC',
    'VG',
    'MS',
    'CO',
    'VE',
    'EC',
    'PE',
    'BO',
    'CL',
    'AR',
    'UY',
    'PY',
    'BR',
    'GY',
    'SR',
    'GF',
    'FK',
    'GS',
  ],
  emea: [
    'AD',
    'AE',
    'AL',
    'AM',
    'AO',
    'AT',
    'AX',
    'AZ',
    'BA',
    'BE',
    'BF',
    'BG',
    'BH',
    'BI',
    'BJ',
    'BW',
    'BY',
    'CD',
    'CF',
    'CG',
    'CH',
    'CI',
    'CM',
    'CV',
    'CY',
    'CZ',
    'DE',
    'DJ',
    'DK',
    'DZ',
    'EE',
    'EG',
    'EH',
    'ER',
    'ES',
    'ET',
    'FI',
    'FO',
    'FR',
    'GA',
    'GB',
    'GE',
    'GG',
    'GH',
    'GI',
    'GL',
    'GM',
    'GN',
    'GQ',
    'GR',
    'GW',
    'HR',
    'HU',
    'IE',
    'IL',
    'IM',
    'IQ',
    'IR',
    'IS',
    'IT',
    'JE',
    'JO',
    'KE',
    'KG',
    'KM',
    'KW',
    'KZ',
    'LB',
    'LI',
    'LR',
    'LS',
    'LT',
    'LU',
    'LV',
    'LY',
    'MA',
    'MC',
    'MD',
    'ME',
    'MG',
    'MK',
    'ML',
    'MR',
    'MT',
    'MU',
    'MW',
    'MZ',
    'NA',
    'NE',
    'NG',
    'NL',
    'NO',
    'OM',
    'PL',
    'PS',
    'PT',
    'QA',
    'RE',
    'RO',
    'RS',
    'RU',
    'RW',
    'SA',
    'SC',
    'SD',
    'SE',
    'SH',
    'SI',
    'SJ',
    'SK',
    'SL',
    'SM',
    'SN',
    'SO',
    'SS',
    'ST',
    'SY',
    'SZ',
    'TD',
    'TF',
    'TG',
    'TJ',
    'TM',
    'TN',
    'TR',
    'TZ',
    'UA',
    'UG',
    'UZ',
    'VA',
    'YE',
    'YT',
    'ZA',
    'ZM',
    'ZW',
  ],
  apac: [
    'CN',
    'HK',
    'MO',
    'TW',
    'JP',
    'KR',
    'KP',
    'MN',
    'IN',
    'PK',
    'BD',
    'LK',
    'NP',
    'BT',
    'MV',
    'AF',
    'MM',
    'TH',
    'LA',
    'KH',
    'VN',
    'MY',
    'SG',
    'BN',
    'ID',
    'PH',
    'TL',
    'AU',
    'NZ',
    'PG',
    'FJ',
    'SB',
    'VU',
    'NC',
    'PF',
    'WS',
    'TO',
    'TV',
    'KI',
    'NR',
    'FM',
    'MH',
    'PW',
    'CK',
    'NU',
    'TK',
    'WF',
    'PN',
    'NF',
    'CX',
    'CC',
    'HM',
    'IO',
    'GU',
    'AS',
    'MP',
    'UM',
  ],
};

const regionByCountry: ReadonlyMap<string, SalesRegion> = new Map(
  (Object.entries(regionCountries) as Array<[SalesRegion, readonly string[]]>).flatMap(([region, codes]) =>
    codes.map((code) => [code, region] as const),
  ),
);

/** The sales territory of an ISO alpha-2 country code; null for Antarctica and unknown codes. */
export function regionOfCountry(code: string): SalesRegion | null {
  return regionByCountry.get(code) ?? null;
}

// The zone where most of the country's people live, for countries spanning several zones.
const mostPopulousZone: Record<string, string> = {
  AR: 'America/Argentina/Buenos_Aires',
  AU: 'Australia/Sydney',
  BR: 'America/Sao_Paulo',
  CA: 'America/Toronto',
  CD: 'Africa/Kinshasa',
  CL: 'America/Santiago',
  CN: 'Asia/Shanghai',
  CY: 'Asia/Nicosia',
  EC: 'America/Guayaquil',
  ES: 'Europe/Madrid',
  FM: 'Pacific/Chuuk',
  GL: 'America/Nuuk',
  ID: 'Asia/Jakarta',
  KI: 'Pacific/Tarawa',
  KZ: 'Asia/Almaty',
  MH: 'Pacific/Majuro',
  MN: 'Asia/Ulaanbaatar',
  MX: 'America/Mexico_City',
  MY: 'Asia/Kuala_Lumpur',
  NZ: 'Pacific/Auckland',
  PF: 'Pacific/Tahiti',
  PG: 'Pacific/Port_Moresby',
  PS: 'Asia/Hebron',
  PT: 'Europe/Lisbon',
  RU: 'Europe/Moscow',
  UA: 'Europe/Kyiv',
  US: 'America/New_York',
  UZ: 'Asia/Tashkent',
  VN: 'Asia/Ho_Chi_Minh',
  DE: 'Europe/Berlin',
  // Single-zone countries whose list carries an old or regional name (Europe/Belfast, Asia/Rangoon, Pacific/Samoa).
  GB: 'Europe/London',
  MM: 'Asia/Yangon',
  AS: 'Pacific/Pago_Pago',
};

const areaCityZone = /^(Africa|America|Antarctica|Asia|Atlantic|Australia|Europe|Indian|Pacific|Arctic)\//;

/**
 * The IANA zone of a country: the most populous one when the country spans several. The package lists merged zones
 * under the zone they merged into (Sweden under Europe/Berlin), so the country's own name for it (Europe/Stockholm)
 * is preferred when there is one; both run the same clock.
 */
export function timeZoneOfCountry(code: string): string | null {
  if (!isCountryCode(code)) return null;
  const zones = ct.getTimezonesForCountry(code as keyof typeof knownCountries, { deprecated: true }) ?? [];
  const preferred = mostPopulousZone[code];
  if (preferred && zones.some((zone) => zone.name === preferred)) return preferred;
  const own = zones.filter(
    (zone) =>
      areaCityZone.test(zone.name) &&
      zone.countries.length === 1 &&
      // a renamed zone (Asia/Saigon) yields to its current name (Asia/Ho_Chi_Minh) when that is this country's too
      !(zone.aliasOf && zones.some((other) => other.name === zone.aliasOf && other.countries.length === 1)),
  );
  return own[0]?.name ?? knownCountries[code as keyof typeof knownCountries].timezones[0] ?? null;
}

// ccTLDs sold worldwide as generic names (.io, .co, .ai, .tv, .me ...): a domain there says nothing about where the
// company is. They count only under a second level (.com.co is Colombia).
const genericCcTlds = new Set([
  'ac',
  'ag',
  'ai',
  'am',
  'as',
  'bz',
  'cc',
  'cd',
  'cf',
  'co',
  'fm',
  'ga',
  'gg',
  'gq',
  'gs',
  'im',
  'io',
  'la',
  'ly',
  'md',
  'me',
  'ml',
  'ms',
  'nu',
  'pw',
  'sh',
  'so',
  'st',
  'tk',
  'tm',
  'to',
  'tv',
  'vc',
  'ws',
]);

/** The country a domain's ccTLD names (acme.de -> DE, acme.co.uk -> GB); null for .com, .eu, .io and the like. */
export function countryOfDomain(domain: string): string | null {
  const suffix = getPublicSuffix(domain);
  if (!suffix) return null;
  const labels = suffix.split('.');
  const tld = labels[labels.length - 1] ?? '';
  if (tld.length !== 2) return null;
  if (labels.length === 1 && genericCcTlds.has(tld)) return null;
  const code = tld === 'uk' ? 'GB' : tld.toUpperCase();
  return isCountryCode(code) ? code : null;
}

// Currencies of the countries leads most often come from, for an amount written without one ("budget 50k" from
// Germany is euros). Not exhaustive: a country missing here leaves such an amount unread rather than guessed.
const euroCountries = [
  'AT',
  'BE',
  'CY',
  'DE',
  'EE',
  'ES',
  'FI',
  'FR',
  'GR',
  'HR',
  'IE',
  'IT',
  'LT',
  'LU',
  'LV',
  'MT',
  'NL',
  'PT',
  'SI',
  'SK',
  'AD',
  'MC',
  'SM',
  'VA',
  'ME',
  'GP',
  'MQ',
  'GF',
  'RE',
  'YT',
];
const currencyByCountry: ReadonlyMap<string, string> = new Map<string, string>([
  ...euroCountries.map((code) => [code, 'EUR'] as [string, string]),
  ['US', 'USD'],
  ['PR', 'USD'],
  ['EC', 'USD'],
  ['SV', 'USD'],
  ['PA', 'USD'],
  ['GB', 'GBP'],
  ['IM', 'GBP'],
  ['JE', 'GBP'],
  ['GG', 'GBP'],
  ['CH', 'CHF'],
  ['LI', 'CHF'],
  ['CA', 'CAD'],
  ['AU', 'AUD'],
  ['NZ', 'NZD'],
  ['MX', 'MXN'],
  ['BR', 'BRL'],
  ['AR', 'ARS'],
  ['CL', 'CLP'],
  ['CO', 'COP'],
  ['PE', 'PEN'],
  ['UY', 'UYU'],
  ['JP', 'JPY'],
  ['CN', 'CNY'],
  ['IN', 'INR'],
  ['SG', 'SGD'],
  ['HK', 'HKD'],
  ['SE', 'SEK'],
  ['NO', 'NOK'],
  ['DK', 'DKK'],
  ['PL', 'PLN'],
  ['CZ', 'CZK'],
  ['HU', 'HUF'],
  ['RO', 'RON'],
  ['ZA', 'ZAR'],
  ['AE', 'AED'],
  ['SA', 'SAR'],
  ['IL', 'ILS'],
  ['TR', 'TRY'],
]);

/** ISO 4217 code of a country's currency, for the countries in the table above. */
export function currencyOfCountry(code: string): string | null {
  return currencyByCountry.get(code) ?? null;
}
