/**
 * @module support/scenarios/scenario-model
 * The scripted test double that runs the scenarios on the agent runtime (`support eval --mode
 * scripted`). For each customer turn it plays what the scenario expects: triage hands off to the
 * expected agent, that agent calls the expected tools one step at a time (arguments from the
 * expectation, the rest from the turn's slots), and the last step writes a reply from the tool
 * results the runner sent back. The tools run for real against the seeded database, so the reply
 * says what the data says. A call beyond the turn's plan throws (the runner reports a model error).
 */
import type { LanguageModelV3, LanguageModelV3CallOptions } from '@ai-sdk/provider';
import { extractSlots, firstSlot } from '../../../src/agents/slots.ts';
import {
  createScriptedLanguageModel,
  type ScriptedLanguageModel,
  type ScriptedReply,
} from '../../../src/testing/scripted-language-model.ts';
import type { CitedPassage } from '../tools/index.ts';
import type { ScenarioTurn } from './scenario.ts';

/** Scenario agent names that the runtime's agents cover under another name. */
export const AGENT_ALIASES: Readonly<Record<string, string>> = { returns: 'orders', human: 'escalation' };

const ORDER_TOOLS = new Set([
  'verify_customer',
  'find_orders',
  'order_details',
  'shipment_status',
  'start_return',
]);

/** The model (stable for the runner) and a way to load the next turn's plan into it. */
export interface ScenarioModel {
  readonly model: LanguageModelV3;
  /** Loads the plan of `turn`; returns the double that plays it (to inspect its calls). */
  plan(turn: ScenarioTurn): ScriptedLanguageModel;
}

/** Creates the scenario double. */
export function createScenarioModel(): ScenarioModel {
  let current = createScriptedLanguageModel([]);
  const model: LanguageModelV3 = {
    specificationVersion: 'v3',
    provider: 'test',
    modelId: 'scenario-scripted',
    supportedUrls: {},
    doGenerate: (options) => current.doGenerate(options),
    doStream: (options) => current.doStream(options),
  };
  return {
    model,
    plan(turn) {
      current = createScriptedLanguageModel(planFor(turn));
      return current;
    },
  };
}

/** The agent a turn should end at, in the runtime's names. */
export function targetAgent(turn: ScenarioTurn): string {
  const expected = turn.expect.agent;
  if (expected) return AGENT_ALIASES[expected] ?? expected;
  const tools = (turn.model?.tools ?? turn.expect.tools)?.map((tool) => tool.name) ?? [];
  if (tools.some((name) => ORDER_TOOLS.has(name)) || hasCredentials(turn.user ?? '')) return 'orders';
  if (tools.includes('search_faq')) return 'faq';
  if (tools.includes('search_manuals')) return 'troubleshooting';
  return turn.expect.escalated ? 'escalation' : 'triage';
}

/** The replies that play one turn. */
export function planFor(turn: ScenarioTurn): ScriptedReply[] {
  const target = targetAgent(turn);
  if (target === 'triage') {
    return [
      {
        text: turn.expect.refused
          ? 'Sorry, I can only help with Brightwave Home orders, products and support.'
          : 'Hello! I can help with orders, returns, our products and troubleshooting. What can I do for you?',
      },
    ];
  }
  const replies: ScriptedReply[] = [
    {
      toolCalls: [
        { toolName: `transfer_to_${target}`, input: { reason: `The customer wrote: ${turn.user ?? ''}` } },
      ],
    },
  ];
  if (target === 'escalation') {
    replies.push({
      toolCalls: [
        {
          toolName: 'escalate_to_human',
          input: { reason: (turn.user ?? '').slice(0, 200), trigger: 'agent-decision' },
        },
      ],
    });
    return replies;
  }
  for (const call of expectedCalls(turn, target)) replies.push({ toolCalls: [call] });
  replies.push((call) => ({ text: writeReply(target, call) }));
  return replies;
}

/** The tool calls of a turn, with arguments from the expectation and the turn's slots. */
function expectedCalls(turn: ScenarioTurn, target: string): { toolName: string; input: unknown }[] {
  const user = turn.user ?? '';
  const slots = extractSlots(user);
  const orderNumber = firstSlot(slots, 'orderNumber');
  const email = firstSlot(slots, 'email');
  // The model's own attempt when the scenario gives one (to show the runtime stops it).
  let tools = turn.model?.tools ?? turn.expect.tools;
  // Credentials with no tools named: the agent verifies, as any agent given them would.
  if (tools === undefined && target === 'orders' && hasCredentials(user))
    tools = [{ name: 'verify_customer' }];
  return (tools ?? []).map((tool) => {
    const fromSlots: Record<string, unknown> =
      tool.name === 'verify_customer'
        ? { orderNumber, email }
        : tool.name === 'start_return'
          ? { orderNumber, reason: user.slice(0, 500) }
          : tool.name === 'search_faq' || tool.name === 'search_manuals'
            ? { query: user }
            : tool.name === 'find_orders'
              ? {}
              : { orderNumber };
    const input = Object.fromEntries(
      Object.entries({ ...fromSlots, ...tool.args }).filter(([, value]) => value !== undefined),
    );
    return { toolName: tool.name, input };
  });
}

function hasCredentials(text: string): boolean {
  const slots = extractSlots(text);
  return firstSlot(slots, 'orderNumber') !== undefined && firstSlot(slots, 'email') !== undefined;
}

/** Tool results since the customer's last message, in order. */
function turnResults(call: LanguageModelV3CallOptions): { tool: string; value: unknown }[] {
  const lastUser = call.prompt.findLastIndex((message) => message.role === 'user');
  return call.prompt
    .slice(lastUser + 1)
    .flatMap((message) =>
      message.role === 'tool'
        ? message.content.flatMap((part) =>
            part.type === 'tool-result'
              ? [{ tool: part.toolName, value: 'value' in part.output ? part.output.value : undefined }]
              : [],
          )
        : [],
    );
}

/** The fields of the support tools' results that replies use. */
interface ToolResult {
  readonly ok?: boolean;
  readonly message?: string;
  readonly customer?: { readonly name?: string };
  readonly order?: { readonly orderNumber: string; readonly status: string };
  readonly shipments?: readonly {
    readonly carrier: string;
    readonly trackingNumber: string;
    readonly status: string;
    readonly eta?: string | null;
  }[];
  readonly orders?: readonly {
    readonly orderNumber: string;
    readonly status: string;
    readonly total: number;
  }[];
  readonly lines?: readonly { readonly product: string }[];
  readonly returnId?: number;
  readonly refundAmount?: number;
  readonly passages?: readonly CitedPassage[];
}

const ASK_VERIFY =
  'To look at your orders I first need to verify you: please send your order number (like GW-10234) and the email address you used for it.';

/** A reply built only from what the tools returned. */
function writeReply(agent: string, call: LanguageModelV3CallOptions): string {
  const parts: string[] = [];
  for (const { tool, value } of turnResults(call)) {
    if (tool.startsWith('transfer_to_')) continue;
    const result = value as ToolResult;
    if (typeof value === 'string') parts.push(value);
    else if (result?.ok === false) parts.push(String(result.message));
    else if (tool === 'verify_customer') parts.push(`Thank you, ${result.customer?.name}, you are verified.`);
    else if (tool === 'shipment_status') {
      const shipment = result.shipments?.[0];
      const order = result.order!;
      parts.push(
        shipment
          ? `Order ${order.orderNumber} is ${order.status}. ${shipment.carrier} tracking ${shipment.trackingNumber}: ${String(shipment.status).replaceAll('_', ' ')}${shipment.eta ? `, expected ${shipment.eta}` : ''}.`
          : `Order ${order.orderNumber} is ${order.status}; it has not shipped yet.`,
      );
    } else if (tool === 'find_orders') {
      const orders = (result.orders ?? [])
        .map((order) => `${order.orderNumber} (${order.status}, $${order.total.toFixed(2)})`)
        .join(', ');
      parts.push(`Your recent orders: ${orders}.`);
    } else if (tool === 'order_details') {
      const items = (result.lines ?? []).map((line) => line.product).join(', ');
      parts.push(`Order ${result.order?.orderNumber} is ${result.order?.status}: ${items}.`);
    } else if (tool === 'start_return') {
      parts.push(
        `I have opened return ${result.returnId}; the refund of $${Number(result.refundAmount).toFixed(2)} follows within 5 business days of the parcel arriving.`,
      );
    } else if (tool === 'search_faq' || tool === 'search_manuals') {
      const passages = (result.passages ?? []).slice(0, 2);
      parts.push(
        passages.length > 0
          ? passages.map((passage) => `${passage.text} [${passage.n}]`).join('\n\n')
          : 'I could not find that in our help centre.',
      );
    } else parts.push(JSON.stringify(value));
  }
  if (parts.length > 0) return parts.join(' ');
  if (agent === 'orders') return ASK_VERIFY;
  if (agent === 'troubleshooting') return 'Which product is it, and what have you already tried?';
  return 'Could you tell me a little more?';
}
