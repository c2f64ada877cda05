// mTLS to Temporal as a production cluster sets it up: a TLS front with a server certificate from a CA of the
// test's own that requires client certificates, before a real Temporal server. The options leadrelay builds from
// its configuration get the worker's and the API's connections through; without a client certificate, or trusting
// another CA, they are refused. Certificates come from openssl, which the machine has (CI fails without it).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { loadConfig } from '../src/config';
import { temporalConnectionOptions } from '../stack/temporal-connection';
import { createTimeSkippingEnvironment, installQuietRuntime } from './support/time-skipping';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadrelay-mtls-'));
const at = (name: string) => path.join(dir, name);
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

/** A CA, and a certificate it signed for `name` (server or client). */
function certificates(): void {
  for (const ca of ['ca', 'other-ca'])
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${ca}.key`,
      '-out',
      `${ca}.pem`,
      '-days',
      '1',
      '-subj',
      `/CN=${ca}`,
    );
  const sign = (name: string, extensions: string) => {
    openssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      `/CN=${name}`,
    );
    fs.writeFileSync(at(`${name}.ext`), extensions);
    openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '1',
      '-extfile',
      `${name}.ext`,
    );
  };
  sign('frontend.temporal.test', 'subjectAltName=DNS:frontend.temporal.test\nextendedKeyUsage=serverAuth\n');
  sign('leadrelay-worker', 'extendedKeyUsage=clientAuth\n');
}

let env: TestWorkflowEnvironment;
let front: tls.Server;
let address: string;

beforeAll(async () => {
  installQuietRuntime();
  certificates();
  env = await createTimeSkippingEnvironment();
  const [host, port] = env.address.split(':') as [string, string];
  // gRPC is HTTP/2: the front negotiates h2 and passes the decrypted stream to the plaintext server.
  front = tls.createServer(
    {
      key: fs.readFileSync(at('frontend.temporal.test.key')),
      cert: fs.readFileSync(at('frontend.temporal.test.pem')),
      ca: fs.readFileSync(at('ca.pem')),
      requestCert: true,
      rejectUnauthorized: true,
      ALPNProtocols: ['h2'],
    },
    (socket) => {
      const upstream = net.connect(Number(port), host);
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    },
  );
  front.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  address = `127.0.0.1:${(front.address() as net.AddressInfo).port}`;
});

afterAll(async () => {
  front?.close();
  await env?.teardown();
  fs.rmSync(dir, { recursive: true, force: true });
});

const options = (env: Record<string, string>) =>
  temporalConnectionOptions(
    loadConfig({ TEMPORAL_ADDRESS: address, TEMPORAL_TLS_SERVER_NAME: 'frontend.temporal.test', ...env }),
  );

test("with the client certificate and the cluster's CA, the API's and the worker's connections reach the server", async () => {
  const o = options({
    TEMPORAL_TLS_CERT: at('leadrelay-worker.pem'),
    TEMPORAL_TLS_KEY: at('leadrelay-worker.key'),
    TEMPORAL_TLS_CA: at('ca.pem'),
  });
  const client = await Connection.connect(o);
  try {
    const info = await client.workflowService.getSystemInfo({});
    expect(info.capabilities).toBeDefined();
  } finally {
    await client.close();
  }
  const native = await NativeConnection.connect(o);
  await native.close();
});

test('without a client certificate, or trusting another CA, the connection is refused', async () => {
  const noCertificate = await Connection.connect({
    ...options({ TEMPORAL_TLS_CA: at('ca.pem') }),
    connectTimeout: 5_000,
  })
    .then((c) => c.workflowService.getSystemInfo({}))
    .then(
      () => 'connected',
      () => 'refused',
    );
  expect(noCertificate).toBe('refused');
  await expect(
    NativeConnection.connect(
      options({
        TEMPORAL_TLS_CERT: at('leadrelay-worker.pem'),
        TEMPORAL_TLS_KEY: at('leadrelay-worker.key'),
        TEMPORAL_TLS_CA: at('other-ca.pem'),
      }),
    ),
  ).rejects.toThrow();
});
