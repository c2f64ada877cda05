// The data converter every Temporal client and worker of leadrelay uses: the default converters, the encrypting
// payload codec, and failures whose messages are encoded (and so encrypted) too.
import type { DataConverter } from '@temporalio/common';
import { AesGcmCodec, type CodecKey } from './aes-gcm-codec';

export const failureConverterPath = require.resolve('./failure-converter');

export function leadrelayDataConverter(keys: readonly CodecKey[]): DataConverter {
  return { payloadCodecs: [new AesGcmCodec(keys)], failureConverterPath };
}
