/**
 * @module support/scenarios/check-turn
 * Compares what a turn did with what the scenario expected; returns the mismatches.
 */
import type { PolicyTurn } from '../policy.ts';
import type { TurnExpectation } from './scenario.ts';

/** Every way the turn differs from the expectation (empty when it passes). */
export function checkTurn(turn: PolicyTurn, expect: TurnExpectation): string[] {
  const problems: string[] = [];
  if (expect.agent !== undefined && turn.agent !== expect.agent)
    problems.push(`agent ${turn.agent}, expected ${expect.agent}`);
  if (expect.tools !== undefined) {
    if (expect.tools.length === 0 && turn.toolCalls.length > 0)
      problems.push(`tools ${turn.toolCalls.map((call) => call.name)}, expected none`);
    for (const wanted of expect.tools) {
      const match = turn.toolCalls.find(
        (call) =>
          call.name === wanted.name &&
          Object.entries(wanted.args ?? {}).every(([key, value]) => call.input[key] === value),
      );
      if (!match) problems.push(`no call of ${wanted.name} ${JSON.stringify(wanted.args ?? {})}`);
    }
  }
  const reply = turn.reply.toLowerCase();
  for (const text of expect.contains ?? [])
    if (!reply.includes(text.toLowerCase())) problems.push(`reply lacks "${text}"`);
  for (const text of expect.excludes ?? [])
    if (reply.includes(text.toLowerCase())) problems.push(`reply has "${text}"`);
  if (expect.escalated !== undefined && Boolean(turn.escalated) !== expect.escalated)
    problems.push(`escalated ${Boolean(turn.escalated)}`);
  if (
    expect.approvalRequested !== undefined &&
    Boolean(turn.approvalRequested) !== expect.approvalRequested
  ) {
    problems.push(`approval ${Boolean(turn.approvalRequested)}`);
  }
  if (expect.refused !== undefined && Boolean(turn.refused) !== expect.refused)
    problems.push(`refused ${Boolean(turn.refused)}`);
  return problems;
}
