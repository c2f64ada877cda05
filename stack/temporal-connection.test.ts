// Connecting to a production cluster: plaintext by default, mTLS with a certificate pair, TLS and an API key for
// Temporal Cloud; a half-configured or unreadable certificate fails at start naming its variable.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../src/config';
import { temporalConnectionOptions } from './temporal-connection';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadrelay-tls-'));
const file = (name: string, contents: string) => {
  const at = path.join(dir, name);
  fs.writeFileSync(at, contents);
  return at;
};
const cert = file('client.pem', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
const key = file('client.key', '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n');
const ca = file('ca.pem', '-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const options = (env: Record<string, string>) =>
  temporalConnectionOptions(loadConfig({ TEMPORAL_ADDRESS: 'temporal.example.com:7233', ...env }));

test('plaintext unless something asks for TLS', () => {
  expect(options({})).toEqual({ address: 'temporal.example.com:7233' });
});

test('mTLS: the client certificate and key, the server CA and name, read from their files', () => {
  const o = options({
    TEMPORAL_TLS_CERT: cert,
    TEMPORAL_TLS_KEY: key,
    TEMPORAL_TLS_CA: ca,
    TEMPORAL_TLS_SERVER_NAME: 'frontend.internal',
  });
  expect(o.tls).toEqual({
    clientCertPair: { crt: fs.readFileSync(cert), key: fs.readFileSync(key) },
    serverRootCACertificate: fs.readFileSync(ca),
    serverNameOverride: 'frontend.internal',
  });
  expect(o.apiKey).toBeUndefined();
});

test('Temporal Cloud with an API key: TLS with the system trust store and the key as a bearer token', () => {
  expect(options({ TEMPORAL_API_KEY: 'eyJhbGciOi.cloud.key' })).toEqual({
    address: 'temporal.example.com:7233',
    tls: true,
    apiKey: 'eyJhbGciOi.cloud.key',
  });
  expect(options({ TEMPORAL_TLS: 'true' }).tls).toBe(true);
});

test('a half-configured or unreadable certificate, or TLS both asked for and refused, fails naming the variable', () => {
  expect(() => options({ TEMPORAL_TLS_CERT: cert })).toThrow(
    new ConfigError('TEMPORAL_TLS_KEY: a client certificate and its key come together; set both or neither'),
  );
  expect(() => options({ TEMPORAL_TLS_KEY: key })).toThrow(/^TEMPORAL_TLS_CERT: /);
  expect(() => options({ TEMPORAL_TLS_CERT: cert, TEMPORAL_TLS_KEY: path.join(dir, 'missing.key') })).toThrow(
    /^TEMPORAL_TLS_KEY: cannot use .*missing\.key: ENOENT/,
  );
  expect(() => options({ TEMPORAL_TLS_CA: file('not-pem.txt', 'hello') })).toThrow(
    /^TEMPORAL_TLS_CA: cannot use .*not-pem\.txt: not a PEM file/,
  );
  expect(() => options({ TEMPORAL_TLS: 'false', TEMPORAL_API_KEY: 'k' })).toThrow(/^TEMPORAL_TLS: false, but/);
  expect(() => options({ TEMPORAL_TLS: 'maybe' })).toThrow(/TEMPORAL_TLS: TEMPORAL_TLS is true or false/);
});

test('the API key never appears in an error', () => {
  try {
    options({ TEMPORAL_TLS: 'false', TEMPORAL_API_KEY: 'super-secret-key-value' });
  } catch (err) {
    expect(String(err)).not.toContain('super-secret-key-value');
  }
  expect.assertions(1);
});
