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
import { extractAnswer } from '../../src/answer/extractive.ts';
import type { EscalationTrigger, ToolContext, VerifiedCustomer } from '../../src/spec/agents.ts';
import type { LexicalAnalyzer } from '../../src/spec/lexical.ts';
import { isClosing, isYes } from './dialogue/closings.ts';
import { escalationCue } from './dialogue/escalation.ts';
import { asksForList, discuss, pointsAtOrder, referencedOrder, usesPronoun } from './dialogue/follow-ups.ts';
import { intentCue } from './dialogue/intent-cues.ts';
import { nextLanguage } from './dialogue/language.ts';
import { localizeOrderReply } from './dialogue/localize.ts';
import { readOrderSlots } from './dialogue/order-slots.ts';
import { mentionedProduct } from './dialogue/products.ts';
import type { DialogueState } from './dialogue/state.ts';
import { templatesFor } from './dialogue/templates.ts';
import { manualReply } from './knowledge-answers/manual-reply.ts';
import { isInjection, saysItDidNotHelp } from './policy-guards.ts';
import { NOT_OPENED, type RoutedConsent } from './routed-consent.ts';
import { productByModel } from './store/catalogue.ts';
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
  /** Why it escalated, for the operator. */
  readonly reason?: string;
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
  /** Language, slots given before their pair, orders and product under discussion (dialogue/state.ts). */
  dialogue?: DialogueState;
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
/** Turns in a row the policy could not answer before a person takes over. */
const MAX_UNANSWERED = 3;
const REPEATED_FAILURE_REASON = 'Repeated failure: three turns in a row the assistant could not answer.';
/** A person asked for, or an offer of one accepted. */
const PERSON_OFFER_ACCEPTED = {
  intent: 'human_request',
  trigger: 'customer-request',
  reason: 'The customer asked for a person.',
  reply: 'handover',
} as const;
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
  const escalate = (
    intent: string,
    trigger: EscalationTrigger,
    reply: string,
    reason: string,
  ): PolicyTurn => ({
    intent,
    agent: 'human',
    toolCalls: [],
    reply,
    escalated: trigger,
    reason,
  });

  async function search(
    session: SupportSession,
    kind: 'faq' | 'manuals',
    text: string,
    calls: PolicyToolCall[],
  ): Promise<string | undefined> {
    const manual = await manualReply({
      text,
      tool: tools.searchManuals,
      context: context(session),
      analyzer,
      calls,
      onlyWhenNamed: kind === 'faq',
    });
    if (kind === 'manuals' || manual) return manual;
    const tool = tools.searchFaq;
    const output = await tool.execute({ query: text }, context(session));
    calls.push({ name: tool.name, input: { query: text }, output });
    const passages = output.passages.map((passage: CitedPassage) => ({
      n: passage.n,
      text: passage.text,
      tokens: 0,
      trimmed: false,
      chunk: { headingPath: passage.headingPath } as never,
    }));
    const answer = extractAnswer(text, passages, analyzer);
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
      session.dialogue ??= {};
      const dialogue = session.dialogue;
      dialogue.language = nextLanguage(dialogue.language, text);
      const t = templatesFor(dialogue.language);
      const english = dialogue.language === 'en';
      if (isInjection(text)) {
        return { intent: 'injection', agent: 'triage', toolCalls: [], reply: t.refusal, refused: true };
      }
      const slots = readOrderSlots(text);
      const offered = dialogue.offeredPerson && isYes(text);
      dialogue.offeredPerson = undefined;
      const cue = escalationCue(text, slots) ?? (offered ? PERSON_OFFER_ACCEPTED : undefined);
      if (cue) return escalate(cue.intent, cue.trigger, t[cue.reply], cue.reason);
      if (isClosing(text)) {
        dialogue.unanswered = 0;
        return { intent: 'closing', agent: 'triage', toolCalls: [], reply: t.closing };
      }
      const mention = mentionedProduct(text);
      if (mention.product) dialogue.product = mention.product.model;
      const { orderNumber, email } = slots;
      const calls: PolicyToolCall[] = [];
      if ((orderNumber || email) && !session.customer) {
        // Either half of the pair may come first; the other is remembered until the pair is tried.
        const pair = {
          orderNumber: orderNumber ?? dialogue.orderNumber ?? session.pending?.orderNumber,
          email: email ?? dialogue.email,
        };
        dialogue.orderNumber = pair.orderNumber;
        dialogue.email = pair.email;
        if (!pair.orderNumber || !pair.email) {
          const routed = english ? (await router.classify(text)).intent : intentCue(text);
          const wanted = routed === 'return_request' || routed === 'order_status' ? routed : undefined;
          if (wanted) session.pending = { intent: wanted, orderNumber: pair.orderNumber, text };
          return {
            intent: 'verification',
            agent: wanted === 'return_request' ? 'returns' : 'orders',
            toolCalls: [],
            reply: pair.email ? t.askOrderNumber : wanted ? t.askVerify : t.askEmail,
          };
        }
        const input = { orderNumber: pair.orderNumber, email: pair.email };
        const verified = await tools.verifyCustomer.execute(input, context(session));
        calls.push({ name: 'verify_customer', input, output: verified });
        if (!verified.ok) {
          const reply = localizeOrderReply(calls, verified.message, templatesFor('en'), t);
          // The tool's limits decide when a person takes over (they count across conversations and
          // are released when an operator closes or hands back the case); a count kept here would
          // keep the conversation locked after that.
          if (verified.code === 'too_many_attempts') {
            return {
              ...escalate('verification', 'repeated-failure', reply, 'Verification: no attempts left.'),
              toolCalls: calls,
            };
          }
          return { intent: 'verification', agent: 'orders', toolCalls: calls, reply, refused: true };
        }
        session.customer = verified.customer;
        dialogue.orderNumber = undefined;
        dialogue.email = undefined;
        const pending = session.pending;
        session.pending = undefined;
        const intent = pending?.intent ?? (english ? (await router.classify(text)).intent : intentCue(text));
        const asked = requestForm(pending?.text ?? text) === 'request';
        const target = intent === 'return_request' && asked ? 'return_request' : 'order_status';
        const turn = await orders(
          session,
          target,
          pending?.orderNumber ?? pair.orderNumber,
          pending?.text ?? text,
        );
        discussed(dialogue, turn);
        return {
          ...turn,
          toolCalls: [...calls, ...turn.toolCalls],
          reply: `${t.verified(verified.customer.name)} ${localizeOrderReply(turn.toolCalls, turn.reply, templatesFor('en'), t)}`,
        };
      }
      let intent = english
        ? (await router.classify(mention.text)).intent
        : (intentCue(text) ?? 'not_in_language');
      if (session.lastAgent === 'troubleshooting' && saysItDidNotHelp(text)) intent = 'troubleshooting';
      const onOrders =
        session.customer && (session.lastAgent === 'orders' || session.lastAgent === 'returns');
      if (
        intent !== 'order_status' &&
        intent !== 'return_request' &&
        session.customer &&
        (orderNumber || (onOrders && pointsAtOrder(text)))
      )
        intent = 'order_status';
      // A question without a product of its own is about the product under discussion.
      const product =
        !mention.product && dialogue.product && usesPronoun(text)
          ? productByModel(dialogue.product)
          : undefined;
      const query = product ? `${mention.text} (${product.name})` : mention.text;
      const before = dialogue.unanswered ?? 0;
      const unanswered = (turn: PolicyTurn): PolicyTurn => {
        dialogue.unanswered = before + 1;
        if (dialogue.unanswered < MAX_UNANSWERED) return turn;
        dialogue.unanswered = 0;
        return escalate(turn.intent, 'repeated-failure', t.repeatedFailure, REPEATED_FAILURE_REASON);
      };
      dialogue.unanswered = 0;
      switch (intent) {
        case 'greeting':
          return { intent, agent: 'triage', toolCalls: [], reply: t.greeting };
        case 'human_request':
          return escalate(intent, 'customer-request', t.handover, PERSON_OFFER_ACCEPTED.reason);
        case 'order_status':
        case 'return_request': {
          if (intent === 'return_request') {
            // A return asked about, supposed or refused is answered, never proposed.
            const form = requestForm(text);
            if (form !== 'request') return notARequest(session, text, form === 'negated');
          }
          session.lastAgent = intent === 'return_request' ? 'returns' : 'orders';
          const referenced =
            session.customer && !asksForList(text)
              ? intent === 'order_status' || pointsAtOrder(text) || usesPronoun(text)
                ? referencedOrder(text, dialogue.orders ?? [])
                : undefined
              : undefined;
          const turn = await orders(
            session,
            intent,
            orderNumber ?? referenced ?? session.pending?.orderNumber,
            text,
          );
          discussed(dialogue, turn);
          return { ...turn, reply: localizeOrderReply(turn.toolCalls, turn.reply, templatesFor('en'), t) };
        }
        case 'not_in_language':
          // The help centre is English: say so in the customer's language and offer a person.
          dialogue.offeredPerson = true;
          return { intent, agent: 'triage', toolCalls: [], reply: t.englishOnly };
        case 'faq': {
          session.lastAgent = 'faq';
          const answer = await search(session, 'faq', query, calls);
          const turn = { intent, agent: 'faq' as const, toolCalls: calls, reply: answer ?? t.notFound };
          return answer ? turn : unanswered(turn);
        }
        case 'troubleshooting': {
          if (session.lastAgent === 'troubleshooting' && saysItDidNotHelp(text)) {
            session.failures++;
            if (session.failures >= MAX_FAILURES) {
              return escalate(
                intent,
                'repeated-failure',
                'Sorry that did not fix it. I am passing you to a technician from our team.',
                'Troubleshooting: the suggested steps did not help twice.',
              );
            }
          }
          session.lastAgent = 'troubleshooting';
          const answer = await search(session, 'manuals', query, calls);
          return {
            intent,
            agent: 'troubleshooting',
            toolCalls: calls,
            reply: answer ?? 'Which product is it, and what exactly happens?',
          };
        }
        default:
          return unanswered({ intent, agent: 'triage', toolCalls: [], reply: t.outOfScope, refused: true });
      }
    }
  }
}

/** Records the order a turn looked at as the one under discussion. */
function discussed(dialogue: DialogueState, turn: PolicyTurn): void {
  const looked = turn.toolCalls.find(
    (call) => call.name === 'shipment_status' || call.name === 'start_return',
  );
  const orderNumber = looked?.input.orderNumber;
  if (typeof orderNumber === 'string') dialogue.orders = discuss(dialogue.orders ?? [], orderNumber);
}

/** The policy. */
export type SupportPolicy = ReturnType<typeof createSupportPolicy>;
