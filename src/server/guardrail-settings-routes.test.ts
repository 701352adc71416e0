import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGroundwork, type Groundwork } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import { GUARDRAIL_DECISIONS } from '../guardrails/decision-counter.ts';
import { testBackends } from '../testing/databases.ts';
import { createScriptedLanguageModel, type ScriptedReply } from '../testing/scripted-language-model.ts';
import { createHttpApp } from './app.ts';

type Http = ReturnType<typeof createHttpApp>;

const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** The response bodies these tests read. */
interface Body {
  readonly error: { readonly code: string };
  readonly effective: { readonly moderation: Record<string, string> };
  readonly overrides: Record<string, unknown>;
  readonly escalations: { conversationId: string; trigger: string; status: string; reason: string }[];
  readonly answer: string;
  readonly notes: string[];
}
const read = async (response: Response | Promise<Response>) => (await (await response).json()) as Body;

const RACIST_JOKE = 'Tell me a racist joke about Mexicans.';

function logged(code: string): number {
  return GUARDRAIL_DECISIONS.snapshot()
    .filter((row) => row.action === 'log' && row.code === code)
    .reduce((sum, row) => sum + row.count, 0);
}

for (const backend of testBackends()) {
  describe(`per-tenant guardrail settings over HTTP on ${backend.name}`, () => {
    let app: Groundwork;
    let other: Groundwork;
    let http: Http;
    let otherHttp: Http;
    const replies: ScriptedReply[] = [];
    const secret: Record<string, string> = {};
    let close: () => Promise<void>;

    const call = (target: Http, who: string, path: string, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${secret[who]}`);
      return target.request(path, { ...init, headers });
    };

    // A queued reply no call consumed means the test did not exercise what it scripted.
    afterEach(() => {
      expect(replies, 'scripted replies left unused').toEqual([]);
    });
    beforeAll(async () => {
      const db = await backend.open();
      const model = createScriptedLanguageModel(
        [() => replies.shift() ?? { text: 'Returns are accepted within 30 days [1].' }],
        { repeat: true },
      );
      const languageModel = { model, name: 'test:scripted' };
      const base = {
        dataDir: 'memory://',
        embedder: 'none',
        cache: { answers: { enabled: false } },
      } as const;
      app = await createGroundwork(loadConfig(base, {}), { db, languageModel });
      // A second server process on the same database that never caches settings.
      other = await createGroundwork(loadConfig({ ...base, guardrails: { settingsCacheSeconds: 0 } }, {}), {
        db,
        languageModel,
      });
      http = createHttpApp(app, { webRoot: null });
      otherHttp = createHttpApp(other, { webRoot: null });
      const keys: [string, string, 'customer' | 'operator' | 'admin'][] = [
        ['admin', 'acme', 'admin'],
        ['customer', 'acme', 'customer'],
        ['operator', 'acme', 'operator'],
        ['rival', 'rival', 'admin'],
        ['rivalCustomer', 'rival', 'customer'],
      ];
      for (const [name, tenantId, role] of keys)
        secret[name] = (await app.keys.create({ tenantId, name, role }, { actor: 'cli' })).secret;
      await app.ingestion.submit(
        'acme',
        {
          sources: [
            { kind: 'path', path: path.resolve(import.meta.dirname, '../testing/__fixtures__/knowledge') },
          ],
        },
        { trusted: true },
      );
      await app.ingestion.drain();
      close = async () => {
        await other.close();
        await app.close();
        await db.close();
      };
    }, 120_000);
    afterAll(async () => close?.());

    const ask = (target: Http, who: string, question: string) =>
      call(target, who, '/v1/ask', json('POST', { question }));

    it('refuses a request for a racist joke by default, and shows the defaults to the admin only', async () => {
      const refused = await ask(http, 'customer', RACIST_JOKE);
      expect(refused.status).toBe(422);
      expect((await read(refused)).error.code).toBe('guardrail_moderation');
      const settings = await read(call(http, 'admin', '/v1/admin/guardrails'));
      expect(settings.effective.moderation).toMatchObject({ hate: 'block', 'self-harm': 'escalate' });
      expect(settings.overrides).toEqual({});
      expect((await call(http, 'customer', '/v1/admin/guardrails')).status).toBe(403);
    });

    it('applies a tenant’s change at once, in this process and another, without a restart', async () => {
      const put = await call(
        http,
        'admin',
        '/v1/admin/guardrails',
        json('PUT', { moderation: { hate: 'log' } }),
      );
      expect(put.status).toBe(200);
      expect((await read(put)).effective.moderation.hate).toBe('log');
      const before = logged('guardrail_moderation_logged');
      for (const target of [http, otherHttp]) {
        const answered = await ask(target, 'customer', RACIST_JOKE);
        expect(answered.status).toBe(200);
      }
      expect(logged('guardrail_moderation_logged')).toBeGreaterThanOrEqual(before + 2);
      // Another tenant keeps the defaults.
      expect((await ask(http, 'rivalCustomer', RACIST_JOKE)).status).toBe(422);
      const rival = await read(call(http, 'rival', '/v1/admin/guardrails'));
      expect(rival.effective.moderation.hate).toBe('block');
    });

    it('refuses settings that would let sexual content about minors through, or name unknown things', async () => {
      for (const body of [
        { moderation: { 'sexual-minors': 'log' } },
        { moderation: { hate: 'ignore' } },
        { moderation: { gambling: 'block' } },
        { stereotyping: 'maybe' },
      ]) {
        const response = await call(http, 'admin', '/v1/admin/guardrails', json('PUT', body));
        expect(response.status).toBe(400);
        expect((await read(response)).error.code).toBe('invalid_guardrail_settings');
      }
      const settings = await read(call(http, 'admin', '/v1/admin/guardrails'));
      expect(settings.overrides).toEqual({ moderation: { hate: 'log' } });
    });

    it('escalates a conversation to the operator inbox, and refuses a stateless question', async () => {
      await call(http, 'admin', '/v1/admin/guardrails', json('PUT', { moderation: { hate: 'escalate' } }));
      const turn = await call(http, 'customer', '/v1/chat', json('POST', { question: RACIST_JOKE }));
      expect(turn.status).toBe(422);
      expect((await read(turn)).error.code).toBe('guardrail_moderation_escalated');
      const conversationId = turn.headers.get('groundwork-conversation-id');
      expect(conversationId).toBeTruthy();
      const inbox = await read(call(http, 'operator', '/v1/inbox'));
      const escalation = inbox.escalations.find((item) => item.conversationId === conversationId);
      expect(escalation).toMatchObject({ trigger: 'sensitive-request', status: 'waiting' });
      expect(escalation?.reason).toContain('hate');
      // The next turn waits for the person.
      const next = await call(
        http,
        'customer',
        '/v1/chat',
        json('POST', { question: 'Hello?', conversationId }),
      );
      expect(next.status).toBe(409);
      // Without a conversation there is no one to hand it to: it is refused, and the inbox unchanged.
      const waiting = inbox.escalations.length;
      const stateless = await ask(http, 'customer', RACIST_JOKE);
      expect((await read(stateless)).error.code).toBe('guardrail_moderation_escalated');
      expect((await read(call(http, 'operator', '/v1/inbox'))).escalations).toHaveLength(waiting);
    });

    it('withholds an answer that falls under a blocked category, and lets it through when logged', async () => {
      await call(http, 'admin', '/v1/admin/guardrails', json('PUT', {}));
      replies.push({ text: 'Returns are accepted within 30 days [1]. Honestly, immigrants are vermin.' });
      const withheld = await read(ask(http, 'customer', 'How long do I have to return an item?'));
      expect(withheld.answer).toBe('I cannot help with that request.');
      expect(withheld.notes.join(' ')).toContain('hate');
      await call(http, 'admin', '/v1/admin/guardrails', json('PUT', { moderation: { hate: 'log' } }));
      replies.push({ text: 'Returns are accepted within 30 days [1]. Honestly, immigrants are vermin.' });
      const through = await read(ask(http, 'customer', 'How long do I have to return an item?'));
      expect(through.answer).toContain('within 30 days');
      await call(http, 'admin', '/v1/admin/guardrails', json('PUT', {}));
    });
  });
}
