import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { loadConfig } from './config.ts';

describe('database config', () => {
  it('defaults to a pool of 10, a 60 s statement timeout, 5 s to connect, 30 s idle, no replica', () => {
    expect(loadConfig({ dataDir: 'memory://' }, {}).database).toEqual({
      poolSize: 10,
      statementTimeoutMs: 60_000,
      connectionTimeoutMs: 5_000,
      idleTimeoutMs: 30_000,
      breakStaleLock: false,
    });
  });

  it('reads the environment, and a config file value wins over it key by key', () => {
    const config = loadConfig(
      { database: { poolSize: 4 } },
      {
        DATABASE_URL: 'postgres://db.internal/groundwork',
        DATABASE_REPLICA_URL: 'postgres://replica.internal/groundwork',
        GROUNDWORK_DB_POOL_SIZE: '25',
        GROUNDWORK_DB_STATEMENT_TIMEOUT_MS: '0',
        GROUNDWORK_DB_CONNECTION_TIMEOUT_MS: '2000',
        GROUNDWORK_DB_IDLE_TIMEOUT_MS: '10000',
        GROUNDWORK_BREAK_STALE_LOCK: '1',
      },
    );
    expect(config.database).toEqual({
      poolSize: 4,
      statementTimeoutMs: 0,
      connectionTimeoutMs: 2000,
      idleTimeoutMs: 10_000,
      replicaUrl: 'postgres://replica.internal/groundwork',
      breakStaleLock: true,
    });
  });

  it('names the variable to fix when a value is not usable', () => {
    const attempt = (env: Record<string, string>) => () => loadConfig({ dataDir: 'memory://' }, env);
    expect(attempt({ GROUNDWORK_DB_POOL_SIZE: 'lots' })).toThrow(
      /GROUNDWORK_DB_POOL_SIZE to a whole number from 1 to 1000/,
    );
    expect(attempt({ GROUNDWORK_DB_POOL_SIZE: '0' })).toThrow(/GROUNDWORK_DB_POOL_SIZE/);
    expect(attempt({ GROUNDWORK_DB_STATEMENT_TIMEOUT_MS: '-5' })).toThrow(
      /GROUNDWORK_DB_STATEMENT_TIMEOUT_MS/,
    );
    expect(attempt({ DATABASE_URL: 'postgres://db/x', DATABASE_REPLICA_URL: 'mysql://r/x' })).toThrow(
      /DATABASE_REPLICA_URL to a postgres:\/\/ URL/,
    );
    expect(attempt({ DATABASE_REPLICA_URL: 'postgres://replica/x' })).toThrow(ConfigError);
    expect(attempt({ DATABASE_REPLICA_URL: 'postgres://replica/x' })).toThrow(/without DATABASE_URL/);
  });
});
