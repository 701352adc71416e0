/**
 * @module agents/runner/model-step
 * One model call of a run, driven on the `LanguageModelV3` directly: the tools are declared without
 * any execution, so the runner runs them itself (timeouts, approvals, loop detection). The call is
 * streamed so text reaches the caller as it is written.
 */
import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3Message,
  LanguageModelV3ToolCall,
} from '@ai-sdk/provider';
import type { Tracer } from '@opentelemetry/api';
import { GEN_AI, MODEL_NAME_ATTRIBUTE, servedModelOf } from '../../observability/gen-ai.ts';
import type { ModelToolDeclaration } from '../built-in-tools.ts';
import type { AgentUsage } from './events.ts';
import { inSpan } from './tracing.ts';

/** Sampling settings passed to every model call. */
export type ModelSettings = Pick<
  LanguageModelV3CallOptions,
  'temperature' | 'maxOutputTokens' | 'topP' | 'seed' | 'providerOptions'
>;

/** What one model call produced. */
export interface ModelStepOutput {
  readonly text: string;
  readonly toolCalls: readonly Pick<LanguageModelV3ToolCall, 'toolCallId' | 'toolName' | 'input'>[];
  readonly usage: AgentUsage;
}

/** Calls the model once and collects its text and tool calls. */
export function callModel(options: {
  readonly model: LanguageModelV3;
  readonly system: string;
  readonly messages: readonly LanguageModelV3Message[];
  readonly tools: readonly ModelToolDeclaration[];
  readonly settings: ModelSettings;
  readonly signal: AbortSignal;
  readonly tracer: Tracer;
  readonly onTextDelta: (delta: string) => void;
}): Promise<ModelStepOutput> {
  const { model } = options;
  const attributes = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': model.provider,
    'gen_ai.request.model': model.modelId,
  };
  return inSpan(options.tracer, 'gen_ai.chat', attributes, async (span) => {
    const { stream } = await model.doStream({
      ...options.settings,
      prompt: [{ role: 'system', content: options.system }, ...options.messages],
      tools: options.tools.map((tool) => ({ type: 'function', ...tool })),
      toolChoice: { type: 'auto' },
      abortSignal: options.signal,
    });
    let text = '';
    const toolCalls: ModelStepOutput['toolCalls'][number][] = [];
    let usage: AgentUsage = { inputTokens: 0, outputTokens: 0 };
    let servedBy: string | undefined;
    for await (const part of stream) {
      if (part.type === 'text-delta') {
        text += part.delta;
        options.onTextDelta(part.delta);
      } else if (part.type === 'tool-call') {
        toolCalls.push({ toolCallId: part.toolCallId, toolName: part.toolName, input: part.input });
      } else if (part.type === 'finish') {
        usage = {
          inputTokens: part.usage.inputTokens.total ?? 0,
          outputTokens: part.usage.outputTokens.total ?? 0,
        };
        servedBy = servedModelOf(part.providerMetadata);
      } else if (part.type === 'error') {
        throw part.error;
      }
    }
    // A stream that ended because the run was aborted must not pass for a finished answer.
    options.signal.throwIfAborted();
    span.setAttributes({
      'gen_ai.usage.input_tokens': usage.inputTokens,
      'gen_ai.usage.output_tokens': usage.outputTokens,
      // A fallback of the resilient wrapper answered: label and price the span by it.
      ...(servedBy
        ? {
            [MODEL_NAME_ATTRIBUTE]: servedBy,
            [GEN_AI.responseModel]: servedBy.slice(servedBy.indexOf(':') + 1),
          }
        : {}),
    });
    return { text, toolCalls, usage };
  });
}
