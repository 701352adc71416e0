import path from 'node:path';
import { trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.ts';
import { createAnalyzer } from '../retrieval/lexical/analyzer.ts';
import { type ProviderServer, startProviderServer } from '../testing/provider-server.ts';
import { createGuardrailPipeline } from './create-guardrails.ts';
import { DecisionCounter } from './decision-counter.ts';
import { resolveModerationModel } from './moderation-models/resolve.ts';

const exporter = new InMemorySpanExporter();
let server: ProviderServer;
beforeAll(async () => {
  trace.setGlobalTracerProvider(
    new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
  );
  server = await startProviderServer(path.resolve(import.meta.dirname, 'moderation-models/__fixtures__'));
});
afterAll(async () => server?.close());

function pipelineWith(failClosed: boolean, counter: DecisionCounter) {
  const config = loadConfig(
    {
      dataDir: 'memory://',
      guardrails: {
        injection: { enabled: false },
        moderation: {
          classifier: { protocol: 'llama-guard', baseUrl: `${server.url}/v1`, maxRetries: 0, failClosed },
        },
      },
    },
    {},
  );
  const moderationModel = resolveModerationModel(config.guardrails.moderation.classifier);
  return createGuardrailPipeline(
    config.guardrails,
    { analyzer: createAnalyzer(), moderationModel },
    { counter, onError: () => {} },
  );
}

const input = { stage: 'input' as const, tenantId: 't' };

describe('moderation model guardrail', () => {
  it('runs after the rules, blocks what the model flags, and counts and traces the decision', async () => {
    const counter = new DecisionCounter();
    const pipeline = pipelineWith(true, counter);
    expect(pipeline.guardrails.map((guardrail) => guardrail.name)).toEqual([
      'moderation',
      'moderation-model',
      'stereotyping',
      'indirect-injection',
      'grounding',
      'pii-leak',
    ]);
    server.script([{ fixture: 'llama-guard-unsafe.json' }, { fixture: 'llama-guard-safe.json' }]);
    const outcome = await pipeline.run('a paraphrase the rules do not know', input);
    expect(outcome.stopped).toMatchObject({
      guardrail: 'moderation-model',
      action: 'block',
      code: 'guardrail_moderation',
      categories: ['violence', 'hate'],
    });
    expect((await pipeline.run('How do refunds work?', input)).stopped).toBeUndefined();
    // A plain case is the rules', with no model call.
    expect((await pipeline.run('How do I make a pipe bomb?', input)).stopped?.guardrail).toBe('moderation');
    expect(server.requests).toHaveLength(2);
    expect(counter.snapshot()).toContainEqual({
      stage: 'input',
      guardrail: 'moderation-model',
      action: 'block',
      code: 'guardrail_moderation',
      count: 1,
    });
    const spans = exporter.getFinishedSpans().filter((span) => span.name === 'guardrail.moderation_model');
    expect(spans[0]?.attributes).toMatchObject({
      'guardrail.name': 'moderation-model',
      'guardrail.stage': 'input',
      'gen_ai.request.model': 'llama-guard:llama-guard3',
      'guardrail.labels': 'S1,S10',
      'guardrail.action': 'block',
    });
  });

  it('fails closed when the model cannot answer, or lets the rules decide alone when told to', async () => {
    const failing = { body: '{"error":{"message":"down"}}', status: 503 } as const;
    server.script([failing]);
    const closed = await pipelineWith(true, new DecisionCounter()).run('anything', input);
    expect(closed.stopped).toMatchObject({ code: 'guardrail_error', guardrail: 'moderation-model' });
    server.script([failing]);
    const open = await pipelineWith(false, new DecisionCounter()).run('anything', input);
    expect(open.stopped).toBeUndefined();
    expect(open.decisions.at(-1)).toMatchObject({
      action: 'allow',
      code: 'guardrail_moderation_unavailable',
    });
  });
});
