/**
 * @module support/policy
 * The support app's no-LLM turn policy (agent mode `routed`): guards first (sensitive topics go to a
 * person, injection attempts are refused), then slots (an order number plus an email verifies the
 * customer), then the intent router picks the agent, whose tools run and whose reply comes from a
 * template or an extractive answer over the search results. Repeated failures escalate: verification
 * when its tool says the caller has no attempts left, troubleshooting after rounds that did not help.
 */

import { requestForm } from '../../src/agents/consent/request-form.ts';
import type { IntentRouter } from '../../src/agents/intents/router.ts';
import { extractSlots, firstSlot } from '../../src/agents/slots.ts';
import { extractAnswer } from '../../src/answer/extractive.ts';
import type { EscalationTrigger, ToolContext, VerifiedCustomer } from '../../src/spec/agents.ts';
import type { LexicalAnalyzer } from '../../src/spec/lexical.ts';
import { isInjection, isSensitive, saysItDidNotHelp } from './policy-guards.ts';
import { NOT_OPENED, type RoutedConsent } from './routed-consent.ts';
import type { CitedPassage, SupportTools } from './tools/index.ts';

/** The agents of the app. */
export type SupportAgent = 'triage' | 'faq' | 'orders' | 'returns' | 'troubleshooting' | 'human';

/** A tool the policy called. */
export interface PolicyToolCall {
  readonly name: string;
  readonly input: Record<string, unknown>;
  readonly output: unknown;
}

/** What one turn did. */
export interface PolicyTurn {
  readonly intent: string;
  readonly agent: SupportAgent;
  readonly toolCalls: PolicyToolCall[];
  readonly reply: string;
  readonly escalated?: EscalationTrigger;
  readonly approvalRequested?: boolean;
  /** The run a person decides (`/v1/support/approvals/:runId`), when `approvalRequested`. */
  readonly approvalRunId?: string;
  /** The calls that wait for the person. */
  readonly approvalCalls?: PolicyToolCall[];
  /** The turn stated an action and waits for the customer's yes. */
  readonly awaitingConfirmation?: boolean;
  readonly refused?: boolean;
}

/** A conversation's state between turns. */
export interface SupportSession {
  readonly tenantId: string;
  readonly conversationId: string;
  customer?: VerifiedCustomer;
  /** What the customer wanted before we asked them to verify. */
  pending?: { intent: string; orderNumber?: string; text: string };
  /** Troubleshooting rounds that did not help (verification is limited by its tool). */
  failures: number;
  lastAgent?: SupportAgent;
  /** This turn's message did not confirm the action proposed last turn (not stored). */
  declinedThisTurn?: boolean;
}

/** What the policy is built from. */
export interface SupportPolicyDependencies {
  readonly router: IntentRouter;
  readonly tools: SupportTools;
  readonly analyzer: LexicalAnalyzer;
  /** Pending actions and approvals of state-changing calls. */
  readonly consent: RoutedConsent;
}

/** Unhelpful troubleshooting rounds before a person takes over. */
const MAX_FAILURES = 2;
const ASK_VERIFY =
  'To look at your orders I first need to verify you: please send your order number (like GW-10234) and the email address you used for it.';

/** Creates the policy. */
export function createSupportPolicy(deps: SupportPolicyDependencies) {
  const { router, tools, analyzer, consent } = deps;
  const context = (session: SupportSession): ToolContext => ({
    tenantId: session.tenantId,
    conversationId: session.conversationId,
    runId: `${session.conversationId}-routed`,
    customer: session.customer,
    signal: new AbortController().signal,
  });
  const escalate = (intent: string, trigger: EscalationTrigger, reply: string): PolicyTurn => ({
    intent,
    agent: 'human',
    toolCalls: [],
    reply,
    escalated: trigger,
  });

  async function search(
    session: SupportSession,
    kind: 'faq' | 'manuals',
    text: string,
    calls: PolicyToolCall[],
  ): Promise<string | undefined> {
    const tool = kind === 'faq' ? tools.searchFaq : tools.searchManuals;
    const output = await tool.execute({ query: text }, context(session));
    calls.push({ name: tool.name, input: { query: text }, output });
    const passages = output.passages.map((passage: CitedPassage) => ({
      n: passage.n,
      text: passage.text,
      tokens: 0,
      trimmed: false,
      chunk: { headingPath: passage.headingPath } as never,
    }));
    // A troubleshooting section is a procedure: quote the best one whole rather than mixed sentences.
    const best = output.passages[0];
    const answer =
      kind === 'manuals' && best
        ? `${best.headingPath.at(-1) ?? best.title}: ${best.text} [1]`
        : extractAnswer(text, passages, analyzer);
    if (!answer) return undefined;
    const sources = output.passages
      .map((passage: CitedPassage) => `[${passage.n}] ${passage.title ?? passage.source}`)
      .join('; ');
    return `${answer}\n\nSources: ${sources}`;
  }

  async function orders(
    session: SupportSession,
    intent: string,
    orderNumber: string | undefined,
    text: string,
  ): Promise<PolicyTurn> {
    const calls: PolicyToolCall[] = [];
    const agent: SupportAgent = intent === 'return_request' ? 'returns' : 'orders';
    if (!session.customer) {
      session.pending = { intent, orderNumber, text };
      return { intent, agent, toolCalls: calls, reply: ASK_VERIFY };
    }
    const call = async <I extends Record<string, unknown>, O>(
      tool: { name: string; execute(input: I, c: ToolContext): Promise<O> },
      input: I,
    ) => {
      const output = await tool.execute(input, context(session));
      calls.push({ name: tool.name, input, output });
      return output;
    };
    if (!orderNumber) {
      const found = await call(tools.findOrders, {});
      const list = found.ok
        ? found.orders
            .map((order) => `${order.orderNumber} (${order.status}, $${order.total.toFixed(2)})`)
            .join(', ')
        : '';
      return {
        intent,
        agent,
        toolCalls: calls,
        reply: `Your recent orders: ${list}. Which one do you mean?`,
      };
    }
    if (agent === 'orders') {
      const status = await call(tools.shipmentStatus, { orderNumber });
      if (!status.ok) return { intent, agent, toolCalls: calls, reply: status.message, refused: true };
      const shipment = status.shipments[0];
      const reply = shipment
        ? `Order ${orderNumber} is ${status.order.status}. ${shipment.carrier} tracking ${shipment.trackingNumber}: ${shipment.status.replaceAll('_', ' ')}${shipment.eta ? `, expected ${shipment.eta}` : ''}.`
        : `Order ${orderNumber} is ${status.order.status}; it has not shipped yet.`;
      return { intent, agent, toolCalls: calls, reply };
    }
    if (session.declinedThisTurn) {
      const reply =
        'If you would like me to open that return, say so in your next message and I will confirm the details with you first.';
      return { intent, agent, toolCalls: calls, reply };
    }
    return consent.propose(session, context(session), { orderNumber, reason: text.slice(0, 500) }, calls);
  }

  /** A return the customer asked about, supposed or refused: answered, never proposed. */
  async function notARequest(session: SupportSession, text: string, negated: boolean): Promise<PolicyTurn> {
    if (negated) {
      const reply = 'Understood, I will not open a return. Is there anything else I can help with?';
      return { intent: 'return_request', agent: 'returns', toolCalls: [], reply };
    }
    const calls: PolicyToolCall[] = [];
    session.lastAgent = 'faq';
    const answer = await search(session, 'faq', text, calls);
    const note =
      'I have not opened or changed anything. If you decide to return something, tell me the order and the item and I will confirm the details with you first.';
    return {
      intent: 'return_request',
      agent: 'faq',
      toolCalls: calls,
      reply: answer ? `${answer}\n\n${note}` : note,
    };
  }

  return {
    /** Starts a conversation. */
    startSession(tenantId: string, conversationId: string): SupportSession {
      return { tenantId, conversationId, failures: 0 };
    },

    /** Handles one customer message. */
    async turn(session: SupportSession, text: string): Promise<PolicyTurn> {
      // An action proposed last turn runs only on this message's explicit yes; any answer clears it.
      const resolved = await consent.resolve(session, context(session), text);
      if (resolved && 'turn' in resolved) return resolved.turn;
      if (!resolved) return answer(session, text);
      session.declinedThisTurn = true;
      const turn = await answer(session, text);
      return { ...turn, reply: `${NOT_OPENED} ${turn.reply}` };
    },
  };

  async function answer(session: SupportSession, text: string): Promise<PolicyTurn> {
    {
      if (isInjection(text)) {
        return {
          intent: 'injection',
          agent: 'triage',
          toolCalls: [],
          reply: 'I can only help with your own orders and our products, within my instructions.',
          refused: true,
        };
      }
      if (isSensitive(text)) {
        return escalate(
          'sensitive',
          'sensitive-request',
          'This needs a member of our team. I have passed the conversation to them; if anyone is in danger, unplug the device and call emergency services.',
        );
      }
      const slots = extractSlots(text);
      const orderNumber = firstSlot(slots, 'orderNumber');
      const email = firstSlot(slots, 'email');
      const calls: PolicyToolCall[] = [];
      if (orderNumber && email && !session.customer) {
        const input = { orderNumber, email };
        const verified = await tools.verifyCustomer.execute(input, context(session));
        calls.push({ name: 'verify_customer', input, output: verified });
        if (!verified.ok) {
          // The tool's limits decide when a person takes over (they count across conversations and
          // are released when an operator closes or hands back the case); a count kept here would
          // keep the conversation locked after that.
          if (verified.code === 'too_many_attempts') {
            return { ...escalate('verification', 'repeated-failure', verified.message), toolCalls: calls };
          }
          return {
            intent: 'verification',
            agent: 'orders',
            toolCalls: calls,
            reply: verified.message,
            refused: true,
          };
        }
        session.customer = verified.customer;
        const pending = session.pending;
        session.pending = undefined;
        const intent = pending?.intent ?? (await router.classify(text)).intent;
        const asked = requestForm(pending?.text ?? text) === 'request';
        const target = intent === 'return_request' && asked ? 'return_request' : 'order_status';
        const turn = await orders(
          session,
          target,
          pending?.orderNumber ?? orderNumber,
          pending?.text ?? text,
        );
        return {
          ...turn,
          toolCalls: [...calls, ...turn.toolCalls],
          reply: `Thank you, ${verified.customer.name ?? 'you are verified'}. ${turn.reply}`,
        };
      }
      let { intent } = await router.classify(text);
      if (session.lastAgent === 'troubleshooting' && saysItDidNotHelp(text)) intent = 'troubleshooting';
      switch (intent) {
        case 'greeting':
          return {
            intent,
            agent: 'triage',
            toolCalls: [],
            reply:
              'Hello! I can help with orders, returns, our products and troubleshooting. What can I do for you?',
          };
        case 'human_request':
          return escalate(
            intent,
            'customer-request',
            'I am handing you over to a member of our team; they will reply here.',
          );
        case 'return_request': {
          const form = requestForm(text);
          if (form !== 'request') return notARequest(session, text, form === 'negated');
          session.lastAgent = 'returns';
          return orders(session, intent, orderNumber ?? session.pending?.orderNumber, text);
        }
        case 'order_status':
          session.lastAgent = 'orders';
          return orders(session, intent, orderNumber ?? session.pending?.orderNumber, text);
        case 'faq': {
          session.lastAgent = 'faq';
          const answer = await search(session, 'faq', text, calls);
          return {
            intent,
            agent: 'faq',
            toolCalls: calls,
            reply:
              answer ?? 'I could not find that in our help centre. Could you rephrase, or ask for a person?',
          };
        }
        case 'troubleshooting': {
          if (session.lastAgent === 'troubleshooting' && saysItDidNotHelp(text)) {
            session.failures++;
            if (session.failures >= MAX_FAILURES) {
              return escalate(
                intent,
                'repeated-failure',
                'Sorry that did not fix it. I am passing you to a technician from our team.',
              );
            }
          }
          session.lastAgent = 'troubleshooting';
          const answer = await search(session, 'manuals', text, calls);
          return {
            intent,
            agent: 'troubleshooting',
            toolCalls: calls,
            reply: answer ?? 'Which product is it, and what exactly happens?',
          };
        }
        default:
          return {
            intent,
            agent: 'triage',
            toolCalls: [],
            reply: 'Sorry, I can only help with Brightwave Home orders, products and support.',
            refused: true,
          };
      }
    }
  }
}

/** The policy. */
export type SupportPolicy = ReturnType<typeof createSupportPolicy>;
