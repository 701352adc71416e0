/**
 * @module support/dialogue/state
 * What the no-LLM policy remembers of a dialogue between turns: its language, the order number or
 * email given before the other (until the pair verifies), the orders and product under discussion,
 * whether a person was offered, and how many turns in a row went unanswered.
 */
import { z } from 'zod';
import { LANGUAGES } from './language.ts';

/** The stored shape; every field optional, so rows written before a field existed still read. */
export const dialogueStateSchema = z.object({
  language: z.enum(LANGUAGES).optional(),
  orderNumber: z.string().max(40).optional(),
  email: z.string().max(320).optional(),
  orders: z.array(z.string().max(40)).max(8).optional(),
  product: z.string().max(40).optional(),
  offeredPerson: z.boolean().optional(),
  unanswered: z.number().int().min(0).optional(),
});

/** The dialogue's state. */
export type DialogueState = z.infer<typeof dialogueStateSchema>;
