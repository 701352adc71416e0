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
});
