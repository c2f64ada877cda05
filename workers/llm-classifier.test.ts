// activities/llm-classifier.ts against a real OpenAI-compatible HTTP endpoint on loopback. (Kept here because jest
// collects tests from src/ and test/ only.)
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLlmClassifier, llmClassifierFromEnv } from './llm-classifier';
import { trainClassifier } from '../src/classification/classifier';

const fallback = trainClassifier([
  { text: 'migrate our servers to AWS', serviceLine: 'cloud-migration', urgency: 'none', spam: false },
  { text: 'move the data centre to Azure', serviceLine: 'cloud-migration', urgency: 'none', spam: false },
  { text: 'ransomware encrypted our files', serviceLine: 'cybersecurity', urgency: 'now', spam: false },
  { text: 'penetration test of our web app', serviceLine: 'cybersecurity', urgency: 'none', spam: false },
  { text: 'cheap backlinks for your site', serviceLine: 'cybersecurity', urgency: 'none', spam: true },
]);

let reply: { status: number; content: string };
const requests: Array<{
  headers: http.IncomingHttpHeaders;
  body: { model: string; messages: Array<{ role: string; content: string }> };
}> = [];
let server: http.Server;
let baseUrl: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      requests.push({ headers: req.headers, body: JSON.parse(body) as (typeof requests)[number]['body'] });
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: reply.content } }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const answer = (fields: Record<string, unknown> = {}) =>
  JSON.stringify({
    serviceLine: 'cybersecurity',
    urgency: 'none',
    spam: false,
    spamKind: null,
    confidence: { serviceLine: 0.9, urgency: 0.7, spam: 0.95 },
    reasons: ["mentions 'phishing'"],
    ...fields,
  });

test("asks the endpoint with the deployment's service lines and returns its reading, reasons marked as the LLM's", async () => {
  reply = { status: 200, content: answer() };
  const llm = createLlmClassifier({ apiKey: 'sk-test', baseUrl, model: 'small-model', fallback });
  const c = await llm.classify({ text: 'Our staff keep clicking phishing links', receivedAt: '2025-03-10T09:00:00Z' });
  expect(c).toMatchObject({
    serviceLine: 'cybersecurity',
    urgency: 'none',
    spam: false,
    timeline: null,
    reasons: ["LLM: mentions 'phishing'"],
    language: 'en',
  });
  const request = requests.at(-1)!;
  expect(request.headers.authorization).toBe('Bearer sk-test');
  expect(request.body.model).toBe('small-model');
  expect(request.body.messages[0]!.content).toContain('one of cloud-migration, cybersecurity');
  expect(request.body.messages[1]!.content).toBe('Our staff keep clicking phishing links');
});

test('an explicit deadline still decides urgency, read locally', async () => {
  reply = { status: 200, content: answer({ urgency: 'none' }) };
  const c = await createLlmClassifier({ apiKey: 'k', baseUrl, model: 'm', fallback }).classify({
    text: 'Pentest results by Friday please',
    receivedAt: '2025-03-10T09:00:00Z',
  });
  expect(c).toMatchObject({
    urgency: 'this-week',
    timeline: { text: 'by Friday', dueBy: '2025-03-14' },
    confidence: { urgency: 1 },
  });
  expect(c.reasons.at(-1)).toBe("'by Friday' is due 2025-03-14 → this-week (explicit dates win over the LLM's none)");
});

test.each([
  ['an HTTP error', { status: 500, content: '' }, /HTTP 500/],
  [
    'an answer with an unknown service line',
    { status: 200, content: answer({ serviceLine: 'gardening' }) },
    /answer did not fit: serviceLine/,
  ],
  [
    'an answer that is not JSON',
    { status: 200, content: 'Sure! It is about security.' },
    /not valid JSON|Unexpected token/,
  ],
])('%s falls back to the offline model, saying so', async (_name, response, why) => {
  reply = response;
  const c = await createLlmClassifier({ apiKey: 'k', baseUrl, model: 'm', fallback }).classify({
    text: 'ransomware encrypted everything',
    receivedAt: '2025-03-10T09:00:00Z',
  });
  expect(c.serviceLine).toBe('cybersecurity');
  expect(c.reasons[0]).toMatch(/^LLM classifier unavailable \(.+\); the offline model answered$/);
  expect(c.reasons[0]).toMatch(why);
});

test('enabled only by LEADRELAY_LLM_API_KEY; a bad base URL names the variable', () => {
  expect(llmClassifierFromEnv({}, fallback)).toBeNull();
  expect(llmClassifierFromEnv({ LEADRELAY_LLM_API_KEY: '  ' }, fallback)).toBeNull();
  expect(llmClassifierFromEnv({ LEADRELAY_LLM_API_KEY: 'k' }, fallback)?.serviceLines).toEqual([
    'cloud-migration',
    'cybersecurity',
  ]);
  expect(() =>
    llmClassifierFromEnv({ LEADRELAY_LLM_API_KEY: 'k', LEADRELAY_LLM_BASE_URL: 'not a url' }, fallback),
  ).toThrow('LEADRELAY_LLM_BASE_URL: not a URL: "not a url"');
});
