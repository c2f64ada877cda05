// `npx leadrelay keys ...`: creates, lists and revokes API keys and rep tokens. Secrets are printed once, never stored.
import { parseArgs } from 'node:util';
import type { Pool } from 'pg';
import { createPool } from '../db/pool';
import {
  apiScopes,
  createApiKey,
  createRepToken,
  CredentialError,
  listCredentials,
  revokeCredential,
} from '../db/credentials';
import { loadConfig, requireSetting } from '../src/config';

const usage = `usage:
  leadrelay keys create --name <who uses it> --scope <scope> [--scope <scope> ...]   scopes: ${apiScopes.join(', ')}
  leadrelay keys rep-token --rep <rep id>
  leadrelay keys list
  leadrelay keys revoke <key or token id>
DATABASE_URL names the database.`;

export interface KeysIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** The database to use; by default a pool on DATABASE_URL, closed when the command ends. */
  db?: Pool;
}

export async function main(
  args: string[],
  io: KeysIo = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) },
): Promise<number> {
  const [command, ...rest] = args;
  if (!command || command === '--help' || command === '-h') {
    (command ? io.out : io.err)(usage);
    return command ? 0 : 2;
  }
  let parsed: ReturnType<
    typeof parseArgs<{
      options: { name: { type: 'string' }; scope: { type: 'string'; multiple: true }; rep: { type: 'string' } };
      allowPositionals: true;
      strict: true;
    }>
  >;
  try {
    parsed = parseArgs({
      args: rest,
      options: { name: { type: 'string' }, scope: { type: 'string', multiple: true }, rep: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    io.err(`leadrelay keys: ${err instanceof Error ? err.message : String(err)}\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;

  const db = io.db ?? createPool(requireSetting(loadConfig(process.env), 'DATABASE_URL'), io.err);
  try {
    switch (command) {
      case 'create': {
        if (!values.name) return fail(io, '--name is required: who uses this key (e.g. "website form")');
        if (!values.scope?.length) return fail(io, `--scope is required (one or more of ${apiScopes.join(', ')})`);
        const key = await createApiKey(db, { name: values.name, scopes: values.scope });
        io.err(
          `API key ${key.keyId} (${values.name}) with scope ${key.scopes.join(', ')}. The secret is shown once; store it now:`,
        );
        io.out(key.token);
        return 0;
      }
      case 'rep-token': {
        if (!values.rep) return fail(io, '--rep is required: the rep id from the directory');
        const token = await createRepToken(db, values.rep);
        io.err(`Token ${token.tokenId} for rep ${token.repId}. The secret is shown once; store it now:`);
        io.out(token.token);
        return 0;
      }
      case 'list': {
        for (const c of await listCredentials(db)) {
          io.out(
            [
              c.id,
              c.kind,
              c.name,
              c.scopes.join(',') || '-',
              c.createdAt,
              c.revokedAt ? `revoked ${c.revokedAt}` : 'active',
            ].join('\t'),
          );
        }
        return 0;
      }
      case 'revoke': {
        const id = positionals[0];
        if (!id) return fail(io, 'give the id of the key or token to revoke (see `leadrelay keys list`)');
        if (!(await revokeCredential(db, id))) return fail(io, `no active key or token ${id}`);
        io.err(`revoked ${id}`);
        return 0;
      }
      default:
        return fail(io, `unknown command ${command}\n${usage}`);
    }
  } catch (err) {
    if (err instanceof CredentialError) return fail(io, err.message);
    throw err;
  } finally {
    if (!io.db) await db.end();
  }
}

function fail(io: KeysIo, message: string): number {
  io.err(`leadrelay keys: ${message}`);
  return 2;
}
