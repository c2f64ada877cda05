// Settings from the environment: defaults, unset-by-empty, and failures that name the variable.
import { ConfigError, loadConfig, requireSetting } from './config';

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
