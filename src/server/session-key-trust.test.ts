/**
 * Sessions stay inside their issuing key (issue 15): what a session does is charged to the quota of
 * the key that minted it (requests and answer tokens), a session ends when that key is revoked,
 * rotated away after its grace, or expires (401 with a code at the next request, and open streams
 * closed), and an operator can revoke every session a key issued at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Groundwork } from '../app.ts';
import { ApiKeyService } from '../identity/keys.ts';
import { openAnswerApps } from '../testing/answer-apps.ts';
import { testBackends } from '../testing/databases.ts';
import type { ScriptedReply } from '../testing/scripted-language-model.ts';
import { SseReader } from '../testing/sse-reader.ts';
import { createHttpApp } from './app.ts';

type Http = ReturnType<typeof createHttpApp>;

const QUESTION = 'How long do I have to return a thermostat?';

function call(http: Http, secret: string, route: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${secret}`);
  return http.request(route, { ...init, headers });
}

const post = (body: unknown, stream = false): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...(stream ? { accept: 'text/event-stream' } : {}) },
  body: JSON.stringify(body),
});

async function errorCode(response: Response): Promise<string | undefined> {
  return ((await response.json()) as { error?: { code?: string } }).error?.code;
}

for (const backend of testBackends()) {
  describe(`sessions stay inside their issuing key, on ${backend.name}`, () => {
    let app: Groundwork;
    let http: Http;
    let replies: ScriptedReply[];
    let close: () => Promise<void>;
    let admin: string;
    let operator: string;

    beforeAll(async () => {
      ({ app, replies, close } = await openAnswerApps(backend));
      http = createHttpApp(app, { webRoot: null });
      const staff = async (role: 'admin' | 'operator') =>
        (await app.keys.create({ tenantId: 'default', name: role, role }, { actor: 'cli' })).secret;
      admin = await staff('admin');
      operator = await staff('operator');
    }, 120_000);
    afterAll(async () => close?.());

    const widget = async (quota?: { requests?: number; tokens?: number }) => {
      const issued = await app.keys.create(
        {
          tenantId: 'default',
          name: 'widget',
          role: 'customer',
          ...(quota ? { quota: { period: 'day', ...quota } } : {}),
        },
        { actor: 'cli' },
      );
      return { id: issued.key.id, secret: issued.secret };
    };
    const session = async (key: string) => {
      const response = await call(http, key, '/v1/sessions', { method: 'POST' });
      expect(response.status).toBe(201);
      return (await response.json()) as { token: string; sessionId: string };
    };
    const usageOf = async (keyId: string) =>
      (await app.keys.list('default')).find((key) => key.id === keyId)?.usage;

    it('charges the requests of its sessions to the issuing key’s quota', async () => {
      const key = await widget({ requests: 4 });
      // Minting the session is the key's first request.
      const first = await session(key.secret);
      const second = await session(key.secret);
      expect((await call(http, first.token, '/v1/me')).status).toBe(200);
      expect((await call(http, second.token, '/v1/me')).status).toBe(200);
      // Four requests made: one more by either session, or by the key itself, is over the quota.
      const over = await call(http, second.token, '/v1/me');
      expect(over.status).toBe(429);
      expect(await errorCode(over)).toBe('quota_exceeded');
      expect((await call(http, key.secret, '/v1/me')).status).toBe(429);
      expect(await usageOf(key.id)).toMatchObject({ requests: 4 });
    });

    it('charges the answer tokens of its sessions to the issuing key’s token quota', async () => {
      const key = await widget({ tokens: 1000 });
      const minted = await session(key.secret);
      replies.push({ text: 'Within 30 days [1].', usage: { inputTokens: 700, outputTokens: 400 } });
      const answered = await call(http, minted.token, '/v1/ask', post({ question: QUESTION }));
      expect(answered.status).toBe(200);
      // 1,100 tokens spent by the session: the key and every session it issued are out of tokens.
      expect(await usageOf(key.id)).toMatchObject({ tokens: 1100 });
      const again = await call(http, minted.token, '/v1/ask', post({ question: QUESTION }));
      expect(again.status).toBe(429);
      expect(await errorCode(again)).toBe('quota_exceeded');
      const other = await session(key.secret);
      const fresh = await call(http, other.token, '/v1/ask', post({ question: QUESTION }));
      expect(fresh.status).toBe(429);
      // Requests that spend no tokens are still served.
      expect((await call(http, other.token, '/v1/me')).status).toBe(200);
    });

    it('ends its sessions when the key is revoked, and says why', async () => {
      const key = await widget();
      const minted = await session(key.secret);
      expect((await call(http, minted.token, '/v1/me')).status).toBe(200);
      expect((await call(http, admin, `/v1/admin/keys/${key.id}/revoke`, { method: 'POST' })).status).toBe(
        200,
      );
      const refused = await call(http, minted.token, '/v1/me');
      expect(refused.status).toBe(401);
      expect(await errorCode(refused)).toBe('session_key_revoked');
    });

    it('keeps its sessions through a rotation’s grace, and ends them when it is over', async () => {
      const key = await widget();
      const minted = await session(key.secret);
      const rotated = await call(
        http,
        admin,
        `/v1/admin/keys/${key.id}/rotate`,
        post({ graceSeconds: 3600 }),
      );
      expect(rotated.status).toBe(200);
      expect((await call(http, minted.token, '/v1/me')).status).toBe(200);
      // The grace period ends (the clock is the database's: move the end instead of waiting an hour).
      await app.db.query(`UPDATE api_keys SET revoked_at = now() - interval '1 second' WHERE id = $1`, [
        key.id,
      ]);
      const refused = await call(http, minted.token, '/v1/me');
      expect(refused.status).toBe(401);
      expect(await errorCode(refused)).toBe('session_key_revoked');
    });

    it('ends its sessions when the key expires', async () => {
      const key = await widget();
      const minted = await session(key.secret);
      await app.db.query(`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, [
        key.id,
      ]);
      const refused = await call(http, minted.token, '/v1/me');
      expect(refused.status).toBe(401);
      expect(await errorCode(refused)).toBe('session_key_expired');
    });

    it('closes an open stream of a session when its key is revoked', async () => {
      const key = await widget();
      const minted = await session(key.secret);
      replies.push({ text: 'Returns are accepted [1]. '.repeat(22), chunkSize: 4, delayMs: 30_000 });
      const response = await call(
        http,
        minted.token,
        '/v1/chat',
        post({ question: QUESTION, stream: true }, true),
      );
      expect(response.status).toBe(200);
      const reader = new SseReader(response);
      await reader.until((event) => event.event === 'text-delta');
      // Revoked by another process: only the periodic check of the credential watch can see it.
      await new ApiKeyService(app.db).revoke(key.id, { actor: 'cli' });
      const rest = await reader.rest();
      const last = rest.at(-1);
      expect(last?.event).toBe('error');
      expect(JSON.parse(last?.data ?? '{}')).toMatchObject({ code: 'credential_revoked' });
      expect(rest.filter((event) => event.event === 'done')).toEqual([]);
    }, 30_000);

    it('revokes every session a key issued at once, for the key’s own tenant only', async () => {
      const key = await widget();
      const other = await widget();
      const mine = [await session(key.secret), await session(key.secret)];
      const theirs = await session(other.secret);
      const revoked = await call(http, operator, `/v1/sessions?keyId=${key.id}`, { method: 'DELETE' });
      expect(revoked.status).toBe(200);
      expect(await revoked.json()).toMatchObject({ keyId: key.id, revoked: 2 });
      for (const minted of mine) {
        const refused = await call(http, minted.token, '/v1/me');
        expect(refused.status).toBe(401);
        expect(await errorCode(refused)).toBe('session_revoked');
      }
      expect((await call(http, theirs.token, '/v1/me')).status).toBe(200);
      // The key itself keeps working, and a new session from it too.
      expect((await call(http, (await session(key.secret)).token, '/v1/me')).status).toBe(200);
      // Another tenant's key, or no key id at all, is refused with a code.
      const foreign = await app.keys.create(
        { tenantId: 'globex', name: 'widget', role: 'customer' },
        { actor: 'cli' },
      );
      const missing = await call(http, operator, `/v1/sessions?keyId=${foreign.key.id}`, {
        method: 'DELETE',
      });
      expect(missing.status).toBe(404);
      expect(await errorCode(missing)).toBe('key_not_found');
      const bare = await call(http, operator, '/v1/sessions', { method: 'DELETE' });
      expect(bare.status).toBe(400);
      const audit = await app.keys.audit.list({ tenantId: 'default', limit: 5 });
      expect(audit.find((entry) => entry.action === 'session.revoke-key')).toMatchObject({
        target: key.id,
        details: { revoked: 2 },
      });
    });
  });
}
