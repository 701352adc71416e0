/**
 * @module server/postgres-rate-limiter
 * The rate limiter of a Postgres-server deployment: buckets live in the database (store/rate-buckets),
 * so every API process spends from the same bucket and a client gets the configured rate once, not
 * once per process. Cost: one statement per request (two bucket rows, each locked only for that
 * statement).
 */
import type { SqlExecutor } from '../store/database.ts';
import { dropFullBuckets, takeTokens } from '../store/rate-buckets.ts';
import type { BucketSettings, RateDecision, RateLimiter, RateLimitSettings } from './rate-limit.ts';

/** Rate limits shared through the database. */
export class PostgresRateLimiter implements RateLimiter {
  constructor(
    private readonly db: SqlExecutor,
    private readonly settings: RateLimitSettings,
  ) {}

  async take(tenantId: string, keyId: string | null): Promise<RateDecision> {
    const key = keyId === null ? undefined : { id: `key:${keyId}`, rate: rateOf(this.settings.perKey) };
    const tenant = { id: `tenant:${tenantId}`, rate: rateOf(this.settings.perTenant) };
    const taken = await takeTokens(this.db, key, tenant);
    if (taken.allowed) return { allowed: true };
    const rate = taken.deniedBy === 'key' ? (key as { rate: { perSecond: number } }).rate : tenant.rate;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - taken.tokens) / rate.perSecond)) };
  }

  /** Forgets buckets that have refilled (maintenance; any process may run it). */
  prune(): Promise<number> {
    const slowest = [this.settings.perKey, this.settings.perTenant].map(
      (bucket) => bucket.burst / rateOf(bucket).perSecond,
    );
    return dropFullBuckets(this.db, Math.ceil(Math.max(...slowest)));
  }
}

function rateOf(bucket: BucketSettings) {
  return { perSecond: bucket.requestsPerMinute / 60, burst: bucket.burst };
}
