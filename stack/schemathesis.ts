// Schemathesis, the independent OpenAPI fuzzer the contract test runs against /openapi.json: a pinned version from
// PyPI in a virtualenv of its own in the per-user cache, never inside the clone.
import fs from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { commandExists, runCommand } from './run-command';

export const schemathesisVersion = '4.32.5';

/**
 * The path of the `schemathesis` command, installed on first use (python3 with its venv module, and PyPI, needed
 * once); undefined when there is no python3. A marker written after pip finishes tells a complete install from
 * one that was interrupted, which is then made again.
 */
export async function provisionSchemathesis(
  cacheDir: string,
  log: (line: string) => void,
): Promise<string | undefined> {
  const home = path.join(cacheDir, 'schemathesis', schemathesisVersion);
  const command = path.join(home, 'bin', 'schemathesis');
  const marker = path.join(home, '.installed');
  if (existsSync(marker)) return command;
  if (!(await commandExists('python3'))) return undefined;
  await fs.rm(home, { recursive: true, force: true });
  log(`schemathesis ${schemathesisVersion}: installing from PyPI into ${home}`);
  await runCommand('python3', ['-m', 'venv', home], process.env, log);
  await runCommand(
    path.join(home, 'bin', 'pip'),
    ['install', '--quiet', '--disable-pip-version-check', `schemathesis==${schemathesisVersion}`],
    process.env,
    log,
  );
  await fs.writeFile(marker, `${schemathesisVersion}\n`);
  return command;
}
