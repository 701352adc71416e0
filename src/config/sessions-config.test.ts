import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { loadConfig } from './config.ts';

const SECRET = 's'.repeat(40);

describe('sessions config', () => {
  it('defaults to an hour, at most a week, and a generated secret', () => {
    expect(loadConfig({ dataDir: 'memory://' }, {}).sessions).toEqual({
      defaultTtlSeconds: 3600,
      maxTtlSeconds: 604_800,
    });
  });

  it('takes the secret from the environment and keeps it beside lifetimes set explicitly', () => {
    const config = loadConfig(
      { dataDir: 'memory://', sessions: { defaultTtlSeconds: 900 } },
      { GROUNDWORK_SESSION_SECRET: SECRET },
    );
    expect(config.sessions).toEqual({ secret: SECRET, defaultTtlSeconds: 900, maxTtlSeconds: 604_800 });
  });

  it('refuses a short secret at start-up', () => {
    expect(() => loadConfig({ dataDir: 'memory://' }, { GROUNDWORK_SESSION_SECRET: 'short' })).toThrow(
      ConfigError,
    );
  });
});
