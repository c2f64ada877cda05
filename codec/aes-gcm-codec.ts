// Encrypts every payload leadrelay hands to Temporal (workflow and activity inputs and results, memo, signals,
// updates, queries, failure messages) with AES-256-GCM, so Temporal's database, its Web UI and any history export
// hold no readable name, email, phone or message. Runs outside the workflow sandbox: on the client (API, scripts) and
// around the worker's activations, never inside workflow code.
//
// An encrypted payload is the whole original payload (metadata and data, as protobuf) sealed under one key: data is
// iv (12 bytes) ‖ ciphertext ‖ tag (16 bytes); metadata says `encoding: binary/encrypted` and which key sealed it.
// The key id is also the authenticated additional data, so a payload relabelled to another key does not open.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

export interface CodecKey {
  /** Written into each payload it seals, so the payload finds its key after a rotation. */
  id: string;
  /** 256 bits: 64 hex digits, or the bytes. */
  key: string | Uint8Array;
}

export const encryptedEncoding = 'binary/encrypted';
const keyIdMetadata = 'encryption-key-id';
const cipherMetadata = 'encryption-cipher';
const cipherName = 'AES-256-GCM';
const ivLength = 12;
const tagLength = 16;

export class CodecKeyError extends Error {}
/** A payload that does not open: changed, cut, or sealed under a key that is not configured. */
export class PayloadDecryptionError extends Error {}

interface LoadedKey {
  id: string;
  key: Buffer;
  aad: Buffer;
}

/**
 * The codec with its keys, newest first: the first seals, every one opens. Rotating is putting a new key first and
 * keeping the others until no history that needs them is kept (the namespace's retention after the last run that
 * used them closed).
 */
export class AesGcmCodec implements PayloadCodec {
  private readonly sealing: LoadedKey;
  private readonly byId: Map<string, LoadedKey>;

  constructor(keys: readonly CodecKey[]) {
    if (keys.length === 0) throw new CodecKeyError('the payload codec needs at least one key (LEADRELAY_CODEC_KEYS)');
    const loaded = keys.map(loadKey);
    this.byId = new Map(loaded.map((k) => [k.id, k]));
    if (this.byId.size !== loaded.length) throw new CodecKeyError('every codec key needs an id of its own');
    this.sealing = loaded[0] as LoadedKey;
  }

  /** The id of the key new payloads are sealed with. */
  get keyId(): string {
    return this.sealing.id;
  }

  // async: a payload that does not open is a rejected promise, as callers of a codec expect, never a throw.
  // eslint-disable-next-line @typescript-eslint/require-await
  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.seal(payload));
  }

  // eslint-disable-next-line @typescript-eslint/require-await
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.open(payload));
  }

  private seal(payload: Payload): Payload {
    const { id, key, aad } = this.sealing;
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const iv = randomBytes(ivLength);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: tagLength });
    cipher.setAAD(aad);
    const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: {
        encoding: Buffer.from(encryptedEncoding),
        [keyIdMetadata]: Buffer.from(id),
        [cipherMetadata]: Buffer.from(cipherName),
      },
      data: sealed,
    };
  }

  private open(payload: Payload): Payload {
    const metadata = payload.metadata ?? {};
    // Payloads written before the codec was configured (or by a client without it) pass as they are.
    if (text(metadata.encoding) !== encryptedEncoding) return payload;
    const id = text(metadata[keyIdMetadata]);
    const key = id === null ? undefined : this.byId.get(id);
    if (!key)
      throw new PayloadDecryptionError(
        `payload sealed with codec key ${JSON.stringify(id)}, which is not configured (LEADRELAY_CODEC_KEYS)`,
      );
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < ivLength + tagLength) throw new PayloadDecryptionError('encrypted payload is cut short');
    const decipher = createDecipheriv('aes-256-gcm', key.key, data.subarray(0, ivLength), { authTagLength: tagLength });
    decipher.setAAD(key.aad);
    decipher.setAuthTag(data.subarray(data.length - tagLength));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(data.subarray(ivLength, data.length - tagLength)), decipher.final()]);
    } catch {
      throw new PayloadDecryptionError(`encrypted payload (key ${id}) does not authenticate: it was changed`);
    }
    const opened = temporal.api.common.v1.Payload.decode(plain);
    return { metadata: opened.metadata, data: opened.data };
  }
}

function loadKey({ id, key }: CodecKey): LoadedKey {
  if (!/^[A-Za-z0-9._-]{1,40}$/.test(id))
    throw new CodecKeyError(`codec key id ${JSON.stringify(id)}: 1 to 40 letters, digits, . _ or -`);
  const bytes =
    typeof key === 'string' ? (/^[0-9a-fA-F]{64}$/.test(key) ? Buffer.from(key, 'hex') : null) : Buffer.from(key);
  if (!bytes || bytes.length !== 32) throw new CodecKeyError(`codec key ${id}: must be 32 bytes (64 hex digits)`);
  return { id, key: bytes, aad: Buffer.from(`leadrelay-payload-v1:${id}`) };
}

function text(value: Uint8Array | null | undefined): string | null {
  return value ? Buffer.from(value).toString('utf8') : null;
}
