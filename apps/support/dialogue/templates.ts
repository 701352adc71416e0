/**
 * @module support/dialogue/templates
 * What the no-LLM policy says, per language (English, Spanish, French, German). The help centre is
 * written in English, so a question it would answer from there is, in another language, told so and
 * offered a person instead.
 */
import type { Language } from './language.ts';
import { DE, ES, FR } from './templates-translated.ts';

/** The shipment facts a status reply is made from. */
export interface StatusFacts {
  readonly orderNumber: string;
  readonly orderStatus: string;
  readonly carrier?: string;
  readonly trackingNumber?: string;
  readonly shipmentStatus?: string;
  readonly eta?: string | null;
}

/** One language's replies. */
export interface ReplyTemplates {
  readonly greeting: string;
  readonly closing: string;
  readonly handover: string;
  readonly sensitive: string;
  readonly frustration: string;
  readonly highValue: string;
  readonly repeatedFailure: string;
  readonly refusal: string;
  readonly outOfScope: string;
  readonly notFound: string;
  readonly askVerify: string;
  readonly askOrderNumber: string;
  readonly askEmail: string;
  /** A help-centre answer exists only in English: say so and offer a person. */
  readonly englishOnly: string;
  /** Put before a reply that has no template in this language. */
  readonly englishFollows: string;
  readonly verificationFailed: string;
  readonly tooManyAttempts: string;
  readonly tryLater: (minutes: number) => string;
  readonly verified: (name: string | undefined) => string;
  readonly status: (facts: StatusFacts) => string;
  readonly orderList: (list: string) => string;
  /** Shipment and order states, by their stored value. */
  readonly states: Readonly<Record<string, string>>;
}

const en: ReplyTemplates = {
  greeting:
    'Hello! I can help with orders, returns, our products and troubleshooting. What can I do for you?',
  closing: 'You are welcome, glad I could help. If anything else comes up, just write here. Goodbye!',
  handover: 'I am handing you over to a member of our team (a person); they will reply here.',
  sensitive:
    'This needs a member of our team. I have passed the conversation to them; if anyone is in danger, unplug the device and call emergency services.',
  frustration:
    'I am sorry this has been so frustrating. I have passed the conversation to a member of our team, who will reply here.',
  highValue:
    'A request of that size is decided by a member of our team. I have passed the conversation to them; they will reply here.',
  repeatedFailure:
    'Sorry, I am not getting this right. I have passed the conversation to a member of our team, who will reply here.',
  refusal: 'I can only help with your own orders and our products, within my instructions.',
  outOfScope: 'Sorry, I can only help with Brightwave Home orders, products and support.',
  notFound: 'I could not find that in our help centre. Could you rephrase, or ask for a person?',
  askVerify:
    'To look at your orders I first need to verify you: please send your order number (like GW-10234) and the email address you used for it.',
  askOrderNumber:
    'Thanks. To verify you I also need the order number (like GW-10234) of an order placed with that email.',
  askEmail: 'Thanks. To verify you I also need the email address you used for that order.',
  englishOnly:
    'Our help centre is only available in English, so I cannot answer this in your language. Would you like a member of our team to help you? Just say yes.',
  englishFollows: '',
  verificationFailed:
    'I could not verify those details. Please check the order number and the email address and try again.',
  tooManyAttempts: 'Too many verification attempts. A member of our team will help you.',
  tryLater: (minutes) =>
    `Too many verification attempts in a short time. Please try again in about ${minutes} minute${minutes === 1 ? '' : 's'}.`,
  verified: (name) => `Thank you, ${name ?? 'you are verified'}.`,
  status: (facts) =>
    facts.carrier
      ? `Order ${facts.orderNumber} is ${facts.orderStatus}. ${facts.carrier} tracking ${facts.trackingNumber}: ${facts.shipmentStatus}${facts.eta ? `, expected ${facts.eta}` : ''}.`
      : `Order ${facts.orderNumber} is ${facts.orderStatus}; it has not shipped yet.`,
  orderList: (list) => `Your recent orders: ${list}. Which one do you mean?`,
  states: {},
};

const TEMPLATES: Record<Language, ReplyTemplates> = { en, es: ES, fr: FR, de: DE };

/** The replies of `language`. */
export function templatesFor(language: Language | undefined): ReplyTemplates {
  return TEMPLATES[language ?? 'en'];
}

/** A stored state (`in_transit`) in the language of `templates`. */
export function stateName(templates: ReplyTemplates, state: string): string {
  return templates.states[state] ?? state.replaceAll('_', ' ');
}
