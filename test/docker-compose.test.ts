// The suite runs without a Docker engine, so the compose stack is checked against the code it runs instead of started.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { SearchAttributeType } from '@temporalio/common';
import { ConfigSchema } from '../src/config';
import { searchAttributes } from '../workflows/messages';

const composePath = path.join(__dirname, '..', 'docker-compose.yml');
const readmePath = path.join(__dirname, '..', 'README.md');

type PortMapping = string | number | { target: number | string; published?: number | string };
type Dependency = { condition?: string };

interface ComposeService {
  build?: unknown;
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: PortMapping[];
  depends_on?: string[] | Record<string, Dependency | null>;
  healthcheck?: unknown;
}

// Compose resolves `<<` merge keys; without `merge` the parser would leave them as a literal key.
const compose = parse(fs.readFileSync(composePath, 'utf8'), { merge: true }) as {
  services?: Record<string, ComposeService>;
};
const services = compose.services ?? {};
const configKeys = Object.keys(ConfigSchema.shape);

/** The services built from this repository, i.e. the ones that read leadrelay's configuration. */
const ours = Object.entries(services)
  .filter(([, s]) => s.build !== undefined)
  .map(([name]) => name);

const cliTypes: Record<SearchAttributeType, string> = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};

function service(name: string): ComposeService {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

function environmentOf(name: string): Record<string, string | undefined> {
  const env = service(name).environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const at = entry.indexOf('=');
        return at === -1 ? [entry, undefined] : [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
  }
  return Object.fromEntries(
    Object.entries(env).map(([key, value]) => [key, value === null ? undefined : String(value)]),
  );
}

/** `host:container` pairs; a mapping without a host port publishes nothing reachable at a known address. */
function portsOf(name: string): { published: number; target: number }[] {
  return (service(name).ports ?? []).map((mapping) => {
    if (typeof mapping === 'object') return { published: Number(mapping.published), target: Number(mapping.target) };
    const parts = String(mapping)
      .replace(/\/(tcp|udp)$/, '')
      .split(':');
    return { published: parts.length > 1 ? Number(parts.at(-2)) : NaN, target: Number(parts.at(-1)) };
  });
}

function dependenciesOf(name: string): Record<string, string> {
  const deps = service(name).depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((dep) => [dep, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([dep, spec]) => [dep, spec?.condition ?? 'service_started']));
}

/** Variable names from the first column of the table under the README's `## Configuration` heading. */
function documentedSettings(): string[] {
  const lines = fs.readFileSync(readmePath, 'utf8').split(/\r?\n/);
  const start = lines.findIndex((line) => line.trimEnd() === '## Configuration');
  if (start === -1) throw new Error('README.md has no "## Configuration" section');
  const end = lines.findIndex((line, i) => i > start && /^#{1,2} /.test(line));
  const rows = lines.slice(start + 1, end === -1 ? undefined : end).filter((line) => line.trimStart().startsWith('|'));
  const firstCells = rows.map((row) => (row.trim().split('|')[1] ?? '').trim());
  // The first row is the header; the separator row is dashes and colons only.
  return firstCells
    .slice(1)
    .filter((cell) => !/^:?-+:?$/.test(cell))
    .map((cell) => cell.replace(/`/g, '').trim());
}

/** `service: VARIABLE` for each variable a service of ours sets that `known` lacks, so a failure names both. */
function settingsOutside(known: string[]): string[] {
  return ours.flatMap((name) =>
    Object.keys(environmentOf(name))
      .filter((key) => !known.includes(key))
      .map((key) => `${name}: ${key}`),
  );
}

test('runs the whole stack: Postgres, Temporal (server, UI, setup), Mailpit, migrations, two workers, the API and monitoring', () => {
  expect(Object.keys(services)).toEqual(
    expect.arrayContaining([
      'postgres',
      'temporal-schema',
      'temporal',
      'temporal-setup',
      'temporal-ui',
      'mailpit',
      'migrate',
      'worker',
      'api',
      'prometheus',
      'grafana',
    ]),
  );
  expect((service('worker') as { deploy?: { replicas?: number } }).deploy?.replicas).toBe(2);
  expect(ours).toEqual(expect.arrayContaining(['migrate', 'worker', 'api']));
});

test('publishes the API, Temporal and its Web UI, the mail catcher and Postgres on their usual host ports', () => {
  const published = Object.keys(services).flatMap((name) =>
    portsOf(name).map(({ published, target }) => `${name} ${published}:${target}`),
  );
  expect(published).toEqual(
    expect.arrayContaining([
      'api 3000:3000',
      'temporal 7233:7233',
      'temporal-ui 8233:8080',
      'mailpit 1025:1025',
      'mailpit 8025:8025',
      'postgres 5432:5432',
    ]),
  );
});

test('the API and Temporal listen on all interfaces, so the published ports reach them', () => {
  const api = environmentOf('api');
  expect({ API_HOST: api.API_HOST, API_PORT: api.API_PORT }).toEqual({ API_HOST: '0.0.0.0', API_PORT: '3000' });
  expect(environmentOf('temporal').BIND_ON_IP).toBe('0.0.0.0');
});

test("Temporal keeps its history and its visibility (search attributes, List) in the stack's PostgreSQL, schema first", () => {
  const server = environmentOf('temporal');
  expect(server).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgres', DB_PORT: '5432' });
  expect(server.DBNAME).toBeTruthy();
  expect(server.VISIBILITY_DBNAME).toBeTruthy();
  expect(server.VISIBILITY_DBNAME).not.toBe(server.DBNAME);
  // The schema tool gets the same databases and credentials, and the server waits for it.
  expect(environmentOf('temporal-schema')).toMatchObject({
    POSTGRES_SEEDS: server.POSTGRES_SEEDS,
    POSTGRES_USER: server.POSTGRES_USER,
    POSTGRES_PWD: server.POSTGRES_PWD,
    DBNAME: server.DBNAME,
    VISIBILITY_DBNAME: server.VISIBILITY_DBNAME,
  });
  expect(environmentOf('postgres').POSTGRES_PASSWORD).toBe(server.POSTGRES_PWD);
  expect(dependenciesOf('temporal')).toMatchObject({ 'temporal-schema': 'service_completed_successfully' });
  const script = fs.readFileSync(path.join(__dirname, '..', 'ops', 'temporal', 'setup-schema.sh'), 'utf8');
  for (const step of ['create', 'setup-schema -v 0.0', 'update-schema -d']) expect(script).toContain(step);
  expect(script).toMatch(/temporal\/versioned|"\$DBNAME:temporal"/);
  expect(script).toContain('visibility');
});

test('the setup registers every search attribute the workflow sets, with its type, before the worker and the API start', () => {
  const registered = Object.fromEntries(
    (environmentOf('temporal-setup').SEARCH_ATTRIBUTES ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((pair) => {
        const [key = '', type = ''] = pair.split('=');
        return [key, type];
      }),
  );
  const defined = Object.fromEntries(Object.values(searchAttributes).map((key) => [key.name, cliTypes[key.type]]));
  expect(registered).toEqual(defined);
});

test('every variable set on our services is a setting leadrelay reads', () => {
  expect(settingsOutside(configKeys)).toEqual([]);
});

test("every variable set on our services is in the README's configuration table, and the table lists every setting", () => {
  const documented = documentedSettings();
  expect(settingsOutside(documented)).toEqual([]);
  expect(configKeys.filter((key) => !documented.includes(key))).toEqual([]);
});

test("the worker, the API and the migrations point at the stack's own Postgres, Temporal and SMTP server", () => {
  const required: Record<string, string[]> = {
    migrate: ['DATABASE_URL'],
    worker: ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'SMTP_URL'],
    api: ['DATABASE_URL', 'TEMPORAL_ADDRESS'],
  };
  const problems = Object.entries(required).flatMap(([name, keys]) => {
    const env = environmentOf(name);
    return keys.flatMap((key) => {
      const value = env[key];
      if (value === undefined) return [`${name}: ${key} is not set`];
      const url = new URL(value.includes('://') ? value : `tcp://${value}`);
      if (!services[url.hostname]) return [`${name}: ${key}=${value} names no service in docker-compose.yml`];
      const listening = portsOf(url.hostname).map((p) => p.target);
      if (url.port && !listening.includes(Number(url.port)))
        return [`${name}: ${key}=${value} but ${url.hostname} publishes ${listening.join(', ') || 'no port'}`];
      return [];
    });
  });
  expect(problems).toEqual([]);
});

test('the worker and the API start only after the migrations succeed, which wait for a healthy Postgres', () => {
  expect(dependenciesOf('migrate')).toMatchObject({ postgres: 'service_healthy' });
  for (const name of ['worker', 'api'])
    expect(dependenciesOf(name)).toMatchObject({
      migrate: 'service_completed_successfully',
      'temporal-setup': 'service_completed_successfully',
    });
  // Compose refuses to wait for the health of a service that has no healthcheck.
  const broken = Object.keys(services).flatMap((name) =>
    Object.entries(dependenciesOf(name)).flatMap(([dep, condition]) => {
      if (!services[dep]) return [`${name} depends on missing service ${dep}`];
      if (condition === 'service_healthy' && !services[dep].healthcheck)
        return [`${name} waits for ${dep} to be healthy, but ${dep} has no healthcheck`];
      return [];
    }),
  );
  expect(broken).toEqual([]);
});

test('no secret has a default: compose refuses to start without one and says how to make it', () => {
  const raw = fs.readFileSync(composePath, 'utf8');
  for (const key of ['LEADRELAY_LINK_SECRET', 'LEADRELAY_CODEC_KEYS']) {
    const value = environmentOf('api')[key] ?? '';
    // `${VAR:?message}`: compose stops with the message when VAR is unset or empty.
    expect({ key, value }).toEqual({
      key,
      value: expect.stringMatching(new RegExp(`^\\$\\{${key}:\\?.*openssl rand -hex 32.*\\}$`)) as unknown,
    });
    expect(environmentOf('worker')[key]).toBe(value);
  }
  // No value anywhere in the file would pass as a secret: the old placeholder is gone, and nothing else is given.
  expect(raw).not.toContain('change-me');
  for (const name of ours)
    for (const [key, value] of Object.entries(environmentOf(name)))
      if (/SECRET|KEYS/.test(key))
        expect({ key, value }).toEqual({ key, value: expect.stringMatching(/^\$\{/) as unknown });
});

test("the Web UI decodes payloads through the API's codec endpoints, with credentials, from an origin the API allows", () => {
  const ui = environmentOf('temporal-ui');
  const url = new URL(ui.TEMPORAL_CODEC_ENDPOINT ?? '');
  expect(url.pathname).toBe('/codec');
  expect(ui.TEMPORAL_CODEC_INCLUDE_CREDENTIALS).toBe('true');
  expect(ui.TEMPORAL_ADDRESS).toBe(environmentOf('api').TEMPORAL_ADDRESS);
  expect(portsOf('api').map((p) => p.published)).toContain(Number(url.port));
  const origins = (environmentOf('api').LEADRELAY_CODEC_CORS_ORIGINS ?? '').split(',');
  const uiPort = portsOf('temporal-ui').find((p) => p.target === 8080)?.published;
  expect(origins).toContain(`http://localhost:${uiPort}`);
});
