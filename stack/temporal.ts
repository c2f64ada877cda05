// The Temporal side of the stack: finding or building the CLI dev server, the time-skipping test server,
// and registering leadrelay's search attributes on whichever server we talk to.
import fs from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ConnectionLike } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { DevServerConfig } from '@temporalio/testing';
import { searchAttributes } from '../workflows/messages';
import { repoRoot } from './paths';
import { commandExists, runCommand } from './run-command';

export const temporalCliVersion = '1.5.1';
export const testServerVersion = '1.38.0';
type Log = (line: string) => void;

const { IndexedValueType } = temporal.api.enums.v1;
const indexedValueTypes = {
  KEYWORD: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  INT: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  DATETIME: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
} as const;

/** Adds leadrelay's search attributes to a namespace, leaving those already there alone. */
export async function registerSearchAttributes(
  connection: Pick<ConnectionLike, 'operatorService'>,
  namespace: string,
): Promise<void> {
  const wanted = Object.values(searchAttributes);
  let existing = new Set<string>();
  try {
    const listed = await connection.operatorService.listSearchAttributes({ namespace });
    existing = new Set([...Object.keys(listed.customAttributes ?? {}), ...Object.keys(listed.systemAttributes ?? {})]);
  } catch {
    // The time-skipping test server has no visibility store to list from; adding is still supported.
  }
  const missing = wanted.filter((key) => !existing.has(key.name));
  if (missing.length === 0) return;
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((key) => [key.name, indexedValueTypes[key.type]])),
    });
  } catch (err) {
    if (!/already exists/i.test(String((err as Error).message))) throw err;
  }
}

// ── Temporal CLI (dev server with the Web UI) ───────────────────────────────────────────────

/**
 * The dev server's SQLite file in write-ahead-log mode, synced at checkpoints rather than every commit: every
 * commit still survives the server being killed (it is in the log file), and a workflow start under load takes
 * milliseconds instead of a second or more waiting on the disk. Only a crash of the machine itself can lose the
 * last moments, which a dev server may.
 */
export const devServerSqlitePragmas = ['journal_mode=WAL', 'synchronous=NORMAL'];

export interface DevServerOptions {
  cliPath?: string;
  cacheDir: string;
  dbFilename: string;
  port: number;
  uiPort: number;
  namespace: string;
  /** Where the Web UI asks to decode payloads (`--ui-codec-endpoint`): the API's /codec. */
  uiCodecEndpoint?: string;
  /** Server settings as `KEY=JSON` (`--dynamic-config-value`), e.g. `system.enableActivityEagerExecution=true`. */
  dynamicConfig?: readonly string[];
  log: Log;
}

/**
 * The CLI comes from, in order: an explicit path, our cached build, the SDK's own download, and last a build
 * from the Go module proxy into the per-user cache (the only one that works with no internet).
 */
export async function startDevServer(opts: DevServerOptions): Promise<TestWorkflowEnvironment> {
  const base: Omit<DevServerConfig, 'executable'> = {
    type: 'dev-server',
    dbFilename: opts.dbFilename,
    ip: '127.0.0.1',
    port: opts.port,
    ui: true,
    uiPort: opts.uiPort,
    namespace: opts.namespace,
    searchAttributes: Object.values(searchAttributes),
    log: { format: 'pretty', level: 'warn' },
    extraArgs: [
      ...(opts.uiCodecEndpoint ? ['--ui-codec-endpoint', opts.uiCodecEndpoint] : []),
      ...devServerSqlitePragmas.flatMap((pragma) => ['--sqlite-pragma', pragma]),
      // The worker that schedules an activity runs it at once when it has a free slot, skipping a matching round
      // trip: the offer email goes out sooner (a cluster needs the same setting).
      ...['system.enableActivityEagerExecution=true', ...(opts.dynamicConfig ?? [])].flatMap((value) => [
        '--dynamic-config-value',
        value,
      ]),
    ],
  };
  await fs.mkdir(path.dirname(opts.dbFilename), { recursive: true });
  const built = cachedCliPath(opts.cacheDir);
  const known = opts.cliPath ?? (existsSync(built) ? built : undefined);
  if (!known) {
    try {
      opts.log('temporal CLI: not cached; trying the SDK download');
      return await TestWorkflowEnvironment.createLocal({
        server: {
          ...base,
          executable: { type: 'cached-download', downloadDir: path.join(opts.cacheDir, 'sdk-download') },
        },
      });
    } catch (err) {
      opts.log(
        `temporal CLI: SDK download failed (${firstLine(err)}); building v${temporalCliVersion} from the Go module proxy`,
      );
      await buildTemporalCli(opts.cacheDir, opts.log);
    }
  }
  return await TestWorkflowEnvironment.createLocal({
    server: { ...base, executable: { type: 'existing-path', path: known ?? built } },
  });
}

export function cachedCliPath(cacheDir: string): string {
  return path.join(cacheDir, 'temporal-cli', temporalCliVersion, 'temporal');
}

/** `go install` of the CLI (it compiles the whole server: minutes cold), reporting progress as it goes. */
export async function buildTemporalCli(cacheDir: string, log: Log): Promise<string> {
  const target = cachedCliPath(cacheDir);
  const started = Date.now();
  let compiled = 0;
  let downloaded = 0;
  let last = '';
  const ticker = setInterval(() => {
    log(
      `temporal CLI: building… ${Math.round((Date.now() - started) / 1000)} s, ${downloaded} modules fetched, ${compiled} packages compiled${last ? ` (${last})` : ''}`,
    );
  }, 10_000);
  try {
    await runCommand(
      'go',
      [
        'install',
        '-v',
        '-ldflags',
        `-s -w -X github.com/temporalio/cli/temporalcli.Version=${temporalCliVersion}`,
        `github.com/temporalio/cli/cmd/temporal@v${temporalCliVersion}`,
      ],
      { ...process.env, CGO_ENABLED: '0', GOBIN: path.dirname(target), GOFLAGS: '-mod=mod' },
      (line) => {
        if (line.startsWith('go: downloading')) downloaded++;
        else if (!line.startsWith('go:')) {
          compiled++;
          last = line;
        }
      },
    );
  } finally {
    clearInterval(ticker);
  }
  log(`temporal CLI: built in ${Math.round((Date.now() - started) / 1000)} s → ${target}`);
  return target;
}

// ── Time-skipping test server (Java) ───────────────────────────────────────────────────────

/**
 * Resolves Temporal's Java test server and its runtime classpath from Maven Central into the per-user cache
 * and writes a wrapper the SDK can start as `<wrapper> <port>`. Returns undefined when Maven is not
 * installed, so the SDK falls back to its own download.
 */
export async function provisionTestServer(cacheDir: string, log: Log): Promise<string | undefined> {
  const home = path.join(cacheDir, 'temporal-test-server', testServerVersion);
  const wrapper = path.join(home, 'temporal-test-server');
  if (existsSync(wrapper)) return wrapper;
  if (!(await commandExists('mvn')) || !(await commandExists('java'))) return undefined;
  log(`time-skipping test server: resolving io.temporal:temporal-test-server:${testServerVersion} from Maven Central`);
  const lib = path.join(home, 'lib');
  await runCommand(
    'mvn',
    [
      '-q',
      '-B',
      '-Dstyle.color=never',
      '-f',
      path.join(repoRoot, 'tools', 'temporal-test-server', 'pom.xml'),
      'dependency:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${lib}`,
    ],
    process.env,
    (line) => {
      // Maven's quiet mode still prints bare colour resets.
      // eslint-disable-next-line no-control-regex
      const text = line.replace(/\x1b\[[0-9;]*m/g, '').trim();
      if (text) log(text);
    },
  );
  // exec, so the SDK's kill on teardown reaches the JVM itself. Tiered C1 only and serial GC: the server is
  // small, and this halves a cold start on two cores.
  const script = `#!/bin/sh\nexec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp '${lib}/*' io.temporal.testserver.TestServer "$@"\n`;
  await fs.writeFile(`${wrapper}.tmp`, script, { mode: 0o755 });
  await fs.rename(`${wrapper}.tmp`, wrapper);
  return wrapper;
}

function firstLine(err: unknown): string {
  return String(err instanceof Error ? err.message : err).split('\n')[0] ?? '';
}
