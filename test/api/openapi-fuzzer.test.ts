// The API against its own OpenAPI document, judged by an independent fuzzer: Schemathesis (stack/schemathesis.ts)
// reads /openapi.json from the real stack and sends what the document allows and what it forbids, with an admin
// key and a rep token so every operation is reachable. No 5xx, no schema-valid request refused, no schema-invalid
// one accepted, answers as documented, 405 with Allow for undeclared methods. `npm run fuzz:api` runs this file.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Worker } from '@temporalio/worker';
import { createHarness, type Harness } from '../support/harness';
import { buildApi } from '../../api/server';
import { loadConfig } from '../../src/config';
import { cacheDir } from '../../stack/paths';
import { provisionSchemathesis } from '../../stack/schemathesis';

const checks = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
  'negative_data_rejection',
  'positive_data_acceptance',
  'unsupported_method',
];

let h: Harness;
let api: FastifyInstance;
let worker: Worker;
let schemathesis: string | undefined;
let workDir: string;
beforeAll(async () => {
  const log = (line: string) => process.stderr.write(`[openapi fuzzer] ${line}\n`);
  schemathesis = await provisionSchemathesis(cacheDir(loadConfig(process.env)), log);
  h = await createHarness();
  // One client sending thousands of requests a minute: lift the rate limits, keep everything else.
  api = buildApi({
    client: h.env.client,
    db: h.db,
    taskQueue: h.taskQueue,
    now: async () => new Date(await h.env.currentTimeMs()),
    rateLimits: { perKey: 1e6, perRep: 1e6, anonymous: 1e6 },
    failedAuthLimits: { burst: 1e6, perMinute: 1e6 },
  });
  await api.listen({ host: '127.0.0.1', port: 0 });
  worker = await h.createWorker();
  workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'leadrelay-fuzzer-'));
}, 600_000);
afterAll(async () => {
  await api?.close();
  await h?.teardown();
  if (workDir) await fs.rm(workDir, { recursive: true, force: true });
});

test('Schemathesis finds the API true to its OpenAPI document', async () => {
  if (!schemathesis) throw new Error('the OpenAPI fuzzer needs python3 (with its venv module) to install Schemathesis');
  const { port } = api.server.address() as { port: number };
  // Credentials per security scheme of the document: an admin key passes every key-guarded route, a rep's token
  // the rep routes. The file stays in a private temporary directory.
  const config = path.join(workDir, 'schemathesis.toml');
  await fs.writeFile(
    config,
    [
      '[auth.openapi.apiKey]',
      `bearer = "${h.adminToken}"`,
      '[auth.openapi.repToken]',
      `bearer = "${await h.repToken('ana')}"`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  const args = [
    '--config-file',
    config,
    '--no-color',
    'run',
    `http://127.0.0.1:${port}/openapi.json`,
    '--checks',
    checks.join(','),
    '--phases',
    'examples,coverage,fuzzing',
    '--max-examples',
    process.env.LEADRELAY_FUZZ_EXAMPLES ?? '30',
    '--seed',
    process.env.LEADRELAY_FUZZ_SEED ?? '12',
    '--workers',
    '2',
    '--generation-database',
    'none',
    '--suppress-health-check',
    'all',
    '--report',
    'junit',
    '--report-dir',
    path.join(workDir, 'report'),
  ];
  const run = await worker.runUntil(runFuzzer(schemathesis, args));
  // The fuzzer's own report is the failure message: each finding with the request that reproduces it.
  if (run.code !== 0) throw new Error(`Schemathesis exited with ${run.code}:\n${run.output}`);
  process.stderr.write(`[openapi fuzzer] ${run.output.split('\n').slice(-12).join('\n')}\n`);
}, 900_000);

function runFuzzer(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, COLUMNS: '120' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}
