/**
 * @module server/openapi/llmops-responses
 * Response bodies of the LLMOps routes (usage, feedback, prompts, experiments), for the OpenAPI
 * document only, as in responses.ts.
 */
import { z } from 'zod';

const totals = {
  answers: z.number().int(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  costUsd: z.number(),
  unpricedAnswers: z.number().int(),
};

/** `GET /v1/usage`. */
export const usageReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  groupBy: z.array(z.string()),
  rows: z.array(
    z.looseObject({
      ...totals,
      tenant: z.string().optional(),
      user: z.string().optional(),
      conversation: z.string().nullable().optional(),
      model: z.string().nullable().optional(),
      promptName: z.string().nullable().optional(),
      promptVersion: z.number().int().nullable().optional(),
    }),
  ),
  total: z.object(totals),
});
