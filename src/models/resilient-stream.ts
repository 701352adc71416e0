/**
 * @module models/resilient-stream
 * Streams commit at the first chunk the caller would see. Until then (stream start, response
 * metadata) parts are held back, so a failure there (an error status, an `error` part, a stall) is
 * still retried or sent to a fallback. After it, a failure is surfaced as an `error` part carrying a
 * `ModelError`: the caller has already shown text, and a second model's answer would not continue it.
 * The attempt's timeout covers the time to the first chunk, then each gap between chunks.
 */
import type { LanguageModelV3StreamPart, SharedV3ProviderMetadata } from '@ai-sdk/provider';
import { raceAbort } from '../os/abortable.ts';
import { classifyFailure } from './classify-failure.ts';
import { type AttemptContext, toModelError } from './run-with-fallbacks.ts';

/** Parts that come before any content and so do not commit the stream. */
const PREAMBLE = new Set<LanguageModelV3StreamPart['type']>(['stream-start', 'response-metadata', 'raw']);

/** Options of `commitStream`. */
export interface CommitOptions {
  readonly callerSignal: AbortSignal | undefined;
  readonly timeoutMs: number;
  /** Rewrites the `finish` part's provider metadata (to say which model answered). */
  readonly decorateFinish: (metadata: SharedV3ProviderMetadata | undefined) => SharedV3ProviderMetadata;
}

/**
 * Reads `source` up to its first content part and returns the stream to hand to the caller. Throws
 * (for the retry loop) when the source fails before that; takes over `context.attempt` otherwise.
 */
export async function commitStream(
  source: ReadableStream<LanguageModelV3StreamPart>,
  context: AttemptContext,
  options: CommitOptions,
): Promise<ReadableStream<LanguageModelV3StreamPart>> {
  const { attempt } = context;
  const reader = source.getReader();
  const held: LanguageModelV3StreamPart[] = [];
  let done = false;
  try {
    while (!done) {
      const next = await raceAbort(reader.read(), attempt.signal);
      if (next.done) done = true;
      else if (next.value.type === 'error') throw next.value.error;
      else {
        held.push(next.value);
        if (!PREAMBLE.has(next.value.type)) break;
      }
    }
  } catch (error) {
    reader.cancel().catch(() => {});
    throw error;
  }
  const finish = () => {
    attempt.dispose();
    reader.releaseLock();
  };
  const surface = (error: unknown): LanguageModelV3StreamPart => {
    const failure = classifyFailure(error, attempt.timedOut);
    const last = { failure, error, entry: context.entry };
    return { type: 'error', error: toModelError(last, { ...context, timeoutMs: options.timeoutMs }) };
  };
  const decorate = (part: LanguageModelV3StreamPart): LanguageModelV3StreamPart =>
    part.type === 'finish'
      ? { ...part, providerMetadata: options.decorateFinish(part.providerMetadata) }
      : part;
  return new ReadableStream<LanguageModelV3StreamPart>({
    async pull(controller) {
      const part = held.shift();
      if (part) return controller.enqueue(decorate(part));
      if (done) {
        finish();
        return controller.close();
      }
      attempt.restartTimer();
      try {
        const next = await raceAbort(reader.read(), attempt.signal);
        if (next.done) {
          finish();
          controller.close();
        } else {
          controller.enqueue(next.value.type === 'error' ? surface(next.value.error) : decorate(next.value));
        }
      } catch (error) {
        reader.cancel().catch(() => {});
        finish();
        if (options.callerSignal?.aborted) return controller.error(options.callerSignal.reason);
        controller.enqueue(surface(error));
        controller.close();
      }
    },
    async cancel(reason) {
      attempt.dispose();
      await reader.cancel(reason).catch(() => {});
    },
  });
}
