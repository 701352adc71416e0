import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { loadConfig } from './config.ts';

describe('answer cache config', () => {
  it('is on by default with a ten-minute TTL and a thousand entries', () => {
    expect(loadConfig({ dataDir: 'memory://' }, {}).cache.answers).toEqual({
      enabled: true,
      ttlSeconds: 600,
      maxEntries: 1000,
    });
  });

  it('is turned off by GROUNDWORK_ANSWER_CACHE=off, keeping sizes set explicitly', () => {
    const config = loadConfig(
      { dataDir: 'memory://', cache: { answers: { ttlSeconds: 30 } } },
      { GROUNDWORK_ANSWER_CACHE: 'off' },
    );
    expect(config.cache.answers).toEqual({ enabled: false, ttlSeconds: 30, maxEntries: 1000 });
  });

  it('rejects unknown keys and a zero size', () => {
    expect(() => loadConfig({ dataDir: 'memory://', cache: { answers: { maxEntries: 0 } } }, {})).toThrow(
      ConfigError,
    );
    expect(() => loadConfig({ dataDir: 'memory://', cache: { answer: {} } } as never, {})).toThrow(
      ConfigError,
    );
  });
});
