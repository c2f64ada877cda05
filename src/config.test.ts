// Settings from the environment: defaults, unset-by-empty, and failures that name the variable.
import { randomBytes } from 'node:crypto';
import { ConfigError, linkSecretsOf, loadConfig, requireSetting, secretProblem } from './config';

describe('loadConfig', () => {
  test('an empty environment gets the documented defaults', () => {
    expect(loadConfig({})).toEqual({
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'leads',
      MAIL_FROM: 'leadrelay <leads@leadrelay.local>',
      API_HOST: '127.0.0.1',
      API_PORT: 3000,
      LEADRELAY_DIRECTORY: 'config/directory.json',
      LEADRELAY_LLM_BASE_URL: 'https://api.openai.com/v1',
      LEADRELAY_LLM_MODEL: 'gpt-4o-mini',
      LEADRELAY_MERGE_WINDOW_MINUTES: 30,
      LEADRELAY_POLICY: 'config/policy.yaml',
      LEADRELAY_BULK_SLOTS: 2,
      LEADRELAY_MAX_CACHED_WORKFLOWS: 250,
      LEADRELAY_METRICS_HOST: '127.0.0.1',
      TEMPORAL_PORT: 7233,
      TEMPORAL_UI_PORT: 8233,
      POSTGRES_PORT: 5433,
      SMTP_PORT: 1025,
      MAIL_VIEWER_PORT: 1080,
    });
  });

  test('given values win, and ports become numbers', () => {
    const config = loadConfig({ API_PORT: '8080', TEMPORAL_NAMESPACE: 'sales', DATABASE_URL: 'postgres://db/leads' });
    expect(config).toMatchObject({ API_PORT: 8080, TEMPORAL_NAMESPACE: 'sales', DATABASE_URL: 'postgres://db/leads' });
  });

  test('empty strings count as unset', () => {
    const config = loadConfig({ API_PORT: '', TEMPORAL_NAMESPACE: '', DATABASE_URL: '', SMTP_URL: undefined });
    expect(config.API_PORT).toBe(3000);
    expect(config.TEMPORAL_NAMESPACE).toBe('default');
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.SMTP_URL).toBeUndefined();
  });

  test('unrelated variables in the environment are ignored', () => {
    expect(loadConfig({ PATH: '/usr/bin', HOME: '/root' })).not.toHaveProperty('PATH');
  });

  test.each(['abc', '70000', '0', '3000.5'])('API_PORT=%s fails naming API_PORT', (value) => {
    expect(() => loadConfig({ API_PORT: value })).toThrow(ConfigError);
    expect(() => loadConfig({ API_PORT: value })).toThrow(/^API_PORT: /);
  });

  test('every bad variable is named in one error', () => {
    expect(() => loadConfig({ API_PORT: 'abc', SMTP_PORT: '99999' })).toThrow(/API_PORT: .*; SMTP_PORT: /);
  });
});

describe('requireSetting', () => {
  test('returns a setting that is there', () => {
    expect(requireSetting(loadConfig({ DATABASE_URL: 'postgres://db/leads' }), 'DATABASE_URL')).toBe(
      'postgres://db/leads',
    );
  });

  test('throws a ConfigError naming the missing variable', () => {
    const config = loadConfig({});
    expect(() => requireSetting(config, 'TEMPORAL_ADDRESS')).toThrow(ConfigError);
    expect(() => requireSetting(config, 'TEMPORAL_ADDRESS')).toThrow('TEMPORAL_ADDRESS must be set');
  });
});

describe('secrets', () => {
  const random = () => randomBytes(32).toString('hex');

  test.each([
    ['the placeholder docker-compose.yml once defaulted to', 'change-me-to-32-or-more-random-characters'],
    ['one character repeated', 'a'.repeat(64)],
    ['a word that says it is a placeholder', `changeme-${random().slice(0, 30)}`],
    ['too few distinct characters', 'abababababcdcdcdcdcdabababababcdcdcdcd'],
    ['too short', random().slice(0, 31)],
  ])('refuses %s, naming the variable and how to make one', (_what, value) => {
    expect(secretProblem(value)).not.toBeNull();
    expect(() => loadConfig({ LEADRELAY_LINK_SECRET: value })).toThrow(
      /^LEADRELAY_LINK_SECRET: .*openssl rand -hex 32/,
    );
  });

  test('accepts what openssl rand -hex 32 and -base64 32 make', () => {
    for (const value of [random(), randomBytes(32).toString('base64'), randomBytes(32).toString('base64url')])
      expect({ value, problem: secretProblem(value) }).toEqual({ value, problem: null });
  });

  test('a missing link secret says how to make one', () => {
    expect(() => requireSetting(loadConfig({}), 'LEADRELAY_LINK_SECRET')).toThrow(
      /LEADRELAY_LINK_SECRET must be set: make one with `openssl rand -hex 32`/,
    );
  });

  test('rotation: the current link secret first, then the previous ones; a weak previous one is refused too', () => {
    const [current, old1, old2] = [random(), random(), random()];
    const config = loadConfig({ LEADRELAY_LINK_SECRET: current, LEADRELAY_LINK_SECRET_PREVIOUS: `${old1}, ${old2},` });
    expect(linkSecretsOf(config)).toEqual([current, old1, old2]);
    expect(linkSecretsOf(loadConfig({ LEADRELAY_LINK_SECRET: current }))).toEqual([current]);
    expect(() =>
      loadConfig({ LEADRELAY_LINK_SECRET: current, LEADRELAY_LINK_SECRET_PREVIOUS: `${old1},short` }),
    ).toThrow(/^LEADRELAY_LINK_SECRET_PREVIOUS\.1: /);
  });

  test('codec keys: <id>:<64 hex digits>, newest first, ids distinct', () => {
    const [a, b] = [random(), random().toUpperCase()];
    expect(loadConfig({ LEADRELAY_CODEC_KEYS: `2025-02:${a},2025-01:${b}` }).LEADRELAY_CODEC_KEYS).toEqual([
      { id: '2025-02', key: a },
      { id: '2025-01', key: b.toLowerCase() },
    ]);
    expect(() => loadConfig({ LEADRELAY_CODEC_KEYS: `k:${a},k:${random()}` })).toThrow(/id of its own/);
    expect(() => loadConfig({ LEADRELAY_CODEC_KEYS: `k:${a.slice(2)}` })).toThrow(/^LEADRELAY_CODEC_KEYS\.0: .*64 hex/);
    expect(() => loadConfig({ LEADRELAY_CODEC_KEYS: ',' })).toThrow(/at least one key/);
  });
});
