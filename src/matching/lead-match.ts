// What matching tells the rest of leadrelay about a lead: the known contact it is, the account it belongs to, and why.

export interface ContactMatch {
  contactId: string;
  ownerRepId: string | null;
  accountId: string | null;
  method: 'email' | 'phone';
  reason: string;
}

export interface AccountMatch {
  accountId: string;
  name: string;
  ownerRepId: string | null;
  method: 'contact' | 'domain' | 'name';
  /** 0..1: 1 through a contact or the domain; for a name, see chooseNameMatch in ./company-name. */
  confidence: number;
  reason: string;
}

export interface LeadMatch {
  contact: ContactMatch | null;
  account: AccountMatch | null;
}

/** A contact row as the matcher reads it, with its account when it has one. */
export interface ContactRow {
  contactId: string;
  ownerRepId: string | null;
  account: { accountId: string; name: string; ownerRepId: string | null } | null;
}

export function describeContactMatch(
  method: 'email' | 'phone',
  key: string,
  row: ContactRow,
  sharedBy = 1,
): ContactMatch {
  let reason = `${method === 'email' ? 'email key' : 'phone'} ${key} is known contact ${row.contactId}${ownedBy(row.ownerRepId)}`;
  if (sharedBy > 1) reason += `; ${sharedBy} contacts share this phone, the most recently updated is taken`;
  return {
    contactId: row.contactId,
    ownerRepId: row.ownerRepId,
    accountId: row.account?.accountId ?? null,
    method,
    reason,
  };
}

export function describeContactAccount(
  row: ContactRow & { account: NonNullable<ContactRow['account']> },
): AccountMatch {
  const { account } = row;
  return {
    ...account,
    method: 'contact',
    confidence: 1,
    reason: `contact ${row.contactId} belongs to account '${account.name}' (id ${account.accountId})${ownedBy(account.ownerRepId)}`,
  };
}

export function describeDomainAccount(
  domain: string,
  account: { accountId: string; name: string; ownerRepId: string | null },
): AccountMatch {
  return {
    ...account,
    method: 'domain',
    confidence: 1,
    reason: `domain ${domain} is account '${account.name}' (id ${account.accountId})${ownedBy(account.ownerRepId)}`,
  };
}

function ownedBy(repId: string | null): string {
  return repId ? `, owned by ${repId}` : ', no owner';
}
