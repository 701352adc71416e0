/**
 * @module support/dialogue/order-slots
 * The support app's slots, read the way customers write them: an order number with or without its
 * dash, in lower case, with a space (`gw 10004`), a `#`, or only its digits after the word "order" in
 * any of the four languages (`order no 10004`, `pedido 10004`); an email inside brackets or followed
 * by punctuation. The remaining kinds (amounts, phone and model numbers) are the core patterns.
 */
import {
  DEFAULT_SLOT_PATTERNS,
  extractSlots,
  firstSlot,
  type SlotPattern,
} from '../../../src/agents/slots.ts';

/** The prefix of the retailer's order numbers. */
const PREFIX = 'GW';

const ORDER_WORD =
  '(?:orders?|order\\s*(?:no|nr|number|num|#)\\.?|pedido|orden|commande|bestellung|bestellnummer|n[°º]|#)';

const digitsOf = (match: string) => /(\d{5,8})\s*$/.exec(match)?.[1];

/** Support-app slot patterns, in the order they claim text. */
export const SUPPORT_SLOT_PATTERNS: readonly SlotPattern[] = [
  {
    kind: 'email',
    pattern: /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g,
    normalise: (match) => match.toLowerCase(),
  },
  {
    kind: 'orderNumber',
    pattern: new RegExp(`\\b${PREFIX}\\s*[-#.]?\\s*\\d{5,8}\\b`, 'gi'),
    normalise: (match) => {
      const digits = digitsOf(match);
      return digits ? `${PREFIX}-${digits}` : undefined;
    },
  },
  {
    kind: 'orderNumber',
    pattern: new RegExp(
      `(?:^|(?<=[\\s,.;:(]))${ORDER_WORD}(?:\\s*(?:number|no|nr|n[°º]|num(?:ber|éro|ero)?)\\.?)?(?:\\s+(?:is|es|est|ist))?\\s*[:#]?\\s*\\d{5,8}\\b`,
      'giu',
    ),
    normalise: (match) => {
      const digits = digitsOf(match);
      return digits ? `${PREFIX}-${digits}` : undefined;
    },
  },
  ...DEFAULT_SLOT_PATTERNS.filter((pattern) => pattern.kind !== 'email'),
];

/** The order number and email of one message, if it has them. */
export interface OrderSlots {
  readonly orderNumber?: string;
  readonly email?: string;
  readonly amount?: number;
}

/** Reads a message's slots with the support app's patterns. */
export function readOrderSlots(text: string): OrderSlots {
  const slots = extractSlots(text, SUPPORT_SLOT_PATTERNS);
  const orderNumber = firstSlot(slots, 'orderNumber');
  const email = firstSlot(slots, 'email');
  const amounts = slots.filter((slot) => slot.kind === 'amount').map((slot) => Number(slot.value));
  return {
    ...(orderNumber ? { orderNumber } : {}),
    ...(email ? { email } : {}),
    ...(amounts.length ? { amount: Math.max(...amounts) } : {}),
  };
}
