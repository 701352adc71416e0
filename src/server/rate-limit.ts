/**
 * @module server/rate-limit
 * Token buckets, one per API key and one per tenant. A request takes a token from its key's bucket
 * first and only then from its tenant's, so a key that floods is stopped by its own bucket and cannot
 * drain what its tenant's other keys need. Two adapters: buckets in this process's memory (the
 * embedded database has one process), and buckets in Postgres shared by every API process
 * (`server/postgres-rate-limiter.ts`), so N processes behind a load balancer allow the rate once, not N times.
 */

/** A bucket's settings. */
export interface BucketSettings {
  readonly requestsPerMinute: number;
  readonly burst: number;
}

/** The limiter's settings. */
export interface RateLimitSettings {
  readonly perKey: BucketSettings;
  readonly perTenant: BucketSettings;
}

/** The verdict for one request. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Above this many buckets, full (idle) ones are dropped: they are equivalent to a new bucket. */
const MAX_BUCKETS = 10_000;

/** Takes a token for a request, or says how long to wait. */
export interface RateLimiter {
  /** `keyId` is null for anonymous callers, who share their tenant's bucket only. */
  take(tenantId: string, keyId: string | null): RateDecision | Promise<RateDecision>;
}

/** Per-key and per-tenant token buckets in this process's memory. */
export class MemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly settings: RateLimitSettings,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes a token for `keyId` (null for anonymous callers) and `tenantId`, or says how long to wait. */
  take(tenantId: string, keyId: string | null): RateDecision {
    const time = this.now();
    if (keyId !== null) {
      const decision = this.takeFrom(`key:${keyId}`, this.settings.perKey, time);
      if (!decision.allowed) return decision;
    }
    return this.takeFrom(`tenant:${tenantId}`, this.settings.perTenant, time);
  }

  private takeFrom(id: string, settings: BucketSettings, time: number): RateDecision {
    const perMs = settings.requestsPerMinute / 60_000;
    let bucket = this.buckets.get(id);
    if (!bucket) {
      if (this.buckets.size >= MAX_BUCKETS) this.dropFullBuckets(time);
      bucket = { tokens: settings.burst, updatedAt: time };
      this.buckets.set(id, bucket);
    }
    bucket.tokens = Math.min(settings.burst, bucket.tokens + (time - bucket.updatedAt) * perMs);
    bucket.updatedAt = time;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000)) };
  }

  private dropFullBuckets(time: number): void {
    const settings = this.settings;
    for (const [id, bucket] of this.buckets) {
      const bucketSettings = id.startsWith('key:') ? settings.perKey : settings.perTenant;
      const refilled =
        bucket.tokens + (time - bucket.updatedAt) * (bucketSettings.requestsPerMinute / 60_000);
      if (refilled >= bucketSettings.burst) this.buckets.delete(id);
    }
  }
}
