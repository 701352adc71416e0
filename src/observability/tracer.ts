/**
 * @module observability/tracer
 * The helpers services trace with: `withSpan` runs a function inside a child span of whatever is
 * active, `stage` does the same for a step of the answer pipeline (the app turns its duration into
 * `groundwork_stage_duration_seconds{stage}`). Both use the global API, so they cost almost nothing
 * when no provider is installed or the app's tracing is off.
 */
import {
  type Attributes,
  context,
  isSpanContextValid,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { GroundworkError } from '../errors.ts';
import { scrubPii } from '../guardrails/pii.ts';
import { scopeOf } from './scope.ts';

/** The instrumentation scope of every span the product makes. */
export const TRACER_NAME = 'groundwork';

/** Span attribute that marks a pipeline stage (its value is the stage's name). */
export const STAGE_ATTRIBUTE = 'groundwork.stage';

/** Span attribute with the stable error code of a failed span. */
export const ERROR_CODE_ATTRIBUTE = 'groundwork.error.code';

const tracer = trace.getTracer(TRACER_NAME);

/**
 * Runs `fn` in a span named `name`; an error is recorded (scrubbed of PII) and rethrown.
 *
 * @example
 * const hits = await withSpan('lexical_search', { 'groundwork.retrieval.candidates': 100 }, async (span) => {
 *   const hits = await searchBm25(db, query, settings);
 *   span.setAttribute('groundwork.retrieval.results', hits.length);
 *   return hits;
 * });
 */
export function withSpan<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span) => PromiseLike<T> | T,
  kind: SpanKind = SpanKind.INTERNAL,
): Promise<T> {
  return tracer.startActiveSpan(name, { attributes, kind }, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      recordError(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * `withSpan` for a step of the answer pipeline: the span also feeds the per-stage latency histogram.
 *
 * @example
 * const passages = await stage('assemble_context', {}, (span) => assembleContext(chunks, budget, counter));
 */
export function stage<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span) => PromiseLike<T> | T,
): Promise<T> {
  return withSpan(name, { ...attributes, [STAGE_ATTRIBUTE]: name }, fn);
}

/**
 * Passes `source` through inside a `stage` span that stays active while the source runs (each `next`
 * runs in the span's context), so spans the source makes become its children.
 *
 * @example
 * for await (const part of stageStream('generate', {}, composeAnswer(input))) yield part;
 */
export async function* stageStream<T>(
  name: string,
  attributes: Attributes,
  source: AsyncIterable<T>,
): AsyncGenerator<T> {
  const span = startSpan(name, { ...attributes, [STAGE_ATTRIBUTE]: name });
  const active = trace.setSpan(context.active(), span);
  const iterator = source[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await context.with(active, () => iterator.next());
      if (next.done) return;
      yield next.value;
    }
  } catch (error) {
    recordError(span, error);
    throw error;
  } finally {
    // A consumer that stops early (a client that went away) closes the source too.
    await iterator.return?.();
    span.end();
  }
}

/** Starts a span that the caller ends (for work that is not one function call, such as a stream). */
export function startSpan(name: string, attributes: Attributes, kind: SpanKind = SpanKind.INTERNAL): Span {
  return tracer.startSpan(name, { attributes, kind });
}

/** Marks `span` failed with the error's stable code; the message is scrubbed of PII first. */
export function recordError(span: Span, error: unknown): void {
  const code = GroundworkError.isInstance(error) ? error.code : error instanceof Error ? error.name : 'error';
  const message = error instanceof Error ? error.message : String(error);
  span.setAttribute(ERROR_CODE_ATTRIBUTE, code);
  span.setAttribute('error.type', code);
  span.addEvent('exception', { 'exception.type': code, 'exception.message': scrubPii(message) });
  span.setStatus({ code: SpanStatusCode.ERROR, message: code });
}

/** The active trace id (32 hex digits), or undefined outside any span. */
export function activeTraceId(): string | undefined {
  const spanContext = trace.getActiveSpan()?.spanContext();
  return spanContext && isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}

/** Characters of prompt or completion text kept in `truncated` mode. */
export const TRUNCATED_CONTENT_CHARACTERS = 1024;

/**
 * Text as the active app's content-capture setting allows it in a span: nothing (`off`), about 1 KB
 * (`truncated`, the default) or all of it (`full`), always scrubbed of personal data and secrets.
 * `content` may be a function, called only when text is kept, with the number of characters that
 * will be read at most (undefined: all), so a long prompt need not be built whole to keep its start.
 */
export function capturedContent(content: string | ((maxChars?: number) => string)): string | undefined {
  const mode = scopeOf()?.sink?.contentCapture ?? 'truncated';
  if (mode === 'off') return undefined;
  const limit = TRUNCATED_CONTENT_CHARACTERS;
  if (mode === 'full') return scrubPii(typeof content === 'string' ? content : content());
  // Scrubbed before cutting, so a cut cannot leave the head of an e-mail address or card number. The
  // window is a little longer than what is kept; only when scrubbing shrank it a lot (many findings)
  // could a finding cut at its end move into the kept part, so then a much longer window is used.
  // Nothing past `limit * 4` is read, so one character more says whether there is more.
  const text = typeof content === 'string' ? content : content(limit * 4 + 1);
  let scrubbed = scrubPii(text.slice(0, limit + 256));
  if (text.length > limit + 256 && scrubbed.length < limit + 128)
    scrubbed = scrubPii(text.slice(0, limit * 4));
  return scrubbed.length > limit ? `${scrubbed.slice(0, limit)}…` : scrubbed;
}
