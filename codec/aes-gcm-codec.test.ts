// The payload codec: what it seals opens to the same payload, under any listed key; nothing readable is left in a
// sealed payload; a changed or relabelled payload does not open; payloads from before the codec pass through.
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { AesGcmCodec, CodecKeyError, PayloadDecryptionError } from './aes-gcm-codec';

const key = (id: string) => ({ id, key: randomBytes(32).toString('hex') });
const lead = { name: 'Priya Shah', email: 'priya@acme-corp.example', phone: '+44 20 7946 0958', message: 'Call me' };
const payloadOf = (value: unknown): Payload => defaultPayloadConverter.toPayload(value);
const text = (p: Payload) => Buffer.concat([Buffer.from(p.data ?? []), ...Object.values(p.metadata ?? {})]).toString();

test('round trip: a sealed payload opens to the same metadata and data, and shows none of its content', async () => {
  const codec = new AesGcmCodec([key('k1')]);
  const original = payloadOf(lead);
  const [sealed] = await codec.encode([original]);
  expect(sealed?.metadata?.encoding && Buffer.from(sealed.metadata.encoding).toString()).toBe('binary/encrypted');
  expect(Buffer.from(sealed?.metadata?.['encryption-key-id'] ?? []).toString()).toBe('k1');
  for (const value of [...Object.values(lead), 'json/plain'])
    expect({ value, found: text(sealed as Payload).includes(value) }).toEqual({ value, found: false });
  const [opened] = await codec.decode([sealed as Payload]);
  expect(defaultPayloadConverter.fromPayload(opened as Payload)).toEqual(lead);
  expect(Buffer.from(opened?.metadata?.encoding ?? []).toString()).toBe('json/plain');
});

test('any payload survives the round trip; the same payload seals differently each time', async () => {
  const codec = new AesGcmCodec([key('k1')]);
  await fc.assert(
    fc.asyncProperty(
      fc.dictionary(fc.string({ maxLength: 20 }), fc.uint8Array({ maxLength: 40 }), { maxKeys: 4 }),
      fc.uint8Array({ maxLength: 2000 }),
      async (metadata, data) => {
        const [sealed] = await codec.encode([{ metadata, data }]);
        const [opened] = await codec.decode([sealed as Payload]);
        expect(Buffer.from(opened?.data ?? [])).toEqual(Buffer.from(data));
        expect(Object.keys(opened?.metadata ?? {}).sort()).toEqual(Object.keys(metadata).sort());
      },
    ),
    { numRuns: 200 },
  );
  const [a, b] = await codec.encode([payloadOf(lead), payloadOf(lead)]);
  expect(Buffer.from(a?.data ?? [])).not.toEqual(Buffer.from(b?.data ?? []));
});

test('rotation: the newest key seals, every listed key opens; a dropped key no longer does', async () => {
  const [old, current] = [key('2025-01'), key('2025-02')];
  const before = new AesGcmCodec([old]);
  const [sealedBefore] = await before.encode([payloadOf(lead)]);
  const rotated = new AesGcmCodec([current, old]);
  expect(rotated.keyId).toBe('2025-02');
  const [sealedAfter] = await rotated.encode([payloadOf(lead)]);
  expect(Buffer.from(sealedAfter?.metadata?.['encryption-key-id'] ?? []).toString()).toBe('2025-02');
  for (const sealed of [sealedBefore, sealedAfter]) {
    const [opened] = await rotated.decode([sealed as Payload]);
    expect(defaultPayloadConverter.fromPayload(opened as Payload)).toEqual(lead);
  }
  await expect(new AesGcmCodec([current]).decode([sealedBefore as Payload])).rejects.toThrow(
    /codec key "2025-01", which is not configured/,
  );
  // The old key alone cannot open what the new one sealed.
  await expect(before.decode([sealedAfter as Payload])).rejects.toThrow(PayloadDecryptionError);
});

test('tamper detection: a changed byte anywhere, a cut payload or a relabelled key id does not open', async () => {
  const [k1, k2] = [key('k1'), key('k2')];
  const codec = new AesGcmCodec([k1, k2]);
  const [sealed] = (await codec.encode([payloadOf(lead)])) as [Payload];
  const data = Buffer.from(sealed.data ?? []);
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: data.length - 1 }), fc.integer({ min: 1, max: 255 }), async (at, flip) => {
      const changed = Buffer.from(data);
      changed[at] = (changed[at] ?? 0) ^ flip;
      await expect(codec.decode([{ ...sealed, data: changed }])).rejects.toThrow(PayloadDecryptionError);
    }),
    { numRuns: 300 },
  );
  await expect(codec.decode([{ ...sealed, data: data.subarray(0, 20) }])).rejects.toThrow(/cut short|changed/);
  // The same ciphertext presented as sealed by the other configured key: the key id is authenticated.
  const relabelled = { ...sealed, metadata: { ...sealed.metadata, 'encryption-key-id': Buffer.from('k2') } };
  await expect(codec.decode([relabelled])).rejects.toThrow(PayloadDecryptionError);
});

test('payloads written before the codec pass through; bad keys are refused naming them', async () => {
  const codec = new AesGcmCodec([key('k1')]);
  const plain = payloadOf(lead);
  expect(await codec.decode([plain])).toEqual([plain]);
  expect(() => new AesGcmCodec([])).toThrow(CodecKeyError);
  expect(() => new AesGcmCodec([{ id: 'k1', key: 'abcd' }])).toThrow(/k1: must be 32 bytes/);
  expect(() => new AesGcmCodec([key('k1'), key('k1')])).toThrow(/id of its own/);
  expect(() => new AesGcmCodec([key('no spaces please')])).toThrow(/codec key id/);
});
