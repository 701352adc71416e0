/**
 * A separate model per sub-task (`llm.tasks`): configured by environment variables that map onto the
 * config (and agree with docs/configuration.md, checked in test/docs), resolved at start-up, and used
 * for exactly its task: scripted models record which got which call, and the answer's cost prices
 * each model's tokens at its own rate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroundwork, type Groundwork } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import { appendMessage, createConversation } from '../store/conversations.ts';
import { type AnswerApps, openAnswerApps } from '../testing/answer-apps.ts';
import { testBackends } from '../testing/databases.ts';
import { createScriptedLanguageModel } from '../testing/scripted-language-model.ts';
import { resolveTaskModels } from './task-models.ts';

describe('llm.tasks configuration', () => {
  it('maps GROUNDWORK_LLM_<TASK> onto llm.tasks and resolves each to its own model', () => {
    const config = loadConfig({ dataDir: 'memory://' }, {
      GROUNDWORK_LLM: 'openai:gpt-4o',
      GROUNDWORK_LLM_CONDENSE: 'openai:gpt-4o-mini',
      GROUNDWORK_LLM_JUDGE: ' anthropic:claude-3-5-haiku-latest ',
    } as NodeJS.ProcessEnv);
    expect(config.llm.tasks).toEqual({
      condense: 'openai:gpt-4o-mini',
      judge: 'anthropic:claude-3-5-haiku-latest',
    });
    const answering = { model: createScriptedLanguageModel([]), name: 'openai:gpt-4o' };
    const env = { OPENAI_API_KEY: 'sk-test', ANTHROPIC_API_KEY: 'sk-ant-test' };
    const tasks = resolveTaskModels(config.llm, answering, {}, { env });
    expect(tasks.condense?.name).toBe('openai:gpt-4o-mini');
    expect(tasks.judge?.name).toBe('anthropic:claude-3-5-haiku-latest');
    // Without a model of their own, tasks use the answering model.
    expect(tasks.summarise).toBe(answering);
    expect(tasks.moderation).toBe(answering);
  });

  it('names the variable of a task model it cannot build', () => {
    const config = loadConfig({ dataDir: 'memory://' }, {
      GROUNDWORK_LLM: 'none',
      GROUNDWORK_LLM_SUMMARISE: 'mistral:small',
    } as NodeJS.ProcessEnv);
    expect(() => resolveTaskModels(config.llm, undefined, {}, { env: {} })).toThrow(
      /GROUNDWORK_LLM_SUMMARISE names an unknown provider "mistral"/,
    );
  });
});

for (const backend of testBackends()) {
  describe(`task models on ${backend.name}`, () => {
    let apps: AnswerApps;
    let app: Groundwork;
    const main = createScriptedLanguageModel(
      [{ text: 'Within 30 days [1].', usage: { inputTokens: 1000, outputTokens: 100 } }],
      {
        modelId: 'main',
        repeat: true,
      },
    );
    const cheap = createScriptedLanguageModel(
      [
        {
          text: 'How long do I have to return a smart thermostat?',
          usage: { inputTokens: 300, outputTokens: 20 },
        },
      ],
      { modelId: 'condense', repeat: true },
    );
    const summariser = createScriptedLanguageModel([{ text: 'Order ORD-7731 arrived cracked.' }], {
      modelId: 'summarise',
      repeat: true,
    });
    const moderator = createScriptedLanguageModel([{ text: 'SAFE' }], {
      modelId: 'moderation',
      repeat: true,
    });
    const started = new Date(Date.now() - 1000);

    beforeAll(async () => {
      apps = await openAnswerApps(backend);
      app = await createGroundwork(
        loadConfig({
          dataDir: 'memory://',
          cache: { answers: { enabled: false } },
          guardrails: { moderation: { model: true } },
          prices: {
            'test:main': { inputPerMillion: 10, outputPerMillion: 30 },
            'test:condense': { inputPerMillion: 0.1, outputPerMillion: 0.4 },
          },
        }),
        {
          db: apps.app.db,
          languageModel: { model: main, name: 'test:main' },
          taskModels: {
            condense: { model: cheap, name: 'test:condense' },
            summarise: { model: summariser, name: 'test:summarise' },
            moderation: { model: moderator, name: 'test:moderation' },
          },
        },
      );
    }, 120_000);
    afterAll(async () => {
      await app?.close();
      await apps?.close();
    });

    it('condenses a follow-up with the condense model, answers with the main one, and prices each', async () => {
      const before = {
        main: main.calls.length,
        cheap: cheap.calls.length,
        moderator: moderator.calls.length,
      };
      const result = await app.answerer.ask({
        tenantId: 'default',
        question: 'How long do I have?',
        history: [
          { role: 'user', content: 'I want to return my smart thermostat.' },
          { role: 'assistant', content: 'Sure, I can help with a return.' },
        ],
      });
      expect(cheap.calls.length - before.cheap).toBe(1);
      expect(JSON.stringify(cheap.calls.at(-1)?.prompt)).toContain('How long do I have?');
      expect(main.calls.length - before.main).toBe(1);
      expect(JSON.stringify(main.calls.at(-1)?.prompt)).toContain('return a smart thermostat');
      // The moderator checked the question (and the answer), and wrote no answer.
      expect(moderator.calls.length - before.moderator).toBeGreaterThanOrEqual(1);
      expect(result).toMatchObject({
        mode: 'generative',
        model: 'test:main',
        usage: { inputTokens: 1300, outputTokens: 120 },
        usageByModel: [
          { model: 'test:condense', inputTokens: 300, outputTokens: 20 },
          { model: 'test:main', inputTokens: 1000, outputTokens: 100 },
        ],
      });
      const report = await app.usage.report({
        tenantId: 'default',
        from: started,
        to: new Date(Date.now() + 1000),
        groupBy: ['model'],
      });
      const expected = (300 * 0.1 + 20 * 0.4 + 1000 * 10 + 100 * 30) / 1e6;
      expect(report.total.costUsd).toBeCloseTo(expected, 12);
    });

    it('summarises a long conversation with the summarise model', async () => {
      const conversation = await createConversation(app.db, 'default', 'Broken thermostat');
      await app.db.transaction(async (tx) => {
        for (let turn = 0; turn < 12; turn++) {
          await appendMessage(tx, 'default', conversation.id, {
            role: turn % 2 === 0 ? 'user' : 'assistant',
            content: `Turn ${turn}: order ORD-7731 arrived with a cracked screen and we discussed a replacement at length.`,
          });
        }
      });
      const before = { main: main.calls.length, summariser: summariser.calls.length };
      const window = await app.memory.conversations.window(
        { tenantId: 'default', conversationId: conversation.id },
        120,
      );
      expect(window.summary).toBe('Order ORD-7731 arrived cracked.');
      expect(summariser.calls.length - before.summariser).toBe(1);
      expect(main.calls.length).toBe(before.main);
    });

    it('offers the judge the answering model when no judge is configured', () => {
      expect(app.taskModels.judge?.name).toBe('test:main');
      expect(app.taskModels.condense?.name).toBe('test:condense');
    });
  });
}
