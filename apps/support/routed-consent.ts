/**
 * @module support/routed-consent
 * Consent in the no-LLM policy, the same rules the runtime applies to agents: a return is only
 * proposed for a plain request (not a question, a supposition or a refusal), after its eligibility
 * check; the exact action is stated and stored as pending; only an explicit yes in the next message
 * runs it, through a person's approval when the refund is above the limit. Traced as `agent.consent`.
 */
import {
  type ConfirmationAnswer,
  confirmationAnswer,
  confirmationQuestion,
  recordConsentSpan,
} from '../../src/agents/index.ts';
import { defaultTracer } from '../../src/agents/runner/tracing.ts';
import type { PendingActionStore, ToolContext } from '../../src/spec/agents.ts';
import type { PolicyToolCall, PolicyTurn, SupportSession } from './policy.ts';
import type { RoutedApprovalCall } from './routed-approvals.ts';
import { isFailure, type SupportTools } from './tools/index.ts';
import type { StartReturnInput } from './tools/start-return.ts';

/** What the consent steps need. */
export interface RoutedConsentDependencies {
  readonly tools: SupportTools;
  readonly actions: PendingActionStore;
  /** Stores a confirmed call for a person; returns its run id. */
  readonly requestApproval: (session: SupportSession, call: RoutedApprovalCall) => Promise<string>;
  readonly now?: () => Date;
}

/** Said when the customer's answer was not a yes. */
export const NOT_OPENED = 'I have not opened the return, and nothing has changed.';

/** The reply once a return is open. */
export function openedReply(orderNumber: string, returnId: number, amount: number): string {
  return `I have opened return ${returnId} for order ${orderNumber}. We will email a prepaid label; the refund of $${amount.toFixed(2)} to your original payment method follows within 5 business days of the parcel arriving.`;
}

/** Creates the consent steps over the tools and the pending-action store. */
export function createRoutedConsent(deps: RoutedConsentDependencies) {
  const trace = (state: Parameters<typeof recordConsentSpan>[1]['state'], detail?: string) =>
    recordConsentSpan(defaultTracer(), {
      state,
      toolName: 'start_return',
      mode: 'routed',
      ...(detail ? { detail } : {}),
    });
  return {
    /** Checks and states a return, storing it as pending; nothing is opened. */
    async propose(
      session: SupportSession,
      context: ToolContext,
      input: StartReturnInput,
      calls: PolicyToolCall[],
    ): Promise<PolicyTurn> {
      const tool = deps.tools.startReturn;
      const base = { intent: 'return_request', agent: 'returns' as const, toolCalls: calls };
      const refusal = await tool.precheck?.(input, context);
      // The refusal is what the tool would have returned; it is recorded as its call, as in agent mode.
      if (refusal) {
        calls.push({ name: tool.name, input, output: refusal });
        return { ...base, reply: messageOf(refusal), refused: true };
      }
      const description = await tool.describeAction?.(input, context);
      if (!description) return { ...base, reply: 'Sorry, I could not prepare that return.', refused: true };
      await deps.actions.propose({
        tenantId: session.tenantId,
        conversationId: session.conversationId,
        toolName: tool.name,
        input,
        agent: 'returns',
        description,
        proposedAt: (deps.now?.() ?? new Date()).toISOString(),
      });
      trace('awaiting-confirmation');
      return { ...base, reply: confirmationQuestion(description), awaitingConfirmation: true };
    },

    /**
     * Takes the conversation's pending action (it is gone whatever the answer) and reads the answer:
     * a turn for a yes or a no, or `declined` for anything else, which the policy then answers as usual.
     */
    async resolve(
      session: SupportSession,
      context: ToolContext,
      text: string,
    ): Promise<{ turn: PolicyTurn } | { declined: ConfirmationAnswer } | undefined> {
      const pending = await deps.actions.take(session.tenantId, session.conversationId);
      if (!pending) return undefined;
      const answer = confirmationAnswer(text);
      trace(answer === 'yes' ? 'confirmed' : 'declined', answer === 'yes' ? undefined : answer);
      const base = { intent: 'confirmation', agent: 'returns' as const };
      if (answer === 'no')
        return {
          turn: { ...base, toolCalls: [], reply: `All right. ${NOT_OPENED} Is there anything else?` },
        };
      if (answer !== 'yes') return { declined: answer };
      const input = pending.input as StartReturnInput;
      const tool = deps.tools.startReturn;
      const refusal = await tool.precheck?.(input, context);
      if (refusal) return { turn: { ...base, toolCalls: [], reply: messageOf(refusal), refused: true } };
      const needsApproval = tool.needsApproval as (i: StartReturnInput, c: ToolContext) => Promise<boolean>;
      if (session.customer && (await needsApproval(input, context))) {
        const runId = await deps.requestApproval(session, {
          toolName: 'start_return',
          input,
          agent: 'returns',
        });
        return {
          turn: {
            ...base,
            toolCalls: [],
            reply: `Thank you. The refund for order ${input.orderNumber} is above our $500 limit, so a team member will approve it first (up to 2 business days); I will confirm here.`,
            approvalRequested: true,
            approvalRunId: runId,
            approvalCalls: [{ name: tool.name, input, output: null }],
          },
        };
      }
      const output = await tool.execute(input, context);
      const calls = [{ name: tool.name, input, output }];
      if (!output.ok) return { turn: { ...base, toolCalls: calls, reply: output.message, refused: true } };
      return {
        turn: {
          ...base,
          toolCalls: calls,
          reply: openedReply(input.orderNumber, output.returnId, output.refundAmount),
        },
      };
    },
  };
}

function messageOf(refusal: unknown): string {
  return isFailure(refusal) ? refusal.message : 'Sorry, that return cannot be opened.';
}

/** The consent steps. */
export type RoutedConsent = ReturnType<typeof createRoutedConsent>;
