// Optional: classifies inquiries with an OpenAI-compatible chat endpoint instead of the offline model. Enabled only
// when LEADRELAY_LLM_API_KEY is set; any failure falls back to the offline classifier, so a lead is never stuck on it.
import { z } from 'zod';
import type { Classification, ClassifyInput, LeadClassifier } from '../src/classification/classifier';
import { spamKinds } from '../src/classification/corpus';
import { readTimeline, urgencyOfTimeline } from '../src/classification/timeline';
import { tokenise } from '../src/classification/tokens';
import { urgencies } from '../src/classification/urgency';

/** Like LeadClassifier, but over the network: the answer is a promise. */
export interface AsyncLeadClassifier {
  readonly serviceLines: readonly string[];
  classify(input: ClassifyInput): Promise<Classification>;
}

export interface LlmClassifierOptions {
  apiKey: string;
  /** The API root, e.g. https://api.openai.com/v1 or a self-hosted vLLM/Ollama OpenAI-compatible server. */
  baseUrl: string;
  model: string;
  /** The offline classifier: its service lines are the labels, and it answers when the endpoint does not. */
  fallback: LeadClassifier;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const probability = z.number().min(0).max(1);

function answerSchema(serviceLines: readonly string[]) {
  return z.object({
    serviceLine: z.enum(serviceLines as [string, ...string[]]),
    urgency: z.enum(urgencies),
    spam: z.boolean(),
    spamKind: z.enum(spamKinds).nullish(),
    confidence: z.object({ serviceLine: probability, urgency: probability, spam: probability }),
    reasons: z.array(z.string().min(1)).min(1).max(6),
  });
}

const ChatCompletionSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string() }) })).min(1),
});

function systemPrompt(serviceLines: readonly string[]): string {
  return [
    'You classify inbound inquiries to an IT services firm. They may be in English, Spanish, German or French.',
    `serviceLine: one of ${serviceLines.join(', ')}. "support" is an EXISTING customer asking for help or complaining; "other" is anything that is not a request for these services (jobs, press, private persons).`,
    'urgency: "now" (something is broken or under attack, or they ask for today/ASAP), "this-week", "this-month", or "none" (no timeline, or later).',
    'spam: true for sales pitches to us (SEO, backlinks, lead lists, crypto, guest posts), test submissions ("test", "asdf", lorem ipsum) and gibberish; spamKind then is "sales-spam", "test" or "gibberish", else null.',
    'confidence: your probability for each of the three answers. reasons: 1 to 3 short sentences quoting the words that decided.',
    'Answer with one JSON object with exactly the keys serviceLine, urgency, spam, spamKind, confidence, reasons.',
  ].join('\n');
}

export function createLlmClassifier(options: LlmClassifierOptions): AsyncLeadClassifier {
  const { fallback } = options;
  const serviceLines = fallback.serviceLines;
  const schema = answerSchema(serviceLines);
  const doFetch = options.fetch ?? fetch;
  const endpoint = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;

  async function ask(text: string): Promise<z.infer<typeof schema>> {
    const response = await doFetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.apiKey}` },
      body: JSON.stringify({
        model: options.model,
        temperature: 0,
        response_format: { type: 'json_object' },
        messages: [
          { role: 'system', content: systemPrompt(serviceLines) },
          { role: 'user', content: text.slice(0, 8000) },
        ],
      }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const completion = ChatCompletionSchema.parse(await response.json());
    const parsed = schema.safeParse(JSON.parse(completion.choices[0]!.message.content));
    if (!parsed.success)
      throw new Error(
        `answer did not fit: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(answer)'}: ${i.message}`).join('; ')}`,
      );
    return parsed.data;
  }

  return {
    serviceLines,
    async classify(input) {
      let answer: z.infer<typeof schema>;
      try {
        answer = await ask(input.text);
      } catch (error) {
        const offline = fallback.classify(input);
        return {
          ...offline,
          reasons: [
            `LLM classifier unavailable (${error instanceof Error ? error.message : String(error)}); the offline model answered`,
            ...offline.reasons,
          ],
        };
      }
      // Deadlines are read here, not by the model: the same words must give the same due date either way.
      const timeline = readTimeline(input.text, input.receivedAt, input.timeZone);
      const reasons = answer.reasons.map((r) => `LLM: ${r}`);
      let { urgency } = answer;
      let urgencyConfidence = answer.confidence.urgency;
      if (timeline) {
        const fromDate = urgencyOfTimeline(timeline, input.receivedAt, input.timeZone);
        if (fromDate.urgency !== urgency)
          reasons.push(
            `'${timeline.text}' is due ${timeline.dueBy} → ${fromDate.urgency} (explicit dates win over the LLM's ${urgency})`,
          );
        urgency = fromDate.urgency;
        urgencyConfidence = 1;
      }
      return {
        serviceLine: answer.serviceLine,
        urgency,
        spam: answer.spam,
        ...(answer.spam ? { spamKind: answer.spamKind ?? 'sales-spam' } : {}),
        timeline,
        confidence: {
          serviceLine: answer.confidence.serviceLine,
          urgency: urgencyConfidence,
          spam: answer.confidence.spam,
        },
        reasons,
        language: tokenise(input.text).language,
      };
    },
  };
}

/**
 * The LLM classifier when LEADRELAY_LLM_API_KEY is set (LEADRELAY_LLM_BASE_URL, default the OpenAI API;
 * LEADRELAY_LLM_MODEL, default gpt-4o-mini), else null: the default stays offline.
 */
export function llmClassifierFromEnv(
  env: Record<string, string | undefined>,
  fallback: LeadClassifier,
  fetchImpl?: typeof fetch,
): AsyncLeadClassifier | null {
  const apiKey = env.LEADRELAY_LLM_API_KEY?.trim();
  if (!apiKey) return null;
  const baseUrl = env.LEADRELAY_LLM_BASE_URL?.trim() || 'https://api.openai.com/v1';
  try {
    new URL(baseUrl);
  } catch {
    throw new Error(`LEADRELAY_LLM_BASE_URL: not a URL: ${JSON.stringify(baseUrl)}`);
  }
  return createLlmClassifier({
    apiKey,
    baseUrl,
    model: env.LEADRELAY_LLM_MODEL?.trim() || 'gpt-4o-mini',
    fallback,
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
}
