/**
 * @module server/routes/openai-schema
 * Request body of the OpenAI-compatible `POST /v1/chat/completions`. Unlike our own routes it is not
 * strict: OpenAI clients send many sampling and tool options, which are accepted and ignored because a
 * grounded answer is written with the server's own prompt and settings.
 */
import { z } from 'zod';

/** The one model the endpoint serves: the grounded assistant. */
export const GROUNDWORK_MODEL_ID = 'groundwork';

const textPart = z.object({ type: z.literal('text'), text: z.string() });

/** A message's content: a string or text parts (images and audio are not supported). */
export const messageContentSchema = z.union([z.string(), z.array(textPart).max(100)]);

/** One chat message; `developer` is OpenAI's newer name for `system`. */
export const chatMessageSchema = z.object({
  role: z.enum(['system', 'developer', 'user', 'assistant']),
  // Assistant turns that only called tools carry `null` content.
  content: messageContentSchema.nullable(),
  name: z.string().optional(),
});

/** `POST /v1/chat/completions`. */
export const chatCompletionRequestSchema = z.object({
  model: z.string().min(1),
  messages: z.array(chatMessageSchema).min(1).max(500),
  stream: z.boolean().optional(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullable().optional(),
  temperature: z.number().nullable().optional(),
  top_p: z.number().nullable().optional(),
  max_tokens: z.number().int().nullable().optional(),
  max_completion_tokens: z.number().int().nullable().optional(),
  n: z.literal(1).nullable().optional(),
  user: z.string().optional(),
});

/** The validated request. */
export type ChatCompletionRequest = z.infer<typeof chatCompletionRequestSchema>;
