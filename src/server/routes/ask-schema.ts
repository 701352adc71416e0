/**
 * @module server/routes/ask-schema
 * Request bodies of `/v1/ask` and `/v1/chat`. Strict: unknown fields are a 400, not silently ignored.
 */
import { z } from 'zod';
import { MAX_QUESTION_CHARACTERS } from '../../answer/question.ts';
import { retrievalFiltersSchema } from './search.ts';

const question = z
  .string()
  .max(MAX_QUESTION_CHARACTERS)
  .refine((value) => value.trim().length > 0, 'must not be empty');

const common = {
  question,
  filters: retrievalFiltersSchema.optional(),
  retrievalMode: z.enum(['lexical', 'vector', 'hybrid']).optional(),
  limit: z.number().int().min(1).max(50).optional(),
  /** Server-sent events instead of one JSON body (as does `Accept: text/event-stream`). */
  stream: z.boolean().optional(),
};

/** `POST /v1/ask`. */
export const askRequestSchema = z
  .object({
    ...common,
    history: z
      .array(
        z
          .object({
            role: z.enum(['user', 'assistant']),
            content: z.string().max(MAX_QUESTION_CHARACTERS * 2),
          })
          .strict(),
      )
      .max(50)
      .optional(),
  })
  .strict();

/** `POST /v1/chat`: the history is the stored conversation's. */
export const chatRequestSchema = z
  .object({ ...common, conversationId: z.string().min(1).max(100).optional() })
  .strict();
