// Matching's input boundary: what it accepts, how it normalises it, and errors that name the field.
import { MatchInputError, parseAccountInput, parseMatchLeadInput, registrableDomain } from './match-input';

const lead = {
  emailKey: 'priya@acme.example',
  phone: '+442079460958',
  companyDomain: 'acme.example',
  company: 'Acme Corp',
};

describe('parseMatchLeadInput', () => {
  test('a complete lead passes through', () => {
    expect(parseMatchLeadInput(lead)).toEqual(lead);
  });

  test('every key may be null', () => {
    const none = { emailKey: null, phone: null, companyDomain: null, company: null };
    expect(parseMatchLeadInput(none)).toEqual(none);
  });

  test('a blank company is no company', () => {
    expect(parseMatchLeadInput({ ...lead, company: '   ' }).company).toBeNull();
  });

  test('a website or host is reduced to its registrable domain', () => {
    expect(parseMatchLeadInput({ ...lead, companyDomain: 'https://WWW.Acme.co.uk/contact' }).companyDomain).toBe(
      'acme.co.uk',
    );
  });

  test.each([
    [{ phone: '020 7946 0958' }, /^phone: must be E\.164/],
    [{ companyDomain: 'gmail.com' }, /^companyDomain: gmail\.com is a free-mail provider/],
    [{ companyDomain: 'localhost' }, /^companyDomain: 'localhost' has no registrable domain/],
    [{ emailKey: 'not an email' }, /^emailKey: must be an email key/],
    [{ company: 42 }, /^company: /],
  ])('%j is refused naming the field', (bad, message) => {
    expect(() => parseMatchLeadInput({ ...lead, ...bad })).toThrow(MatchInputError);
    expect(() => parseMatchLeadInput({ ...lead, ...bad })).toThrow(message);
  });

  test('a missing key is refused: null is how a caller says "none"', () => {
    expect(() => parseMatchLeadInput({ emailKey: null, phone: null, company: null })).toThrow(/^companyDomain: /);
  });

  test('an unknown field is refused by name', () => {
    expect(() => parseMatchLeadInput({ ...lead, email: 'x@y.z' })).toThrow(/email/);
  });
});

describe('parseAccountInput', () => {
  test('fills the name key and normalises domain and country', () => {
    expect(
      parseAccountInput({
        name: 'Müller Technik GmbH',
        domain: 'www.mueller-technik.de',
        country: 'de',
        employees: 40,
      }),
    ).toEqual({
      name: 'Müller Technik GmbH',
      nameKey: 'muller technik',
      nameCore: 'muller',
      domain: 'mueller-technik.de',
      ownerRepId: null,
      country: 'DE',
      employees: 40,
    });
  });

  test.each([
    [{ name: ' ' }, /^name: must not be empty/],
    [{ name: 'Acme', domain: 'outlook.com' }, /^domain: outlook\.com is a free-mail provider/],
    [{ name: 'Acme', country: 'Germany' }, /^country: must be an ISO 3166-1 alpha-2 code/],
    [{ name: 'Acme', employees: -3 }, /^employees: must not be negative/],
    [{ name: 'Acme', employees: 2.5 }, /^employees: must be a whole number/],
  ])('%j is refused naming the field', (bad, message) => {
    expect(() => parseAccountInput(bad)).toThrow(message);
  });

  test('a batch position prefixes the field', () => {
    expect(() => parseAccountInput({ name: '' }, 'accounts.7.')).toThrow(/^accounts\.7\.name: /);
  });
});

describe('registrableDomain', () => {
  test.each([
    ['acme.com', 'acme.com'],
    ['mail.acme.co.uk', 'acme.co.uk'],
    ['http://shop.acme.de/x?y', 'acme.de'],
    ['co.uk', undefined],
    ['127.0.0.1', undefined],
    ['', undefined],
  ])('%j -> %j', (input, domain) => {
    expect(registrableDomain(input)).toBe(domain);
  });
});
