// What a workflow history shows: every string in it and every payload's bytes, as text; with the codec, the
// payloads as the Web UI shows them to someone the codec server lets in.
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';

/** Every string of the history and every byte field as UTF-8, payloads opened by `codec` when one is given. */
export async function historyText(history: temporal.api.history.v1.IHistory, codec?: PayloadCodec): Promise<string> {
  const texts: string[] = [];
  const visit = async (value: unknown): Promise<void> => {
    if (value instanceof Uint8Array) {
      texts.push(Buffer.from(value).toString('utf8'));
      return;
    }
    if (typeof value === 'string') {
      texts.push(value);
      return;
    }
    if (Array.isArray(value)) {
      for (const item of value) await visit(item);
      return;
    }
    if (!value || typeof value !== 'object') return;
    if (codec && isPayload(value)) {
      const [opened] = await codec.decode([value]);
      value = opened;
    }
    for (const field of Object.values(value as Record<string, unknown>)) await visit(field);
  };
  await visit(history);
  return texts.join('\n');
}

function isPayload(value: object): value is Payload {
  const v = value as { data?: unknown; metadata?: unknown };
  return v.data instanceof Uint8Array && typeof v.metadata === 'object' && v.metadata !== null;
}
