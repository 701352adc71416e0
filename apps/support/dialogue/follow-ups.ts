/**
 * @module support/dialogue/follow-ups
 * Follow-ups about the order under discussion: "and when will it arrive", "what about the other one",
 * "y el otro?". The conversation keeps the orders it discussed, most recent last; a reference picks one.
 */

const OTHER =
  /\b(?:the\s+other(?:\s+one|\s+order)?|other\s+order|el\s+otro|la\s+otra|l(?:'|’)autre|die\s+andere|das\s+andere|der\s+andere)\b/iu;

/** Words that only make sense about an order already on the table. */
const AT_ORDER =
  /\b(?:when\s+will\s+(?:it|they)|where\s+is\s+it|arriv\w*|deliver\w*|tracking|that\s+order|this\s+order|the\s+same\s+order|that\s+one|this\s+one)\b/iu;

/** A pronoun for the order: "return it", "devolverlo". */
const PRONOUN = /\b(?:it|them|that|this|one)\b|(?:er|ar|ir)(?:lo|la)\b/iu;

/** Asking for several orders ("my recent orders", "all my orders"): a list, not the one under discussion. */
const LIST = /\b(?:orders|all\s+my|list|recent|history|pedidos|commandes|bestellungen)\b/iu;

/** Whether a message asks for the list of orders. */
export function asksForList(text: string): boolean {
  return LIST.test(text) && !OTHER.test(text);
}

/** Whether a message points back at an order without naming it. */
export function pointsAtOrder(text: string): boolean {
  return OTHER.test(text) || AT_ORDER.test(text);
}

/** Whether a message refers to something by a pronoun ("reset it", "return that one"). */
export function usesPronoun(text: string): boolean {
  return PRONOUN.test(text);
}

/**
 * The order a message without an order number is about: the other one of the last two for "the
 * other one" (none when there is no other), else the last one discussed.
 */
export function referencedOrder(text: string, discussed: readonly string[]): string | undefined {
  if (OTHER.test(text)) {
    const current = discussed.at(-1);
    return [...discussed].reverse().find((order) => order !== current);
  }
  return discussed.at(-1);
}

/** `discussed` with `orderNumber` moved to the end, keeping the last few. */
export function discuss(discussed: readonly string[], orderNumber: string): string[] {
  return [...discussed.filter((order) => order !== orderNumber), orderNumber].slice(-4);
}
