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
import { buildUnlimitedApi, createHarness, submitLead, type Harness } from '../support/harness';
import { loadConfig } from '../../src/config';
import { cacheDir } from '../../stack/paths';
import { provisionSchemathesis } from '../../stack/schemathesis';

// Schemathesis's positive_data_acceptance and negative_data_rejection run through the two checks of
// schemathesis-hooks.py, which differ from them only for the rules below.
const checks = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
  'unsupported_method',
  'positive_data_acceptance_or_rule_in_words',
  'negative_data_rejection_or_item_refused',
];

const day = '(sun|mon|tue|wed|thu|fri|sat)';
const contact = ['phone', 'email', 'country', 'companySize'];
/**
 * The rules the document states in words only, because JSON Schema cannot: per operation, the fields a 400 may name
 * for a request the schema admits (regular expressions over the answer's `issues[].field`). Anything else the API
 * refuses must be in the schema itself.
 */
const rulesInWords: Record<string, string[]> = {
  // A phone valid in the lead's country (libphonenumber), or an email, reaches the person; country names in four
  // languages and company-size bands are read, not matched.
  'POST /v1/leads/web-form': contact,
  'POST /v1/leads': contact,
  'POST /v1/leads/partner': [`leads\\.\\d+\\.(${[...contact, 'externalId'].join('|')})`],
  // Contact details may come from the visitor's lines: only reading them tells.
  'POST /v1/leads/chat': ['transcript', 'country', 'visitor\\.phone'],
  // Ranges end after they start and do not overlap; a window ends after it starts; a rep is not their own backup.
  'POST /v1/admin/reps': [`workingHours\\.${day}(\\.\\d+)?`, 'outOfOffice\\.\\d+\\.(until|backupRepId)'],
  'PATCH /v1/admin/reps/{id}': [`workingHours\\.${day}(\\.\\d+)?`, 'outOfOffice\\.\\d+\\.(until|backupRepId)'],
  'POST /v1/admin/reps/{id}/out-of-office': ['(outOfOffice\\.\\d+\\.)?(until|backupRepId)'],
  // The policy is YAML text: its shape is checked once parsed.
  'POST /v1/admin/policies': ['yaml'],
};
/** Operations that judge each item of a batch on its own: a schema-invalid item is refused in its own result. */
const itemised = ['POST /v1/leads/partner'];

let h: Harness;
let api: FastifyInstance;
let worker: Worker;
let schemathesis: string | undefined;
let workDir: string;
beforeAll(async () => {
  const log = (line: string) => process.stderr.write(`[openapi fuzzer] ${line}\n`);
  schemathesis = await provisionSchemathesis(cacheDir(loadConfig(process.env)), log);
  h = await createHarness();
  api = buildUnlimitedApi(h);
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
  // A real lead, so the lead routes answer from it rather than 404 for every generated id.
  const lead = await submitLead(h, {
    name: 'Priya Shah',
    email: 'priya@acme-corp.example',
    company: 'Acme Corp',
    message: 'We need to migrate our data centre to AWS, budget around $80k.',
  });
  expect(lead.status).toBe(202);
  const config = path.join(workDir, 'schemathesis.toml');
  await fs.writeFile(
    config,
    [
      // A body over the route's cap (stated in the document's description) is refused with 413 before it is read.
      '[checks.negative_data_rejection]',
      'expected-statuses = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429", "5xx"]',
      '[auth.openapi.apiKey]',
      `bearer = "${h.adminToken}"`,
      '[auth.openapi.repToken]',
      `bearer = "${await h.repToken('ana')}"`,
      '[[operations]]',
      'include-path-regex = "^/v1/leads/\\\\{id\\\\}"',
      `parameters = { "path.id" = "${lead.body.leadId}" }`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  const rules = path.join(workDir, 'rules-in-words.json');
  await fs.writeFile(rules, JSON.stringify({ positive: rulesInWords, itemised }));
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
    process.env.LEADRELAY_FUZZ_EXAMPLES ?? '20',
    '--seed',
    process.env.LEADRELAY_FUZZ_SEED ?? '12',
    // One worker: Hypothesis describes its strategies with ast.parse, which CPython 3.11 can fail on from two threads.
    '--workers',
    '1',
    '--continue-on-failure',
    '--generation-database',
    'none',
    '--suppress-health-check',
    'all',
    '--report',
    'junit',
    '--report-dir',
    path.join(workDir, 'report'),
  ];
  const run = await worker.runUntil(
    runFuzzer(schemathesis, args, {
      SCHEMATHESIS_HOOKS: path.join(__dirname, 'schemathesis-hooks.py'),
      LEADRELAY_RULES_IN_WORDS: rules,
    }),
  );
  // The fuzzer's own report is the failure message: each finding with the request that reproduces it.
  if (run.code !== 0) throw new Error(`Schemathesis exited with ${run.code}:\n${run.output}`);
  // Passed: the fuzzer's summary (operations, phases, test cases, warnings) goes to the run's output.
  const summary = run.output.lastIndexOf('\n', run.output.lastIndexOf(' SUMMARY '));
  process.stderr.write(`[openapi fuzzer]${run.output.slice(summary)}\n`);
}, 900_000);

function runFuzzer(
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // In the run's temporary directory: Schemathesis keeps a cache (.schemathesis/) in its working directory.
    const child = spawn(command, args, {
      cwd: workDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, COLUMNS: '120', ...env },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}
