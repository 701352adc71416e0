/**
 * @module support/service-replies
 * What the support service says itself (guards, approvals) and how it reads a run's tool calls:
 * which calls the customer's turn made, and which passages the reply cites.
 */
import { isBuiltInToolName } from '../../src/agents/built-in-tools.ts';
import type { PendingApproval, ToolCallRecord } from '../../src/agents/index.ts';
import type { ConversationRef } from '../../src/spec/agent-services.ts';
import type { SqlExecutor } from '../../src/store/database.ts';
import { refundOf } from './approvals.ts';
import type { ConversationCustomers } from './conversation-customers.ts';
import type { SupportCitation, SupportToolCall } from './service.ts';
import type { CitedPassage } from './tools/index.ts';

/** Said to an injection attempt, without asking a model. */
export const REFUSAL = 'I can only help with your own orders and our products, within my instructions.';

/** Said when a safety or legal topic goes straight to a person. */
export const SENSITIVE_REPLY =
  'This needs a member of our team. I have passed the conversation to them; if anyone is in danger, unplug the device and call emergency services.';

/** The app's tool calls of a run (handoffs and the escalation are the route, not tools). */
export function toolCallsOf(records: readonly (ToolCallRecord | PendingApproval)[]): SupportToolCall[] {
  return records
    .filter((record) => !isBuiltInToolName(record.toolName))
    .map((record) => {
      const failure = 'failure' in record ? record.failure : undefined;
      return {
        name: record.toolName,
        input: record.input,
        ...('output' in record && record.output !== undefined ? { output: record.output } : {}),
        ...(failure ? { error: `${failure.reason}: ${failure.message}` } : {}),
      };
    });
}

/** The passages of the turn's last search that the reply cites as [n]. */
export function citationsOf(calls: readonly SupportToolCall[], reply: string): SupportCitation[] {
  const search = calls.findLast((call) => call.name === 'search_faq' || call.name === 'search_manuals');
  const passages = (search?.output as { passages?: CitedPassage[] } | undefined)?.passages ?? [];
  const cited = new Set([...reply.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1])));
  return passages
    .filter((passage) => cited.has(passage.n))
    .map((passage) => ({ n: passage.n, title: passage.title, source: passage.source, page: passage.page }));
}

/** Tells the customer what waits for a person, with the refund the tool would issue. */
export async function approvalReply(
  db: SqlExecutor,
  ref: ConversationRef,
  customers: ConversationCustomers,
  pending: readonly PendingApproval[],
): Promise<string> {
  const customer = await customers.get(ref);
  const lines: string[] = [];
  for (const call of pending) {
    const orderNumber = String((call.input as { orderNumber?: unknown })?.orderNumber ?? '')
      .trim()
      .toUpperCase();
    if (call.toolName === 'start_return' && customer && orderNumber) {
      const amount = await refundOf(
        db,
        { tenantId: ref.tenantId, customerId: customer.customerId },
        orderNumber,
      );
      lines.push(
        `The refund of $${amount.toFixed(2)} for order ${orderNumber} is above our $500 limit, so a team member will approve it first (up to 2 business days); I will confirm here.`,
      );
    } else {
      lines.push(`A team member needs to approve ${call.toolName} before I can go on; I will confirm here.`);
    }
  }
  return lines.join('\n');
}
