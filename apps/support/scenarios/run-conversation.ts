/**
 * @module support/scenarios/run-conversation
 * Plays one scenario through the support service, as a customer and an operator would: each
 * customer turn is `support.turn` on one conversation, each operator turn an inbox action on the
 * conversation's latest escalation. Rejected turns count by their stable error code. Afterwards the
 * returns it opened and the verification failures it caused are deleted, so the next scenario starts
 * from the seed (failures count per target customer across conversations).
 */
import type { InboxService } from '../../../src/agents/inbox/inbox.ts';
import { GroundworkError, NotFoundError } from '../../../src/errors.ts';
import type { SqlExecutor } from '../../../src/store/database.ts';
import type { SupportService } from '../service.ts';
import type { SupportTurnResult } from '../turn-result.ts';
import { type CheckedTurn, checkTurn } from './check-turn.ts';
import type { ScenarioResult } from './runner.ts';
import type { OperatorAction, Scenario, ScenarioTurn } from './scenario.ts';

/** What the conversation runs on. */
export interface ConversationEnvironment {
  readonly support: SupportService;
  readonly inbox: Pick<InboxService, 'claim' | 'reply' | 'handBack' | 'close'>;
  readonly db: SqlExecutor;
  readonly tenantId: string;
}

/** How a mode checks a customer turn beyond the scenario's expectation. */
export interface TurnHooks {
  /** Called before a customer turn; returns how to count its model calls once it is done. */
  readonly beforeTurn?: (turn: ScenarioTurn) => () => number;
  /** Extra problems of a turn that was answered (the scripted mode checks the handoff route). */
  readonly check?: (result: SupportTurnResult, turn: ScenarioTurn, modelCalls: number) => string[];
  /** Maps the scenario's agent names to the mode's (the runtime's escalation agent is `human`'s). */
  readonly agentAliases?: Readonly<Record<string, string>>;
}

const OPERATOR = 'scenario-operator';

/** Runs `scenario` on a new conversation; never throws (an unexpected error is a problem). */
export async function runConversation(
  env: ConversationEnvironment,
  scenario: Scenario,
  hooks: TurnHooks = {},
): Promise<ScenarioResult> {
  const problems: string[] = [];
  const { rows } = await env.db.query<{ max: number | null }>(
    'SELECT max(id)::int AS max FROM support_returns WHERE tenant_id = $1',
    [env.tenantId],
  );
  let conversationId: string | undefined;
  try {
    for (const [index, turn] of scenario.turns.entries()) {
      if (turn.newConversation) conversationId = undefined;
      // The embedded database answers in microtasks, so a long suite never returns to the event loop
      // on its own: timers (a test runner's heartbeat included) would not fire until it ends.
      await new Promise((resolve) => setImmediate(resolve));
      const found: { conversationId?: string; problems: string[] } = turn.operator
        ? await operatorTurn(env, conversationId, turn)
        : await customerTurn(env, conversationId, turn, hooks);
      if (found.conversationId) conversationId = found.conversationId;
      for (const problem of found.problems) problems.push(`turn ${index + 1}: ${problem}`);
    }
  } catch (error) {
    problems.push(`error: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await env.db.query('DELETE FROM support_returns WHERE tenant_id = $1 AND id > $2', [
      env.tenantId,
      rows[0]?.max ?? 0,
    ]);
    await env.db.query('DELETE FROM support_verification_limits WHERE tenant_id = $1', [env.tenantId]);
    await env.db.query('DELETE FROM support_verification_failures WHERE tenant_id = $1', [env.tenantId]);
  }
  return { id: scenario.id, passed: problems.length === 0, problems };
}

async function customerTurn(
  env: ConversationEnvironment,
  conversationId: string | undefined,
  turn: ScenarioTurn,
  hooks: TurnHooks,
): Promise<{ conversationId?: string; problems: string[] }> {
  const modelCalls = hooks.beforeTurn?.(turn) ?? (() => 0);
  const expect = turn.expect.agent
    ? { ...turn.expect, agent: hooks.agentAliases?.[turn.expect.agent] ?? turn.expect.agent }
    : turn.expect;
  let result: SupportTurnResult;
  try {
    result = await env.support.turn({ tenantId: env.tenantId, conversationId, message: turn.user ?? '' });
  } catch (error) {
    if (!GroundworkError.isInstance(error)) throw error;
    return { problems: checkTurn(rejected(error.code), expect) };
  }
  const problems = checkTurn(checkedOf(result), expect);
  problems.push(...(hooks.check?.(result, turn, modelCalls()) ?? []));
  if (expect.approvalListed !== undefined) {
    const listed = (await pendingRunOf(env, result.conversationId)) !== undefined;
    if (listed !== expect.approvalListed) problems.push(`on the approvals list ${listed}`);
  }
  return { conversationId: result.conversationId, problems };
}

async function operatorTurn(
  env: ConversationEnvironment,
  conversationId: string | undefined,
  turn: ScenarioTurn,
): Promise<{ problems: string[] }> {
  const operator = turn.operator!;
  if (operator.action === 'approve' || operator.action === 'reject')
    return { problems: await decide(env, conversationId, operator.action === 'approve', turn) };
  const outcome = await operatorAction(env, conversationId, operator);
  if (outcome === turn.expect.error) return { problems: [] };
  return {
    problems: [
      outcome === undefined
        ? `operator ${operator.action} succeeded, expected error ${turn.expect.error}`
        : `operator ${operator.action}: ${outcome}`,
    ],
  };
}

/** An operator decides the conversation's waiting request; the customer's view is checked. */
async function decide(
  env: ConversationEnvironment,
  conversationId: string | undefined,
  approved: boolean,
  turn: ScenarioTurn,
): Promise<string[]> {
  const runId = conversationId ? await pendingRunOf(env, conversationId) : undefined;
  let checked: CheckedTurn;
  try {
    if (!runId) throw new NotFoundError('approval_not_found', 'The conversation has no request waiting.');
    checked = checkedOf(await env.support.decide(env.tenantId, runId, { approved, by: OPERATOR }));
  } catch (error) {
    if (!GroundworkError.isInstance(error)) throw error;
    checked = rejected(error.code);
  }
  return checkTurn(checked, turn.expect).map((problem) => `operator ${turn.operator?.action}: ${problem}`);
}

/** The run of the conversation on the operators' approvals list. */
async function pendingRunOf(
  env: ConversationEnvironment,
  conversationId: string,
): Promise<string | undefined> {
  const pending = await env.support.pendingApprovals(env.tenantId);
  return pending.find((approval) => approval.conversationId === conversationId)?.runId;
}

/** Does the operator's action; the stable code when the inbox refuses it. */
async function operatorAction(
  env: ConversationEnvironment,
  conversationId: string | undefined,
  operator: OperatorAction,
): Promise<string | undefined> {
  const { rows } = conversationId
    ? await env.db.query<{ id: string }>(
        `SELECT id FROM escalations WHERE tenant_id = $1 AND conversation_id = $2
         ORDER BY created_at DESC, id DESC LIMIT 1`,
        [env.tenantId, conversationId],
      )
    : { rows: [] };
  const id = rows[0]?.id;
  if (!id) return 'escalation_not_found';
  const scope = { tenantId: env.tenantId, actor: OPERATOR };
  try {
    if (operator.action === 'claim') await env.inbox.claim(scope, id);
    else if (operator.action === 'reply') await env.inbox.reply(scope, id, operator.text ?? '');
    else if (operator.action === 'hand-back') await env.inbox.handBack(scope, id);
    else await env.inbox.close(scope, id);
    return undefined;
  } catch (error) {
    if (!GroundworkError.isInstance(error)) throw error;
    return error.code;
  }
}

/** A turn the service rejected with `code`. */
function rejected(code: string): CheckedTurn {
  return {
    agent: '',
    toolCalls: [],
    reply: '',
    escalated: false,
    approvalRequested: false,
    refused: true,
    citations: [],
    error: code,
  };
}

/** A service result as the checks see it; a call waiting for approval counts as asked for. */
export function checkedOf(result: SupportTurnResult): CheckedTurn {
  return {
    agent: result.agent,
    toolCalls: [...result.toolCalls, ...(result.pendingApproval?.calls ?? [])].map((call) => ({
      name: call.name,
      input: (call.input ?? {}) as Record<string, unknown>,
      output: call.output,
      ...(call.error === undefined ? {} : { error: call.error }),
    })),
    reply: result.reply,
    escalated: result.escalated,
    approvalRequested: result.pendingApproval !== undefined,
    refused: result.refused,
    citations: result.citations,
  };
}
