// Email addresses at intake: the dedupe key (provider-aware canonical form), free-mail and disposable domains, and
// the company domain an address or website stands for.
import disposableDomains from 'disposable-email-domains/index.json';
import disposableWildcards from 'disposable-email-domains/wildcard.json';
import freeMailProviders from 'email-providers/all.json';
import { getDomain } from 'tldts';

/**
 * A plain address: no quoted local parts, no IP literals; a local part of at most 64 characters that neither starts
 * nor ends with a dot nor has two in a row, and a dotted domain of labels of at most 63 characters with a letter TLD.
 * One source for the check and for the OpenAPI document's `pattern`, so the document states exactly what is accepted
 * (and nothing `format: email` would refuse: the limits are RFC 5321's).
 */
export const emailPatternSource =
  "^(?=[^@]{1,64}@)(?:[A-Za-z0-9_'+-]+\\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}$";
export const emailPattern = new RegExp(emailPatternSource);
/** RFC 5321's limit on a whole address. */
export const maxEmailLength = 254;

export function isEmailAddress(text: string): boolean {
  return text.length <= maxEmailLength && emailPattern.test(text);
}

interface ProviderRule {
  /** The domain every alias of the provider is keyed under. */
  domain: string;
  /** Dots in the local part are ignored by the provider. */
  ignoresDots: boolean;
  /** Sub-address separator; what follows it reaches the same mailbox. */
  tagSeparator: '+' | '-';
}

// Providers whose addressing rules we know from their own documentation. Only these lose anything beyond case:
// - Gmail ignores dots in the local part and delivers user+tag to user; googlemail.com is the same mailbox as
//   gmail.com (Germany and the UK used it for years).
// - Outlook.com (outlook, hotmail, live, msn), iCloud (icloud, me, mac), Fastmail, Proton (protonmail, proton.me,
//   pm.me) and Yandex deliver user+tag to user; dots there are part of the name (john.smith and johnsmith are two
//   people). Proton is reported to ignore dots as well, but does not document it, so it is not relied on.
// - Yahoo's disposable addresses are base-keyword@: the part before the first '-' is the person's chosen base
//   name, constant across their keywords (Yahoo ids cannot contain '-').
// Everything else, including business domains and Google Workspace, keeps its local part whole: dots and tags can
// matter there, and merging two colleagues is worse than missing a duplicate.
const providerRules: ReadonlyMap<string, ProviderRule> = (() => {
  const rules = new Map<string, ProviderRule>();
  const add = (domains: readonly string[], rule: Omit<ProviderRule, 'domain'> & { domain?: string }) => {
    for (const domain of domains)
      rules.set(domain, {
        domain: rule.domain ?? domain,
        ignoresDots: rule.ignoresDots,
        tagSeparator: rule.tagSeparator,
      });
  };
  add(['gmail.com', 'googlemail.com'], { domain: 'gmail.com', ignoresDots: true, tagSeparator: '+' });
  add(
    [
      'outlook.com',
      'outlook.de',
      'outlook.fr',
      'outlook.es',
      'outlook.it',
      'outlook.co.uk',
      'hotmail.com',
      'hotmail.co.uk',
      'hotmail.fr',
      'hotmail.de',
      'hotmail.es',
      'hotmail.it',
      'live.com',
      'live.co.uk',
      'live.fr',
      'live.de',
      'live.com.mx',
      'hotmail.com.mx',
      'msn.com',
    ],
    { ignoresDots: false, tagSeparator: '+' },
  );
  add(['icloud.com', 'me.com', 'mac.com'], { ignoresDots: false, tagSeparator: '+' });
  add(['fastmail.com', 'fastmail.fm'], { ignoresDots: false, tagSeparator: '+' });
  add(['protonmail.com', 'protonmail.ch', 'proton.me', 'pm.me'], { ignoresDots: false, tagSeparator: '+' });
  add(['yandex.com', 'yandex.ru'], { ignoresDots: false, tagSeparator: '+' });
  add(
    [
      'yahoo.com',
      'yahoo.co.uk',
      'yahoo.fr',
      'yahoo.de',
      'yahoo.es',
      'yahoo.it',
      'yahoo.com.mx',
      'yahoo.com.ar',
      'yahoo.com.br',
      'yahoo.ca',
      'ymail.com',
      'rocketmail.com',
    ],
    { ignoresDots: false, tagSeparator: '-' },
  );
  return rules;
})();

/**
 * The dedupe key of an address: trimmed and lower-cased; for the providers above, also without what the provider
 * ignores. Idempotent. A local part that would be left empty (an address that is all tag) keeps its tag.
 */
export function canonicalEmail(email: string): string {
  const address = email.trim().toLowerCase();
  const at = address.lastIndexOf('@');
  if (at <= 0) return address;
  let local = address.slice(0, at);
  const domain = address.slice(at + 1);
  const rule = providerRules.get(domain);
  if (!rule) return address;
  const untagged = local.split(rule.tagSeparator)[0] ?? '';
  if ((rule.ignoresDots ? untagged.replace(/\./g, '') : untagged) !== '') local = untagged;
  if (rule.ignoresDots) local = local.replace(/\./g, '') || local;
  return `${local}@${rule.domain}`;
}

/** The domain of an address, lower-cased; null when there is none. */
export function domainOfEmail(email: string): string | null {
  const at = email.lastIndexOf('@');
  const domain =
    at < 0
      ? ''
      : email
          .slice(at + 1)
          .trim()
          .toLowerCase();
  return domain === '' ? null : domain;
}

/**
 * The registrable domain of a host name, address domain or URL (www.acme.co.uk -> acme.co.uk). Private suffixes
 * count, so acme.github.io is Acme's own and not GitHub's.
 */
export function registrableDomain(hostOrUrl: string): string | null {
  return getDomain(hostOrUrl.trim().toLowerCase(), { allowPrivateDomains: true });
}

// Consumer mailboxes the email-providers list does not have but the provider rules above treat as consumer ones,
// plus privacy providers people use like free mail.
const freeMailSupplement = [
  'fastmail.com',
  'tutanota.com',
  'tutanota.de',
  'tuta.io',
  'tuta.com',
  'posteo.de',
  'gmx.ch',
  'yandex.com',
];

let freeMailDomains: ReadonlySet<string> | undefined;
let disposableDomainSet: ReadonlySet<string> | undefined;
let disposableWildcardSet: ReadonlySet<string> | undefined;

// Each parent of a domain (mail.yahoo.co.uk -> yahoo.co.uk, co.uk, uk): lists name providers at various depths.
function domainAndParents(domain: string): string[] {
  const labels = domain.split('.');
  return labels.slice(0, -1).map((_, index) => labels.slice(index).join('.'));
}

/** An address at a free-mail provider (gmail.com, gmx.de, yahoo.co.uk ...), including their subdomains. */
export function isFreeMailDomain(domain: string): boolean {
  freeMailDomains ??= new Set([...freeMailProviders, ...freeMailSupplement]);
  const set = freeMailDomains;
  return domainAndParents(domain.toLowerCase()).some((candidate) => set.has(candidate));
}

/** An address at a throwaway-mailbox service (mailinator.com ...), on its subdomains too. */
export function isDisposableDomain(domain: string): boolean {
  disposableDomainSet ??= new Set(disposableDomains);
  disposableWildcardSet ??= new Set(disposableWildcards);
  const exact = disposableDomainSet;
  const wildcard = disposableWildcardSet;
  const lower = domain.toLowerCase();
  const registrable = registrableDomain(lower);
  return (
    exact.has(lower) ||
    (registrable !== null && exact.has(registrable)) ||
    domainAndParents(lower).some((candidate) => wildcard.has(candidate))
  );
}

// Sites where a "website" is a profile page on someone else's domain, not the company's own.
const platformDomains = new Set([
  'linkedin.com',
  'facebook.com',
  'instagram.com',
  'twitter.com',
  'x.com',
  'youtube.com',
  'tiktok.com',
  'xing.com',
  'github.com',
  'gitlab.com',
  'medium.com',
  'google.com',
  'goo.gl',
  'bit.ly',
  'wa.me',
  'whatsapp.com',
  'yelp.com',
]);

/** The registrable domain of a company's own site or mail, or null for free-mail, disposable and platform domains. */
export function companyDomainOf(hostOrUrl: string): string | null {
  const domain = registrableDomain(hostOrUrl);
  if (!domain || platformDomains.has(domain)) return null;
  if (isFreeMailDomain(domain) || isDisposableDomain(domain)) return null;
  return domain;
}
