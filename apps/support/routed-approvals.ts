/**
 * @module support/routed-approvals
 * Approvals in the no-LLM mode (issue 20). A confirmed refund above the limit is stored as the same
 * paused run an agent run leaves (`agent_runs`, status `paused`, the call in `state.paused.awaiting`),
 * so the approvals page, the inbox badge and the HTTP decisions see it; `routed: true` in the state
 * says no model resumes it. A decision runs (or drops) the call here and answers the customer.
 */
import { AgentError } from '../../src/agents/errors.ts';
import { RUN_STATE_SCHEMA_VERSION } from '../../src/agents/runner/run-state.ts';
import type { ConversationRef } from '../../src/spec/agent-services.ts';
import type { AgentRunStore, ToolContext, VerifiedCustomer } from '../../src/spec/agents.ts';
import type { SqlExecutor } from '../../src/store/database.ts';
import type { ApprovalDecision } from './agent-mode.ts';
import type { ConversationCustomers } from './conversation-customers.ts';
import { openedReply } from './routed-consent.ts';
import type { SupportTools } from './tools/index.ts';
import type { StartReturnInput } from './tools/start-return.ts';
import type { SupportTurnResult } from './turn-result.ts';

/** The call a person decides. */
export interface RoutedApprovalCall {
  readonly toolName: 'start_return';
  readonly input: StartReturnInput;
  readonly agent: string;
}

interface RoutedRunState {
  readonly routed: true;
  readonly paused?: { readonly awaiting: readonly (RoutedApprovalCall & { toolCallId: string })[] };
}

/** Stores the paused call for a person; returns the run id the approvals page shows. */
export async function requestRoutedApproval(
  runs: AgentRunStore,
  ref: ConversationRef,
  customer: VerifiedCustomer,
  call: RoutedApprovalCall,
): Promise<string> {
  const runId = crypto.randomUUID();
  const awaiting = [{ ...call, toolCallId: `routed-${runId}` }];
  await runs.save({
    id: runId,
    tenantId: ref.tenantId,
    conversationId: ref.conversationId,
    status: 'paused',
    // A RunState, so every reader of agent_runs can read it; no model ever continues it.
    state: {
      schemaVersion: RUN_STATE_SCHEMA_VERSION,
      runId,
      tenantId: ref.tenantId,
      conversationId: ref.conversationId,
      customer,
      agent: call.agent,
      messages: [],
      step: 0,
      usage: { inputTokens: 0, outputTokens: 0 },
      toolCalls: [],
      callCounts: {},
      handoffReasons: {},
      paused: { completed: [], awaiting },
      routed: true,
    },
  });
  return runId;
}

/** Whether a stored run is one the routed mode created. */
export function isRoutedRun(state: unknown): boolean {
  return (state as Partial<RoutedRunState> | null)?.routed === true;
}

/**
 * Decides a routed run: approved, the return is opened (after its checks again) and recorded as
 * approved; rejected, nothing is opened. Throws `run_not_paused` when it was already decided.
 */
export async function decideRoutedApproval(
  deps: {
    readonly db: SqlExecutor;
    readonly runs: AgentRunStore;
    readonly tools: SupportTools;
    readonly customers: ConversationCustomers;
  },
  tenantId: string,
  runId: string,
  decision: ApprovalDecision,
): Promise<SupportTurnResult> {
  const claimed = await deps.runs.claimPaused(tenantId, runId);
  if (!claimed) throw new AgentError('run_not_paused', `Run ${runId} is not waiting for a decision.`);
  const state = claimed.state as RoutedRunState & Record<string, unknown>;
  const call = state.paused?.awaiting[0];
  const ref = { tenantId, conversationId: claimed.conversationId };
  const customer = await deps.customers.get(ref);
  const toolCalls: SupportTurnResult['toolCalls'][number][] = [];
  let reply: string;
  let refused = false;
  if (!call) reply = 'There was nothing left to decide.';
  else if (!decision.approved) {
    reply = `A team member did not approve the refund for order ${call.input.orderNumber}${decision.reason ? `: ${decision.reason}` : ''}. Nothing was opened or charged; reply here if you would like a person to look at it again.`;
    refused = true;
  } else if (!customer) {
    reply = 'I could not confirm who you are any more, so nothing was opened. Please verify again.';
    refused = true;
  } else {
    const context: ToolContext = {
      ...ref,
      runId,
      customer,
      signal: new AbortController().signal,
    };
    const output = await deps.tools.startReturn.execute(call.input, context);
    toolCalls.push({ name: call.toolName, input: call.input, output });
    if (output.ok) {
      await deps.db.query(
        `UPDATE support_returns SET status = 'approved' WHERE tenant_id = $1 AND id = $2 AND status = 'awaiting_approval'`,
        [tenantId, output.returnId],
      );
      reply = openedReply(call.input.orderNumber, output.returnId, output.refundAmount);
    } else {
      reply = output.message;
      refused = true;
    }
  }
  await deps.runs.save({
    ...claimed,
    status: 'completed',
    state: { ...state, paused: undefined, decidedBy: decision.by, approved: decision.approved },
  });
  return {
    conversationId: ref.conversationId,
    reply,
    mode: 'routed',
    agent: call?.agent ?? 'returns',
    toolCalls,
    route: [call?.agent ?? 'returns'],
    citations: [],
    escalated: false,
    refused,
  };
}
