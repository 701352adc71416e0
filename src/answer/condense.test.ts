import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../retrieval/lexical/analyzer.ts';
import { createScriptedLanguageModel } from '../testing/scripted-language-model.ts';
import { condenseWithModel, condenseWithoutModel } from './condense.ts';

const analyzer = createAnalyzer();
const history = [
  { role: 'user' as const, content: 'How do I return a smart thermostat?' },
  { role: 'assistant' as const, content: 'Open the order in your account and choose the items [1].' },
];

describe('condensing a follow-up', () => {
  it('without a model, appends the key terms of the previous user turn', () => {
    expect(condenseWithoutModel(history, 'How long does it take?', analyzer)).toBe(
      'How long does it take? return smart thermostat',
    );
    expect(condenseWithoutModel(history, 'Can I return a thermostat bought on sale?', analyzer)).toBe(
      'Can I return a thermostat bought on sale? smart',
    );
    expect(condenseWithoutModel([], 'Hello there?', analyzer)).toBe('Hello there?');
  });

  it('with a model, asks for a standalone question and uses the reply', async () => {
    const model = createScriptedLanguageModel([
      {
        text: '"How long does returning a smart thermostat take?"',
        usage: { inputTokens: 40, outputTokens: 9 },
      },
    ]);
    const condensed = await condenseWithModel(model, history, 'How long does it take?');
    expect(condensed).toEqual({
      query: 'How long does returning a smart thermostat take?',
      usage: { inputTokens: 40, outputTokens: 9 },
    });
    const prompt = JSON.stringify(model.calls[0]?.prompt);
    expect(prompt).toContain('standalone question');
    expect(prompt).toContain('User: How do I return a smart thermostat?');
    expect(prompt).toContain('Follow-up question: How long does it take?');
    model.assertComplete();
  });
});
