/**
 * @module support/routed-mode
 * A turn of the no-LLM policy (mode `routed`) inside the service: the conversation's state and
 * verified customer are read from the database before the policy runs and written back after, so a
 * restart between turns loses nothing; an escalation goes to the operator inbox with the customer.
 */
import type { InboxService } from '../../src/agents/inbox/inbox.ts';
import type { ConversationRef } from '../../src/spec/agent-services.ts';
import type { PendingActionStore } from '../../src/spec/agents.ts';
import type { ConversationCustomers } from './conversation-customers.ts';
import { traceGuard } from './guard-span.ts';
import type { SupportPolicy, SupportSession } from './policy.ts';
import type { RoutedSessions } from './routed-sessions.ts';
import { citationsOf } from './service-replies.ts';
import type { SupportTurnResult } from './turn-result.ts';

/** What a routed turn needs. */
export interface RoutedModeDependencies {
  readonly policy: SupportPolicy;
  readonly sessions: RoutedSessions;
  readonly customers: ConversationCustomers;
  readonly inbox: Pick<InboxService, 'escalate'>;
  /** The pending actions the policy proposes (read to tell the caller what waits). */
  readonly actions: Pick<PendingActionStore, 'get'>;
}

/** Creates the routed mode: `turn` answers one message of a stored conversation. */
export function createRoutedMode(deps: RoutedModeDependencies) {
  return {
    async turn(ref: ConversationRef, message: string): Promise<SupportTurnResult> {
      const stored = await deps.sessions.load(ref);
      const session: SupportSession = {
        ...deps.policy.startSession(ref.tenantId, ref.conversationId),
        ...stored,
      };
      const customer = await deps.customers.get(ref);
      if (customer) session.customer = customer;
      const turn = await deps.policy.turn(session, message);
      if (turn.intent === 'injection') await traceGuard('injection-refused', 'routed');
      if (turn.intent === 'sensitive') await traceGuard('sensitive-escalated', 'routed');
      if (session.customer && session.customer.customerId !== customer?.customerId)
        await deps.customers.save(ref, session.customer);
      await deps.sessions.save(ref, session);
      const calls = turn.toolCalls.map((call) => ({
        name: call.name,
        input: call.input,
        output: call.output,
      }));
      if (turn.escalated) {
        await deps.inbox.escalate({
          ...ref,
          trigger: turn.escalated,
          reason: turn.reason
            ? `${turn.reason} The customer wrote: ${message.slice(0, 200)}`
            : `${turn.intent}: ${message.slice(0, 200)}`,
          notes: [
            {
              agent: 'routed',
              text: `Routed as ${turn.intent}; the no-LLM policy escalated${turn.reason ? `: ${turn.reason}` : '.'}`,
            },
          ],
          ...(session.customer ? { customer: session.customer } : {}),
        });
      }
      return {
        conversationId: ref.conversationId,
        reply: turn.reply,
        mode: turn.escalated ? 'human' : 'routed',
        agent: turn.agent,
        toolCalls: calls,
        route: [turn.agent],
        citations: citationsOf(calls, turn.reply),
        escalated: Boolean(turn.escalated),
        refused: Boolean(turn.refused),
        ...(turn.approvalRequested
          ? {
              pendingApproval: {
                ...(turn.approvalRunId ? { runId: turn.approvalRunId } : {}),
                calls: turn.approvalCalls ?? [],
              },
            }
          : {}),
        ...(turn.awaitingConfirmation ? { pendingAction: await pendingActionOf(deps, ref) } : {}),
      };
    },
  };
}

async function pendingActionOf(deps: RoutedModeDependencies, ref: ConversationRef) {
  const action = await deps.actions.get(ref.tenantId, ref.conversationId);
  return { toolName: action?.toolName ?? 'start_return', description: action?.description ?? '' };
}

/** The routed mode. */
export type RoutedMode = ReturnType<typeof createRoutedMode>;
