// Fills the per-user cache with the servers leadrelay runs on, ahead of time: the Temporal CLI (dev server and
// Web UI, built from the Go module proxy) and the time-skipping test server (from Maven Central). `npm start`
// and `npm test` provision the same on first use; this does it up front, e.g. for an image layer or before
// going offline. Explicit TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH are left alone.
import { existsSync } from 'node:fs';
import { loadConfig } from '../src/config';
import { cacheDir } from '../stack/paths';
import { buildTemporalCli, cachedCliPath, provisionTestServer } from '../stack/temporal';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const cache = cacheDir(config);
  const log = (line: string) => console.log(line);

  if (config.TEMPORAL_CLI_PATH) log(`temporal CLI: ${config.TEMPORAL_CLI_PATH} (TEMPORAL_CLI_PATH)`);
  else {
    const cli = cachedCliPath(cache);
    log(`temporal CLI: ${existsSync(cli) ? cli : await buildTemporalCli(cache, log)}`);
  }

  if (config.TEMPORAL_TEST_SERVER_PATH) {
    log(`time-skipping test server: ${config.TEMPORAL_TEST_SERVER_PATH} (TEMPORAL_TEST_SERVER_PATH)`);
  } else {
    const server = await provisionTestServer(cache, log);
    if (!server) throw new Error('time-skipping test server: needs java and mvn on the PATH (Java 17, Maven 3)');
    log(`time-skipping test server: ${server}`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
