/**
 * @module support/agent-run-result
 * How the service reads a finished agent run: the agents it went through, whether a tool declined,
 * which returns an approval created, and what to say when the model said nothing.
 */
import { type AgentRunResult, TRANSFER_PREFIX } from '../../src/agents/index.ts';

/** The agents a run went through: where it started, then each successful handoff. */
export function routeOf(result: AgentRunResult): string[] {
  const route: string[] = [];
  for (const call of result.toolCalls) {
    if (route.length === 0) route.push(call.agent);
    if (call.toolName.startsWith(TRANSFER_PREFIX) && !call.failure)
      route.push(call.toolName.slice(TRANSFER_PREFIX.length));
  }
  return route.length > 0 ? route : [result.agent];
}

/** Whether a tool's output is an expected failure (`{ ok: false }`): the tool declined. */
export function isDeclined(output: unknown): boolean {
  return typeof output === 'object' && output !== null && (output as { ok?: unknown }).ok === false;
}

/** The returns that the run's successful `start_return` calls opened. */
export function approvedReturnIds(result: AgentRunResult): number[] {
  return result.toolCalls.flatMap((call) => {
    const output = call.output as { ok?: boolean; returnId?: number } | undefined;
    return call.toolName === 'start_return' && output?.ok && typeof output.returnId === 'number'
      ? [output.returnId]
      : [];
  });
}

/** The reply when the run ended without text (a limit, a model error, an escalation). */
export function fallbackReply(result: AgentRunResult): string {
  if (result.stopReason === 'escalated')
    return 'I have passed your conversation to a person on our team; they will reply here.';
  return 'Sorry, I could not finish that. Could you rephrase, or ask for a person?';
}
