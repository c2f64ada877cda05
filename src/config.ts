// Every setting leadrelay reads from the environment, validated in one place. The README's table mirrors it.
import { z } from 'zod';

const port = z.coerce.number().int().min(1).max(65535);
const url = z.string().trim().min(1);

export const ConfigSchema = z.object({
  DATABASE_URL: url.optional(),
  TEMPORAL_ADDRESS: url.optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('leads'),
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
  LEADRELAY_LINK_SECRET: z.string().min(32, 'use at least 32 characters of random secret').optional(),
  LEADRELAY_CACHE_DIR: z.string().min(1).optional(),
  LEADRELAY_DATA_DIR: z.string().min(1).optional(),
  TEMPORAL_CLI_PATH: z.string().min(1).optional(),
  TEMPORAL_TEST_SERVER_PATH: z.string().min(1).optional(),
  TEMPORAL_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  POSTGRES_PORT: port.default(5433),
  SMTP_PORT: port.default(1025),
  MAIL_VIEWER_PORT: port.default(1080),
});
export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {}

/** Parses the environment; a bad value fails naming the variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const result = ConfigSchema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')),
  );
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  return result.data;
}

/** For processes that never start their own servers: these must be given. */
export function requireSetting<K extends keyof Config>(config: Config, key: K): NonNullable<Config[K]> {
  const value = config[key];
  if (value === undefined || value === null) throw new ConfigError(`${String(key)} must be set`);
  return value;
}
