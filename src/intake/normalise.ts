// Turns each intake shape, once its schema has accepted it, into the one NormalisedLead the rest of leadrelay reads.
//
// Failure style: normaliseWebForm and normalisePartnerLead cannot fail (their schemas already demand an email or a
// phone number that reads), so they return the lead. normaliseChat returns a result, { ok: true, lead } or
// { ok: false, issues }, because only after reading the visitor's lines is it known whether the chat left any way
// to reach the person; the issues have the same shape as schema issues, so the API answers 400 the same way.
// None of them throws on input its schema accepted.
import { readCompanySize } from './company-size';
import { countryOfDomain, currencyOfCountry, regionOfCountry, resolveCountry, timeZoneOfCountry } from './country';
import { canonicalEmail, companyDomainOf, domainOfEmail, isDisposableDomain, isFreeMailDomain } from './email';
import { extractBudget, extractEmail, extractPersonAndCompany, extractPhone } from './extract';
import type { IntakeSource, NormalisedLead } from './normalised-lead';
import { parsePhone, phoneCountryHints } from './phone';
import type { ChatTranscript, FieldIssue, PartnerLead, WebForm } from './schemas';

export type ChatNormalisation = { ok: true; lead: NormalisedLead } | { ok: false; issues: FieldIssue[] };

/** A piece of free text and where it came from, for the lead's `extracted` notes ("message", "chat line 3"). */
interface TextSource {
  text: string;
  where: string;
}

interface StatedFields {
  externalId?: string | undefined;
  name?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
  company?: string | undefined;
  website?: string | undefined;
  country?: string | undefined;
  companySize?: number | string | undefined;
}

function collapseSpaces(value: string | undefined): string | null {
  const collapsed = value?.replace(/\s+/g, ' ').trim();
  return collapsed ? collapsed : null;
}

// The first source a reader finds something in, with the note saying where.
function firstFound<T>(
  sources: readonly TextSource[],
  read: (text: string) => T | null,
): { value: T; where: string } | null {
  for (const source of sources) {
    const value = read(source.text);
    if (value !== null) return { value, where: source.where };
  }
  return null;
}

function buildLead(
  source: IntakeSource,
  stated: StatedFields,
  sources: readonly TextSource[],
  text: string,
): NormalisedLead {
  const extracted: string[] = [];
  const statedCountry = stated.country ? resolveCountry(stated.country) : null;

  let email = stated.email?.trim().toLowerCase() || null;
  if (!email) {
    const found = firstFound(sources, extractEmail);
    if (found) {
      email = found.value.toLowerCase();
      extracted.push(`email from ${found.where}`);
    }
  }
  const emailDomain = email ? domainOfEmail(email) : null;
  const freeMail = emailDomain !== null && isFreeMailDomain(emailDomain);
  const disposableEmail = emailDomain !== null && isDisposableDomain(emailDomain);
  const website = collapseSpaces(stated.website);
  const companyDomain =
    (emailDomain ? companyDomainOf(emailDomain) : null) ?? (website ? companyDomainOf(website) : null);

  const phoneHints = phoneCountryHints({
    country: stated.country,
    email: email ?? undefined,
    website: website ?? undefined,
  });
  let phone = stated.phone ? parsePhone(stated.phone, phoneHints) : null;
  if (!phone) {
    const found = firstFound(sources, (line) => extractPhone(line, phoneHints));
    if (found) {
      phone = found.value;
      extracted.push(`phone from ${found.where}`);
    }
  }

  const country = statedCountry ?? phone?.country ?? (companyDomain ? countryOfDomain(companyDomain) : null);

  let name = collapseSpaces(stated.name);
  let company = collapseSpaces(stated.company);
  if (!name || !company) {
    for (const source of sources) {
      const person = extractPersonAndCompany(source.text);
      if (!name && person.name) {
        name = person.name;
        extracted.push(`name from ${source.where}`);
      }
      if (!company && person.company) {
        company = person.company;
        extracted.push(`company from ${source.where}`);
      }
      if (name && company) break;
    }
  }

  const defaultCurrency = country ? currencyOfCountry(country) : null;
  const budgetFound = firstFound(sources, (line) => extractBudget(line, { defaultCurrency }));
  if (budgetFound) extracted.push(`budget from ${budgetFound.where}`);

  const size = stated.companySize === undefined ? null : readCompanySize(stated.companySize);

  return {
    source,
    externalId: collapseSpaces(stated.externalId),
    name,
    email,
    emailKey: email ? canonicalEmail(email) : null,
    emailDomain,
    companyDomain,
    freeMail,
    disposableEmail,
    phone: phone?.e164 ?? null,
    company,
    website,
    country,
    region: country ? regionOfCountry(country) : null,
    timeZone: country ? timeZoneOfCountry(country) : null,
    companySize: size?.ok ? size.employees : null,
    text,
    budget: budgetFound?.value ?? null,
    extracted,
  };
}

/** A web form accepted by WebFormSchema. */
export function normaliseWebForm(form: WebForm): NormalisedLead {
  const message = form.message.trim();
  return buildLead('web-form', form, message ? [{ text: message, where: 'message' }] : [], message);
}

/** One partner lead accepted by PartnerLeadSchema (or an ok item of parsePartnerBatch). */
export function normalisePartnerLead(lead: PartnerLead): NormalisedLead {
  const message = lead.message.trim();
  return buildLead('partner-api', lead, message ? [{ text: message, where: 'message' }] : [], message);
}

/**
 * A chat accepted by ChatTranscriptSchema. Only the visitor's lines are read and classified: agents and bots
 * quote addresses and prices of their own. Line numbers in the notes count every line of the transcript from 1.
 * Refused, on the field "transcript", when neither the visitor block nor the visitor's lines give an email or a
 * phone number.
 */
export function normaliseChat(chat: ChatTranscript): ChatNormalisation {
  const visitorLines = chat.transcript.flatMap((line, index) =>
    line.from === 'visitor' && line.text.trim() !== ''
      ? [{ text: line.text.trim(), where: `chat line ${index + 1}` }]
      : [],
  );
  const lead = buildLead(
    'chat',
    {
      externalId: chat.externalId,
      country: chat.country,
      name: chat.visitor?.name,
      email: chat.visitor?.email,
      phone: chat.visitor?.phone,
    },
    visitorLines,
    visitorLines.map((line) => line.text).join('\n'),
  );
  if (lead.email === null && lead.phone === null) {
    return {
      ok: false,
      issues: [
        {
          field: 'transcript',
          message:
            "no way to reach the visitor: no email or phone number in the visitor block or in the visitor's lines",
        },
      ],
    };
  }
  return { ok: true, lead };
}
