/**
 * @module agents/runner/execute-tool
 * Runs one of an agent's tool calls so that nothing it does can end the run: unknown names, arguments
 * that are not JSON or fail the schema, a thrown error and a timeout all become a failure the model
 * reads as the tool's result. A tool that ignores its abort signal is raced, not awaited.
 */
import type { Tracer } from '@opentelemetry/api';
import type { AgentTool, ToolContext } from '../../spec/agents.ts';
import { compileToolInput } from '../tool-input.ts';
import type { ToolCallRecord } from './events.ts';
import { inSpan } from './tracing.ts';

/** A call whose arguments parsed and validated, ready to run (or to ask approval for). */
export interface PreparedCall {
  readonly tool: AgentTool;
  readonly input: unknown;
}

/** Checks a call's tool and arguments; the failure is written for the model. */
export function prepareCall(
  tools: ReadonlyMap<string, AgentTool>,
  toolName: string,
  input: unknown,
): PreparedCall | { failure: NonNullable<ToolCallRecord['failure']> } {
  const tool = tools.get(toolName);
  if (!tool) {
    const names = [...tools.keys()].join(', ') || 'none';
    return {
      failure: { reason: 'unknown-tool', message: `There is no tool "${toolName}". Your tools: ${names}.` },
    };
  }
  const parsed = compileToolInput(tool.name, tool.inputSchema).parse(input);
  if (!parsed.success) {
    return {
      failure: { reason: 'invalid-input', message: `Invalid arguments for ${tool.name}: ${parsed.error}` },
    };
  }
  return { tool, input: parsed.value };
}

/** Parses the model's raw arguments; `undefined` input means they were not JSON. */
export function parseArguments(
  raw: string,
): { input: unknown } | { failure: NonNullable<ToolCallRecord['failure']> } {
  try {
    return { input: raw.trim() === '' ? {} : (JSON.parse(raw) as unknown) };
  } catch {
    return { failure: { reason: 'invalid-input', message: 'The arguments were not valid JSON.' } };
  }
}

class ToolTimeout extends Error {}

/** Runs the tool under its timeout and the run's signal. */
export function runTool(options: {
  readonly call: PreparedCall;
  readonly toolCallId: string;
  readonly context: Omit<ToolContext, 'signal'>;
  readonly signal: AbortSignal;
  readonly defaultTimeoutMs: number;
  readonly tracer: Tracer;
}): Promise<Pick<ToolCallRecord, 'output' | 'failure'>> {
  const { tool, input } = options.call;
  const attributes = {
    'gen_ai.operation.name': 'execute_tool',
    'gen_ai.tool.name': tool.name,
    'gen_ai.tool.call.id': options.toolCallId,
  };
  return inSpan(options.tracer, 'gen_ai.execute_tool', attributes, async (span) => {
    const timeoutMs = tool.timeoutMs ?? options.defaultTimeoutMs;
    const timer = new AbortController();
    const handle = setTimeout(() => timer.abort(new ToolTimeout()), timeoutMs);
    const signal = AbortSignal.any([options.signal, timer.signal]);
    try {
      const aborted = new Promise<never>((_, reject) => {
        if (signal.aborted) reject(signal.reason);
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
      const output = await Promise.race([
        tool.execute(input as never, { ...options.context, signal }),
        aborted,
      ]);
      // An MCP tool reports its own failure as a result (`isError`); the trace should show it too.
      if ((output as { isError?: unknown } | null)?.isError === true)
        span.setAttribute('error.type', 'tool_error');
      return { output };
    } catch (error) {
      const failure: NonNullable<ToolCallRecord['failure']> =
        error instanceof ToolTimeout
          ? { reason: 'timeout', message: `${tool.name} did not finish within ${timeoutMs} ms.` }
          : options.signal.aborted
            ? {
                reason: 'error',
                message: `${tool.name} was stopped: the run ran out of time or was cancelled.`,
              }
            : {
                reason: 'error',
                message: `${tool.name} failed: ${error instanceof Error ? error.message : String(error)}`,
              };
      span.setAttribute('error.type', failure.reason);
      return { failure };
    } finally {
      clearTimeout(handle);
    }
  });
}
