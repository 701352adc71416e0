/**
 * @module server/openapi/llmops-responses
 * Response bodies of the LLMOps routes (usage, feedback, prompts, experiments), for the OpenAPI
 * document only, as in responses.ts (complete and exact, checked by test/web/api-contract.test.ts).
 */
import { z } from 'zod';
import { citationSchema } from './responses.ts';

const totals = {
  answers: z.number().int(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  costUsd: z.number(),
  unpricedAnswers: z.number().int(),
};

/** One group: the values of the dimensions grouped by (only those), then its sums. */
const usageRows = z.array(
  z.object({
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
  groupBy: z.array(z.enum(['tenant', 'user', 'conversation', 'model', 'promptVersion'])),
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
  variables: z.array(
    z.object({
      name: z.string(),
      type: z.enum(['string', 'number', 'boolean']),
      description: z.string().optional(),
    }),
  ),
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

/** A two-proportion z-test; undefined values (an empty arm) are null. */
const proportionTest = z.object({
  rateA: z.number().nullable(),
  rateB: z.number().nullable(),
  difference: z.number().nullable(),
  z: z.number().nullable(),
  pValue: z.number().nullable(),
  assumptionsMet: z.boolean(),
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
    z.object({
      arm: z.string(),
      version: z.number().int(),
      weight: z.number(),
      answers: z.number().int(),
      users: z.number().int(),
      rated: z.number().int(),
      positive: z.number().int(),
      grounded: z.number().int(),
      /** positive / rated; null with no ratings. */
      positiveRate: z.number().nullable(),
      /** rated / answers. */
      feedbackRate: z.number().nullable(),
      /** grounded / answers. */
      groundedRate: z.number().nullable(),
      latencyP50Ms: z.number().nullable(),
      latencyMeanMs: z.number().nullable(),
      tokensPerAnswer: z.number().nullable(),
      costUsd: z.number(),
    }),
  ),
  comparisons: z.array(
    z.object({
      arm: z.string(),
      control: z.string(),
      positiveRate: proportionTest,
      feedbackRate: proportionTest,
      groundedRate: proportionTest,
      latency: z.object({
        meanA: z.number().nullable(),
        meanB: z.number().nullable(),
        difference: z.number().nullable(),
        t: z.number().nullable(),
        degreesOfFreedom: z.number().nullable(),
        pValue: z.number().nullable(),
      }),
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
  feedback: z.array(
    feedback.extend({
      /** The rated answer from the answer log, as the caller may see it. */
      answer: z.object({
        id: z.string(),
        tenantId: z.string(),
        userId: z.string(),
        conversationId: z.string().nullable(),
        /** With personal data scrubbed. */
        question: z.string(),
        /** Withheld (a fixed sentence) when it cites a document the caller may not read. */
        answer: z.string(),
        /** Only the passages of documents the caller may read. */
        citations: z.array(citationSchema),
        mode: z.enum(['generative', 'extractive']),
        model: z.string().nullable(),
        promptName: z.string().nullable(),
        promptVersion: z.number().int().nullable(),
        experimentId: z.string().nullable(),
        experimentArm: z.string().nullable(),
        inputTokens: z.number(),
        outputTokens: z.number(),
        costUsd: z.number(),
        priced: z.boolean(),
        latencyMs: z.number(),
        createdAt: z.string(),
        /** Citations left out because the caller may not read their documents. */
        withheldCitations: z.number().int(),
      }),
    }),
  ),
});
