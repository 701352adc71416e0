/**
 * @module agents/memory/tools
 * `remember` and `recall`, the agents' doors to long-term memory. Both act for the verified customer
 * of the tool context and refuse without one; the customer id never comes from the model's arguments,
 * so a prompt cannot make the agent read or write another customer's memory.
 */
import { z } from 'zod';
import { GroundworkError } from '../../errors.ts';
import type { AgentTool, ToolContext } from '../../spec/agents.ts';
import { CUSTOMER_MEMORY_KINDS, type CustomerKey } from '../../store/customer-memories.ts';
import type { CustomerMemory } from './customer.ts';

const rememberInput = z.object({
  kind: z.enum(CUSTOMER_MEMORY_KINDS).describe('fact, preference, or a past issue'),
  text: z.string().trim().min(3).max(1000).describe('One self-contained sentence about the customer.'),
  resolution: z.string().trim().max(1000).optional().describe('For an issue: how it was resolved.'),
});

const recallInput = z.object({
  query: z.string().trim().min(1).max(500).describe('What to look for in the customer’s memory.'),
  limit: z.number().int().min(1).max(20).optional(),
});

/** The verified customer of the call, or the refusal the model reads. */
function customerOf(context: ToolContext): CustomerKey {
  if (!context.customer) {
    throw new GroundworkError({
      code: 'customer_not_verified',
      message: 'The customer is not verified yet; verify them before using their memory.',
    });
  }
  return { tenantId: context.tenantId, customerId: context.customer.customerId };
}

/**
 * The two memory tools.
 *
 * @example
 * const { remember, recall } = createMemoryTools(app.customerMemory);
 * defineAgent({ name: 'support', tools: [remember, recall], ... });
 */
export function createMemoryTools(memory: CustomerMemory): {
  remember: AgentTool<z.infer<typeof rememberInput>, { stored: true; id: number }>;
  recall: AgentTool<
    z.infer<typeof recallInput>,
    { memories: { kind: string; text: string; resolution: string | null; at: string }[] }
  >;
} {
  return {
    remember: {
      name: 'remember',
      description:
        'Store a lasting fact, preference or resolved issue about the verified customer, for later conversations.',
      inputSchema: rememberInput,
      async execute(input, context) {
        const row = await memory.remember(customerOf(context), {
          ...input,
          sourceConversation: context.conversationId,
        });
        return { stored: true, id: row.id };
      },
    },
    recall: {
      name: 'recall',
      description: 'Look up what is known about the verified customer from earlier conversations.',
      inputSchema: recallInput,
      async execute(input, context) {
        const rows = await memory.recall(customerOf(context), input.query, input.limit ?? 5);
        return {
          memories: rows.map((row) => ({
            kind: row.kind,
            text: row.text,
            resolution: row.resolution,
            at: row.createdAt,
          })),
        };
      },
    },
  };
}
