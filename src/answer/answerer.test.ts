import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroundwork, type Groundwork } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import { GroundworkError } from '../errors.ts';
import { createAnalyzer } from '../retrieval/lexical/analyzer.ts';
import type { AskEvent } from '../spec/answer.ts';
import { testBackends } from '../testing/databases.ts';
import { createScriptedLanguageModel, type ScriptedReply } from '../testing/scripted-language-model.ts';
import { createTokenCounter } from '../text/tokens.ts';
import { createAnswerer } from './answerer.ts';
import { NOT_FOUND_ANSWER, NOTES } from './notes.ts';
import { GROUNDED_SYSTEM_PROMPT } from './prompt.ts';

const knowledge = path.resolve(import.meta.dirname, '../../apps/support/knowledge');
const tenantId = 'default';

/** A model error the way the provider layer raises them: a code and category 'system'. */
const modelError = (code: string) =>
  new GroundworkError({ code, message: `provider said ${code}`, category: 'system', retryable: true });

for (const backend of testBackends()) {
  describe(`answerer on ${backend.name}`, () => {
    let app: Groundwork;

    beforeAll(async () => {
      const db = await backend.open();
      app = await createGroundwork(loadConfig({ dataDir: 'memory://' }), { db });
      await app.ingestion.submit(
        tenantId,
        { sources: [{ kind: 'path', path: knowledge }] },
        { trusted: true },
      );
      await app.ingestion.drain();
    }, 120_000);
    afterAll(async () => {
      await app?.close();
      await app?.db.close();
    });

    const answererWith = (script: readonly ScriptedReply[]) => {
      const model = createScriptedLanguageModel(script);
      const answerer = createAnswerer({
        retriever: app.retriever,
        tokenCounter: createTokenCounter(),
        analyzer: createAnalyzer(),
        model: { model, name: 'test:scripted' },
      });
      return { model, answerer };
    };

    it('answers extractively without a model, with citations and a note on how to enable generation', async () => {
      const result = await app.answerer.ask({
        tenantId,
        question: 'How long do I have to return a thermostat?',
      });
      expect(result.mode).toBe('extractive');
      expect(result.model).toBeNull();
      // The FAQ and the returns policy both say it; a question (an FAQ heading) is never quoted.
      expect(result.answer).toMatch(/within 30 days[^.?]*\[1\]\./);
      expect(result.answer).not.toContain('?');
      // One source that says it is enough: further sentences must score half the best (ADR 0045).
      expect(result.citations.map((citation) => citation.source).join(' ')).toMatch(
        /policies\/returns\.md|faq\/faq\.md/,
      );
      expect(result.notes).toEqual([NOTES.noModel]);
      expect(result.notes[0]).toContain('GROUNDWORK_LLM');
      expect(result.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(result.usage).toEqual({ inputTokens: 0, outputTokens: 0 });
    });

    it('generates from the grounded prompt, renumbers citations and removes unknown ones', async () => {
      const { model, answerer } = answererWith([
        {
          text: 'Refunds take 5 business days [2]. Returns: 30 days [1][9].',
          usage: { inputTokens: 900, outputTokens: 20 },
        },
      ]);
      const result = await answerer.ask({ tenantId, question: 'How long do refunds and returns take?' });
      expect(result).toMatchObject({
        mode: 'generative',
        model: 'test:scripted',
        answer: 'Refunds take 5 business days [1]. Returns: 30 days [2].',
        removedCitations: 1,
        usage: { inputTokens: 900, outputTokens: 20 },
        notes: [],
      });
      expect(result.citations.map((citation) => citation.n)).toEqual([1, 2]);
      const call = model.calls[0]!;
      const system = JSON.stringify(call.prompt[0]);
      expect(system).toContain('using only the numbered passages');
      expect(system).toContain('not instructions');
      const user = JSON.stringify(call.prompt[1]);
      expect(user).toContain('<passage n=\\"1\\"');
      expect(user).toContain('Question: How long do refunds and returns take?');
      expect(call.abortSignal).toBeUndefined();
      model.assertComplete();
    });

    it('falls back to an extractive answer when the model cites nothing', async () => {
      const { answerer } = answererWith([{ text: 'Returns are easy, trust me.' }]);
      const result = await answerer.ask({ tenantId, question: 'How long do I have to return a thermostat?' });
      expect(result.mode).toBe('extractive');
      expect(result.model).toBeNull();
      expect(result.notes).toEqual([NOTES.uncited]);
      expect(result.answer).toContain('[1]');
      expect(result.citations.length).toBeGreaterThan(0);
      expect(result.usage.outputTokens).toBeGreaterThan(0);
    });

    it('falls back to an extractive answer when the model repeats its instructions, example citations and all', async () => {
      const echo = `${GROUNDED_SYSTEM_PROMPT.split('\n').slice(0, 3).join('\n')}\n\nPassages:`;
      expect(echo).toMatch(/\[1\]/);
      const { answerer } = answererWith([{ text: echo }]);
      const result = await answerer.ask({ tenantId, question: 'How long do I have to return a thermostat?' });
      expect(result.mode).toBe('extractive');
      expect(result.notes).toEqual([NOTES.echoed]);
      expect(result.answer).not.toContain('Cite every statement');
    });

    it('says plainly when nothing is retrieved, without calling the model', async () => {
      const { model, answerer } = answererWith([]);
      const result = await answerer.ask({ tenantId, question: 'zanzibar quokka xylophone' });
      expect(result).toMatchObject({
        answer: NOT_FOUND_ANSWER,
        citations: [],
        mode: 'extractive',
        model: null,
      });
      expect(result.notes).toContain(NOTES.nothingRetrieved);
      expect(model.calls).toHaveLength(0);
    });

    it('condenses a follow-up with the model before retrieving', async () => {
      const { model, answerer } = answererWith([
        { text: 'How long do refunds take after a return arrives?' },
        { text: 'Within 5 business days [1].' },
      ]);
      const result = await answerer.ask({
        tenantId,
        question: 'And how long does that take?',
        history: [
          { role: 'user', content: 'How do I get a refund?' },
          { role: 'assistant', content: 'Start a return in your account [1].' },
        ],
      });
      expect(JSON.stringify(model.calls[1]!.prompt)).toContain(
        'Question: How long do refunds take after a return arrives?',
      );
      expect(result.citations[0]!.snippet).toMatch(/refund/i);
      model.assertComplete();
    });

    it('streams events in order, and reports a model failure as an error event', async () => {
      const { answerer } = answererWith([
        { text: 'You can return it within 30 days [1].', chunkSize: 5 },
        { error: modelError('model_timeout') },
      ]);
      const events: AskEvent[] = [];
      for await (const event of answerer.stream({ tenantId, question: 'return a thermostat' }))
        events.push(event);
      const types = events.map((event) => event.type);
      expect(types[0]).toBe('retrieval-done');
      expect(types.slice(-2)).toEqual(['citations', 'done']);
      expect(types.filter((type) => type === 'text-delta').length).toBeGreaterThan(3);
      const streamed = events.map((event) => (event.type === 'text-delta' ? event.delta : '')).join('');
      const done = events.at(-1) as Extract<AskEvent, { type: 'done' }>;
      expect(streamed).toBe(done.result.answer);

      const failed: AskEvent[] = [];
      for await (const event of answerer.stream({ tenantId, question: 'return a thermostat' }))
        failed.push(event);
      expect(failed.map((event) => event.type)).toEqual(['retrieval-done', 'error']);
      expect(failed[1]).toMatchObject({ code: 'model_timeout' });
      expect(JSON.stringify(failed[1])).not.toContain('provider said');
    });

    it('streams an extractive answer as one delta', async () => {
      const events: AskEvent[] = [];
      for await (const event of app.answerer.stream({ tenantId, question: 'return a thermostat' })) {
        events.push(event);
      }
      expect(events.map((event) => event.type)).toEqual([
        'retrieval-done',
        'text-delta',
        'citations',
        'done',
      ]);
      const done = events[3] as Extract<AskEvent, { type: 'done' }>;
      expect(events[1]).toEqual({ type: 'text-delta', delta: done.result.answer });
    });

    it('keeps the passages in the prompt within the configured token budget', async () => {
      const model = createScriptedLanguageModel([{ text: 'Thirty days [1].' }]);
      const counter = createTokenCounter();
      const answerer = createAnswerer({
        retriever: app.retriever,
        tokenCounter: counter,
        analyzer: createAnalyzer(),
        model: { model, name: 'test:scripted' },
        contextTokens: 150,
      });
      await answerer.ask({ tenantId, question: 'return refund shipping router reset', limit: 8 });
      const user = (model.calls[0]!.prompt[1] as { content: { text: string }[] }).content[0]!.text;
      const bodies = [...user.matchAll(/<passage [^>]*>\n([\s\S]*?)\n<\/passage>/g)].map(
        (match) => match[1]!,
      );
      expect(bodies.length).toBeGreaterThan(0);
      expect(bodies.reduce((sum, body) => sum + counter.count(body), 0)).toBeLessThanOrEqual(150);
    });

    it('lets model outages propagate from ask() and rejects empty or huge questions', async () => {
      const { answerer } = answererWith([{ error: modelError('model_unavailable') }]);
      await expect(answerer.ask({ tenantId, question: 'return a thermostat' })).rejects.toMatchObject({
        code: 'model_unavailable',
        category: 'system',
      });
      await expect(app.answerer.ask({ tenantId, question: '  \n ' })).rejects.toMatchObject({
        code: 'invalid_question',
      });
      await expect(app.answerer.ask({ tenantId, question: 'x'.repeat(8001) })).rejects.toMatchObject({
        code: 'question_too_long',
      });
    });
  });
}
