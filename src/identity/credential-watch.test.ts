import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../store/database.ts';
import { testBackends } from '../testing/databases.ts';
import { type CredentialEnd, CredentialWatch } from './credential-watch.ts';
import { ApiKeyService } from './keys.ts';

const CLI = { actor: 'cli' } as const;
/** So long that only an in-process notification can end a watch within the test. */
const NEVER_POLL_MS = 3_600_000;

function ended(watch: CredentialWatch, credential: Parameters<CredentialWatch['watch']>[0]) {
  let stop: () => void = () => {};
  const end = new Promise<CredentialEnd>((resolve) => {
    stop = watch.watch(credential, resolve);
  });
  return { end, stop: () => stop() };
}

for (const backend of testBackends()) {
  describe(`credential watch on ${backend.name}`, () => {
    let db: Database;

    beforeAll(async () => {
      db = await backend.open();
    }, 120_000);
    afterAll(async () => {
      await db?.close();
    });

    it('ends at once when this process revokes or rotates the key, without waiting for a check', async () => {
      const watch = new CredentialWatch(db, NEVER_POLL_MS);
      const keys = new ApiKeyService(db, { onRevoked: () => void watch.recheck() });
      const first = await keys.create({ tenantId: 'acme', name: 'a', role: 'customer' }, CLI);
      const second = await keys.create({ tenantId: 'acme', name: 'b', role: 'customer' }, CLI);
      const bystander = await keys.create({ tenantId: 'acme', name: 'c', role: 'customer' }, CLI);
      const revoked = ended(watch, { kind: 'key', keyId: first.key.id });
      const rotated = ended(watch, { kind: 'key', keyId: second.key.id });
      let bystanderEnded = false;
      const stopBystander = watch.watch({ kind: 'key', keyId: bystander.key.id }, () => {
        bystanderEnded = true;
      });
      await keys.revoke(first.key.id, CLI);
      expect(await revoked.end).toEqual(expect.objectContaining({ code: 'credential_revoked' }));
      await keys.rotate(second.key.id, CLI);
      expect(await rotated.end).toEqual(expect.objectContaining({ code: 'credential_revoked' }));
      await watch.recheck();
      expect(bystanderEnded).toBe(false);
      stopBystander();
      watch.close();
    });

    it('keeps a key rotated with a grace period until the grace ends', async () => {
      const watch = new CredentialWatch(db, NEVER_POLL_MS);
      const keys = new ApiKeyService(db, { onRevoked: () => void watch.recheck() });
      const key = await keys.create({ tenantId: 'acme', name: 'graceful', role: 'customer' }, CLI);
      let endedWith: CredentialEnd | undefined;
      const stop = watch.watch({ kind: 'key', keyId: key.key.id }, (end) => {
        endedWith = end;
      });
      await keys.rotate(key.key.id, CLI, { graceSeconds: 3600 });
      await watch.recheck();
      expect(endedWith).toBeUndefined();
      // The grace period is over (as if an hour had passed).
      await db.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [key.key.id]);
      await watch.recheck();
      expect(endedWith?.code).toBe('credential_revoked');
      stop();
      watch.close();
    });

    it('sees changes made by other processes through its periodic check, expiry included', async () => {
      const watch = new CredentialWatch(db, 50);
      const keys = new ApiKeyService(db);
      const key = await keys.create({ tenantId: 'acme', name: 'expiring', role: 'customer' }, CLI);
      const watched = ended(watch, { kind: 'key', keyId: key.key.id });
      await db.query('UPDATE api_keys SET expires_at = now() WHERE id = $1', [key.key.id]);
      expect((await watched.end).code).toBe('credential_expired');
      watch.close();
    });

    it('ends a bearer token’s watch at its expiry, and never after stop', async () => {
      const watch = new CredentialWatch(db, NEVER_POLL_MS);
      const token = ended(watch, { kind: 'token', expiresAt: Date.now() + 20 });
      expect((await token.end).code).toBe('credential_expired');
      let late = false;
      const stop = watch.watch({ kind: 'token', expiresAt: Date.now() + 10 }, () => {
        late = true;
      });
      stop();
      // A later token's end proves the stopped one's moment has passed.
      await ended(watch, { kind: 'token', expiresAt: Date.now() + 40 }).end;
      expect(late).toBe(false);
    });
  });
}
