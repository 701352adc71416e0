import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroundwork, type Groundwork } from '../app.ts';
import { type ConfigInput, loadConfig } from '../config/config.ts';
import type { Role } from '../identity/roles.ts';
import { type SessionClaims, signSessionToken } from '../identity/session-token.ts';
import { SessionService } from '../identity/sessions.ts';
import { testBackends } from '../testing/databases.ts';
import { createHttpApp } from './app.ts';

type Http = ReturnType<typeof createHttpApp>;

const SECRET = 'session-secret-for-tests-0123456789abcdef';
const QUESTION = 'How long do I have to return a thermostat?';

const json = (body: unknown, method = 'POST'): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

function call(http: Http, secret: string | undefined, path: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  if (secret) headers.set('authorization', `Bearer ${secret}`);
  return http.request(path, { ...init, headers });
}

async function errorCode(response: Response): Promise<string> {
  return ((await response.json()) as { error: { code: string } }).error.code;
}

interface Issued {
  token: string;
  sessionId: string;
  expiresAt: string;
  customer?: { customerId: string; email: string | null };
}

async function openApp(
  db: Awaited<ReturnType<ReturnType<typeof testBackends>[number]['open']>>,
  extra: ConfigInput = {},
) {
  const config = loadConfig({
    dataDir: 'memory://',
    embedder: 'none',
    llm: { model: 'none' },
    auth: 'required',
    sessions: { secret: SECRET },
    ...extra,
  });
  const app = await createGroundwork(config, { db });
  return { app, http: createHttpApp(app, { webRoot: null }) };
}

for (const backend of testBackends()) {
  describe(`customer sessions over HTTP on ${backend.name}`, () => {
    let app: Groundwork;
    let http: Http;
    let close: () => Promise<void>;
    const keys = {} as Record<Role | 'otherAdmin' | 'otherCustomer', string>;

    const issue = async (key: string, body?: unknown): Promise<Issued> => {
      const response = await call(
        http,
        key,
        '/v1/sessions',
        body === undefined ? { method: 'POST' } : json(body),
      );
      expect(response.status).toBe(201);
      return (await response.json()) as Issued;
    };

    beforeAll(async () => {
      const db = await backend.open();
      ({ app, http } = await openApp(db));
      close = async () => {
        await app.close();
        await db.close();
      };
      for (const role of ['customer', 'operator', 'admin'] as const) {
        keys[role] = (await app.keys.create({ tenantId: 'acme', name: role, role }, { actor: 'cli' })).secret;
      }
      keys.otherAdmin = (
        await app.keys.create({ tenantId: 'globex', name: 'admin', role: 'admin' }, { actor: 'cli' })
      ).secret;
      keys.otherCustomer = (
        await app.keys.create({ tenantId: 'globex', name: 'widget', role: 'customer' }, { actor: 'cli' })
      ).secret;
    }, 120_000);
    afterAll(async () => {
      await close?.();
    });

    it('gives a widget key an anonymous session that is its own customer caller', async () => {
      const anonymous = await issue(keys.customer);
      expect(anonymous.token).toMatch(/^gws_/);
      expect(anonymous.customer).toBeUndefined();
      const expiresIn = Date.parse(anonymous.expiresAt) - Date.now();
      expect(expiresIn).toBeGreaterThan(3500_000);
      expect(expiresIn).toBeLessThanOrEqual(3600_000);
      const me = await (await call(http, anonymous.token, '/v1/me')).json();
      expect(me).toMatchObject({
        tenantId: 'acme',
        role: 'customer',
        keyId: `session:${anonymous.sessionId}`,
        keyPrefix: null,
        authenticated: true,
      });
      // The session is a customer: staff routes are refused.
      const jobs = await call(http, anonymous.token, '/v1/jobs');
      expect(jobs.status).toBe(403);
      expect(await errorCode(jobs)).toBe('forbidden_role');
      // A session cannot issue sessions, not even anonymous ones.
      const nested = await call(http, anonymous.token, '/v1/sessions', { method: 'POST' });
      expect(nested.status).toBe(403);
      expect(await errorCode(nested)).toBe('sessions_cannot_issue');
    });

    it('lets an operator or admin key vouch for a customer, and only them', async () => {
      const vouched = await issue(keys.operator, {
        customerId: 'C-42',
        email: 'ana@example.com',
        ttlSeconds: 600,
      });
      expect(vouched.customer).toEqual({ customerId: 'C-42', email: 'ana@example.com' });
      expect(Date.parse(vouched.expiresAt) - Date.now()).toBeLessThanOrEqual(600_000);
      expect((await app.sessions.get('acme', vouched.sessionId))?.verifiedBy).toBe('issuer');
      const refusals: [string, unknown, number, string][] = [
        [keys.customer, { customerId: 'C-42' }, 403, 'forbidden_role'],
        [keys.customer, { email: 'ana@example.com' }, 403, 'forbidden_role'],
        // No customer directory on this server, so an email alone names nobody.
        [keys.admin, { email: 'ana@example.com' }, 400, 'customer_id_required'],
        [keys.admin, { customerId: 'C-42', ttlSeconds: 31 * 86_400 }, 400, 'invalid_request'],
        [keys.admin, { customerId: 'C-42', ttlSeconds: 8 * 86_400 }, 400, 'invalid_ttl'],
        [keys.admin, { customerId: 'C-42', role: 'admin' }, 400, 'invalid_request'],
      ];
      for (const [key, body, status, code] of refusals) {
        const response = await call(http, key, '/v1/sessions', json(body));
        expect(`${JSON.stringify(body)}: ${response.status} ${await errorCode(response)}`).toBe(
          `${JSON.stringify(body)}: ${status} ${code}`,
        );
      }
    });

    it('keeps chat conversations to the session that started them', async () => {
      const first = await issue(keys.customer);
      const second = await issue(keys.customer);
      const started = await call(http, first.token, '/v1/chat', json({ question: QUESTION }));
      expect(started.status).toBe(200);
      const { conversationId } = (await started.json()) as { conversationId: string };
      const again = await call(http, first.token, '/v1/chat', json({ question: QUESTION, conversationId }));
      expect(again.status).toBe(200);
      const stranger = await call(
        http,
        second.token,
        '/v1/chat',
        json({ question: QUESTION, conversationId }),
      );
      expect(stranger.status).toBe(404);
      expect(await errorCode(stranger)).toBe('conversation_not_found');
      const read = await call(http, second.token, `/v1/conversations/${conversationId}/messages`);
      expect(read.status).toBe(404);
      // The widget key that issued both sessions is another caller too; staff may read it.
      expect(
        (await call(http, keys.customer, '/v1/chat', json({ question: QUESTION, conversationId }))).status,
      ).toBe(404);
      expect((await call(http, keys.operator, `/v1/conversations/${conversationId}/messages`)).status).toBe(
        200,
      );
      // Another tenant's session does not find it either: the tenant comes from the token.
      const foreign = await issue(keys.otherCustomer);
      const probe = await call(http, foreign.token, '/v1/chat', json({ question: QUESTION, conversationId }));
      expect(probe.status).toBe(404);
      expect(await probe.text()).not.toContain('thermostat');
    });

    it('refuses tampered, foreign-signed, unknown, expired and revoked tokens with their codes', async () => {
      const good = await issue(keys.operator, { customerId: 'C-7' });
      const [head, signature] = good.token.split('.') as [string, string];
      const claims = JSON.parse(Buffer.from(head.slice(4), 'base64url').toString()) as Record<
        string,
        unknown
      >;
      const reencode = (changed: Record<string, unknown>) =>
        `gws_${Buffer.from(JSON.stringify(changed)).toString('base64url')}.${signature}`;
      const otherSecret = Buffer.from('another-secret-that-is-long-enough-000');
      const unknownId = '00000000-0000-4000-8000-000000000000';
      const cases: [string, string, string][] = [
        ['tenant swapped', reencode({ ...claims, t: 'globex' }), 'invalid_session'],
        ['customer swapped', reencode({ ...claims, c: 'C-8' }), 'invalid_session'],
        ['expiry extended', reencode({ ...claims, exp: (claims.exp as number) + 86_400 }), 'invalid_session'],
        ['signature cut', good.token.slice(0, -2), 'invalid_session'],
        ['garbage', 'gws_not-a-session', 'invalid_session'],
        [
          'other secret',
          signSessionToken(claims as unknown as SessionClaims, otherSecret),
          'invalid_session',
        ],
        [
          'unknown session',
          signSessionToken(
            { v: 1, t: 'acme', s: unknownId, r: 'customer', c: null, exp: 4_000_000_000 },
            Buffer.from(SECRET),
          ),
          'invalid_session',
        ],
        [
          'row of another tenant',
          signSessionToken(
            { v: 1, t: 'globex', s: good.sessionId, r: 'customer', c: 'C-7', exp: 4_000_000_000 },
            Buffer.from(SECRET),
          ),
          'invalid_session',
        ],
        [
          'expired',
          signSessionToken(
            {
              v: 1,
              t: 'acme',
              s: good.sessionId,
              r: 'customer',
              c: 'C-7',
              exp: Math.floor(Date.now() / 1000) - 1,
            },
            Buffer.from(SECRET),
          ),
          'session_expired',
        ],
      ];
      for (const [name, token, code] of cases) {
        const response = await call(http, token, '/v1/chat', json({ question: QUESTION }));
        expect(`${name}: ${response.status} ${await errorCode(response)}`).toBe(`${name}: 401 ${code}`);
        expect(response.headers.get('www-authenticate')).toBe('Bearer');
      }
      expect((await call(http, good.token, '/v1/me')).status).toBe(200);
    });

    it('revokes a session at once for its own tenant’s staff only, and audits issue and revocation', async () => {
      const session = await issue(keys.operator, { customerId: 'C-9' });
      expect((await call(http, session.token, '/v1/me')).status).toBe(200);
      const path = `/v1/sessions/${session.sessionId}`;
      expect((await call(http, keys.customer, path, { method: 'DELETE' })).status).toBe(403);
      expect((await call(http, session.token, path, { method: 'DELETE' })).status).toBe(403);
      const foreign = await call(http, keys.otherAdmin, path, { method: 'DELETE' });
      expect(foreign.status).toBe(404);
      expect(await foreign.text()).not.toContain('C-9');
      expect((await call(http, session.token, '/v1/me')).status).toBe(200);
      const revoked = await call(http, keys.operator, path, { method: 'DELETE' });
      expect(revoked.status).toBe(200);
      const body = (await revoked.json()) as { session: { revokedAt: string | null; customerId: string } };
      expect(body.session.revokedAt).not.toBeNull();
      const refused = await call(http, session.token, '/v1/chat', json({ question: QUESTION }));
      expect(refused.status).toBe(401);
      expect(await errorCode(refused)).toBe('session_revoked');
      // Revoking again keeps the first time; an unknown id is a 404.
      const twice = (await (await call(http, keys.admin, path, { method: 'DELETE' })).json()) as typeof body;
      expect(twice.session.revokedAt).toBe(body.session.revokedAt);
      expect((await call(http, keys.admin, '/v1/sessions/not-a-session', { method: 'DELETE' })).status).toBe(
        404,
      );
      const audit = await app.keys.audit.list({ tenantId: 'acme', limit: 500 });
      const actions = audit
        .filter((entry) => entry.target === session.sessionId)
        .map((entry) => entry.action);
      expect(actions).toEqual(['session.revoke', 'session.revoke', 'session.create']);
      // The audit never holds the token or its signature.
      expect(JSON.stringify(audit)).not.toContain(session.token.split('.')[1]);
      expect((await app.keys.audit.list({ tenantId: 'globex' })).map((entry) => entry.target)).not.toContain(
        session.sessionId,
      );
    });
    it('deletes sessions a day after they expire; their tokens still read as expired', async () => {
      // The same table through a service whose clock runs ahead.
      let now = Date.now();
      const later = new SessionService(app.db, {
        secret: Buffer.from(SECRET),
        settings: app.sessions.settings,
        now: () => now,
      });
      const short = await app.sessions.create(
        { tenantId: 'acme', customer: { customerId: 'C-short' }, ttlSeconds: 60 },
        { actor: 'test' },
      );
      const long = await app.sessions.create(
        {
          tenantId: 'acme',
          customer: { customerId: 'C-long' },
          ttlSeconds: app.sessions.settings.maxTtlSeconds,
        },
        { actor: 'test' },
      );
      now += 61_000;
      // Expired, but within the day of grace: kept.
      await later.purgeExpired();
      expect(await app.sessions.get('acme', short.session.id)).not.toBeNull();
      now += 24 * 60 * 60 * 1000;
      expect(await later.purgeExpired()).toBeGreaterThanOrEqual(1);
      expect(await app.sessions.get('acme', short.session.id)).toBeNull();
      expect(await later.authenticate(short.token)).toEqual({ ok: false, reason: 'expired' });
      // The cut-off is a day before the clock: a session that ended after it (here the long one) stays.
      expect(await app.sessions.get('acme', long.session.id)).not.toBeNull();
    });
  });

  describe(`session rate limits on ${backend.name}`, () => {
    it('limits each session by its own bucket, so one session’s flood does not stop another', async () => {
      const db = await backend.open();
      const { app, http } = await openApp(db, {
        rateLimits: {
          perKey: { requestsPerMinute: 1, burst: 3 },
          perTenant: { requestsPerMinute: 1000, burst: 1000 },
        },
      });
      try {
        const widget = (
          await app.keys.create({ tenantId: 'acme', name: 'w', role: 'customer' }, { actor: 'cli' })
        ).secret;
        const tokens: string[] = [];
        for (let index = 0; index < 2; index++) {
          const response = await call(http, widget, '/v1/sessions', { method: 'POST' });
          tokens.push(((await response.json()) as Issued).token);
        }
        const statuses: number[] = [];
        for (let index = 0; index < 4; index++) statuses.push((await call(http, tokens[0], '/v1/me')).status);
        expect(statuses).toEqual([200, 200, 200, 429]);
        const limited = await call(http, tokens[0], '/v1/me');
        expect(limited.headers.get('retry-after')).not.toBeNull();
        expect((await call(http, tokens[1], '/v1/me')).status).toBe(200);
      } finally {
        await app.close();
        await db.close();
      }
    });
  });
}
