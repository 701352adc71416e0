import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAnswer } from '../store/answers.ts';
import type { Database } from '../store/database.ts';
import { testBackends } from '../testing/databases.ts';
import { checkQuota, KeyQuotas, periodOf } from './key-quotas.ts';
import { ApiKeyService } from './keys.ts';

const CLI = { actor: 'cli' } as const;

async function recordAnswer(db: Database, tenantId: string, keyId: string, tokens: number, at?: Date) {
  const id = `${keyId.slice(0, 8)}${Math.random().toString(16).slice(2)}`;
  await insertAnswer(db, {
    id,
    tenantId,
    userId: keyId,
    conversationId: null,
    question: 'q',
    answer: 'a',
    citations: [],
    mode: 'generative',
    model: 'test:scripted',
    promptName: null,
    promptVersion: null,
    experimentId: null,
    experimentArm: null,
    inputTokens: tokens - 1,
    outputTokens: 1,
    costUsd: 0,
    priced: false,
    latencyMs: 1,
  });
  if (at) await db.query('UPDATE answers SET created_at = $2 WHERE id = $1', [id, at]);
}

describe('quota periods', () => {
  it('are UTC days and calendar months, across year ends', () => {
    const late = new Date('2026-12-31T23:30:00Z');
    expect(periodOf('day', late)).toEqual({
      start: new Date('2026-12-31T00:00:00Z'),
      resetsAt: new Date('2027-01-01T00:00:00Z'),
    });
    expect(periodOf('month', late)).toEqual({
      start: new Date('2026-12-01T00:00:00Z'),
      resetsAt: new Date('2027-01-01T00:00:00Z'),
    });
  });

  it('refuse quotas that limit nothing or are not whole positive numbers', () => {
    expect(() => checkQuota({ period: 'day' })).toThrow(/requests, tokens or both/);
    expect(() => checkQuota({ period: 'day', requests: 0 })).toThrow(/positive whole/);
    expect(() => checkQuota({ period: 'day', tokens: 1.5 })).toThrow(/positive whole/);
    expect(() => checkQuota({ period: 'week' as 'day', requests: 1 })).toThrow(/day, month/);
    expect(checkQuota({ period: 'month', tokens: 10 })).toEqual({ period: 'month', tokens: 10 });
  });
});

for (const backend of testBackends()) {
  describe(`key quotas on ${backend.name}`, () => {
    let db: Database;
    let keys: ApiKeyService;
    let now = new Date('2026-11-27T23:00:00Z');
    let quotas: KeyQuotas;

    beforeAll(async () => {
      db = await backend.open();
      keys = new ApiKeyService(db);
      quotas = new KeyQuotas(db, { now: () => now });
    }, 120_000);
    afterAll(async () => {
      await db?.close();
    });

    it('counts requests up to the limit, then refuses until the period resets', async () => {
      now = new Date('2026-11-27T23:00:00Z');
      const { key } = await keys.create(
        { tenantId: 'acme', name: 'metered', role: 'customer', quota: { period: 'day', requests: 3 } },
        CLI,
      );
      const caller = { keyId: key.id, tenantId: 'acme' };
      const quota = key.quota!;
      const verdicts = [];
      for (let index = 0; index < 5; index++) verdicts.push(await quotas.admit(caller, quota, false));
      expect(verdicts.map((verdict) => verdict.allowed)).toEqual([true, true, true, false, false]);
      expect(verdicts[3]).toEqual({
        allowed: false,
        exhausted: 'requests',
        resetsAt: new Date('2026-11-28T00:00:00Z'),
        retryAfterSeconds: 3600,
      });
      // Refused requests are not counted.
      expect(await quotas.usage(caller, quota)).toMatchObject({ requests: 3, tokens: 0 });
      now = new Date('2026-11-28T00:00:01Z');
      expect((await quotas.admit(caller, quota, false)).allowed).toBe(true);
      expect(await quotas.usage(caller, quota)).toMatchObject({
        requests: 1,
        periodStart: '2026-11-28T00:00:00.000Z',
      });
    });

    it('never lets concurrent requests overshoot the limit', async () => {
      const { key } = await keys.create(
        { tenantId: 'acme', name: 'burst', role: 'customer', quota: { period: 'month', requests: 5 } },
        CLI,
      );
      const verdicts = await Promise.all(
        Array.from({ length: 12 }, () =>
          quotas.admit({ keyId: key.id, tenantId: 'acme' }, key.quota!, false),
        ),
      );
      expect(verdicts.filter((verdict) => verdict.allowed)).toHaveLength(5);
    });

    it('refuses requests that spend tokens once the answer log holds the quota, and only those', async () => {
      now = new Date();
      const { key } = await keys.create(
        { tenantId: 'acme', name: 'tokens', role: 'customer', quota: { period: 'month', tokens: 1000 } },
        CLI,
      );
      const caller = { keyId: key.id, tenantId: 'acme' };
      await recordAnswer(db, 'acme', key.id, 600);
      // Last month's answers do not count.
      await recordAnswer(
        db,
        'acme',
        key.id,
        5000,
        new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15)),
      );
      expect((await quotas.admit(caller, key.quota!, true)).allowed).toBe(true);
      await recordAnswer(db, 'acme', key.id, 400);
      expect(await quotas.admit(caller, key.quota!, true)).toMatchObject({
        allowed: false,
        exhausted: 'tokens',
      });
      expect((await quotas.admit(caller, key.quota!, false)).allowed).toBe(true);
      expect(await quotas.usage(caller, key.quota!)).toMatchObject({ tokens: 1000, requests: 0 });
    });

    it('shows use in lists, keeps it across rotation, and updates or removes the quota with an audit entry', async () => {
      const { key } = await keys.create({ tenantId: 'initech', name: 'later', role: 'customer' }, CLI);
      expect((await keys.list('initech'))[0]).toMatchObject({ quota: null, usage: null, platform: false });
      const updated = await keys.setQuota(key.id, { period: 'month', requests: 10 }, { actor: 'cli' });
      expect(updated.quota).toEqual({ period: 'month', requests: 10 });
      expect(updated.usage).toMatchObject({ requests: 0, tokens: 0 });
      await keys.quotas.admit({ keyId: key.id, tenantId: 'initech' }, updated.quota!, false);
      await keys.quotas.admit({ keyId: key.id, tenantId: 'initech' }, updated.quota!, false);
      const rotated = await keys.rotate(key.id, { actor: 'cli' });
      expect(rotated.key.quota).toEqual({ period: 'month', requests: 10 });
      const listed = (await keys.list('initech')).find((entry) => entry.id === rotated.key.id);
      expect(listed?.usage).toMatchObject({ requests: 2 });
      const cleared = await keys.setQuota(rotated.key.id, null, { actor: 'cli', tenantId: 'initech' });
      expect(cleared).toMatchObject({ quota: null, usage: null });
      await expect(keys.setQuota(rotated.key.id, null, { actor: 'x', tenantId: 'acme' })).rejects.toThrow(
        /no key/,
      );
      const actions = (await keys.audit.list({ tenantId: 'initech' })).map((entry) => entry.action);
      expect(actions.filter((action) => action === 'key.quota')).toHaveLength(2);
    });

    it('makes platform keys for admins only', async () => {
      await expect(
        keys.create({ tenantId: 'acme', name: 'p', role: 'operator', platform: true }, CLI),
      ).rejects.toThrow(/admin role/);
      const platform = await keys.create({ tenantId: 'acme', name: 'p', role: 'admin', platform: true }, CLI);
      expect(platform.key.platform).toBe(true);
      expect(await keys.authenticate(platform.secret)).toMatchObject({
        ok: true,
        identity: { platform: true },
      });
    });
  });
}
