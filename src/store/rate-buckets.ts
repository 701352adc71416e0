/**
 * @module store/rate-buckets
 * Token buckets in Postgres: one statement takes a token from a key's bucket and, only when that
 * succeeded, from its tenant's, refilling both by the time passed on the database's clock (one clock
 * for every API process, whatever theirs say). A denied take leaves the bucket's balance as it was.
 */
import type { SqlExecutor } from './database.ts';

/** A bucket's rate and size. */
export interface BucketRate {
  readonly perSecond: number;
  readonly burst: number;
}

/** The balance a take left, per bucket it touched. */
export interface BucketTake {
  readonly allowed: boolean;
  /** Tokens left (below 1 when denied). */
  readonly tokens: number;
  /** Which bucket denied it. */
  readonly deniedBy?: 'key' | 'tenant';
}

// The refilled balance, written out in each place it is needed (SQL cannot name it once).
const REFILL = (rate: string, burst: string) =>
  `LEAST(${burst}::float8, b.tokens + EXTRACT(EPOCH FROM clock_timestamp() - b.updated_at) * ${rate}::float8)`;

const UPSERT = (id: string, rate: string, burst: string) => `
  INSERT INTO rate_buckets AS b (id, tokens, allowed, updated_at)
  VALUES (${id}, ${burst}::float8 - 1, true, clock_timestamp())
  ON CONFLICT (id) DO UPDATE SET
    tokens = CASE WHEN ${REFILL(rate, burst)} >= 1 THEN ${REFILL(rate, burst)} - 1 ELSE ${REFILL(rate, burst)} END,
    allowed = ${REFILL(rate, burst)} >= 1,
    updated_at = clock_timestamp()`;

/** Takes one token from `keyBucket` (when given) and then from `tenantBucket`, in one statement. */
export async function takeTokens(
  db: SqlExecutor,
  keyBucket: { readonly id: string; readonly rate: BucketRate } | undefined,
  tenantBucket: { readonly id: string; readonly rate: BucketRate },
): Promise<BucketTake> {
  if (!keyBucket) {
    const { rows } = await db.query<{ allowed: boolean; tokens: number }>(
      `${UPSERT('$1', '$2', '$3')} RETURNING allowed, tokens`,
      [tenantBucket.id, tenantBucket.rate.perSecond, tenantBucket.rate.burst],
    );
    const row = rows[0] as { allowed: boolean; tokens: number };
    return row.allowed ? row : { ...row, deniedBy: 'tenant' };
  }
  const { rows } = await db.query<{
    keyAllowed: boolean;
    keyTokens: number;
    tenantAllowed: boolean | null;
    tenantTokens: number | null;
  }>(
    `WITH k AS (${UPSERT('$1', '$2', '$3')} RETURNING allowed, tokens),
     t AS (
       INSERT INTO rate_buckets AS b (id, tokens, allowed, updated_at)
       SELECT $4, $6::float8 - 1, true, clock_timestamp() FROM k WHERE k.allowed
       ON CONFLICT (id) DO UPDATE SET
         tokens = CASE WHEN ${REFILL('$5', '$6')} >= 1 THEN ${REFILL('$5', '$6')} - 1 ELSE ${REFILL('$5', '$6')} END,
         allowed = ${REFILL('$5', '$6')} >= 1,
         updated_at = clock_timestamp()
       RETURNING allowed, tokens)
     SELECT k.allowed AS "keyAllowed", k.tokens AS "keyTokens", t.allowed AS "tenantAllowed", t.tokens AS "tenantTokens"
     FROM k LEFT JOIN t ON true`,
    [
      keyBucket.id,
      keyBucket.rate.perSecond,
      keyBucket.rate.burst,
      tenantBucket.id,
      tenantBucket.rate.perSecond,
      tenantBucket.rate.burst,
    ],
  );
  const row = rows[0] as (typeof rows)[number];
  if (!row.keyAllowed) return { allowed: false, tokens: row.keyTokens, deniedBy: 'key' };
  if (!row.tenantAllowed) return { allowed: false, tokens: row.tenantTokens ?? 0, deniedBy: 'tenant' };
  return { allowed: true, tokens: Math.min(row.keyTokens, row.tenantTokens ?? row.keyTokens) };
}

/** Deletes buckets idle long enough to be full again (they equal a new bucket). */
export async function dropFullBuckets(db: SqlExecutor, idleSeconds: number): Promise<number> {
  const { affectedRows } = await db.query(
    `DELETE FROM rate_buckets WHERE updated_at < clock_timestamp() - make_interval(secs => $1)`,
    [idleSeconds],
  );
  return affectedRows ?? 0;
}
