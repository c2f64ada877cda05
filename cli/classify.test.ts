// `leadrelay classify` (cli/classify.ts) end to end over stdin/stdout. (Kept here because jest collects tests from
// src/ and test/ only.)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { main } from './classify';

async function run(
  args: string[],
  lines: string[],
): Promise<{ code: number; out: Array<Record<string, unknown>>; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, {
    stdin: Readable.from(lines.map((l) => `${l}\n`)),
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    now: () => new Date('2025-03-10T09:00:00Z'),
  });
  return { code, out: out.map((l) => JSON.parse(l) as Record<string, unknown>), err };
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadrelay-classify-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('one JSON line out per line in: reading, score, tier, timeline, reasons; bad lines name the field and the rest go on', async () => {
  const { code, out, err } = await run(
    [],
    [
      JSON.stringify({
        text: 'Our lease ends: we must migrate 40 servers to Azure, please send a proposal by Friday',
        email: 'cto@acme-logistics.de',
        phone: '+49 30 1234567',
        company: 'Acme Logistics',
        companySize: 250,
      }),
      '{"txt": "typo in the field name"}',
      '',
      'not json',
      JSON.stringify({ text: 'Buy cheap backlinks, DA 50+, guest posts' }),
      JSON.stringify({ text: 'hola', receivedAt: 'ayer' }),
    ],
  );
  expect(err).toEqual([]);
  expect(code).toBe(1);
  expect(out.map((o) => o.line)).toEqual([1, 2, 4, 5, 6]);
  expect(out[0]).toMatchObject({
    serviceLine: 'cloud-migration',
    urgency: 'this-week',
    spam: false,
    tier: 'A',
    timeline: { text: 'by Friday', dueBy: '2025-03-14' },
  });
  expect((out[0]!.reasons as string[])[0]).toMatch(/point to cloud-migration/);
  expect(out[1]!.error).toMatch(/^text: .*; \(line\): .*txt/);
  expect(out[2]!.error).toMatch(/^\(line\): not JSON/);
  expect(out[3]).toMatchObject({ spam: true, spamKind: 'sales-spam', score: 0, tier: 'C' });
  expect(out[4]!.error).toMatch(/^receivedAt: /);
});

test("a deployment's own examples are appended to the default corpus (--corpus), or replace it", async () => {
  const extra = path.join(dir, 'extra.jsonl');
  const examples = [
    'SAP S/4HANA finance module customising',
    'Our Odoo ERP inventory module is wrong',
    'Dynamics 365 Business Central ERP setup',
    'ERP upgrade of SAP Business One',
    'ERP rollout for our new subsidiary',
  ];
  fs.writeFileSync(
    extra,
    examples.map((text) => JSON.stringify({ text, serviceLine: 'erp', urgency: 'none', spam: false })).join('\n'),
  );
  const appended = await run(
    ['--corpus', extra],
    [JSON.stringify({ text: 'We need an ERP consultant for SAP Business One' })],
  );
  expect(appended.out[0]).toMatchObject({ serviceLine: 'erp' });

  const replaced = await run(['--corpus', extra, '--corpus-mode', 'replace'], ['{"text": "ERP"}']);
  expect(replaced.code).toBe(2);
  expect(replaced.err[0]).toBe('classify: corpus: needs genuine examples of at least two service lines, found 1');
});

test('bad options and bad corpus files stop before reading stdin, naming the problem', async () => {
  const bad = path.join(dir, 'bad.jsonl');
  fs.writeFileSync(bad, '{"text": "x", "serviceLine": "erp", "urgency": "soon", "spam": false}\n');
  expect((await run(['--corpus', bad], [])).err[0]).toMatch(
    /^classify: .*bad\.jsonl: 1 bad line:\n {2}.*bad\.jsonl:1: urgency: /,
  );
  expect((await run(['--corpus-mode', 'merge'], [])).err).toEqual([
    '--corpus-mode: expected append or replace, got "merge"',
  ]);
  expect((await run(['--received-at', 'noon'], [])).err).toEqual(['--received-at: not an ISO-8601 timestamp: "noon"']);
  expect((await run(['--colour'], [])).code).toBe(2);
});
