/**
 * Rate limits shared through Postgres: every API process spends from the same bucket, refills come
 * from the database's clock, and concurrent requests cannot take more than the bucket holds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroundwork, type Groundwork } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import type { Database } from '../store/database.ts';
import { testBackends } from '../testing/databases.ts';
import { createHttpApp } from './app.ts';
import { PostgresRateLimiter } from './postgres-rate-limiter.ts';
import { MemoryRateLimiter } from './rate-limit.ts';

const server = testBackends().find((backend) => backend.name === 'postgres');

describe.runIf(server)('rate limits shared through a Postgres server', () => {
  let db: Database;
  beforeAll(async () => {
    db = await (server as NonNullable<typeof server>).open();
  });
  afterAll(async () => {
    await db?.close();
  });
  const settings = (burst: number, tenantBurst = 1000) => ({
    perKey: { requestsPerMinute: 1, burst },
    perTenant: { requestsPerMinute: 1, burst: tenantBurst },
  });

  it('lets two processes together through the burst once, not once each', async () => {
    const first = new PostgresRateLimiter(db, settings(5));
    const second = new PostgresRateLimiter(db, settings(5));
    const decisions = [];
    for (let index = 0; index < 10; index++)
      decisions.push(await (index % 2 === 0 ? first : second).take('acme', 'k1'));
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(5);
    const denied = decisions.at(-1) as { allowed: false; retryAfterSeconds: number };
    expect(denied.retryAfterSeconds).toBeGreaterThanOrEqual(59);
    expect(denied.retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  it('never admits more than the bucket holds under concurrent requests', async () => {
    const limiters = Array.from({ length: 4 }, () => new PostgresRateLimiter(db, settings(10)));
    const decisions = await Promise.all(
      Array.from({ length: 60 }, (_, index) =>
        (limiters[index % 4] as PostgresRateLimiter).take('acme', 'k2'),
      ),
    );
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(10);
  });

  it('spends the tenant bucket only for requests the key let through, and refills by the database clock', async () => {
    const limiter = new PostgresRateLimiter(db, settings(1, 3));
    expect((await limiter.take('globex', 'a')).allowed).toBe(true);
    for (let index = 0; index < 20; index++) expect((await limiter.take('globex', 'a')).allowed).toBe(false);
    expect((await limiter.take('globex', 'b')).allowed).toBe(true);
    expect((await limiter.take('globex', 'c')).allowed).toBe(true);
    expect(await limiter.take('globex', 'd')).toEqual({ allowed: false, retryAfterSeconds: 60 });
    // Anonymous callers share the tenant's bucket.
    expect((await limiter.take('globex', null)).allowed).toBe(false);
    await db.query(`UPDATE rate_buckets SET updated_at = updated_at - interval '61 seconds'`);
    expect((await limiter.take('globex', 'a')).allowed).toBe(true);
    expect((await limiter.take('globex', null)).allowed).toBe(false);
  });

  it('forgets buckets once they have refilled', async () => {
    const limiter = new PostgresRateLimiter(db, settings(2, 2));
    await limiter.take('initech', 'old');
    await db.query(
      `UPDATE rate_buckets SET updated_at = updated_at - interval '1 day' WHERE id LIKE '%initech%' OR id = 'key:old'`,
    );
    expect(await limiter.prune()).toBeGreaterThanOrEqual(2);
    const { rows } = await db.query(`SELECT id FROM rate_buckets WHERE id IN ('key:old', 'tenant:initech')`);
    expect(rows).toEqual([]);
  });

  it('holds one limit across two API apps on one database', async () => {
    const config = loadConfig({
      dataDir: 'memory://',
      auth: 'off',
      rateLimits: {
        perKey: { requestsPerMinute: 1, burst: 1 },
        perTenant: { requestsPerMinute: 1, burst: 3 },
      },
    });
    const apps: Groundwork[] = [
      await createGroundwork(config, { db }),
      await createGroundwork(config, { db }),
    ];
    try {
      expect(apps.every((app) => app.rateLimiter instanceof PostgresRateLimiter)).toBe(true);
      const https = apps.map((app) => createHttpApp(app));
      const statuses = [];
      for (let index = 0; index < 8; index++) {
        const response = await (https[index % 2] as (typeof https)[number]).request('/v1/search', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: 'returns' }),
        });
        statuses.push(response.status);
        if (response.status === 429) expect(response.headers.get('retry-after')).toBe('60');
      }
      expect(statuses.filter((status) => status === 200)).toHaveLength(3);
      expect(statuses.filter((status) => status === 429)).toHaveLength(5);
    } finally {
      for (const app of apps) await app.close();
    }
  });
});

describe('the embedded database keeps rate limits in memory (one process owns it)', () => {
  it('chooses the memory limiter on PGlite', async () => {
    const app = await createGroundwork(loadConfig({ dataDir: 'memory://' }));
    try {
      expect(app.rateLimiter).toBeInstanceOf(MemoryRateLimiter);
    } finally {
      await app.close();
    }
  });
});
