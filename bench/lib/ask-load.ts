/**
 * @module bench/lib/ask-load
 * What the `/v1/ask` benchmarks share: an instant quoting model, the demo knowledge base, and a load
 * loop that sends questions through the in-process HTTP app and measures each round trip and its
 * orchestrator overhead (round trip − retrieveMs − generateMs, from the answer's own timings).
 */
import path from 'node:path';
import type { Groundwork } from '../../src/app.ts';
import type { createHttpApp } from '../../src/server/app.ts';
import { createQuotingLanguageModel } from '../../src/testing/quoting-language-model.ts';

const QUESTIONS = [
  'How long do I have to return a smart thermostat?',
  'What does a blinking red light on the router mean?',
  'Do you ship to P.O. boxes?',
  'How do I factory reset the mesh router?',
  'How long does a refund take?',
  'What does the warranty cover?',
];

/**
 * A model that answers at once, forever, by quoting the first sentences of its passages with their
 * citations, so the grounding guardrail keeps its answers generative whatever is retrieved.
 */
export function createInstantModel() {
  return createQuotingLanguageModel();
}

/** Rate limits no benchmark reaches: a load run must measure the answer path, not the limiter's 429s. */
export const UNLIMITED_RATES = {
  perKey: { requestsPerMinute: 1_000_000, burst: 1_000_000 },
  perTenant: { requestsPerMinute: 1_000_000, burst: 1_000_000 },
};

/**
 * The answer cache off: these benchmarks ask the same few questions over and over to measure the
 * answer path, which a cache hit would skip (ADR 0026).
 */
export const NO_ANSWER_CACHE = { answers: { enabled: false } };

/** Ingests apps/support/knowledge into `app`'s database. */
export async function ingestDemoKnowledge(app: Groundwork): Promise<void> {
  const folder = path.resolve(import.meta.dirname, '../../apps/support/knowledge');
  await app.ingestion.submit('default', { sources: [{ kind: 'path', path: folder }] }, { trusted: true });
  await app.ingestion.drain();
}

/** Per-request samples of one load run. */
export interface AskLoad {
  readonly totals: number[];
  readonly overheads: number[];
  readonly seconds: number;
}

/** One answered question: its round trip and its orchestrator overhead, in milliseconds. */
export interface AskSample {
  readonly total: number;
  readonly overhead: number;
}

/** Asks question number `index` (of a fixed list) once; the answer must be generative. */
export async function askOnce(http: ReturnType<typeof createHttpApp>, index: number): Promise<AskSample> {
  const started = performance.now();
  const response = await http.request('/v1/ask', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ question: QUESTIONS[index % QUESTIONS.length] }),
  });
  const body = (await response.json()) as {
    timings: { retrieveMs: number; generateMs: number };
    mode: string;
  };
  const total = performance.now() - started;
  if (response.status !== 200 || body.mode !== 'generative')
    throw new Error(`unexpected answer: ${JSON.stringify(body)}`);
  return { total, overhead: total - body.timings.retrieveMs - body.timings.generateMs };
}

/** Sends `requests` questions, `concurrency` at a time; every answer must be generative. */
export async function runAskLoad(
  http: ReturnType<typeof createHttpApp>,
  options: { requests: number; concurrency: number },
): Promise<AskLoad> {
  const totals: number[] = [];
  const overheads: number[] = [];
  let next = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < options.requests) {
      const sample = await askOnce(http, next++);
      totals.push(sample.total);
      overheads.push(sample.overhead);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  return { totals, overheads, seconds: (performance.now() - started) / 1000 };
}
