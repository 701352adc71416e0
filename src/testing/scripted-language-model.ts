/**
 * @module testing/scripted-language-model
 * A deterministic test-double language model (AI SDK `LanguageModelV3`). It plays back a script of
 * replies in order, records every call, throws `UnexpectedModelCallError` when the script runs out,
 * and `assertComplete()` fails when replies are left over. Replies can be text, tool calls, an error,
 * or a reply that takes time (to test timeouts, cancellation and first-token latency).
 */
import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3Content,
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamPart,
  LanguageModelV3Usage,
} from '@ai-sdk/provider';
import { sleep } from '../os/abortable.ts';

/** One scripted reply. A function computes the reply from the call (e.g. to echo the prompt). */
export type ScriptedReply =
  | {
      readonly text?: string;
      readonly toolCalls?: readonly {
        readonly toolName: string;
        readonly input: unknown;
        readonly id?: string;
      }[];
      readonly usage?: { readonly inputTokens: number; readonly outputTokens: number };
      /** Milliseconds to wait before answering (and between stream chunks, spread evenly). */
      readonly delayMs?: number;
      /** Characters per streamed text delta; default 8. */
      readonly chunkSize?: number;
    }
  | { readonly error: Error; readonly delayMs?: number }
  | ((call: LanguageModelV3CallOptions) => ScriptedReply);

/** Raised when the model is called more often than its script allows. */
export class UnexpectedModelCallError extends Error {
  constructor(calls: number) {
    super(`The scripted model was called ${calls} times, but its script has no reply left.`);
    this.name = 'UnexpectedModelCallError';
  }
}

/** The double. */
export interface ScriptedLanguageModel extends LanguageModelV3 {
  /** Every call's options, in order. */
  readonly calls: LanguageModelV3CallOptions[];
  /** Throws when scripted replies were never consumed. */
  assertComplete(): void;
}

/** Creates a scripted model; `repeat: true` replays the last reply forever (load tests). */
export function createScriptedLanguageModel(
  script: readonly ScriptedReply[],
  options: { modelId?: string; repeat?: boolean } = {},
): ScriptedLanguageModel {
  const calls: LanguageModelV3CallOptions[] = [];
  const next = (call: LanguageModelV3CallOptions) => {
    calls.push(call);
    const index = calls.length - 1;
    let reply = script[index] ?? (options.repeat ? script.at(-1) : undefined);
    if (!reply) throw new UnexpectedModelCallError(calls.length);
    while (typeof reply === 'function') reply = reply(call);
    return reply;
  };
  return {
    specificationVersion: 'v3',
    provider: 'test',
    modelId: options.modelId ?? 'scripted',
    supportedUrls: {},
    calls,
    assertComplete() {
      if (!options.repeat && calls.length < script.length) {
        throw new Error(`The scripted model has ${script.length - calls.length} unused replies.`);
      }
    },
    async doGenerate(call): Promise<LanguageModelV3GenerateResult> {
      const reply = next(call);
      await wait(reply.delayMs ?? 0, call.abortSignal);
      if ('error' in reply) throw reply.error;
      return {
        content: contentOf(reply),
        finishReason: finishOf(reply),
        usage: usageOf(reply),
        warnings: [],
      };
    },
    async doStream(call) {
      const reply = next(call);
      if ('error' in reply) {
        await wait(reply.delayMs ?? 0, call.abortSignal);
        throw reply.error;
      }
      const text = reply.text ?? '';
      const size = Math.max(1, reply.chunkSize ?? 8);
      const pieces = text.length > 0 ? (text.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g')) ?? []) : [];
      const pause = pieces.length > 0 ? (reply.delayMs ?? 0) / (pieces.length + 1) : (reply.delayMs ?? 0);
      const signal = call.abortSignal;
      const stream = new ReadableStream<LanguageModelV3StreamPart>({
        async start(controller) {
          try {
            controller.enqueue({ type: 'stream-start', warnings: [] });
            await wait(pause, signal);
            if (pieces.length > 0) controller.enqueue({ type: 'text-start', id: 't0' });
            for (const piece of pieces) {
              controller.enqueue({ type: 'text-delta', id: 't0', delta: piece });
              await wait(pause, signal);
            }
            if (pieces.length > 0) controller.enqueue({ type: 'text-end', id: 't0' });
            for (const part of contentOf(reply)) if (part.type === 'tool-call') controller.enqueue(part);
            controller.enqueue({ type: 'finish', finishReason: finishOf(reply), usage: usageOf(reply) });
            controller.close();
          } catch (error) {
            controller.error(error);
          }
        },
      });
      return { stream };
    },
  };
}

type PlainReply = Exclude<
  ScriptedReply,
  { error: Error } | ((call: LanguageModelV3CallOptions) => ScriptedReply)
>;

function contentOf(reply: PlainReply): LanguageModelV3Content[] {
  const content: LanguageModelV3Content[] = [];
  if (reply.text) content.push({ type: 'text', text: reply.text });
  for (const [index, call] of (reply.toolCalls ?? []).entries()) {
    content.push({
      type: 'tool-call',
      toolCallId: call.id ?? `call-${index}`,
      toolName: call.toolName,
      input: JSON.stringify(call.input),
    });
  }
  return content;
}

function finishOf(reply: PlainReply) {
  return { unified: reply.toolCalls?.length ? ('tool-calls' as const) : ('stop' as const), raw: undefined };
}

function usageOf(reply: PlainReply): LanguageModelV3Usage {
  const inputTokens = reply.usage?.inputTokens ?? 0;
  const outputTokens = reply.usage?.outputTokens ?? Math.ceil((reply.text ?? '').length / 4);
  return {
    inputTokens: { total: inputTokens, noCache: inputTokens, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: outputTokens, text: outputTokens, reasoning: 0 },
  };
}

function wait(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return signal?.aborted ? Promise.reject(signal.reason) : Promise.resolve();
  return sleep(ms, { signal });
}
