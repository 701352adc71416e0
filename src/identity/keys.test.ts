import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../store/database.ts';
import { testBackends } from '../testing/databases.ts';
import { parseDuration } from './duration.ts';
import { ApiKeyService } from './keys.ts';
import { roleAllows } from './roles.ts';

const CLI = { actor: 'cli' } as const;

for (const backend of testBackends()) {
  describe(`API keys on ${backend.name}`, () => {
    let db: Database;
    let keys: ApiKeyService;

    beforeAll(async () => {
      db = await backend.open();
      keys = new ApiKeyService(db);
    }, 120_000);
    afterAll(async () => {
      await db?.close();
    });

    it('creates a key for a new tenant and authenticates it as that tenant, role and principals', async () => {
      expect(await keys.anyExist()).toBe(false);
      const issued = await keys.create(
        { tenantId: 'acme', name: 'support bot', role: 'customer', principals: ['user:alice', 'group:hr'] },
        CLI,
      );
      expect(issued.secret).toMatch(/^gw_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
      expect(issued.key).toMatchObject({ tenantId: 'acme', role: 'customer', revokedAt: null });
      expect(issued.key.principals).toEqual(['group:hr', 'user:alice']);
      expect(await keys.anyExist()).toBe(true);
      const { rows } = await db.query<{ id: string }>('SELECT id FROM tenants WHERE id = $1', ['acme']);
      expect(rows).toHaveLength(1);
      const result = await keys.authenticate(issued.secret);
      expect(result).toEqual({
        ok: true,
        identity: {
          keyId: issued.key.id,
          tenantId: 'acme',
          role: 'customer',
          principals: ['group:hr', 'user:alice'],
          platform: false,
          quota: null,
        },
      });
      const used = await keys.get(issued.key.id);
      expect(used?.lastUsedAt).not.toBeNull();
    });

    it('refuses unknown, malformed and tampered keys as unknown', async () => {
      const issued = await keys.create({ tenantId: 'acme', name: 'x', role: 'admin' }, CLI);
      const tampered = `${issued.secret.slice(0, -1)}${issued.secret.endsWith('A') ? 'B' : 'A'}`;
      for (const token of [
        '',
        'sk-unused',
        'gw_nothexprefix_x',
        tampered,
        `gw_000000000000_${'a'.repeat(43)}`,
      ]) {
        expect(await keys.authenticate(token)).toEqual({ ok: false, reason: 'unknown' });
      }
    });

    it('rotates: the old secret is revoked at once, the new one works with the same grants', async () => {
      const first = await keys.create(
        { tenantId: 'acme', name: 'ops', role: 'operator', principals: ['group:support'] },
        CLI,
      );
      const second = await keys.rotate(first.key.id, { actor: 'cli', tenantId: 'acme' });
      expect(second.secret).not.toBe(first.secret);
      expect(second.key).toMatchObject({
        name: 'ops',
        role: 'operator',
        principals: ['group:support'],
        rotatedFrom: first.key.id,
      });
      expect(await keys.authenticate(first.secret)).toEqual({ ok: false, reason: 'revoked' });
      expect(await keys.authenticate(second.secret)).toMatchObject({
        ok: true,
        identity: { keyId: second.key.id },
      });
      await expect(keys.rotate(first.key.id, CLI)).rejects.toMatchObject({ code: 'key_revoked' });
    });

    it('rotates with a grace period: both secrets work until it ends or the old key is revoked', async () => {
      const first = await keys.create({ tenantId: 'acme', name: 'deploy', role: 'admin' }, CLI);
      const second = await keys.rotate(first.key.id, CLI, { graceSeconds: 3600 });
      expect(await keys.authenticate(first.secret)).toMatchObject({ ok: true });
      expect(await keys.authenticate(second.secret)).toMatchObject({ ok: true });
      await keys.revoke(first.key.id, CLI);
      expect(await keys.authenticate(first.secret)).toEqual({ ok: false, reason: 'revoked' });
      expect(await keys.authenticate(second.secret)).toMatchObject({ ok: true });
    });

    it('refuses expired keys', async () => {
      const issued = await keys.create(
        { tenantId: 'acme', name: 'temp', role: 'customer', expiresInSeconds: parseDuration('30d') },
        CLI,
      );
      const expiresAt = Date.parse((await keys.get(issued.key.id))!.expiresAt!);
      expect(Math.abs(expiresAt - Date.now() - 30 * 86_400_000)).toBeLessThan(60_000);
      expect(await keys.authenticate(issued.secret)).toMatchObject({ ok: true });
      await db.query(`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, [
        issued.key.id,
      ]);
      expect(await keys.authenticate(issued.secret)).toEqual({ ok: false, reason: 'expired' });
    });

    it('never stores or lists a secret in clear', async () => {
      const issued = await keys.create({ tenantId: 'acme', name: 'secretive', role: 'customer' }, CLI);
      const secretPart = issued.secret.split('_').slice(2).join('_');
      const listed = JSON.stringify(await keys.list());
      expect(listed).not.toContain(secretPart);
      expect(listed).not.toContain('hash');
      const { rows } = await db.query('SELECT * FROM api_keys');
      const stored = JSON.stringify(rows);
      expect(stored).not.toContain(secretPart);
      expect(stored).not.toContain(issued.secret);
      const audit = JSON.stringify(await keys.audit.list({ limit: 1000 }));
      expect(audit).not.toContain(secretPart);
    });

    it('confines a tenant scope to its own keys', async () => {
      const other = await keys.create({ tenantId: 'globex', name: 'theirs', role: 'admin' }, CLI);
      expect(await keys.get(other.key.id, { tenantId: 'acme' })).toBeNull();
      await expect(keys.revoke(other.key.id, { actor: 'x', tenantId: 'acme' })).rejects.toMatchObject({
        code: 'key_not_found',
      });
      await expect(keys.rotate(other.key.id, { actor: 'x', tenantId: 'acme' })).rejects.toMatchObject({
        code: 'key_not_found',
      });
      await expect(keys.revoke('not-a-uuid', CLI)).rejects.toMatchObject({ code: 'key_not_found' });
      expect((await keys.list('acme')).every((key) => key.tenantId === 'acme')).toBe(true);
      expect(await keys.authenticate(other.secret)).toMatchObject({ ok: true });
    });

    it('rejects principals that are not principals', async () => {
      for (const principal of ['alice', 'key:123', 'user: alice', '']) {
        await expect(
          keys.create({ tenantId: 'acme', name: 'bad', role: 'customer', principals: [principal] }, CLI),
        ).rejects.toMatchObject({ code: 'invalid_principal' });
      }
    });

    it('audits every change with its actor, in the key’s tenant', async () => {
      const issued = await keys.create({ tenantId: 'initech', name: 'audited', role: 'admin' }, CLI);
      const rotated = await keys.rotate(issued.key.id, { actor: issued.key.id, tenantId: 'initech' });
      await keys.revoke(rotated.key.id, { actor: 'cli' });
      const entries = await keys.audit.list({ tenantId: 'initech' });
      expect(entries.map((entry) => [entry.actor, entry.action, entry.target])).toEqual([
        ['cli', 'key.revoke', rotated.key.id],
        [issued.key.id, 'key.rotate', issued.key.id],
        ['cli', 'key.create', issued.key.id],
      ]);
      expect(entries[1]!.details).toMatchObject({ newKeyId: rotated.key.id, graceSeconds: 0 });
    });
  });
}

describe('roles and durations', () => {
  it('orders roles customer < operator < admin', () => {
    expect(roleAllows('admin', 'customer')).toBe(true);
    expect(roleAllows('operator', 'operator')).toBe(true);
    expect(roleAllows('operator', 'admin')).toBe(false);
    expect(roleAllows('customer', 'operator')).toBe(false);
  });

  it('parses operator durations', () => {
    expect(parseDuration('90s')).toBe(90);
    expect(parseDuration('15m')).toBe(900);
    expect(parseDuration('12h')).toBe(43_200);
    expect(parseDuration('30d')).toBe(2_592_000);
    expect(() => parseDuration('soon')).toThrow(/not a duration/);
    expect(() => parseDuration('0d')).toThrow(/not a duration/);
  });
});
