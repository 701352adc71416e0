/**
 * @module config/database-config
 * The `database` section of the configuration (pool, timeouts, read replica, the embedded lock); the
 * variables that map onto it are in config/env-vars.ts. `DATABASE_URL` itself stays at the top level.
 */
import { z } from 'zod';

const whole = (variable: string, min: number, max: number) =>
  z
    .number({ error: `set ${variable} to a whole number from ${min} to ${max}` })
    .int(`set ${variable} to a whole number from ${min} to ${max}`)
    .min(min, `set ${variable} to a whole number from ${min} to ${max}`)
    .max(max, `set ${variable} to a whole number from ${min} to ${max}`);

/** The `database` section. */
export const databaseSchema = z
  .object({
    /**
     * Connections per process to the Postgres server (GROUNDWORK_DB_POOL_SIZE); the replica gets a
     * pool of the same size. Keep processes × poolSize below the server's max_connections.
     */
    poolSize: whole('GROUNDWORK_DB_POOL_SIZE', 1, 1000).default(10),
    /** The server cancels statements running longer, 0 for never (GROUNDWORK_DB_STATEMENT_TIMEOUT_MS). */
    statementTimeoutMs: whole('GROUNDWORK_DB_STATEMENT_TIMEOUT_MS', 0, 86_400_000).default(60_000),
    /** Longest wait for a connection, new or from a busy pool (GROUNDWORK_DB_CONNECTION_TIMEOUT_MS). */
    connectionTimeoutMs: whole('GROUNDWORK_DB_CONNECTION_TIMEOUT_MS', 100, 600_000).default(5_000),
    /** Idle connections are closed after this long (GROUNDWORK_DB_IDLE_TIMEOUT_MS). */
    idleTimeoutMs: whole('GROUNDWORK_DB_IDLE_TIMEOUT_MS', 0, 86_400_000).default(30_000),
    /** A read replica for search, listings, traces and usage (DATABASE_REPLICA_URL); needs `databaseUrl`. */
    replicaUrl: z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/, 'set DATABASE_REPLICA_URL to a postgres:// URL')
      .optional(),
    /**
     * Take over the embedded data directory's lock when its holder stopped heart-beating long ago (a
     * lock left on a network volume by a host that is gone): GROUNDWORK_BREAK_STALE_LOCK=1, once.
     */
    breakStaleLock: z.boolean().default(false),
  })
  .strict();

/** The validated `database` section. */
export type DatabaseConfig = z.infer<typeof databaseSchema>;
