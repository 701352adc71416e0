/**
 * @module support/dialogue/escalation
 * When a customer needs a person, in any of the four languages, and why: they ask for one, they are
 * angry or abusive, they demand a large sum, or they raise a legal or safety matter. The reason is a
 * sentence for the operator, so the inbox says why the case is there.
 */
import type { EscalationTrigger } from '../../../src/spec/agents.ts';
import { isSensitive } from '../policy-guards.ts';
import type { ReplyTemplates } from './templates.ts';

/** Why a message goes to a person. */
export interface EscalationCue {
  /** The policy's intent label for the turn. */
  readonly intent: 'human_request' | 'frustration' | 'high_value' | 'sensitive';
  readonly trigger: EscalationTrigger;
  /** For the operator. */
  readonly reason: string;
  /** Which template the customer is told. */
  readonly reply: keyof Pick<ReplyTemplates, 'handover' | 'frustration' | 'highValue' | 'sensitive'>;
}

/** A case-insensitive pattern of whole words, whose letters may be accented (`\\b` is ASCII only). */
const words = (alternatives: string) =>
  new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives})(?![\\p{L}\\p{N}])`, 'iu');

/** Asking for a person: "talk to someone", "hablar con una persona", "parler à un conseiller". */
const PERSON = new RegExp(
  [
    String.raw`\b(?:talk|speak|chat)\w*\s+(?:to|with)\s+(?:a\s+|an\s+|some\s+|your\s+)?(?:real\s+|live\s+|actual\s+)?(?:human|person|people|someone|somebody|agent|representative|rep|operator|manager|supervisor|staff)`,
    String.raw`\b(?:real|live|actual)\s+(?:human|person|agent)\b`,
    String.raw`\bhuman\s+(?:please|pls|agent|being)\b`,
    String.raw`\bhablar\s+con\s+(?:una?\s+)?(?:persona|alguien|agente|humano|operador|asesor|responsable|encargado)`,
    String.raw`\b(?:persona\s+real|agente\s+humano|atenci[oó]n\s+humana)\b`,
    String.raw`\bparler\s+(?:à|a|avec)\s+(?:un\s+|une\s+|quelqu.un)(?:conseill\w*|personne|humain|agent|opérateur|operateur|responsable)?`,
    String.raw`\b(?:un|une)\s+(?:vrai\s+|vraie\s+)?(?:conseiller|conseillère|humain|personne\s+réelle)\b`,
    String.raw`\b(?:mit\s+(?:einem|einer|jemandem|einem\s+echten)\s*(?:menschen|mitarbeiter\w*|person|berater\w*|kundenberater\w*)?\s+(?:sprechen|reden)|(?:echten?|realen?)\s+(?:menschen|mitarbeiter))`,
  ].join('|'),
  'iu',
);

/** Abuse and anger, one of which is enough. */
const ABUSE = words(
  String.raw`idiots?|stupid|useless|incompetent|pathetic|scam(?:mers?)?|fraud|rip-?off|liars?|garbage|rubbish|crap|shit\w*|fuck\w*|wtf|bullshit|disgrace(?:ful)?|inútil(?:es)?|estafa(?:dores)?|idiotas?|vergüenza|mierda|arnaque|escro\w*|nul(?:le)?s?|honteux|inadmissible|idiots?|merde|betrug|betrüger|frechheit|unverschämt|nutzlos|idioten|scheiße|scheisse|saftladen`,
);

/** Weaker signs of frustration; two of them escalate. */
const IRRITATION = [
  words(
    'ridiculous|unacceptable|fed up|sick of|had enough|third time|3rd time|again and again|nobody (?:helps|answers)|no one (?:helps|answers)|worst|terrible|awful|angry|furious|ridículo|harto|harta|inaceptable|ras le bol|marre|furieux|inacceptable|lächerlich|inakzeptabel|wütend|sauer',
  ),
  /!{2,}|\?{3,}/,
  { test: isShouting },
];

/**
 * The words of a message without what customers copy in capitals: email addresses, order and model
 * numbers, anything with a digit ("GW-10001 MAYA.PATEL@EXAMPLE.COM" is not shouting).
 */
function wordsOnly(text: string): string {
  return text.replace(/\S*@\S*|\S*\d\S*/g, ' ');
}

/** A long message written in capitals: shouting, on its own enough. */
function isAllCaps(message: string): boolean {
  const letters = wordsOnly(message).replace(/[^\p{L}]/gu, '');
  return letters.length >= 20 && letters.replace(/[^\p{Lu}]/gu, '').length / letters.length > 0.85;
}

/** Most of the letters in capitals, or a long word in capitals that is not a product name. */
function isShouting(message: string): boolean {
  const text = wordsOnly(message);
  const letters = text.replace(/[^\p{L}]/gu, '');
  const upper = letters.replace(/[^\p{Lu}]/gu, '').length;
  if (letters.length >= 12 && upper / letters.length > 0.6) return true;
  return (text.match(/\b[A-Z]{6,}\b/g) ?? []).some((word) => !['AURORA', 'BEACON'].includes(word));
}

/** Money demands: refunds, compensation, chargebacks. */
const DEMAND = words(
  String.raw`refund|money back|compensat\w*|reimburs\w*|chargeback|demand|reembolso|devuelvan|indemni\w*|rembours\w*|erstatt\w*|entschädigung|geld zurück`,
);

/** Legal and safety matters beyond the shared guard's English list. */
const LEGAL = words(
  'consumer protection|small claims|solicitor|police|abogado|demanda|denuncia|incendio|humo|avocat|plainte|tribunal|incendie|fumée|anwalt|klage|verklagen|polizei|rauch|verbraucherzentrale',
);

/** The approval limit: a demand above it is for a person. */
const HIGH_VALUE = 500;

/** Whether `text` needs a person, and why; `amount` is the largest sum it names. */
export function escalationCue(
  text: string,
  slots: { amount?: number; orderNumber?: string },
): EscalationCue | undefined {
  if (isSensitive(text) || LEGAL.test(text)) {
    return {
      intent: 'sensitive',
      trigger: 'sensitive-request',
      reason: 'Legal or safety matter raised by the customer.',
      reply: 'sensitive',
    };
  }
  const irritation = IRRITATION.filter((pattern) => pattern.test(text)).length;
  if (ABUSE.test(text) || irritation >= 2 || isAllCaps(text)) {
    return {
      intent: 'frustration',
      trigger: 'agent-decision',
      reason: 'Customer frustration or abuse: needs a person, not the assistant.',
      reply: 'frustration',
    };
  }
  // A refund of an order is the return flow's (with its approval); a sum demanded without one is a person's.
  if (slots.amount !== undefined && slots.amount > HIGH_VALUE && DEMAND.test(text) && !slots.orderNumber) {
    return {
      intent: 'high_value',
      trigger: 'agent-decision',
      reason: `High-value demand of $${slots.amount.toFixed(2)}, above the $${HIGH_VALUE} approval limit.`,
      reply: 'highValue',
    };
  }
  if (PERSON.test(text)) {
    return {
      intent: 'human_request',
      trigger: 'customer-request',
      reason: 'The customer asked for a person.',
      reply: 'handover',
    };
  }
  return undefined;
}
