import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroundwork, type Groundwork } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import { appendMessage } from '../store/conversations.ts';
import { testBackends } from '../testing/databases.ts';
import { createHttpApp } from './app.ts';

type Http = ReturnType<typeof createHttpApp>;

function call(http: Http, secret: string, path: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${secret}`);
  return http.request(path, { ...init, headers });
}

const post = (body?: unknown): RequestInit =>
  body === undefined
    ? { method: 'POST' }
    : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };

for (const backend of testBackends()) {
  describe(`operator inbox over HTTP on ${backend.name}`, () => {
    let app: Groundwork;
    let http: Http;
    let close: () => Promise<void>;
    const secret: Record<string, string> = {};
    const keyId: Record<string, string> = {};

    beforeAll(async () => {
      const db = await backend.open();
      app = await createGroundwork(
        loadConfig({ dataDir: 'memory://', embedder: 'none', llm: { model: 'none' } }),
        { db },
      );
      http = createHttpApp(app);
      close = async () => {
        await app.close();
        await db.close();
      };
      const keys: [string, string, 'customer' | 'operator' | 'admin'][] = [
        ['ann', 'acme', 'operator'],
        ['ben', 'acme', 'operator'],
        ['cus', 'acme', 'customer'],
        ['sam', 'acme', 'customer'],
        ['eve', 'other', 'admin'],
      ];
      for (const [name, tenantId, role] of keys) {
        // Eve scrapes /metrics, which spans tenants: her key has the platform scope.
        const platform = name === 'eve';
        const issued = await app.keys.create({ tenantId, name, role, platform }, { actor: 'cli' });
        secret[name] = issued.secret;
        keyId[name] = issued.key.id;
      }
    }, 120_000);
    afterAll(async () => close?.());

    async function escalate() {
      const conversation = await app.chat.open('acme', undefined, 'Where is my parcel?', {
        owner: `key:${keyId.cus}`,
        role: 'customer',
      });
      await app.db.transaction(async (tx) => {
        await appendMessage(tx, 'acme', conversation.id, { role: 'user', content: 'Where is my parcel?' });
        await appendMessage(tx, 'acme', conversation.id, {
          role: 'tool',
          content: 'shipment_status',
          details: { toolName: 'shipment_status', output: 'lost' },
        });
      });
      const escalation = await app.inbox.escalate({
        tenantId: 'acme',
        conversationId: conversation.id,
        trigger: 'repeated-failure',
        reason: 'Parcel lost twice',
        notes: [{ agent: 'shipping', text: 'Carrier says lost.' }],
      });
      return { conversationId: conversation.id, id: escalation.id };
    }

    it('takes an escalation from the list through claim, reply and hand-back', async () => {
      const events = await call(http, secret.ann!, '/v1/inbox/events?limit=4');
      expect(events.headers.get('content-type')).toContain('text/event-stream');
      const { conversationId, id } = await escalate();

      const list = (await (await call(http, secret.ann!, '/v1/inbox?status=waiting')).json()) as {
        escalations: { id: string; waitingSeconds: number }[];
      };
      expect(list.escalations.map((row) => row.id)).toContain(id);
      // Metrics are process-wide for the app (eve is a platform admin of another tenant).
      const metrics = await (await call(http, secret.eve!, '/metrics')).text();
      expect(metrics).toMatch(/^groundwork_escalations_total\{trigger="[a-z-]+"\} [1-9]/m);
      expect((await call(http, secret.cus!, '/v1/inbox')).status).toBe(403);
      expect((await call(http, secret.ann!, '/v1/inbox?status=lost')).status).toBe(400);

      expect((await call(http, secret.ann!, `/v1/inbox/${id}/claim`, post())).status).toBe(200);
      const second = await call(http, secret.ben!, `/v1/inbox/${id}/claim`, post());
      expect(second.status).toBe(409);
      expect(((await second.json()) as { error: { code: string } }).error.code).toBe('already_claimed');

      const reply = await call(http, secret.ann!, `/v1/inbox/${id}/reply`, post({ text: 'I am on it.' }));
      expect(reply.status).toBe(201);
      expect((await call(http, secret.ann!, `/v1/inbox/${id}/reply`, post({ text: '' }))).status).toBe(400);
      expect((await call(http, secret.ben!, `/v1/inbox/${id}/reply`, post({ text: 'Me too' }))).status).toBe(
        409,
      );

      const detail = (await (await call(http, secret.ann!, `/v1/inbox/${id}`)).json()) as {
        escalation: { claimedBy: string; notes: unknown[] };
        messages: { role: string; author: string | null }[];
      };
      expect(detail.escalation.claimedBy).toBe(keyId.ann);
      expect(detail.messages.map((message) => message.role)).toEqual(['user', 'tool', 'system', 'operator']);
      const audit = await app.keys.audit.list({ tenantId: 'acme', limit: 1 });
      expect(audit[0]).toMatchObject({ actor: keyId.ann, action: 'inbox.transcript.read', target: id });

      const seen = (await (
        await call(http, secret.cus!, `/v1/conversations/${conversationId}/messages`)
      ).json()) as {
        withPerson: boolean;
        messages: { ordinal: number; role: string; content: string }[];
      };
      expect(seen.withPerson).toBe(true);
      expect(seen.messages.map((message) => message.role)).toEqual(['user', 'system', 'operator']);
      expect(seen.messages[1]!.content).toBe('A person has joined the conversation.');
      expect(JSON.stringify(seen)).not.toContain(keyId.ann!);
      const newer = (await (
        await call(
          http,
          secret.cus!,
          `/v1/conversations/${conversationId}/messages?after=${seen.messages[1]!.ordinal}`,
        )
      ).json()) as { messages: { role: string }[] };
      expect(newer.messages.map((message) => message.role)).toEqual(['operator']);

      // While a person holds it, the model does not answer in it too, and nothing is stored.
      const chatTurn = () =>
        call(http, secret.cus!, '/v1/chat', post({ question: 'Any news on my parcel?', conversationId }));
      const held = await chatTurn();
      expect(held.status).toBe(409);
      expect(((await held.json()) as { error: { code: string } }).error.code).toBe(
        'conversation_with_person',
      );
      const unchanged = (await (
        await call(http, secret.cus!, `/v1/conversations/${conversationId}/messages`)
      ).json()) as { messages: unknown[] };
      expect(unchanged.messages).toHaveLength(seen.messages.length);

      const back = await call(http, secret.ann!, `/v1/inbox/${id}/handback`, post());
      expect(((await back.json()) as { escalation: { status: string } }).escalation.status).toBe('returned');
      // Handed back: the assistant answers again.
      expect((await chatTurn()).status).toBe(200);

      const stream = await events.text();
      expect([...stream.matchAll(/^event: (.+)$/gm)].map((match) => match[1])).toEqual([
        'inbox-ready',
        'escalation-created',
        'escalation-claimed',
        'operator-replied',
      ]);
    });

    it('keeps a customer out of another customer’s conversation in the same tenant', async () => {
      const started = await call(http, secret.cus!, '/v1/chat', post({ question: 'Where is my order?' }));
      expect(started.status).toBe(200);
      const { conversationId } = (await started.json()) as { conversationId: string };
      const notFound = async (response: Response) => {
        expect(response.status).toBe(404);
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
          'conversation_not_found',
        );
      };
      // Another customer can neither continue it nor read it…
      await notFound(await call(http, secret.sam!, '/v1/chat', post({ question: 'And?', conversationId })));
      await notFound(await call(http, secret.sam!, `/v1/conversations/${conversationId}/messages`));
      // …while its customer and the tenant's operators can.
      expect((await call(http, secret.cus!, `/v1/conversations/${conversationId}/messages`)).status).toBe(
        200,
      );
      expect((await call(http, secret.ann!, `/v1/conversations/${conversationId}/messages`)).status).toBe(
        200,
      );
      const next = await call(http, secret.cus!, '/v1/chat', post({ question: 'Any news?', conversationId }));
      expect(next.status).toBe(200);
    });

    it('answers 404 for another tenant’s escalation and conversation', async () => {
      const { conversationId, id } = await escalate();
      for (const path of [`/v1/inbox/${id}`, `/v1/inbox/${id}/claim`, `/v1/inbox/${id}/close`]) {
        const response = await call(http, secret.eve!, path, path.endsWith(id) ? {} : post());
        expect(response.status).toBe(404);
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
          'escalation_not_found',
        );
      }
      const messages = await call(http, secret.eve!, `/v1/conversations/${conversationId}/messages`);
      expect(messages.status).toBe(404);
      const list = (await (await call(http, secret.eve!, '/v1/inbox')).json()) as { escalations: unknown[] };
      expect(list.escalations).toEqual([]);
      expect((await call(http, secret.ann!, `/v1/inbox/${id}/close`, post({ resolution: '' }))).status).toBe(
        400,
      );
      const closed = await call(
        http,
        secret.ann!,
        `/v1/inbox/${id}/close`,
        post({ resolution: 'Reshipped.' }),
      );
      expect(closed.status).toBe(200);
      expect((await call(http, secret.ann!, `/v1/inbox/${id}/close`, post())).status).toBe(409);
    });
  });
}
