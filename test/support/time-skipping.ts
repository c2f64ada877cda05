// The time-skipping Temporal test server globalSetup provisioned, one per test file, knowing leadrelay's search
// attributes; and a quiet SDK runtime and bundler logger for the tests that run workflows on it.
import { TestWorkflowEnvironment, type ClientOptionsForTestEnv } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { registerSearchAttributes } from '../../stack/temporal';

let runtimeInstalled = false;

/** Warnings and errors only: the SDK's info lines would bury the test output. Once per test file. */
export function installQuietRuntime(): void {
  if (runtimeInstalled) return;
  Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: { logging: { filter: 'ERROR' } } });
  runtimeInstalled = true;
}

/**
 * The SDK gives the server it starts 5 s to answer. A cold JVM on two busy cores can miss that once; the
 * retry finds the classes in the page cache. `client` options (a data converter) apply to the environment's client.
 */
export async function createTimeSkippingEnvironment(
  client?: ClientOptionsForTestEnv,
): Promise<TestWorkflowEnvironment> {
  const path = process.env.TEMPORAL_TEST_SERVER_PATH;
  for (let attempt = 1; ; attempt++) {
    try {
      const env = await TestWorkflowEnvironment.createTimeSkipping({
        ...(path ? { server: { executable: { type: 'existing-path', path } } } : {}),
        ...(client ? { client } : {}),
      });
      await registerSearchAttributes(env.connection, 'default');
      return env;
    } catch (err) {
      if (attempt >= 5) throw err;
    }
  }
}

/** For bundleWorkflowCode: webpack's progress stays quiet, its warnings and errors do not. */
export const quietLogger = {
  log: () => {},
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};
