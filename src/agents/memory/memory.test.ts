import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../retrieval/lexical/analyzer.ts';
import type { ToolContext } from '../../spec/agents.ts';
import { appendMessage, createConversation } from '../../store/conversations.ts';
import type { Database } from '../../store/database.ts';
import { ensureEmbeddingModel, ensureTenant } from '../../store/documents.ts';
import { testBackends } from '../../testing/databases.ts';
import { createHashEmbedder } from '../../testing/hash-embedder.ts';
import { createScriptedLanguageModel } from '../../testing/scripted-language-model.ts';
import { createTokenCounter } from '../../text/tokens.ts';
import { CustomerMemory } from './customer.ts';
import { createMemoryTools } from './tools.ts';
import { ConversationMemory } from './window.ts';

const tokens = createTokenCounter();
const analyzer = createAnalyzer();

const TURNS: [string, string][] = [
  ['user', 'Hello, my thermostat order ORD-7731 arrived with a cracked screen.'],
  ['assistant', 'I am sorry to hear that. Could you tell me when it was delivered?'],
  ['user', 'It was delivered on Monday. The box looked fine but the screen is broken.'],
  ['assistant', 'Thank you. A cracked screen on delivery is covered by our damage policy.'],
  ['user', 'Good. Can I get a replacement instead of a refund?'],
  ['assistant', 'Yes, a replacement can be shipped once we receive a photo of the damage.'],
  ['user', 'I just uploaded the photo. How long will the replacement take?'],
];

function context(tenantId: string, conversationId: string, customerId?: string): ToolContext {
  return {
    tenantId,
    conversationId,
    runId: 'run-1',
    signal: new AbortController().signal,
    ...(customerId ? { customer: { customerId, verifiedBy: 'session' as const } } : {}),
  };
}

describe.each(testBackends())('memory on $name', (backend) => {
  let db: Database;

  beforeAll(async () => {
    db = await backend.open();
    await ensureTenant(db, 'acme');
    await ensureTenant(db, 'other');
  }, 120_000);
  afterAll(async () => db?.close());

  async function longConversation() {
    const conversation = await createConversation(db, 'acme', 'Broken thermostat');
    await db.transaction(async (tx) => {
      for (const [role, content] of TURNS) {
        await appendMessage(tx, 'acme', conversation.id, { role: role as 'user', content });
      }
    });
    return conversation.id;
  }

  it('sends the whole history while it fits', async () => {
    const conversationId = await longConversation();
    const memory = new ConversationMemory({ db, tokens, analyzer });
    const window = await memory.window({ tenantId: 'acme', conversationId }, 10_000);
    expect(window.summary).toBeNull();
    expect(window.messages).toHaveLength(TURNS.length);
    await expect(memory.window({ tenantId: 'other', conversationId }, 10_000)).rejects.toMatchObject({
      code: 'conversation_not_found',
    });
  });

  it('summarises older turns extractively within the budget, keeping the order number', async () => {
    const conversationId = await longConversation();
    const memory = new ConversationMemory({ db, tokens, analyzer });
    const budget = 100;
    const window = await memory.window({ tenantId: 'acme', conversationId }, budget);
    expect(window.tokens).toBeLessThanOrEqual(budget);
    expect(window.messages.at(-1)!.content).toBe(TURNS.at(-1)![1]);
    expect(window.messages.length).toBeLessThan(TURNS.length);
    expect(window.summary).toContain('ORD-7731');
    expect(tokens.count(window.summary!)).toBeLessThanOrEqual(budget / 4);
    // The summary is stored: the next window starts from it and sends the same recent turns.
    const again = await memory.window({ tenantId: 'acme', conversationId }, budget);
    expect(again).toEqual(window);
  });

  it('summarises with the model when given one, once per fold', async () => {
    const conversationId = await longConversation();
    const model = createScriptedLanguageModel([
      { text: 'Order ORD-7731 arrived cracked; replacement agreed.' },
    ]);
    const memory = new ConversationMemory({ db, tokens, analyzer, model });
    const window = await memory.window({ tenantId: 'acme', conversationId }, 100);
    expect(window.summary).toBe('Order ORD-7731 arrived cracked; replacement agreed.');
    const prompt = JSON.stringify(model.calls[0]!.prompt);
    expect(prompt).toContain('cracked screen');
    await memory.window({ tenantId: 'acme', conversationId }, 100);
    expect(model.calls).toHaveLength(1);
    model.assertComplete();
  });

  it('keeps two customers’ similar memories apart, and tenants apart', async () => {
    const embedder = createHashEmbedder({ dimensions: 64 });
    const modelId = await ensureEmbeddingModel(db, 'test:hash-64', 64);
    const memory = new CustomerMemory({
      db,
      analyzer,
      embedder: { model: embedder, dimensions: 64, modelId },
    });
    const conversationId = await longConversation();
    await memory.remember(
      { tenantId: 'acme', customerId: 'ann' },
      {
        kind: 'preference',
        text: 'Leave parcels at the back door, gate code 1111.',
        sourceConversation: conversationId,
      },
    );
    await memory.remember(
      { tenantId: 'acme', customerId: 'bob' },
      { kind: 'preference', text: 'Leave parcels at the back door, gate code 2222.' },
    );
    await memory.remember(
      { tenantId: 'other', customerId: 'ann' },
      { kind: 'preference', text: 'Leave parcels at the back door, gate code 3333.' },
    );
    await memory.remember(
      { tenantId: 'acme', customerId: 'ann' },
      { kind: 'issue', text: 'Thermostat screen cracked in delivery.', resolution: 'Replacement shipped.' },
    );
    const recalled = await memory.recall(
      { tenantId: 'acme', customerId: 'ann' },
      'where to leave parcels, gate code',
      10,
    );
    expect(recalled.map((row) => row.text)).toEqual([
      'Leave parcels at the back door, gate code 1111.',
      'Thermostat screen cracked in delivery.',
    ]);
    expect(recalled[0]!.score).toBeGreaterThan(recalled[1]!.score!);
    expect(recalled[0]!.sourceConversation).toBe(conversationId);
    const bob = await memory.recall({ tenantId: 'acme', customerId: 'bob' }, 'gate code', 10);
    expect(bob.map((row) => row.text)).toEqual(['Leave parcels at the back door, gate code 2222.']);
  });

  it('recalls by shared terms without an embedder', async () => {
    const memory = new CustomerMemory({ db, analyzer });
    const key = { tenantId: 'acme', customerId: 'cara' };
    await memory.remember(key, { kind: 'fact', text: 'Owns two smart thermostats.' });
    await memory.remember(key, { kind: 'preference', text: 'Prefers email over phone calls.' });
    await memory.remember(
      { tenantId: 'acme', customerId: 'dan' },
      { kind: 'fact', text: 'Owns three thermostats.' },
    );
    const recalled = await memory.recall(key, 'which thermostats does she own?');
    expect(recalled.map((row) => row.text)).toEqual(['Owns two smart thermostats.']);
  });

  it('gives agents remember and recall for the verified customer only', async () => {
    const memory = new CustomerMemory({ db, analyzer });
    const { remember, recall } = createMemoryTools(memory);
    const conversationId = await longConversation();
    await expect(
      remember.execute({ kind: 'fact', text: 'Has a dog.' }, context('acme', conversationId)),
    ).rejects.toMatchObject({ code: 'customer_not_verified' });
    await expect(recall.execute({ query: 'dog' }, context('acme', conversationId))).rejects.toMatchObject({
      code: 'customer_not_verified',
    });
    const stored = await remember.execute(
      { kind: 'fact', text: 'Has a dog that barks at couriers.' },
      context('acme', conversationId, 'erin'),
    );
    expect(stored.stored).toBe(true);
    const mine = await recall.execute({ query: 'dog couriers' }, context('acme', conversationId, 'erin'));
    expect(mine.memories.map((row) => row.text)).toEqual(['Has a dog that barks at couriers.']);
    const theirs = await recall.execute({ query: 'dog couriers' }, context('acme', conversationId, 'fred'));
    expect(theirs.memories).toEqual([]);
    const schema = remember.inputSchema as { safeParse(value: unknown): { success: boolean } };
    expect(schema.safeParse({ kind: 'gossip', text: 'x y z' }).success).toBe(false);
  });
});
