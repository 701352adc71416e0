import type { LanguageModelV3CallOptions } from '@ai-sdk/provider';
import { afterEach, describe, expect, it } from 'vitest';
import { createScriptedLanguageModel } from '../../src/testing/scripted-language-model.ts';
import { openSupportApp, promptText } from './testing.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

// With a model, the detected language reaches every agent of the turn; English adds nothing.
describe('the customer language in agent mode', () => {
  it('tells the agents to answer in Spanish, then in French when the customer switches, and nothing for English', async () => {
    const prompts: LanguageModelV3CallOptions[] = [];
    const answer = (text: string) => (call: LanguageModelV3CallOptions) => {
      prompts.push(call);
      return { text };
    };
    const model = createScriptedLanguageModel([
      answer('Hola, ¿en qué puedo ayudarle?'),
      answer('Bonjour !'),
      answer('Hello!'),
    ]);
    const { support, close } = await openSupportApp({ model });
    closers.push(close);
    const first = await support.turn({
      tenantId: 'demo',
      message: 'hola, tengo una pregunta sobre mi pedido',
    });
    await support.turn({
      tenantId: 'demo',
      conversationId: first.conversationId,
      message: "en fait je préfère parler français, c'est possible ?",
    });
    await support.turn({ tenantId: 'demo', message: 'hi, I have a question about my order' });
    expect(promptText(prompts[0]!)).toMatch(/customer writes in Spanish/);
    expect(promptText(prompts[1]!)).toMatch(/customer writes in French/);
    expect(promptText(prompts[2]!)).not.toMatch(/customer writes in/);
  }, 60_000);

  it.each([
    ['quiero hablar con una persona', 'customer-request', /persona/],
    ['vous êtes des escrocs, c’est une arnaque', 'agent-decision', /équipe/],
    ['I demand compensation of $2,000 for this', 'agent-decision', /team/],
  ])(
    'escalates "%s" before any model call, with the reason for the operator',
    async (message, trigger, reply) => {
      // The double fails on any call: the guard must decide without the model.
      const model = createScriptedLanguageModel([]);
      const { app, support, close } = await openSupportApp({ model });
      closers.push(close);
      const turn = await support.turn({ tenantId: 'demo', message });
      expect(turn).toMatchObject({ escalated: true, mode: 'human' });
      expect(turn.reply).toMatch(reply);
      const [parked] = await app.inbox.list('demo');
      expect(parked).toMatchObject({ conversationId: turn.conversationId, trigger });
      expect(parked?.reason).toContain(message.slice(0, 20));
    },
    60_000,
  );
});
