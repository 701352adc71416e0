/**
 * @module observability/gen-ai
 * Spans for model calls, named and attributed after the OpenTelemetry GenAI semantic conventions
 * (`gen_ai.chat`, `gen_ai.embeddings`, `gen_ai.operation.name`, `gen_ai.request.model`,
 * `gen_ai.usage.*`). The attribute names are written out here rather than taken from the
 * conventions' incubating entry point, which may rename them between releases.
 */
import { type Span, SpanKind } from '@opentelemetry/api';
import { capturedContent, recordError, startSpan } from './tracer.ts';

/** GenAI attribute names used by the product (and by the metrics derived from spans). */
export const GEN_AI = {
  operation: 'gen_ai.operation.name',
  provider: 'gen_ai.provider.name',
  requestModel: 'gen_ai.request.model',
  responseModel: 'gen_ai.response.model',
  maxTokens: 'gen_ai.request.max_tokens',
  temperature: 'gen_ai.request.temperature',
  topP: 'gen_ai.request.top_p',
  stopSequences: 'gen_ai.request.stop_sequences',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  finishReasons: 'gen_ai.response.finish_reasons',
  inputMessages: 'gen_ai.input.messages',
  outputMessages: 'gen_ai.output.messages',
} as const;

/** Span attribute with the `provider:model` name metrics label tokens and cost with. */
export const MODEL_NAME_ATTRIBUTE = 'groundwork.model';

/** The part of a model the spans describe. */
export interface ModelIdentity {
  readonly provider: string;
  readonly modelId: string;
}

/** How a model call ended. */
export interface ChatOutcome {
  readonly text: string;
  readonly usage: { readonly inputTokens: number; readonly outputTokens: number };
  readonly finishReason?: string;
  /**
   * `provider:model` that actually answered, when it is not the one the span was started for (a
   * fallback of the resilient wrapper): the span is then labelled and priced by it.
   */
  readonly servedBy?: string;
}

/** A chat call in flight: end it with its outcome or its error. */
export interface ChatSpan {
  readonly span: Span;
  end(outcome: ChatOutcome): void;
  fail(error: unknown): void;
  /** Ends the span if neither `end` nor `fail` did (the caller stopped reading a stream). */
  abandon(): void;
}

/** The identity of an AI SDK model argument (a bare string names a gateway model). */
export function modelIdentity(model: string | ModelIdentity): ModelIdentity {
  return typeof model === 'string' ? { provider: 'gateway', modelId: model } : model;
}

/**
 * The `provider:model` that answered a call, as the resilient wrapper (models/resilient-language-model.ts)
 * writes it into the result's provider metadata; undefined for a model without the wrapper.
 *
 * @example
 * servedModelOf(result.providerMetadata); // 'anthropic:claude-3-5-haiku-latest' after a fallback
 */
export function servedModelOf(metadata: unknown): string | undefined {
  const served = (metadata as { groundwork?: { model?: unknown } } | undefined)?.groundwork?.model;
  return typeof served === 'string' && served.length > 0 ? served : undefined;
}

/** `openai.chat` → `openai`: the AI SDK suffixes the provider with the API it calls. */
export function providerName(model: ModelIdentity): string {
  return model.provider.split('.')[0] ?? model.provider;
}

/**
 * Starts a `gen_ai.chat` span; `input` gives the prompt as text, read only when the span keeps it.
 *
 * @example
 * const call = startChatSpan(model, () => JSON.stringify(messages), { maxOutputTokens: 512 });
 * try { const result = await generateText(…); call.end({ text: result.text, usage, finishReason: result.finishReason }); }
 * catch (error) { call.fail(error); throw error; }
 */
export function startChatSpan(
  model: ModelIdentity,
  input: (maxChars?: number) => string,
  options: {
    readonly maxOutputTokens?: number;
    readonly temperature?: number;
    readonly topP?: number;
    readonly stopSequences?: readonly string[];
  } = {},
): ChatSpan {
  const span = startSpan(
    'gen_ai.chat',
    {
      [GEN_AI.operation]: 'chat',
      [GEN_AI.provider]: providerName(model),
      [GEN_AI.requestModel]: model.modelId,
      [MODEL_NAME_ATTRIBUTE]: `${providerName(model)}:${model.modelId}`,
      ...(options.maxOutputTokens ? { [GEN_AI.maxTokens]: options.maxOutputTokens } : {}),
      ...(options.temperature === undefined ? {} : { [GEN_AI.temperature]: options.temperature }),
      ...(options.topP === undefined ? {} : { [GEN_AI.topP]: options.topP }),
      ...(options.stopSequences?.length ? { [GEN_AI.stopSequences]: [...options.stopSequences] } : {}),
    },
    SpanKind.CLIENT,
  );
  const prompt = span.isRecording() ? capturedContent(input) : undefined;
  if (prompt !== undefined) span.setAttribute(GEN_AI.inputMessages, prompt);
  let open = true;
  return {
    span,
    end(outcome) {
      if (!open) return;
      open = false;
      span.setAttribute(GEN_AI.inputTokens, outcome.usage.inputTokens);
      span.setAttribute(GEN_AI.outputTokens, outcome.usage.outputTokens);
      if (outcome.finishReason) span.setAttribute(GEN_AI.finishReasons, [outcome.finishReason]);
      if (outcome.servedBy) {
        // Set before `span.end()`, which prices the span by this attribute (span-cost.ts).
        span.setAttribute(MODEL_NAME_ATTRIBUTE, outcome.servedBy);
        span.setAttribute(GEN_AI.responseModel, outcome.servedBy.slice(outcome.servedBy.indexOf(':') + 1));
      }
      const completion = span.isRecording() ? capturedContent(outcome.text) : undefined;
      if (completion !== undefined) span.setAttribute(GEN_AI.outputMessages, completion);
      span.end();
    },
    fail(error) {
      if (!open) return;
      open = false;
      recordError(span, error);
      span.end();
    },
    abandon() {
      if (!open) return;
      open = false;
      span.setAttribute('groundwork.abandoned', true);
      span.end();
    },
  };
}

/**
 * Chat messages as the JSON a span keeps, or its first `maxChars` characters, exactly, without
 * encoding the rest: a RAG prompt carries every passage, and only about 1 KB of it is usually kept.
 *
 * @example
 * const call = startChatSpan(model, (maxChars) => messagesText([{ role: 'system', content: system }, ...messages], maxChars));
 */
export function messagesText(messages: readonly object[], maxChars?: number): string {
  if (maxChars === undefined) return JSON.stringify(messages);
  let text = '[';
  for (const [index, message] of messages.entries()) {
    if (text.length > maxChars) break;
    const { content } = message as { content?: unknown };
    // Cut a little past what is still needed before encoding: escaping only lengthens text, so what
    // is kept stays the start of the full encoding (even when the cut splits a surrogate pair).
    const room = maxChars - text.length + 16;
    const part =
      typeof content === 'string' && content.length > room
        ? { ...message, content: content.slice(0, room) }
        : message;
    text += `${index > 0 ? ',' : ''}${JSON.stringify(part)}`;
  }
  return (text.length > maxChars ? text : `${text}]`).slice(0, maxChars);
}

/** Attributes of an embedding call (`embed_query`, ingestion's `embed`). */
export function embeddingAttributes(model: ModelIdentity, inputs: number): Record<string, string | number> {
  return {
    [GEN_AI.operation]: 'embeddings',
    [GEN_AI.provider]: providerName(model),
    [GEN_AI.requestModel]: model.modelId,
    [MODEL_NAME_ATTRIBUTE]: `${providerName(model)}:${model.modelId}`,
    'groundwork.embedding.inputs': inputs,
  };
}
