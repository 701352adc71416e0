import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../src/server/app.ts';
import { readEvents } from '../../web/src/api/sse.ts';
import { createKnowledgeIndex } from './knowledge-index.ts';
import { trainSupportRouter } from './scenarios/runner.ts';
import { createSupportService } from './service.ts';
import { seedSupportStore } from './store/seed.ts';
import { openSupportApp } from './testing.ts';

type Http = ReturnType<typeof createHttpApp>;
interface Message {
  ordinal: number;
  role: string;
  content: string;
}
interface Case {
  id: string;
  conversationId: string;
  status: string;
}
interface Body {
  conversationId: string;
  escalated: boolean;
  reply: string;
  toolCalls: { name: string }[];
  escalations: Case[];
  escalation: Case;
  messages: Message[];
  unanswered: number[];
  waiting: number;
}
const TENANT = 'demo';

// The operator's side of a support conversation, over the real HTTP app in routed mode: what the
// customer writes while a person holds the case reaches the open case live, stays marked unanswered,
// and is answered by the assistant after hand-back unless the operator answered it.
describe('operator flow over HTTP (routed mode)', () => {
  let opened: Awaited<ReturnType<typeof openSupportApp>>;
  let http: Http;
  const secret: Record<string, string> = {};

  beforeAll(async () => {
    opened = await openSupportApp({});
    await seedSupportStore(opened.app.db, { tenantId: TENANT });
    http = createHttpApp(opened.app, opened.http);
    for (const [name, role] of [
      ['ann', 'operator'],
      ['ben', 'operator'],
      ['cus', 'customer'],
    ] as const) {
      secret[name] = (
        await opened.app.keys.create({ tenantId: TENANT, name, role }, { actor: 'cli' })
      ).secret;
    }
  }, 180_000);
  afterAll(async () => opened?.close());

  const call = (who: string, path: string, body?: unknown, method?: string) =>
    http.request(path, {
      method: method ?? (body === undefined ? 'GET' : 'POST'),
      headers: {
        authorization: `Bearer ${secret[who]}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const json = async (response: Response | Promise<Response>): Promise<Body> => {
    const resolved = await response;
    expect(resolved.status, await resolved.clone().text()).toBeLessThan(300);
    return (await resolved.json()) as Body;
  };
  const customer = (message: string, conversationId?: string) =>
    json(call('cus', '/v1/support/messages', { message, ...(conversationId ? { conversationId } : {}) }));
  // A stream read that fails in seconds instead of hanging the worker.
  const within = <T>(promise: Promise<T>) =>
    Promise.race([
      promise,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no event within 10 s')), 10_000)),
    ]);
  const transcript = (id: string) => json(call('ann', `/v1/inbox/${id}`));

  async function escalatedCase() {
    const first = await customer('I want to talk to a person please');
    expect(first).toMatchObject({ escalated: true });
    const { escalations } = await json(call('ann', '/v1/inbox?status=waiting'));
    const row = escalations.find((item) => item.conversationId === first.conversationId);
    return { conversationId: first.conversationId, id: row!.id };
  }

  it('streams the customer’s message into the open case and marks it unanswered', async () => {
    const { conversationId, id } = await escalatedCase();
    await json(call('ann', `/v1/inbox/${id}/claim`, {}));
    const stream = await call('ann', '/v1/inbox/events?limit=2');
    const reader = readEvents(stream.body!);
    expect((await within(reader.next())).value).toMatchObject({ event: 'inbox-ready' });
    const held = await customer('Where is my order GW-10004?', conversationId);
    expect(held).toMatchObject({ mode: 'human' });
    const event = (await within(reader.next())).value!;
    expect(event.event).toBe('message-created');
    expect(JSON.parse(event.data)).toMatchObject({ escalationId: id, conversationId, role: 'user' });
    expect(event.data).not.toContain('GW-10004');
    const detail = await transcript(id);
    const last = detail.messages.at(-1);
    expect(last).toMatchObject({ role: 'user', content: 'Where is my order GW-10004?' });
    expect(detail.unanswered).toEqual([last!.ordinal]);
  });

  it('answers the messages sent while a person held the case once it is handed back', async () => {
    const { conversationId, id } = await escalatedCase();
    await json(call('ann', `/v1/inbox/${id}/claim`, {}));
    await customer('hello??', conversationId);
    await customer('my order is GW-10004, where is it', conversationId);
    expect((await transcript(id)).unanswered).toHaveLength(2);
    // A second support service over the same app (a bench runs both modes) does not answer twice.
    createSupportService(opened.app, {
      retriever: await createKnowledgeIndex(),
      router: await trainSupportRouter(),
      model: null,
    });
    await json(call('ann', `/v1/inbox/${id}/handback`, {}));
    await opened.support.idle();
    const detail = await transcript(id);
    expect(detail.unanswered).toEqual([]);
    const roles = detail.messages.map((message) => message.role);
    // After the hand-back notice the assistant answers, asking for what it needs to verify.
    expect(roles.slice(-3)).toEqual(['user', 'system', 'assistant']);
    const answer = detail.messages.at(-1)!.content;
    expect(answer).toMatch(/email/i);
    // The customer's next message continues from there: the question asked while held is the one answered.
    const next = await customer(
      'my email is maya.patel@example.com and the order is GW-10004',
      conversationId,
    );
    expect(next.toolCalls.map((call) => call.name)).toEqual(['verify_customer', 'shipment_status']);
    expect(next.reply).toContain('in transit');
  });

  it('leaves what the operator answered alone after hand-back', async () => {
    const { conversationId, id } = await escalatedCase();
    await json(call('ann', `/v1/inbox/${id}/claim`, {}));
    await customer('Can I get a discount?', conversationId);
    await json(call('ann', `/v1/inbox/${id}/reply`, { text: 'I added a 10% voucher to your account.' }));
    await json(call('ann', `/v1/inbox/${id}/handback`, {}));
    await opened.support.idle();
    const detail = await transcript(id);
    expect(detail.messages.at(-1)).toMatchObject({ role: 'system' });
    expect(detail.messages.filter((message) => message.role === 'assistant')).toHaveLength(1);
  });

  it('answers what was held with the customer’s next message when the operator closed without replying', async () => {
    const { conversationId, id } = await escalatedCase();
    await json(call('ann', `/v1/inbox/${id}/claim`, {}));
    await customer('where is my order GW-10004', conversationId);
    await json(call('ann', `/v1/inbox/${id}/close`, {}));
    await opened.support.idle();
    // Closing is not a hand-back: nothing is answered until the customer writes again.
    expect((await transcript(id)).unanswered).toHaveLength(1);
    const next = await customer('my email is maya.patel@example.com', conversationId);
    expect(next.toolCalls.map((call) => call.name)).toEqual(['verify_customer', 'shipment_status']);
    expect(next.reply).toContain('in transit');
    expect((await transcript(id)).unanswered).toEqual([]);
  });

  it('re-claims or closes a handed-back case, and keeps closed cases viewable', async () => {
    const { conversationId, id } = await escalatedCase();
    await json(call('ann', `/v1/inbox/${id}/claim`, {}));
    await json(call('ann', `/v1/inbox/${id}/handback`, {}));
    await opened.support.idle();
    const reclaimed = await json(call('ben', `/v1/inbox/${id}/claim`, {}));
    expect(reclaimed.escalation).toMatchObject({ status: 'claimed' });
    // With a person again, the assistant stays silent.
    expect(await customer('are you there', conversationId)).toMatchObject({ mode: 'human' });
    await json(call('ben', `/v1/inbox/${id}/handback`, {}));
    await opened.support.idle();
    const closed = await json(call('ann', `/v1/inbox/${id}/close`, { resolution: 'Answered.' }));
    expect(closed.escalation).toMatchObject({ status: 'closed' });
    const again = await call('ann', `/v1/inbox/${id}/claim`, {});
    expect(again.status).toBe(409);
    const listed = await json(call('ann', '/v1/inbox?status=closed&order=newest'));
    expect(listed.escalations[0]!.id).toBe(id);
    expect((await transcript(id)).escalation.status).toBe('closed');
    expect((await call('ann', '/v1/inbox?order=sideways')).status).toBe(400);
  });

  it('counts the waiting cases for the navigation', async () => {
    const before = await json(call('ann', '/v1/inbox/summary'));
    await escalatedCase();
    const after = await json(call('ann', '/v1/inbox/summary'));
    expect(after.waiting).toBe(before.waiting + 1);
    expect((await call('cus', '/v1/inbox/summary')).status).toBe(403);
  });
});
