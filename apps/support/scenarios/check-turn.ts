/**
 * @module support/scenarios/check-turn
 * Compares what a turn did with what the scenario expected; returns the mismatches.
 */
import { replyLanguage } from './reply-language.ts';
import type { TurnExpectation } from './scenario.ts';

/** A tool call as the checks see it; `error` when the runtime stopped it before it ran. */
export interface CheckedToolCall {
  readonly name: string;
  readonly input: Record<string, unknown>;
  readonly output?: unknown;
  readonly error?: string;
}

/** What a turn did, in either mode, or the stable code it was rejected with. */
export interface CheckedTurn {
  readonly agent: string;
  /** The calls the turn made, those waiting for a person's approval included. */
  readonly toolCalls: readonly CheckedToolCall[];
  readonly reply: string;
  readonly escalated: boolean;
  readonly approvalRequested: boolean;
  readonly refused: boolean;
  /** The sources the reply cites. */
  readonly citations: readonly { readonly source: string }[];
  /** The stable code of the error the turn was rejected with. */
  readonly error?: string;
}

/** Every way the turn differs from the expectation (empty when it passes). */
export function checkTurn(turn: CheckedTurn, expect: TurnExpectation): string[] {
  if (turn.error !== undefined || expect.error !== undefined) {
    if (turn.error === expect.error) return [];
    return [turn.error === undefined ? `answered, expected error ${expect.error}` : `error ${turn.error}`];
  }
  const problems: string[] = [];
  if (expect.agent !== undefined && turn.agent !== expect.agent)
    problems.push(`agent ${turn.agent}, expected ${expect.agent}`);
  const ran = turn.toolCalls.filter((call) => call.error === undefined);
  if (expect.tools !== undefined) {
    if (expect.tools.length === 0 && ran.length > 0)
      problems.push(`tools ${ran.map((call) => call.name)}, expected none`);
    for (const wanted of expect.tools) {
      const match = ran.find(
        (call) =>
          call.name === wanted.name &&
          Object.entries(wanted.args ?? {}).every(([key, value]) => sameValue(call.input[key], value)),
      );
      if (!match) problems.push(`no call of ${wanted.name} ${JSON.stringify(wanted.args ?? {})}`);
    }
  }
  // A call the tool itself declined (`ok: false`) changed nothing; any other call of the tool did.
  const tookEffect = ran.filter((call) => (call.output as { ok?: unknown } | undefined)?.ok !== false);
  for (const name of expect.forbidTools ?? [])
    if (tookEffect.some((call) => call.name === name)) problems.push(`${name} ran, which it must not`);
  const reply = turn.reply.toLowerCase();
  for (const text of expect.contains ?? [])
    if (!reply.includes(text.toLowerCase())) problems.push(`reply lacks "${text}"`);
  for (const text of [...(expect.excludes ?? []), ...(expect.notContains ?? [])])
    if (reply.includes(text.toLowerCase())) problems.push(`reply has "${text}"`);
  if (expect.escalated !== undefined && turn.escalated !== expect.escalated)
    problems.push(`escalated ${turn.escalated}`);
  if (expect.approvalRequested !== undefined && turn.approvalRequested !== expect.approvalRequested)
    problems.push(`approval ${turn.approvalRequested}`);
  if (expect.refused !== undefined && turn.refused !== expect.refused)
    problems.push(`refused ${turn.refused}`);
  if (expect.language !== undefined) {
    const language = replyLanguage(turn.reply);
    if (language !== expect.language) problems.push(`reply in ${language}, expected ${expect.language}`);
  }
  if (expect.manual !== undefined) problems.push(...checkManual(turn, expect.manual));
  return problems;
}

/** The reply cites at least one manual, and every manual it cites is the expected one. */
function checkManual(turn: CheckedTurn, manual: string): string[] {
  const manuals = turn.citations
    .map((citation) => citation.source)
    .filter((source) => source.includes('manual'));
  if (manuals.length === 0) return [`cites no manual, expected ${manual}`];
  const wrong = manuals.filter((source) => !source.includes(manual));
  return wrong.length > 0 ? [`cites ${[...new Set(wrong)].join(', ')}, expected only ${manual}`] : [];
}

/** Order numbers and emails compare as a customer would write them (case, dash). */
function sameValue(actual: unknown, wanted: unknown): boolean {
  if (typeof actual === 'string' && typeof wanted === 'string')
    return actual.toLowerCase().replaceAll('-', '') === wanted.toLowerCase().replaceAll('-', '');
  return actual === wanted;
}
