/**
 * @module answer/generate
 * One grounded generation through the AI SDK, streamed or not. Retries are the provider layer's job
 * (it knows which failures are worth retrying), so the SDK's own retries are off here.
 */
import { generateText, type LanguageModel, streamText } from 'ai';
import {
  type ChatSpan,
  messagesText,
  modelIdentity,
  servedModelOf,
  startChatSpan,
} from '../observability/gen-ai.ts';
import type { GenerationSettings } from '../spec/prompts.ts';
import type { Prompt } from './prompt.ts';

/** What a generation yields: text as it arrives, then the whole text and its usage. */
export type GenerationPart =
  | { readonly type: 'delta'; readonly delta: string }
  | {
      readonly type: 'final';
      readonly text: string;
      readonly usage: { readonly inputTokens: number; readonly outputTokens: number };
      /** `provider:model` that answered when the model says so (a fallback of the resilient wrapper). */
      readonly servedBy?: string;
    };

/** How to call the model. */
export interface GenerationOptions {
  readonly streaming: boolean;
  readonly signal?: AbortSignal;
  /** Temperature, top-p, most output tokens and stop sequences, passed to the provider as they are. */
  readonly generation?: GenerationSettings;
}

/** Runs the model; errors (including the abort reason) are thrown as the provider raised them. */
export async function* generateGrounded(
  model: LanguageModel,
  prompt: Prompt,
  options: GenerationOptions,
): AsyncGenerator<GenerationPart> {
  const call = startChatSpan(
    modelIdentity(model),
    (maxChars) => promptText(prompt, maxChars),
    options.generation ?? {},
  );
  try {
    yield* generate(model, prompt, options, call);
  } catch (error) {
    call.fail(error);
    throw error;
  } finally {
    call.abandon();
  }
}

/** The prompt as a span keeps it (or its start): the system text, then the messages. */
function promptText(prompt: Prompt, maxChars?: number): string {
  return messagesText([{ role: 'system', content: prompt.system }, ...prompt.messages], maxChars);
}

async function* generate(
  model: LanguageModel,
  prompt: Prompt,
  options: GenerationOptions,
  call: ChatSpan,
): AsyncGenerator<GenerationPart> {
  const settings = {
    model,
    system: prompt.system,
    messages: prompt.messages,
    maxRetries: 0,
    abortSignal: options.signal,
    maxOutputTokens: options.generation?.maxOutputTokens,
    temperature: options.generation?.temperature,
    topP: options.generation?.topP,
    stopSequences: options.generation?.stopSequences ? [...options.generation.stopSequences] : undefined,
  };
  if (!options.streaming) {
    const result = await generateText(settings);
    const usage = usageOf(result.usage);
    const servedBy = servedModelOf(result.providerMetadata);
    call.end({ text: result.text, usage, finishReason: result.finishReason, servedBy });
    yield { type: 'final', text: result.text, usage, servedBy };
    return;
  }
  // Errors arrive as stream parts; the no-op handler stops the SDK from also logging them.
  const result = streamText({ ...settings, onError: () => {} });
  let text = '';
  let servedBy: string | undefined;
  for await (const part of result.fullStream) {
    if (part.type === 'text-delta') {
      text += part.text;
      yield { type: 'delta', delta: part.text };
    } else if (part.type === 'error') {
      throw part.error;
    } else if (part.type === 'abort') {
      throw options.signal?.reason ?? new Error('The generation was aborted.');
    } else if (part.type === 'finish-step') {
      servedBy = servedModelOf(part.providerMetadata) ?? servedBy;
    } else if (part.type === 'finish') {
      const usage = usageOf(part.totalUsage);
      call.end({ text, usage, finishReason: part.finishReason, servedBy });
      yield { type: 'final', text, usage, servedBy };
      return;
    }
  }
  const usage = { inputTokens: 0, outputTokens: 0 };
  call.end({ text, usage, servedBy });
  yield { type: 'final', text, usage, servedBy };
}

function usageOf(usage: { inputTokens?: number; outputTokens?: number }) {
  return { inputTokens: usage.inputTokens ?? 0, outputTokens: usage.outputTokens ?? 0 };
}
