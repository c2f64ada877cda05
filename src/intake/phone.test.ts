// Phone numbers to E.164 with country hints, typed or found in text.
import fc from 'fast-check';
import { findPhone, parsePhone, phoneCountryHints } from './phone';

const e164 = /^\+[1-9]\d{1,14}$/;

describe('parsePhone', () => {
  it.each([
    ['+44 20 7946 0958', [], '+442079460958', 'GB'],
    ['0044 20 7946 0958', [], '+442079460958', 'GB'],
    ['(312) 555-0147', ['US'], '+13125550147', 'US'],
    ['312.555.0147', ['US'], '+13125550147', 'US'],
    ['030 1234567', ['DE'], '+49301234567', 'DE'],
    ['0151 23456789', ['DE'], '+4915123456789', 'DE'],
    ['612 34 56 78', ['ES'], '+34612345678', 'ES'],
    ['01 23 45 67 89', ['FR'], '+33123456789', 'FR'],
    ['55 1234 5678', ['MX'], '+525512345678', 'MX'],
    ['+49 (0)30 1234567', [], '+49301234567', 'DE'],
    ['+1 212 555 0100 ext. 12', [], '+12125550100', 'US'],
  ] as const)('%s with hints %j -> %s', (raw, hints, number, country) => {
    expect(parsePhone(raw, hints)).toEqual({ e164: number, country });
  });

  it('reads a number with words around it, and the first of several', () => {
    expect(parsePhone('030 1234567 (Zentrale)', ['DE'])?.e164).toBe('+49301234567');
    expect(parsePhone('mobile: +44 7911 123456')?.e164).toBe('+447911123456');
    expect(parsePhone('+49 30 1234567 / 0151 23456789')?.e164).toBe('+49301234567');
  });

  it('tries hints in order and takes the first country the number is valid in', () => {
    // Not a valid US number, but a valid Berlin one.
    expect(parsePhone('030 1234567', ['US', 'DE'])?.e164).toBe('+49301234567');
  });

  it('refuses national numbers without a hint, and numbers that fit no plan', () => {
    expect(parsePhone('(312) 555-0147')).toBeNull();
    expect(parsePhone('555-0147', ['US'])).toBeNull();
    expect(parsePhone('12345', ['DE'])).toBeNull();
    expect(parsePhone('call me', ['DE'])).toBeNull();
  });

  it('ignores unknown hints', () => {
    expect(parsePhone('+44 20 7946 0958', ['ZZ', null, undefined, ''])?.e164).toBe('+442079460958');
  });

  it('answers E.164 or null for any text and hints', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.stringMatching(/^\+?[0-9 ()./-]{0,20}$/)),
        fc.array(fc.constantFrom('US', 'DE', 'GB', 'ES', 'FR', 'MX', 'ZZ', null)),
        (raw, hints) => {
          const parsed = parsePhone(raw, hints);
          if (parsed !== null) expect(parsed.e164).toMatch(e164);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('findPhone', () => {
  it('finds international numbers without hints and national ones with them', () => {
    expect(findPhone('Please ring me on +44 20 7946 0958 after 3pm')?.e164).toBe('+442079460958');
    expect(findPhone('call me at (312) 555-0147 today', ['US'])).toMatchObject({
      e164: '+13125550147',
      start: 11,
      end: 25,
    });
    expect(findPhone('Rückruf bitte unter 030 1234567', ['DE'])?.e164).toBe('+49301234567');
    expect(findPhone('llámame al 612 34 56 78', ['ES'])?.e164).toBe('+34612345678');
    expect(findPhone('mon portable : 06 12 34 56 78', ['FR'])?.e164).toBe('+33612345678');
  });

  it('does not take dates, prices or order numbers for phones', () => {
    expect(findPhone('Termin am 15.01.2024 um 10:00', ['DE'])).toBeNull();
    expect(findPhone('presupuesto de 30.000 euros', ['ES'])).toBeNull();
    expect(findPhone('order 2024-000123 and invoice 99812', ['US'])).toBeNull();
    expect(findPhone('Ticket #4155550123 is still open', ['US'])).toBeNull();
    expect(findPhone('Pedido nº 612345678, llámame al 612 34 56 78', ['ES'])?.e164).toBe('+34612345678');
  });
});

describe('phoneCountryHints', () => {
  it('puts the stated country first, then the mail and website ccTLDs', () => {
    expect(phoneCountryHints({ country: 'España', email: 'hans@gmx.de', website: 'https://www.acme.co.uk' })).toEqual([
      'ES',
      'DE',
      'GB',
    ]);
    expect(phoneCountryHints({ email: 'jane@acme.com', website: 'acme.io' })).toEqual([null, null, null]);
  });
});
