// Credentials the API tests call with: one API key per kind of client and a token per rep of the test directory.
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Harness } from '../support/harness';
import { createApiKey, createRepToken } from '../../db/credentials';

export interface TestCredentials {
  admin: string;
  /** An intake system: may submit leads and follow them, without the person's details. */
  intake: string;
  /** A CRM sync: may read leads with the person's details. */
  reader: string;
  partner: string;
  reps: Record<'ana' | 'ben' | 'cleo' | 'mgr' | 'head', string>;
}

export async function createTestCredentials(h: Pick<Harness, 'db'>): Promise<TestCredentials> {
  const key = async (name: string, scopes: string[]) => (await createApiKey(h.db, { name, scopes })).token;
  const rep = async (id: string) => (await createRepToken(h.db, id)).token;
  return {
    admin: await key('ops console', ['admin']),
    intake: await key('website form', ['leads:write']),
    reader: await key('crm sync', ['leads:read']),
    partner: await key('partner feed', ['partner']),
    reps: {
      ana: await rep('ana'),
      ben: await rep('ben'),
      cleo: await rep('cleo'),
      mgr: await rep('mgr'),
      head: await rep('head'),
    },
  };
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export type Issues = {
  error: string;
  issues: Array<{ field: string; message: string; line?: number }>;
  reason?: string;
};

/** Sends one request as `token`; the answer's body parsed as JSON. */
export async function call(
  h: Pick<Harness, 'api'>,
  token: string | null,
  options: InjectOptions,
): Promise<{
  status: number;
  body: Record<string, unknown> & Partial<Issues>;
  headers: LightMyRequestResponse['headers'];
}> {
  const res = await h.api.inject({ ...options, headers: { ...(token ? bearer(token) : {}), ...options.headers } });
  return { status: res.statusCode, body: res.body ? res.json<Record<string, unknown>>() : {}, headers: res.headers };
}

export function fieldsOf(body: Partial<Issues>): string[] {
  return (body.issues ?? []).map((i) => i.field);
}
