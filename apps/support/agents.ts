/**
 * @module support/agents
 * The support app's agents on the runtime: triage routes by handoff to faq, orders, troubleshooting or
 * escalation. Tools over personal data act for the conversation's verified customer, read from
 * `ConversationCustomers` when the run did not start verified, so verifying in one step lets the next
 * step (or a run resumed after a restart) read that customer's orders, and nobody else's.
 */
import { defineAgent } from '../../src/agents/index.ts';
import type { AgentDefinition, AgentTool, AnyAgentTool, ToolContext } from '../../src/spec/agents.ts';
import type { ConversationCustomers } from './conversation-customers.ts';
import type { SupportTools } from './tools/index.ts';

/** The agents' names; `triage` starts every turn. */
export const SUPPORT_AGENT_NAMES = ['triage', 'faq', 'orders', 'troubleshooting', 'escalation'] as const;

/** What the agents are built from. */
export interface SupportAgentDependencies {
  readonly tools: SupportTools;
  readonly customers: ConversationCustomers;
  /** Long-term memory tools (`remember`, `recall`), given to the orders agent when present. */
  readonly memoryTools?: readonly AnyAgentTool[];
  /**
   * Tools the operator configured (MCP servers), given to the faq, orders and troubleshooting agents;
   * a server that is down answers with an error result the agent can read, never a crash.
   */
  readonly operatorTools?: readonly AnyAgentTool[];
  /**
   * Called when `verify_customer` says the conversation has no attempts left; the agents' mode parks
   * the conversation with a person there, as the tool's message promises and the routed policy does.
   */
  readonly onNoAttemptsLeft?: (context: ToolContext) => Promise<void>;
}

const TRIAGE = `You are the first contact of Brightwave Home support. Do not answer questions yourself.
Hand off at once: product, shipping, returns-policy or warranty questions to faq; anything about the customer's own orders, deliveries, returns or refunds to orders; a device that does not work to troubleshooting; a request for a person, a legal threat, a safety problem or anything you cannot route to escalation.
Only greet, or say you can only help with Brightwave Home orders, products and support, when no agent fits.`;

const FAQ = `You answer questions about Brightwave Home policies and products.
Always call search_faq first and answer only from the passages it returns, citing each fact as [n] with the passage number. If the passages do not answer the question, say so and offer a person.
Questions about the customer's own order go to orders.`;

const ORDERS = `You handle the customer's own orders, deliveries, returns and refunds.
Before reading any order, the customer must be verified: ask for the order number (like GW-10234) and the email address used for it, then call verify_customer. Never reveal whether an order or email exists when verification fails.
Use find_orders, order_details and shipment_status for status questions, and start_return for returns. Refunds above $500 wait for a team member's approval; tell the customer so.
Only state what the tools returned. If a tool says an order was not found, say exactly that.`;

const TROUBLESHOOTING = `You help customers fix Brightwave Home devices.
Ask which product it is and what they have already tried, if you do not know. Call search_manuals and give the manual's steps one by one, numbered, citing the manual as [n].
If the customer has already tried the steps twice without success, hand off to escalation.`;

const ESCALATION = `You hand the conversation to a person. Call escalate_to_human with a one-line reason for the operator (what the customer needs and what was tried) and the trigger that fits. Then tell the customer a person will reply here.`;

/** Builds the five agents. */
export function createSupportAgents(deps: SupportAgentDependencies): AgentDefinition[] {
  const { tools, customers } = deps;
  const forCustomer = <I, O>(tool: AgentTool<I, O>) => actForConversation(tool, customers);
  const verify: AgentTool<Parameters<SupportTools['verifyCustomer']['execute']>[0], unknown> = {
    ...tools.verifyCustomer,
    async execute(input, context) {
      const output = await tools.verifyCustomer.execute(input, context);
      if (output.ok) await customers.save(context, output.customer);
      else if (output.code === 'too_many_attempts') await deps.onNoAttemptsLeft?.(context);
      return output;
    },
  };
  return [
    defineAgent({
      name: 'triage',
      description: 'Greets the customer and routes the conversation.',
      instructions: TRIAGE,
      handoffs: ['faq', 'orders', 'troubleshooting', 'escalation'],
      maxSteps: 3,
    }),
    defineAgent({
      name: 'faq',
      description: 'Policies, shipping, returns rules, warranty, payment and product questions.',
      instructions: FAQ,
      tools: [tools.searchFaq as AnyAgentTool, ...(deps.operatorTools ?? [])],
      handoffs: ['orders', 'troubleshooting', 'escalation'],
    }),
    defineAgent({
      name: 'orders',
      description: "The customer's own orders: status, tracking, returns and refunds (verifies first).",
      instructions: ORDERS,
      tools: [
        verify as AnyAgentTool,
        forCustomer(tools.findOrders) as AnyAgentTool,
        forCustomer(tools.orderDetails) as AnyAgentTool,
        forCustomer(tools.shipmentStatus) as AnyAgentTool,
        forCustomer(tools.startReturn) as AnyAgentTool,
        ...(deps.memoryTools ?? []).map((tool) => forCustomer(tool)),
        ...(deps.operatorTools ?? []),
      ],
      handoffs: ['faq', 'troubleshooting', 'escalation'],
    }),
    defineAgent({
      name: 'troubleshooting',
      description: 'A device that does not work: setup, status lights, connection problems.',
      instructions: TROUBLESHOOTING,
      tools: [tools.searchManuals as AnyAgentTool, ...(deps.operatorTools ?? [])],
      handoffs: ['orders', 'faq', 'escalation'],
    }),
    defineAgent({
      name: 'escalation',
      description: 'Hands the conversation to a person from the team.',
      instructions: ESCALATION,
      // Its own three steps, counted from when it is handed the conversation (the runtime used to
      // compare the cap with the turn's steps, which stopped turns that reached escalation late).
      maxSteps: 3,
    }),
  ];
}

/**
 * The tool acting for the conversation's verified customer (stored, else the run's); the approval
 * rule, the precheck and the stated action see the same customer as `execute`.
 */
function actForConversation<I, O>(tool: AgentTool<I, O>, customers: ConversationCustomers): AgentTool<I, O> {
  // The stored customer wins: a conversation that verified again mid-run acts for whom it proved.
  const withCustomer = async (context: ToolContext): Promise<ToolContext> => ({
    ...context,
    customer: (await customers.get(context)) ?? context.customer,
  });
  const rule = tool.needsApproval;
  return {
    ...tool,
    ...(typeof rule === 'function'
      ? { needsApproval: async (input: I, context: ToolContext) => rule(input, await withCustomer(context)) }
      : {}),
    ...(tool.precheck
      ? {
          precheck: async (input: I, context: ToolContext) =>
            tool.precheck?.(input, await withCustomer(context)),
        }
      : {}),
    ...(tool.describeAction
      ? {
          describeAction: async (input: I, context: ToolContext) =>
            (await tool.describeAction?.(input, await withCustomer(context))) ?? '',
        }
      : {}),
    execute: async (input, context) => tool.execute(input, await withCustomer(context)),
  };
}
