/**
 * @module guardrails/moderation-models/llama-guard
 * A `ModerationModel` that asks Llama Guard 3 through any OpenAI-compatible chat server. In `task`
 * mode the Llama Guard 3 prompt is built here (llama-guard-prompt.ts); in `messages` mode the
 * conversation is sent and the server's chat template builds it. The reply is parsed strictly: a
 * reply that is not `safe` or `unsafe\nS1,S10` is `moderation_bad_response`. Timeouts, retries and
 * HTTP failures are the language model wrapper's (ADR 0006), as for every chat call.
 */
import type { LanguageModelV3 } from '@ai-sdk/provider';
import { generateText, type ModelMessage } from 'ai';
import { MODEL_CALL_SETTINGS } from '../../models/resilient-language-model.ts';
import type { FlaggedCategory, ModerationModel, ModerationRequest } from '../../spec/moderation.ts';
import { ModerationModelError } from './errors.ts';
import { LLAMA_GUARD_CATEGORY_MAP, llamaGuardPrompt, parseLlamaGuardReply } from './llama-guard-prompt.ts';

/** How the adapter talks to the model. */
export interface LlamaGuardSettings {
  /** A chat model that serves Llama Guard (wrap it in the resilience wrapper for timeouts and retries). */
  readonly model: LanguageModelV3;
  /** `provider:model`, for traces. */
  readonly name: string;
  readonly prompt?: 'task' | 'messages';
}

/**
 * Creates the adapter.
 *
 * @example
 * const guard = createLlamaGuard({ model: resilientModel, name: 'llama-guard:llama-guard3' });
 */
export function createLlamaGuard(settings: LlamaGuardSettings): ModerationModel {
  return {
    specificationVersion: 'v1',
    name: settings.name,
    protocol: 'llama-guard',
    async doClassify(request: ModerationRequest) {
      const result = await generateText({
        model: settings.model,
        messages: messagesOf(request, settings.prompt ?? 'task'),
        maxOutputTokens: 24,
        temperature: 0,
        abortSignal: request.signal,
        ...MODEL_CALL_SETTINGS,
      });
      const codes = parseLlamaGuardReply(result.text);
      if (!codes) {
        throw new ModerationModelError(
          'moderation_bad_response',
          `The moderation model ${settings.name} replied with no verdict: ${JSON.stringify(result.text.slice(0, 80))}`,
          { details: { model: settings.name }, retryable: false },
        );
      }
      const flagged = new Map<string, FlaggedCategory>();
      for (const code of codes) {
        const category = LLAMA_GUARD_CATEGORY_MAP[code];
        if (category) flagged.set(category, { category });
      }
      return { flagged: [...flagged.values()], labels: codes };
    },
  };
}

function messagesOf(request: ModerationRequest, prompt: 'task' | 'messages'): ModelMessage[] {
  if (prompt === 'task') {
    return [{ role: 'user', content: llamaGuardPrompt(request.role, request.text, request.userText) }];
  }
  if (request.role === 'input') return [{ role: 'user', content: request.text }];
  return [
    { role: 'user', content: request.userText ?? '' },
    { role: 'assistant', content: request.text },
  ];
}
