/**
 * @module agents/runner/tracing
 * Spans of a run, named after the OpenTelemetry GenAI conventions where they exist (`gen_ai.chat`,
 * `gen_ai.execute_tool`). Only the `@opentelemetry/api` package is used: spans are no-ops until the
 * app registers a provider, so the runtime does not depend on how tracing is set up.
 */
import { type Attributes, type Span, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';

/** The tracer used when the runner is given none. */
export function defaultTracer(): Tracer {
  return trace.getTracer('groundwork');
}

/** Runs `fn` in an active span; a throw marks the span as an error and is rethrown. */
export function inSpan<T>(
  tracer: Tracer,
  name: string,
  attributes: Attributes,
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: error instanceof Error ? error.message : String(error),
      });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** A handoff is an instant, so its span starts and ends at once. */
export function recordHandoffSpan(tracer: Tracer, from: string, to: string, reason: string): void {
  tracer
    .startSpan('agent.handoff', {
      attributes: { 'agent.handoff.from': from, 'agent.handoff.to': to, 'agent.handoff.reason': reason },
    })
    .end();
}

/**
 * A call the runtime answered without running the tool (arguments not JSON or not matching the
 * schema, an unknown tool, a repeated call): an instant `gen_ai.execute_tool` span with `error.type`,
 * so the trace shows what the model asked for and why nothing ran.
 */
export function recordRefusedCallSpan(
  tracer: Tracer,
  call: { readonly toolName: string; readonly toolCallId: string },
  failure: { readonly reason: string; readonly message: string },
): void {
  tracer
    .startSpan('gen_ai.execute_tool', {
      attributes: {
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': call.toolName,
        'gen_ai.tool.call.id': call.toolCallId,
        'error.type': failure.reason,
        'groundwork.tool.refused': failure.message,
      },
    })
    .end();
}
