/**
 * @module models/local/llama-language-model
 * The local chat model: an AI SDK `LanguageModelV3` that runs a GGUF model in-process through
 * node-llama-cpp, so groundwork can answer generatively with no server and no API key. The model's
 * own chat template renders the prompt; JSON output is grammar-constrained (it parses and matches
 * the schema even from a weak model), and so are tool calls (llama-tools.ts). Threads default to the
 * machine's parallelism: node-llama-cpp's own default (at least 4) oversubscribes a 2-core machine and
 * slows generation badly.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3Content,
  LanguageModelV3FinishReason,
  LanguageModelV3FunctionTool,
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamPart,
  LanguageModelV3Usage,
} from '@ai-sdk/provider';
import type { ChatHistoryItem, LlamaChatResponse, LlamaGrammar } from 'node-llama-cpp';
import type { LocalModelSpec } from './catalog.ts';
import { jsonGrammar, toolGrammar } from './llama-grammar.ts';
import { toChatHistory } from './llama-prompt.ts';
import { type LlamaRuntime, loadLlamaRuntime } from './llama-runtime.ts';
import { offeredTools, parseToolReply, toolInstructions } from './llama-tools.ts';

/**
 * Output cap when the caller sets none. Without one, a model that never emits end-of-turn (a
 * pretrained, not instruction-tuned, model does this) generates until the context is full.
 */
export const DEFAULT_MAX_OUTPUT_TOKENS = 1024;

/** What to run and how. */
export interface LocalLanguageModelOptions {
  /** The `.gguf` file. */
  readonly modelPath: string;
  readonly spec: Pick<LocalModelSpec, 'name'> & Partial<Pick<LocalModelSpec, 'approxRamBytes' | 'chat'>>;
  /** Context window to allocate; default the catalog's `defaultContextTokens`, else 4096. */
  readonly contextTokens?: number;
  /** CPU threads for evaluation; default `os.availableParallelism()`. */
  readonly threads?: number;
  /** Requests generated at once, one context sequence each; default 1. */
  readonly sequences?: number;
  /** Requests allowed to wait for a sequence before `model_overloaded`; default 16. */
  readonly maxQueue?: number;
  /** Free memory probe (tests); default `os.freemem`. */
  readonly freeMemory?: () => number;
}

/** The model, plus control over its lifetime. */
export interface LocalLanguageModel extends LanguageModelV3 {
  /** Loads now instead of on the first call; concurrent callers share one load. */
  load(): Promise<LlamaRuntime>;
  /** Frees the model and its context; a later call loads it again. */
  dispose(): Promise<void>;
}

/**
 * Creates the model; nothing is read until the first call (or `load()`).
 *
 * @example
 * const model = createLocalLanguageModel({ modelPath, spec: findLocalModel('gemma-3-270m')! });
 * const { text } = await generateText({ model, prompt: 'Say hi.' });
 */
export function createLocalLanguageModel(options: LocalLanguageModelOptions): LocalLanguageModel {
  let loading: Promise<LlamaRuntime> | undefined;
  const grammars = new Map<string, Promise<LlamaGrammar>>();
  const load = () => {
    loading ??= loadLlamaRuntime({
      modelPath: options.modelPath,
      name: options.spec.name,
      contextTokens: options.contextTokens ?? options.spec.chat?.defaultContextTokens ?? 4096,
      threads: options.threads ?? os.availableParallelism(),
      sequences: options.sequences ?? 1,
      maxQueue: options.maxQueue ?? 16,
      approxRamBytes: options.spec.approxRamBytes,
      freeMemory: options.freeMemory,
    }).catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };

  /** Everything decided before a sequence is borrowed, so a bad request fails without queueing. */
  const prepare = async (call: LanguageModelV3CallOptions) => {
    const runtime = await load();
    const { history, warnings } = toChatHistory(call.prompt);
    const tools = offeredTools(call);
    let grammar: LlamaGrammar | undefined;
    if (tools.length > 0) {
      const answerAllowed = call.toolChoice?.type !== 'required' && call.toolChoice?.type !== 'tool';
      addInstructions(history, toolInstructions(tools, answerAllowed));
      grammar = await toolGrammar(runtime, tools, answerAllowed, grammars, warnings);
    } else if (call.responseFormat?.type === 'json') {
      grammar = await jsonGrammar(runtime, call.responseFormat.schema, grammars, warnings);
    }
    return { runtime, history, warnings, grammar, tools };
  };

  const run = async (
    prepared: Awaited<ReturnType<typeof prepare>>,
    lease: Awaited<ReturnType<LlamaRuntime['acquire']>>,
    call: LanguageModelV3CallOptions,
    signal: AbortSignal | undefined,
    onTextChunk?: (text: string) => void,
  ) => {
    const chat = prepared.runtime.createChat(lease.sequence);
    try {
      const before = lease.sequence.tokenMeter.getState();
      const result = await chat.generateResponse(prepared.history, {
        maxTokens: call.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS,
        temperature: call.temperature,
        topP: call.topP,
        topK: call.topK,
        seed: call.seed,
        customStopTriggers: call.stopSequences?.filter((stop) => stop.length > 0),
        repeatPenalty:
          call.frequencyPenalty || call.presencePenalty
            ? { frequencyPenalty: call.frequencyPenalty, presencePenalty: call.presencePenalty }
            : undefined,
        grammar: prepared.grammar,
        signal,
        onTextChunk,
      });
      const used = lease.sequence.tokenMeter.diff(before);
      return { text: result.response, finishReason: finishOf(result), usage: usageOf(used) };
    } finally {
      chat.dispose();
      lease.release();
    }
  };

  return {
    specificationVersion: 'v3',
    provider: 'local',
    modelId: options.spec.name,
    supportedUrls: {},
    load,
    async dispose() {
      const current = loading;
      loading = undefined;
      grammars.clear();
      if (current) await (await current.catch(() => undefined))?.dispose();
    },
    async doGenerate(call): Promise<LanguageModelV3GenerateResult> {
      const prepared = await prepare(call);
      const lease = await prepared.runtime.acquire(call.abortSignal);
      const result = await run(prepared, lease, call, call.abortSignal);
      const reply = contentOf(result, prepared.tools);
      return {
        content: reply.content,
        finishReason: reply.finishReason,
        usage: result.usage,
        warnings: prepared.warnings,
        response: { modelId: options.spec.name, timestamp: new Date() },
      };
    },
    async doStream(call) {
      const prepared = await prepare(call);
      const lease = await prepared.runtime.acquire(call.abortSignal);
      // Our own signal too, so a reader that cancels the stream stops generation and frees the sequence.
      const stop = new AbortController();
      const signal = call.abortSignal ? AbortSignal.any([call.abortSignal, stop.signal]) : stop.signal;
      const stream = new ReadableStream<LanguageModelV3StreamPart>({
        start(controller) {
          controller.enqueue({ type: 'stream-start', warnings: prepared.warnings });
          if (prepared.tools.length > 0) {
            // The raw reply is protocol JSON: it is mapped once complete instead of streamed.
            run(prepared, lease, call, signal).then(
              (result) => {
                const reply = contentOf(result, prepared.tools);
                for (const part of reply.content) {
                  if (part.type === 'text') {
                    controller.enqueue({ type: 'text-start', id: '0' });
                    controller.enqueue({ type: 'text-delta', id: '0', delta: part.text });
                    controller.enqueue({ type: 'text-end', id: '0' });
                  } else if (part.type === 'tool-call') controller.enqueue(part);
                }
                controller.enqueue({ type: 'finish', finishReason: reply.finishReason, usage: result.usage });
                controller.close();
              },
              (error: unknown) => {
                if (!stop.signal.aborted) controller.error(error);
              },
            );
            return;
          }
          let started = false;
          const onTextChunk = (delta: string) => {
            if (!delta) return;
            if (!started) controller.enqueue({ type: 'text-start', id: '0' });
            started = true;
            controller.enqueue({ type: 'text-delta', id: '0', delta });
          };
          run(prepared, lease, call, signal, onTextChunk).then(
            (result) => {
              if (started) controller.enqueue({ type: 'text-end', id: '0' });
              controller.enqueue({ type: 'finish', finishReason: result.finishReason, usage: result.usage });
              controller.close();
            },
            (error: unknown) => {
              if (!stop.signal.aborted) controller.error(error);
            },
          );
        },
        cancel(reason) {
          stop.abort(reason);
        },
      });
      return { stream };
    },
  };
}

/** Adds text to the system message, or starts the history with one. */
function addInstructions(history: ChatHistoryItem[], text: string): void {
  const first = history[0];
  if (first?.type === 'system') history[0] = { type: 'system', text: `${first.text}\n\n${text}` };
  else history.unshift({ type: 'system', text });
}

/** The reply as AI SDK content: mapped from the tool protocol when tools were offered. */
function contentOf(
  result: { text: string; finishReason: LanguageModelV3FinishReason },
  tools: readonly LanguageModelV3FunctionTool[],
): { content: LanguageModelV3Content[]; finishReason: LanguageModelV3FinishReason } {
  if (tools.length === 0) {
    return {
      content: result.text ? [{ type: 'text', text: result.text }] : [],
      finishReason: result.finishReason,
    };
  }
  const reply = parseToolReply(result.text, tools, () => `call-${randomUUID()}`);
  const finishReason = reply.calledTool
    ? { ...result.finishReason, unified: 'tool-calls' as const }
    : result.finishReason;
  return { content: reply.content, finishReason };
}

function finishOf(result: LlamaChatResponse): LanguageModelV3FinishReason {
  const raw = result.metadata.stopReason;
  return { unified: raw === 'maxTokens' ? 'length' : raw === 'abort' ? 'other' : 'stop', raw };
}

function usageOf(used: { usedInputTokens: number; usedOutputTokens: number }): LanguageModelV3Usage {
  return {
    inputTokens: { total: used.usedInputTokens, noCache: used.usedInputTokens, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: used.usedOutputTokens, text: used.usedOutputTokens, reasoning: 0 },
  };
}
