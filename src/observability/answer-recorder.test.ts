import { describe, expect, it } from 'vitest';
import type { Answerer, AskResult } from '../spec/answer.ts';
import { recordAnswers } from './answer-recorder.ts';
import { createLogger } from './logger.ts';
import { createPriceList } from './prices.ts';

const RESULT: AskResult = {
  answer: 'Within 30 days [1].',
  citations: [],
  mode: 'extractive',
  model: null,
  usage: { inputTokens: 0, outputTokens: 0 },
  timings: { retrieveMs: 1, generateMs: 0, totalMs: 1 },
  traceId: 'trace-1',
  removedCitations: 0,
  notes: [],
};

const answerer: Answerer = {
  ask: async () => RESULT,
  async *stream() {
    yield { type: 'done', result: RESULT };
  },
};

describe('recordAnswers', () => {
  it('returns the answer when the log write fails, and reports the failure scrubbed on the logger', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({
      level: 'info',
      destination: { write: (line) => lines.push(JSON.parse(line)) },
    });
    const recorded = recordAnswers(answerer, {
      // The failure quotes the row it could not write, as a database error can.
      log: {
        add: async (record) => {
          throw new Error(`insert failed for question "${record.question}"`);
        },
      },
      prices: createPriceList(),
      languageModelName: null,
      logger,
    });
    const result = await recorded.ask({ tenantId: 'acme', question: 'I am ana@example.com: returns?' });
    expect(result.answer).toBe('Within 30 days [1].');
    expect(lines).toHaveLength(1);
    expect(lines[0]?.msg).toBe('Could not record the answer in the answer log.');
    const written = JSON.stringify(lines);
    expect(written).toContain('insert failed for question');
    expect(written).not.toContain('ana@example.com');
  });
});
