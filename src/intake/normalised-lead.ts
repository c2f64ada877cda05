// The lead as intake hands it to the rest of leadrelay, whatever shape it arrived in. Plain data, free of zod and
// of the intake libraries, so workflows and activities can import the type without pulling them in.

export type IntakeSource = 'web-form' | 'chat' | 'partner-api';

export interface NormalisedLead {
  source: IntakeSource;
  externalId: string | null;
  name: string | null;
  /** As written, trimmed, lowercased. */
  email: string | null;
  /** Dedupe key: provider-aware canonical form (canonicalEmail). */
  emailKey: string | null;
  emailDomain: string | null;
  /** Registrable domain from a business email, else from the website; never a free-mail or disposable domain. */
  companyDomain: string | null;
  /** Email at a free-mail provider (email-providers list). */
  freeMail: boolean;
  /** Email at a disposable-mailbox service (disposable-email-domains). */
  disposableEmail: boolean;
  /** E.164, read with the country as hint. */
  phone: string | null;
  company: string | null;
  website: string | null;
  /** ISO 3166-1 alpha-2: from the field, else the phone number, else the ccTLD of the company domain. */
  country: string | null;
  /** Sales territory of the country. */
  region: 'na' | 'latam' | 'emea' | 'apac' | null;
  /** IANA zone of the country (the most populous one when it has several). */
  timeZone: string | null;
  /** Employees; a range "50-200" counts as its lower bound. */
  companySize: number | null;
  /** What to classify: the message, or the visitor's lines of a chat joined with newlines. */
  text: string;
  budget: { amount: number; currency: string; text: string } | null;
  /** What was pulled out of free text and from where, e.g. "email from chat line 3". */
  extracted: string[];
}
