/**
 * @module agents/consent/hold-write-call
 * What happens when the model calls a state-changing tool: the call never runs. If the customer's
 * message only asked about, supposed or refused the action it is not even proposed; if the tool's
 * precheck refuses, the model gets the refusal (nobody is asked to confirm something that would
 * fail); otherwise the action is stored as pending and the turn ends with the runtime stating it.
 */
import type { PendingAction, PendingActionStore, ToolContext } from '../../spec/agents.ts';
import type { ToolCallRecord } from '../runner/events.ts';
import type { PreparedCall } from '../runner/execute-tool.ts';
import { heldMessage, notProposedMessage } from './messages.ts';
import { requestForm } from './request-form.ts';

/** The held call's result for the model, and the action proposed to the customer, if any. */
export interface HeldCall {
  readonly result: Pick<ToolCallRecord, 'output' | 'failure'>;
  readonly proposal?: PendingAction;
  readonly notProposed?: boolean;
}

/** Holds one write call; `alreadyProposed` is true for a second write call in the same step. */
export async function holdWriteCall(options: {
  readonly call: PreparedCall;
  readonly agent: string;
  readonly customerText: string;
  readonly context: ToolContext;
  readonly store: PendingActionStore;
  readonly alreadyProposed: boolean;
  /** The customer's message declined (or did not confirm) last turn's action. */
  readonly declinedThisTurn?: boolean;
  readonly now?: () => Date;
}): Promise<HeldCall> {
  const { call, context } = options;
  if (options.alreadyProposed) {
    const message = 'Not run: one action at a time; the customer is being asked about the first one.';
    return { result: { failure: { reason: 'not-run', message } } };
  }
  if (options.declinedThisTurn) {
    return {
      result: {
        failure: {
          reason: 'not-run',
          message:
            'Not run and not proposed: the customer did not confirm the action proposed last turn. Answer their message; propose it again only if they ask in a later message.',
        },
      },
      notProposed: true,
    };
  }
  const form = requestForm(options.customerText);
  if (form !== 'request') {
    return {
      result: { failure: { reason: 'not-run', message: notProposedMessage(form) } },
      notProposed: true,
    };
  }
  try {
    const refusal = await call.tool.precheck?.(call.input as never, context);
    if (refusal !== undefined) return { result: { output: refusal } };
    const description = await call.tool.describeAction?.(call.input as never, context);
    if (!description) {
      const message = `Not run: ${call.tool.name} changes state but cannot describe the action to confirm.`;
      return { result: { failure: { reason: 'not-run', message } } };
    }
    const proposal: PendingAction = {
      tenantId: context.tenantId,
      conversationId: context.conversationId,
      toolName: call.tool.name,
      input: call.input,
      agent: options.agent,
      description,
      proposedAt: (options.now?.() ?? new Date()).toISOString(),
    };
    await options.store.propose(proposal);
    return { result: { output: heldMessage(description) }, proposal };
  } catch (error) {
    const message = `${call.tool.name} could not be prepared: ${error instanceof Error ? error.message : String(error)}`;
    return { result: { failure: { reason: 'error', message } } };
  }
}
