// Every setting leadrelay reads from the environment, validated in one place. The README's table mirrors it.
import { z } from 'zod';

const port = z.coerce.number().int().min(1).max(65535);
const url = z.string().trim().min(1);

/** How to make a secret, said wherever one is missing or refused. */
export const makeSecretHint =
  "make one with `openssl rand -hex 32` or `node -e \"console.log(require('crypto').randomBytes(32).toString('hex'))\"`";

// Placeholders that once shipped in examples: a value anyone can read in a repository signs nothing.
const knownSecrets = new Set(['change-me-to-32-or-more-random-characters']);

/**
 * Why a secret is not good enough, or null. Besides the length: no published placeholder, no word that says it is
 * one, and at least about 128 bits as its length and alphabet suggest (64 hex digits are 256).
 */
export function secretProblem(secret: string): string | null {
  if (secret.length < 32) return 'use at least 32 characters of random secret';
  if (knownSecrets.has(secret) || /change-?me|placeholder|example|your[-_ ]?secret|x{6,}|0{8,}/i.test(secret))
    return 'this is a placeholder, not a secret';
  const distinct = new Set(secret).size;
  if (distinct < 10 || secret.length * Math.log2(distinct) < 128) return 'this does not look random enough';
  return null;
}

const secret = z.string().superRefine((value, ctx) => {
  const problem = secretProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: `${problem}; ${makeSecretHint}` });
});

/** A comma-separated list; empty entries (a trailing comma) are dropped. */
const list = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item));

/**
 * One payload-codec key: `<id>:<64 hex digits>` (256 bits). The id is written into every payload it encrypts, so
 * a payload finds its key after rotation.
 */
const codecKey = z
  .string()
  .regex(
    /^[A-Za-z0-9._-]{1,40}:[0-9a-fA-F]{64}$/,
    `write each key as <id>:<64 hex digits>, e.g. 2025-01:$(openssl rand -hex 32)`,
  )
  .transform((value) => {
    const [id, hex] = value.split(':') as [string, string];
    return { id, key: hex.toLowerCase() };
  });

export const ConfigSchema = z.object({
  DATABASE_URL: url.optional(),
  TEMPORAL_ADDRESS: url.optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  /** mTLS to a self-hosted cluster or Temporal Cloud: PEM files of this client's certificate and its key. */
  TEMPORAL_TLS_CERT: z.string().min(1).optional(),
  TEMPORAL_TLS_KEY: z.string().min(1).optional(),
  /** The server's CA (PEM file) when the operating system does not trust it. */
  TEMPORAL_TLS_CA: z.string().min(1).optional(),
  /** The name the server's certificate carries, when it is not the host of TEMPORAL_ADDRESS. */
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  /** TLS with the system's trust store and no client certificate (implied by an API key or a certificate). */
  TEMPORAL_TLS: z.stringbool({ error: 'TEMPORAL_TLS is true or false' }).optional(),
  /** A Temporal Cloud API key (sent as a bearer token over TLS); never logged. */
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('leads'),
  /** Where partner batches' leads run (default `<TEMPORAL_TASK_QUEUE>-bulk`): few slots, so imports never hold up hot leads. */
  TEMPORAL_BULK_TASK_QUEUE: z.string().min(1).optional(),
  /** Bulk lead tasks (workflow tasks, and activities) each worker runs at once. */
  LEADRELAY_BULK_SLOTS: z.coerce.number().int().min(1).max(1000).default(2),
  /**
   * Lead workflows a worker keeps in memory between tasks. A lead waiting a day on its SLA needs none: one evicted is
   * replayed from its history when its next task comes, so this bounds the worker's memory, not how many leads run.
   */
  LEADRELAY_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(100_000).default(250),
  SMTP_URL: url.optional(),
  MAIL_FROM: z.string().min(3).default('leadrelay <leads@leadrelay.local>'),
  /** Alerted about a lead that needs a person before any team was chosen for it; defaults to MAIL_FROM. */
  LEADRELAY_OPS_EMAIL: z.string().min(3).optional(),
  API_HOST: z.string().min(1).default('127.0.0.1'),
  API_PORT: port.default(3000),
  PUBLIC_API_URL: url.optional(),
  LEADRELAY_DIRECTORY: z.string().min(1).default('config/directory.json'),
  LEADRELAY_POLICY: z.string().min(1).default('config/policy.yaml'),
  LEADRELAY_CLASSIFIER_CORPUS: z.string().min(1).optional(),
  LEADRELAY_MERGE_WINDOW_MINUTES: z.coerce
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 60)
    .default(30),
  LEADRELAY_LLM_API_KEY: z.string().min(1).optional(),
  LEADRELAY_LLM_BASE_URL: z.url().default('https://api.openai.com/v1'),
  LEADRELAY_LLM_MODEL: z.string().min(1).default('gpt-4o-mini'),
  LEADRELAY_LINK_SECRET: secret.optional(),
  LEADRELAY_LINK_SECRET_PREVIOUS: list(secret).optional(),
  LEADRELAY_CODEC_KEYS: list(codecKey)
    .refine((keys) => keys.length > 0, 'give at least one key')
    .refine((keys) => new Set(keys.map((k) => k.id)).size === keys.length, 'every key needs an id of its own')
    .optional(),
  LEADRELAY_CODEC_CORS_ORIGINS: list(
    z.string().regex(/^https?:\/\/[^/\s]+$/, 'an origin is scheme://host[:port], e.g. http://localhost:8233'),
  ).optional(),
  /** The Temporal Web UI as managers open it (e.g. http://localhost:8233): the dashboard links leads' workflows there. */
  LEADRELAY_WEB_UI_URL: z
    .string()
    .regex(/^https?:\/\/[^\s]+[^/\s]$/, 'a URL without a trailing slash, e.g. http://localhost:8233')
    .optional(),
  /** Serve Prometheus metrics (`GET /metrics`) on this port; off when unset (`npm start`: 9464). */
  LEADRELAY_METRICS_PORT: port.optional(),
  LEADRELAY_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** The Temporal SDK's own Prometheus exporter (worker and connection metrics) at host:port; off when unset. */
  TEMPORAL_METRICS_ADDRESS: z
    .string()
    .regex(/^[^\s:]+:\d{1,5}$/, 'TEMPORAL_METRICS_ADDRESS is host:port, e.g. 0.0.0.0:9465')
    .optional(),
  LEADRELAY_CACHE_DIR: z.string().min(1).optional(),
  LEADRELAY_DATA_DIR: z.string().min(1).optional(),
  TEMPORAL_CLI_PATH: z.string().min(1).optional(),
  /** Workflow code bundled ahead of time (bundleWorkflowCode): a worker then starts polling in seconds. */
  LEADRELAY_WORKFLOW_BUNDLE: z.string().min(1).optional(),
  TEMPORAL_TEST_SERVER_PATH: z.string().min(1).optional(),
  TEMPORAL_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  POSTGRES_PORT: port.default(5433),
  SMTP_PORT: port.default(1025),
  MAIL_VIEWER_PORT: port.default(1080),
});
export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {}

const secretHints: Partial<Record<keyof Config, string>> = {
  LEADRELAY_LINK_SECRET: makeSecretHint,
  LEADRELAY_CODEC_KEYS: 'write <id>:<64 hex digits>, e.g. LEADRELAY_CODEC_KEYS=2025-01:$(openssl rand -hex 32)',
};
const secretSettings = new Set(Object.keys(secretHints));

/** Parses the environment; a bad value fails naming the variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const result = ConfigSchema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')),
  );
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  const { TEMPORAL_TLS_CERT: cert, TEMPORAL_TLS_KEY: key } = result.data;
  if (Boolean(cert) !== Boolean(key))
    throw new ConfigError(
      `${cert ? 'TEMPORAL_TLS_KEY' : 'TEMPORAL_TLS_CERT'}: a client certificate and its key come together; set both or neither`,
    );
  return result.data;
}

/** The link secrets newest first: LEADRELAY_LINK_SECRET signs, it and LEADRELAY_LINK_SECRET_PREVIOUS verify. */
export function linkSecretsOf(config: Config): string[] {
  return [requireSetting(config, 'LEADRELAY_LINK_SECRET'), ...(config.LEADRELAY_LINK_SECRET_PREVIOUS ?? [])];
}

/** For processes that never start their own servers: these must be given. */
export function requireSetting<K extends keyof Config>(config: Config, key: K): NonNullable<Config[K]> {
  const value = config[key];
  if (value === undefined || value === null)
    throw new ConfigError(`${String(key)} must be set${secretSettings.has(key) ? `: ${secretHints[key]}` : ''}`);
  return value;
}

export function bulkTaskQueueOf(config: Pick<Config, 'TEMPORAL_TASK_QUEUE' | 'TEMPORAL_BULK_TASK_QUEUE'>): string {
  return config.TEMPORAL_BULK_TASK_QUEUE ?? `${config.TEMPORAL_TASK_QUEUE}-bulk`;
}
