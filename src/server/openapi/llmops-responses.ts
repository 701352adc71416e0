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

const promptVersion = z.object({
  name: z.string(),
  version: z.number().int(),
  template: z.string(),
  variables: z.array(z.looseObject({ name: z.string(), type: z.string() })),
  note: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
});
const promptSummary = {
  name: z.string(),
  description: z.string().nullable(),
  latestVersion: z.number().int(),
  labels: z.record(z.string(), z.number().int()),
};

/** `GET /v1/prompts`. */
export const promptListSchema = z.object({ prompts: z.array(z.object(promptSummary)) });
/** `GET /v1/prompts/:name`. */
export const promptDetailSchema = z.object({
  prompt: z.object({ ...promptSummary, versions: z.array(promptVersion) }),
});
/** One version. */
export const promptVersionBodySchema = z.object({ version: promptVersion });
/** A label move. */
export const labelMoveSchema = z.object({
  label: z.string(),
  version: z.number().int(),
  previousVersion: z.number().int().nullable(),
});
/** A rendered version. */
export const renderedPromptSchema = z.object({
  name: z.string(),
  version: z.number().int(),
  text: z.string(),
});
