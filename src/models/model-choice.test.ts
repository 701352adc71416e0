import { describe, expect, it } from 'vitest';
import { DEFAULT_CHAT_MODEL, findLocalModel } from './local/catalog.ts';
import { answerBudgetsFor, chooseModel, isLocal, localModelName } from './model-choice.ts';

const CONFIGURED = { contextTokens: 3000, maxOutputTokens: 1024 };

describe('model choice', () => {
  it('parses a local setting once, with its catalog description', () => {
    const choice = chooseModel(`local:${DEFAULT_CHAT_MODEL}`, 'chat', '/nonexistent');
    expect(choice.spec).toBe(`local:${DEFAULT_CHAT_MODEL}`);
    expect(choice.local?.name).toBe(DEFAULT_CHAT_MODEL);
    expect(isLocal(choice)).toBe(true);
    expect(localModelName('openai:gpt-4o-mini')).toBeUndefined();
    expect(localModelName('local:x')).toBe('x');
  });

  it('resolves auto to none with a note when the default model is not installed', () => {
    const choice = chooseModel('auto', 'chat', '/nonexistent');
    expect(choice).toMatchObject({ spec: 'none', note: expect.stringContaining(DEFAULT_CHAT_MODEL) });
    expect(isLocal(choice)).toBe(false);
  });

  it('caps answer budgets by the local chat model’s description, and leaves hosted models alone', () => {
    const chat = findLocalModel(DEFAULT_CHAT_MODEL)?.chat;
    expect(chat).toBeDefined();
    const local = chooseModel(`local:${DEFAULT_CHAT_MODEL}`, 'chat', '/nonexistent');
    expect(answerBudgetsFor(local, CONFIGURED)).toEqual({
      contextTokens: Math.min(3000, chat!.answerContextTokens),
      maxOutputTokens: Math.min(1024, chat!.answerOutputTokens),
    });
    // A smaller configured budget wins over the description.
    expect(answerBudgetsFor(local, { contextTokens: 100, maxOutputTokens: 10 })).toEqual({
      contextTokens: 100,
      maxOutputTokens: 10,
    });
    expect(answerBudgetsFor(chooseModel('openai:gpt-4o-mini', 'chat', '/x'), CONFIGURED)).toEqual(CONFIGURED);
    expect(answerBudgetsFor(chooseModel('local:not-in-catalog', 'chat', '/x'), CONFIGURED)).toEqual(
      CONFIGURED,
    );
  });
});
