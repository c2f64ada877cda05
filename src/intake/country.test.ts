// Country names and codes people type, sales regions, time zones and ccTLDs.
import {
  countryCodes,
  countryOfDomain,
  currencyOfCountry,
  regionOfCountry,
  resolveCountry,
  timeZoneOfCountry,
} from './country';

const allCodes = countryCodes;

describe('resolveCountry', () => {
  it.each([
    ['DE', 'DE'],
    ['de', 'DE'],
    [' fr ', 'FR'],
    ['UK', 'GB'],
    ['GB', 'GB'],
    // English
    ['Germany', 'DE'],
    ['Spain', 'ES'],
    ['United Kingdom', 'GB'],
    ['United States', 'US'],
    ['USA', 'US'],
    ['U.S.A.', 'US'],
    ['the Netherlands', 'NL'],
    ['Czech Republic', 'CZ'],
    ['Turkey', 'TR'],
    ['Ivory Coast', 'CI'],
    // Spanish
    ['España', 'ES'],
    ['espana', 'ES'],
    ['Alemania', 'DE'],
    ['Estados Unidos', 'US'],
    ['EE.UU.', 'US'],
    ['Reino Unido', 'GB'],
    ['México', 'MX'],
    ['Países Bajos', 'NL'],
    ['Suiza', 'CH'],
    // German
    ['Deutschland', 'DE'],
    ['Österreich', 'AT'],
    ['Oesterreich', 'AT'],
    ['Schweiz', 'CH'],
    ['Spanien', 'ES'],
    ['Vereinigte Staaten', 'US'],
    ['Vereinigtes Königreich', 'GB'],
    ['Großbritannien', 'GB'],
    ['Türkei', 'TR'],
    ['Tuerkei', 'TR'],
    // French
    ['France', 'FR'],
    ['Allemagne', 'DE'],
    ['Espagne', 'ES'],
    ['États-Unis', 'US'],
    ['Etats Unis', 'US'],
    ['Royaume-Uni', 'GB'],
    ['Suisse', 'CH'],
    ['Belgique', 'BE'],
    ["Côte d'Ivoire", 'CI'],
  ])('%s -> %s', (input, code) => {
    expect(resolveCountry(input)).toBe(code);
  });

  it('answers null for what names no country', () => {
    for (const input of ['Narnia', 'XX', 'Europe', 'EU', '', '123']) expect(resolveCountry(input)).toBeNull();
  });

  it('resolves every country by its code and its English name', () => {
    for (const code of allCodes) {
      expect(resolveCountry(code)).toBe(code);
      const englishName = new Intl.DisplayNames(['en'], { type: 'region' }).of(code);
      if (englishName) expect(resolveCountry(englishName)).toBe(code);
    }
  });
});

describe('regionOfCountry', () => {
  it.each([
    ['US', 'na'],
    ['CA', 'na'],
    ['PR', 'na'],
    ['MX', 'latam'],
    ['BR', 'latam'],
    ['AR', 'latam'],
    ['CO', 'latam'],
    ['DO', 'latam'],
    ['DE', 'emea'],
    ['GB', 'emea'],
    ['ES', 'emea'],
    ['AE', 'emea'],
    ['ZA', 'emea'],
    ['RU', 'emea'],
    ['KZ', 'emea'],
    ['IN', 'apac'],
    ['JP', 'apac'],
    ['AU', 'apac'],
    ['NZ', 'apac'],
    ['SG', 'apac'],
    ['PK', 'apac'],
  ])('%s is in %s', (code, region) => {
    expect(regionOfCountry(code)).toBe(region);
  });

  it('puts every inhabited country in exactly one region, and Antarctica in none', () => {
    for (const code of allCodes) {
      if (code === 'AQ') expect(regionOfCountry(code)).toBeNull();
      else expect(regionOfCountry(code)).not.toBeNull();
    }
    expect(regionOfCountry('ZZ')).toBeNull();
  });
});

describe('timeZoneOfCountry', () => {
  it.each([
    ['US', 'America/New_York'],
    ['CA', 'America/Toronto'],
    ['BR', 'America/Sao_Paulo'],
    ['MX', 'America/Mexico_City'],
    ['AU', 'Australia/Sydney'],
    ['RU', 'Europe/Moscow'],
    ['ES', 'Europe/Madrid'],
    ['GB', 'Europe/London'],
    ['DE', 'Europe/Berlin'],
    ['FR', 'Europe/Paris'],
    ['SE', 'Europe/Stockholm'],
    ['NL', 'Europe/Amsterdam'],
    ['IN', 'Asia/Kolkata'],
    ['CN', 'Asia/Shanghai'],
    ['ID', 'Asia/Jakarta'],
    ['VN', 'Asia/Ho_Chi_Minh'],
  ])('%s -> %s', (code, zone) => {
    expect(timeZoneOfCountry(code)).toBe(zone);
  });

  it('gives every country a zone that Intl can use', () => {
    for (const code of allCodes) {
      const zone = timeZoneOfCountry(code);
      if (code === 'HM') continue; // uninhabited, the package lists no zone
      expect(zone).not.toBeNull();
      expect(() => new Intl.DateTimeFormat('en', { timeZone: zone ?? undefined })).not.toThrow();
    }
    expect(timeZoneOfCountry('ZZ')).toBeNull();
  });
});

describe('countryOfDomain', () => {
  it.each([
    ['acme.de', 'DE'],
    ['acme.co.uk', 'GB'],
    ['acme.uk', 'GB'],
    ['empresa.es', 'ES'],
    ['empresa.com.mx', 'MX'],
    ['societe.fr', 'FR'],
    ['acme.com.co', 'CO'],
    ['acme.com.au', 'AU'],
  ])('%s -> %s', (domain, code) => {
    expect(countryOfDomain(domain)).toBe(code);
  });

  it('reads no country from generic TLDs and ccTLDs sold as generic names', () => {
    for (const domain of [
      'acme.com',
      'acme.io',
      'acme.ai',
      'acme.co',
      'acme.tv',
      'acme.me',
      'acme.eu',
      'acme.org',
      'localhost',
    ]) {
      expect(countryOfDomain(domain)).toBeNull();
    }
  });
});

describe('currencyOfCountry', () => {
  it('knows the currency of the usual lead countries', () => {
    expect(currencyOfCountry('DE')).toBe('EUR');
    expect(currencyOfCountry('ES')).toBe('EUR');
    expect(currencyOfCountry('GB')).toBe('GBP');
    expect(currencyOfCountry('US')).toBe('USD');
    expect(currencyOfCountry('MX')).toBe('MXN');
    expect(currencyOfCountry('CH')).toBe('CHF');
    expect(currencyOfCountry('AQ')).toBeNull();
  });
});
