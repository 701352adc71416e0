/**
 * @module observability/logger
 * Structured JSON logs (pino). Each line carries `trace_id` and `span_id` of the active span, so a log
 * line leads to its trace, and every message, string field and serialized error is scrubbed of
 * personal data and secrets (e-mail addresses, phone and card numbers, API keys) before it is written.
 */
import { isSpanContextValid, trace } from '@opentelemetry/api';
import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino';
import { scrubPii } from '../guardrails/pii.ts';

/** The logger type services receive. */
export type Logger = PinoLogger;

/** Log levels, most verbose first. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
/** One of `LOG_LEVELS`. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Nesting kept when scrubbing logged objects; deeper values are replaced, not walked. */
const MAX_DEPTH = 6;

/**
 * Creates a logger writing to `destination` (default: stdout).
 *
 * @example
 * const log = createLogger({ level: 'debug' });
 * log.info({ tenant: 'acme', user: 'ana@example.com' }, 'Key created'); // user becomes "[email]"
 */
export function createLogger(options: { level?: LogLevel; destination?: DestinationStream } = {}): Logger {
  const level = options.level ?? levelFromEnv(process.env.LOG_LEVEL);
  const serializeError = (error: unknown) =>
    error instanceof Error ? scrubValue(pino.stdSerializers.err(error), 0) : scrubValue(error, 0);
  return pino(
    {
      level,
      mixin() {
        const spanContext = trace.getActiveSpan()?.spanContext();
        return spanContext && isSpanContextValid(spanContext)
          ? { trace_id: spanContext.traceId, span_id: spanContext.spanId }
          : {};
      },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((arg: unknown) => (typeof arg === 'string' ? scrubPii(arg) : arg));
          return method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
      formatters: { log: (object) => scrubValue(object, 0) as Record<string, unknown> },
      serializers: { err: serializeError, error: serializeError },
    },
    options.destination,
  );
}

/** The process's logger; the composition root sets its level from the config. */
export const logger: Logger = createLogger();

function levelFromEnv(value: string | undefined): LogLevel {
  return LOG_LEVELS.find((level) => level === value?.toLowerCase()) ?? 'info';
}

function scrubValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return scrubPii(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[nested]';
  // Errors are left to their serializer, which scrubs the serialized form.
  if (value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, depth + 1));
  const scrubbed: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) scrubbed[key] = scrubValue(item, depth + 1);
  return scrubbed;
}
