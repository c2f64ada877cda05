// How every leadrelay process reaches a Temporal cluster that is not its own dev server: the address and namespace,
// and TLS with a client certificate (self-hosted mTLS, Temporal Cloud) or an API key (Temporal Cloud).
import fs from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import { ConfigError, requireSetting, type Config } from '../src/config';

export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig | true;
  apiKey?: string;
}

type ConnectionConfig = Pick<
  Config,
  | 'TEMPORAL_ADDRESS'
  | 'TEMPORAL_TLS'
  | 'TEMPORAL_TLS_CERT'
  | 'TEMPORAL_TLS_KEY'
  | 'TEMPORAL_TLS_CA'
  | 'TEMPORAL_TLS_SERVER_NAME'
  | 'TEMPORAL_API_KEY'
>;

/**
 * The options for `Connection.connect` and `NativeConnection.connect`. TLS is on with a certificate, an API key or
 * TEMPORAL_TLS=true; a certificate file that cannot be read fails at start, naming its variable.
 */
export function temporalConnectionOptions(config: ConnectionConfig): TemporalConnectionOptions {
  const address = requireSetting(config as Config, 'TEMPORAL_ADDRESS');
  const tls: TLSConfig = {};
  if (config.TEMPORAL_TLS_CERT && config.TEMPORAL_TLS_KEY)
    tls.clientCertPair = { crt: pem(config, 'TEMPORAL_TLS_CERT'), key: pem(config, 'TEMPORAL_TLS_KEY') };
  if (config.TEMPORAL_TLS_CA) tls.serverRootCACertificate = pem(config, 'TEMPORAL_TLS_CA');
  if (config.TEMPORAL_TLS_SERVER_NAME) tls.serverNameOverride = config.TEMPORAL_TLS_SERVER_NAME;
  const wantsTls = Object.keys(tls).length > 0 || config.TEMPORAL_API_KEY !== undefined || config.TEMPORAL_TLS === true;
  if (config.TEMPORAL_TLS === false && wantsTls)
    throw new ConfigError('TEMPORAL_TLS: false, but a certificate, CA, server name or API key asks for TLS');
  return {
    address,
    ...(wantsTls ? { tls: Object.keys(tls).length > 0 ? tls : true } : {}),
    ...(config.TEMPORAL_API_KEY ? { apiKey: config.TEMPORAL_API_KEY } : {}),
  };
}

function pem(config: ConnectionConfig, key: 'TEMPORAL_TLS_CERT' | 'TEMPORAL_TLS_KEY' | 'TEMPORAL_TLS_CA'): Buffer {
  const file = config[key] as string;
  try {
    const contents = fs.readFileSync(file);
    if (!contents.includes('-----BEGIN ')) throw new Error('not a PEM file (no -----BEGIN line)');
    return contents;
  } catch (err) {
    // Not `instanceof Error`: fs's errors come from another realm under jest.
    const reason = (err as { message?: unknown }).message ?? err;
    throw new ConfigError(`${key}: cannot use ${file}: ${String(reason)}`);
  }
}
