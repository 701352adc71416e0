import { describe, expect, it } from 'vitest';
import { MemoryRateLimiter } from './rate-limit.ts';

describe('MemoryRateLimiter', () => {
  it('allows a burst, then refills at the configured rate and says how long to wait', () => {
    let now = 0;
    const limiter = new MemoryRateLimiter(
      { perKey: { requestsPerMinute: 60, burst: 2 }, perTenant: { requestsPerMinute: 6000, burst: 100 } },
      () => now,
    );
    expect(limiter.take('t', 'a')).toEqual({ allowed: true });
    expect(limiter.take('t', 'a')).toEqual({ allowed: true });
    expect(limiter.take('t', 'a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    now += 500;
    expect(limiter.take('t', 'a').allowed).toBe(false);
    now += 500;
    expect(limiter.take('t', 'a')).toEqual({ allowed: true });
    // The bucket never grows past its burst, however long the key was idle.
    now += 3_600_000;
    expect([1, 2, 3].map(() => limiter.take('t', 'a').allowed)).toEqual([true, true, false]);
  });

  it('spends the tenant bucket only for requests the key bucket let through', () => {
    const limiter = new MemoryRateLimiter(
      { perKey: { requestsPerMinute: 1, burst: 1 }, perTenant: { requestsPerMinute: 1, burst: 3 } },
      () => 0,
    );
    expect(limiter.take('t', 'a').allowed).toBe(true);
    for (let index = 0; index < 100; index++) expect(limiter.take('t', 'a').allowed).toBe(false);
    expect(limiter.take('t', 'b').allowed).toBe(true);
    expect(limiter.take('t', null).allowed).toBe(true);
    const spent = limiter.take('t', 'c');
    expect(spent).toEqual({ allowed: false, retryAfterSeconds: 60 });
    expect(limiter.take('other', 'd').allowed).toBe(true);
  });
});
