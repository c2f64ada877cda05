// Dedupe keys for email addresses, free-mail and disposable domains, and which domain stands for a company.
import fc from 'fast-check';
import { z } from 'zod';
import {
  canonicalEmail,
  companyDomainOf,
  domainOfEmail,
  isDisposableDomain,
  isEmailAddress,
  isFreeMailDomain,
  registrableDomain,
} from './email';

describe('canonicalEmail', () => {
  it.each([
    ['  Jane.Doe+Leads@Gmail.com ', 'janedoe@gmail.com'],
    ['j.a.n.e.doe@googlemail.com', 'janedoe@gmail.com'],
    ['JaneDoe@GoogleMail.COM', 'janedoe@gmail.com'],
    ['jane.doe+newsletter@outlook.com', 'jane.doe@outlook.com'],
    ['jane.doe+x@hotmail.co.uk', 'jane.doe@hotmail.co.uk'],
    ['juan.perez+web@hotmail.es', 'juan.perez@hotmail.es'],
    ['jean.dupont+pro@live.fr', 'jean.dupont@live.fr'],
    ['tim.cook+apps@icloud.com', 'tim.cook@icloud.com'],
    ['me+shop@me.com', 'me@me.com'],
    ['ann.lee+crm@fastmail.com', 'ann.lee@fastmail.com'],
    ['secure.person+tag@protonmail.com', 'secure.person@protonmail.com'],
    ['secure.person+tag@proton.me', 'secure.person@proton.me'],
    ['jane_doe-shopping@yahoo.com', 'jane_doe@yahoo.com'],
    ['marie-pro@yahoo.fr', 'marie@yahoo.fr'],
  ])('%s is keyed as %s', (input, key) => {
    expect(canonicalEmail(input)).toBe(key);
  });

  it('keeps the whole local part at business domains: dots and tags can be different people there', () => {
    expect(canonicalEmail('Jane.Doe+Sales@Acme.com')).toBe('jane.doe+sales@acme.com');
    expect(canonicalEmail('j.doe@acme.co.uk')).not.toBe(canonicalEmail('jdoe@acme.co.uk'));
  });

  it('keeps dots at providers where they are part of the name', () => {
    expect(canonicalEmail('john.smith@outlook.com')).not.toBe(canonicalEmail('johnsmith@outlook.com'));
    expect(canonicalEmail('john.smith@yahoo.com')).toBe('john.smith@yahoo.com');
  });

  it('does not empty an address that is all tag', () => {
    expect(canonicalEmail('+only@gmail.com')).toBe('+only@gmail.com');
    expect(canonicalEmail('-only@yahoo.com')).toBe('-only@yahoo.com');
  });

  it('leaves text without an @ trimmed and lower-cased', () => {
    expect(canonicalEmail('  Not An Address ')).toBe('not an address');
  });

  it('is idempotent for any address-like input', () => {
    const providers = fc.constantFrom(
      'gmail.com',
      'googlemail.com',
      'outlook.com',
      'yahoo.com',
      'icloud.com',
      'acme.co.uk',
      'proton.me',
    );
    const local = fc.stringMatching(/^[A-Za-z0-9.+_-]{1,20}$/);
    fc.assert(
      fc.property(local, providers, fc.constantFrom('', ' ', '\t'), (name, domain, pad) => {
        const once = canonicalEmail(`${pad}${name}@${domain}${pad}`);
        expect(canonicalEmail(once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.string(), (anything) =>
        expect(canonicalEmail(canonicalEmail(anything))).toBe(canonicalEmail(anything)),
      ),
    );
  });

  it('gives every spelling of one Gmail mailbox the same key', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z0-9]{1,12}$/),
        fc.array(fc.nat(11), { maxLength: 4 }),
        fc.stringMatching(/^[a-z0-9]{0,6}$/),
        (name, dots, tag) => {
          let dotted = name;
          for (const at of dots)
            dotted = dotted.slice(0, (at % dotted.length) + 1) + '.' + dotted.slice((at % dotted.length) + 1);
          const spelled = `${dotted.toUpperCase()}${tag ? `+${tag}` : ''}@googlemail.com`;
          expect(canonicalEmail(spelled)).toBe(`${name}@gmail.com`);
        },
      ),
    );
  });
});

describe('email domains', () => {
  it('reads the domain of an address', () => {
    expect(domainOfEmail('Jane@Mail.Acme.CO.UK')).toBe('mail.acme.co.uk');
    expect(domainOfEmail('no-at-sign')).toBeNull();
  });

  it('accepts plain addresses and refuses what forms should refuse', () => {
    expect(isEmailAddress("jane.o'neil+crm@acme-corp.example")).toBe(true);
    expect(isEmailAddress('josé@acme.es')).toBe(false);
    for (const bad of [
      'jane@',
      '@acme.com',
      'jane@acme',
      'jane..doe@acme.com',
      'jane@acme..com',
      'jane doe@acme.com',
      '.jane@acme.com',
    ]) {
      expect(isEmailAddress(bad)).toBe(false);
    }
  });

  it("accepts the addresses zod's z.email() accepts, so older submissions still read, but for what RFC 5321 forbids", () => {
    const zodEmail = z.email();
    const addressLike = fc
      .tuple(
        fc.stringMatching(/^[A-Za-z0-9._'+-]{0,12}$/),
        fc.stringMatching(/^[A-Za-z0-9.-]{0,12}$/),
        fc.constantFrom('com', 'co.uk', 'x', 'de1', ''),
      )
      .map(([local, domain, tld]) => `${local}@${domain}${tld ? `.${tld}` : ''}`);
    fc.assert(
      fc.property(fc.oneof(addressLike, fc.string({ maxLength: 40 })), (text) => {
        const zodAccepts = zodEmail.safeParse(text).success;
        if (isEmailAddress(text)) expect(zodAccepts).toBe(true);
        else if (zodAccepts) {
          // Refused beyond zod only for a local part over 64 characters or a domain label that starts or ends with a
          // dash or is over 63 characters long (what `format: email` refuses too).
          const [local = '', domain = ''] = text.split('@');
          const badLabel = domain.split('.').some((label) => /^-|-$/.test(label) || label.length > 63);
          expect(local.length > 64 || badLabel || text.length > 254).toBe(true);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('knows free-mail providers across countries, and their subdomains', () => {
    for (const domain of [
      'gmail.com',
      'googlemail.com',
      'gmx.de',
      'web.de',
      't-online.de',
      'orange.fr',
      'laposte.net',
      'yahoo.es',
      'hotmail.co.uk',
      'icloud.com',
      'proton.me',
      'fastmail.com',
    ]) {
      expect(isFreeMailDomain(domain)).toBe(true);
    }
    expect(isFreeMailDomain('mail.yahoo.co.uk')).toBe(true);
    expect(isFreeMailDomain('acme.com')).toBe(false);
    expect(isFreeMailDomain('siemens.de')).toBe(false);
  });

  it('knows disposable mailbox services, and subdomains of wildcard ones', () => {
    expect(isDisposableDomain('mailinator.com')).toBe(true);
    expect(isDisposableDomain('Guerrillamail.com')).toBe(true);
    expect(isDisposableDomain('10minutemail.com')).toBe(true);
    expect(isDisposableDomain('anything.33m.co')).toBe(true);
    expect(isDisposableDomain('gmail.com')).toBe(false);
    expect(isDisposableDomain('acme.co.uk')).toBe(false);
  });

  it('reduces hosts and URLs to their registrable domain, multi-label suffixes included', () => {
    expect(registrableDomain('www.acme.co.uk')).toBe('acme.co.uk');
    expect(registrableDomain('https://shop.acme.com.au/about?x=1')).toBe('acme.com.au');
    expect(registrableDomain('mail.empresa.com.mx')).toBe('empresa.com.mx');
    expect(registrableDomain('acme.github.io')).toBe('acme.github.io');
  });
});

describe('companyDomainOf', () => {
  it('is the registrable domain of a business address or site', () => {
    expect(companyDomainOf('mail.acme.co.uk')).toBe('acme.co.uk');
    expect(companyDomainOf('https://www.mueller-logistik.de/kontakt')).toBe('mueller-logistik.de');
  });

  it('is never a free-mail, disposable or social-profile domain', () => {
    for (const host of [
      'gmail.com',
      'googlemail.com',
      'yahoo.co.uk',
      'gmx.de',
      'mailinator.com',
      'x.33m.co',
      'https://www.linkedin.com/company/acme',
      'facebook.com/acmebakery',
    ]) {
      expect(companyDomainOf(host)).toBeNull();
    }
  });
});
