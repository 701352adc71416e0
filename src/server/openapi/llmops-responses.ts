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

const usageRows = z.array(
  z.looseObject({
    ...totals,
    tenant: z.string().optional(),
    user: z.string().optional(),
    conversation: z.string().nullable().optional(),
    model: z.string().nullable().optional(),
    promptName: z.string().nullable().optional(),
    promptVersion: z.number().int().nullable().optional(),
  }),
);

/** `GET /v1/usage`. */
export const usageReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  groupBy: z.array(z.string()),
  rows: usageRows,
  total: z.object(totals),
  bucket: z.enum(['hour', 'day']).optional(),
  series: z
    .array(z.object({ from: z.string(), to: z.string(), rows: usageRows, total: z.object(totals) }))
    .optional()
    .meta({ description: 'With `bucket`: every bucket of the range, oldest first, empty ones included.' }),
});

const promptVersion = z.object({
  name: z.string(),
  version: z.number().int(),
  template: z.string(),
  variables: z.array(z.looseObject({ name: z.string(), type: z.string() })),
  note: z.string().nullable(),
  generation: z.object({
    temperature: z.number().optional(),
    topP: z.number().optional(),
    maxOutputTokens: z.number().int().optional(),
    stopSequences: z.array(z.string()).optional(),
  }),
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

const experiment = z.object({
  id: z.string(),
  tenantId: z.string(),
  name: z.string(),
  promptName: z.string(),
  arms: z.array(z.object({ name: z.string(), version: z.number().int(), weight: z.number() })),
  status: z.enum(['running', 'stopped']),
  createdAt: z.string(),
  stoppedAt: z.string().nullable(),
});

/** One experiment. */
export const experimentBodySchema = z.object({ experiment });
/** `GET /v1/experiments`. */
export const experimentListSchema = z.object({ experiments: z.array(experiment) });
/** `GET /v1/experiments/:id/results`. */
export const experimentResultsSchema = z.object({
  experiment,
  arms: z.array(
    z.looseObject({
      arm: z.string(),
      version: z.number().int(),
      answers: z.number().int(),
      positiveRate: z.number().nullable(),
      feedbackRate: z.number().nullable(),
      groundedRate: z.number().nullable(),
      latencyP50Ms: z.number().nullable(),
    }),
  ),
  comparisons: z.array(
    z.looseObject({
      arm: z.string(),
      control: z.string(),
      positiveRate: z.looseObject({ z: z.number().nullable(), pValue: z.number().nullable() }),
      latency: z.looseObject({ t: z.number().nullable(), pValue: z.number().nullable() }),
    }),
  ),
  notes: z.array(z.string()),
});

const feedback = z.object({
  traceId: z.string(),
  userId: z.string(),
  rating: z.enum(['up', 'down']),
  comment: z.string().nullable(),
  category: z.string().nullable(),
  createdAt: z.string(),
});

/** A stored rating. */
export const feedbackBodySchema = z.object({ feedback });
/** `GET /v1/feedback`: ratings with their answers. */
export const feedbackListSchema = z.object({
  feedback: z.array(feedback.extend({ answer: z.looseObject({}) })),
});
