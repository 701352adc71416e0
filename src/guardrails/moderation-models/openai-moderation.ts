/**
 * @module guardrails/moderation-models/openai-moderation
 * A `ModerationModel` over the OpenAI moderation API shape: `POST {baseUrl}/moderations` with
 * `{model, input}`, answered by `results[0].flagged`, `.categories` and `.category_scores`. Works
 * against OpenAI or any server exposing that shape. Their categories are mapped onto ours; ours is
 * flagged when the highest score of its mapped categories reaches its threshold (default 0.5, and
 * 0.2 for sexual content involving minors, which is always blocked).
 */
import { APICallError, InvalidResponseDataError } from '@ai-sdk/provider';
import { z } from 'zod';
import type {
  FlaggedCategory,
  ModerationCategory,
  ModerationModel,
  ModerationRequest,
  ModerationVerdict,
} from '../../spec/moderation.ts';
import { callWithRetries, type ModerationCallSettings } from './call-with-retries.ts';

/** Their categories (text and omni moderation models) → ours. Unlisted ones are traced, not acted on. */
export const OPENAI_CATEGORY_MAP: Readonly<Record<string, ModerationCategory>> = {
  hate: 'hate',
  'hate/threatening': 'hate',
  harassment: 'harassment',
  'harassment/threatening': 'harassment',
  sexual: 'sexual',
  'sexual/minors': 'sexual-minors',
  'self-harm': 'self-harm',
  'self-harm/intent': 'self-harm',
  'self-harm/instructions': 'self-harm',
  violence: 'violence',
  'violence/graphic': 'violence',
  illicit: 'illegal',
  'illicit/violent': 'weapons',
};

/** Thresholds when the config names none. */
export const DEFAULT_OPENAI_THRESHOLDS: Readonly<Partial<Record<ModerationCategory, number>>> = {
  'sexual-minors': 0.2,
};

const responseSchema = z.object({
  results: z
    .array(
      z.object({
        flagged: z.boolean(),
        categories: z.record(z.string(), z.boolean().nullable()).optional(),
        category_scores: z.record(z.string(), z.number().min(0).max(1)),
      }),
    )
    .min(1),
});

/** Where and how. */
export interface OpenAIModerationSettings extends ModerationCallSettings {
  /** Up to `/v1`, e.g. `https://api.openai.com/v1`. */
  readonly baseUrl: string;
  readonly model: string;
  readonly apiKey?: string;
  readonly thresholds?: Readonly<Partial<Record<ModerationCategory, number>>>;
  readonly fetch?: typeof fetch;
}

/**
 * Creates the adapter.
 *
 * @example
 * const model = createOpenAIModeration({ baseUrl: 'https://api.openai.com/v1', model: 'omni-moderation-latest', apiKey, timeoutMs: 10_000, maxRetries: 2 });
 */
export function createOpenAIModeration(settings: OpenAIModerationSettings): ModerationModel {
  const url = `${settings.baseUrl.replace(/\/+$/, '')}/moderations`;
  const doFetch = settings.fetch ?? fetch;
  const name = `openai-moderation:${settings.model}`;
  const threshold = (category: ModerationCategory) =>
    settings.thresholds?.[category] ?? DEFAULT_OPENAI_THRESHOLDS[category] ?? 0.5;
  return {
    specificationVersion: 'v1',
    name,
    protocol: 'openai-moderation',
    async doClassify(request: ModerationRequest): Promise<ModerationVerdict> {
      const body = { model: settings.model, input: request.text };
      const json = await callWithRetries(name, settings, request.signal, async (attempt) => {
        const response = await doFetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {}),
          },
          body: JSON.stringify(body),
          signal: attempt.signal,
        });
        const text = await response.text();
        if (!response.ok) {
          throw new APICallError({
            message: `HTTP ${response.status}: ${text.slice(0, 200)}`,
            url,
            requestBodyValues: { model: settings.model },
            statusCode: response.status,
            responseHeaders: Object.fromEntries(response.headers),
            responseBody: text,
            isRetryable: [408, 409, 429].includes(response.status) || response.status >= 500,
          });
        }
        return parse(text);
      });
      const result = json.results[0]!;
      const scores = new Map<ModerationCategory, number>();
      const labels: string[] = [];
      for (const [theirs, score] of Object.entries(result.category_scores)) {
        const ours = OPENAI_CATEGORY_MAP[theirs];
        if (result.categories?.[theirs] || (ours && score >= threshold(ours))) labels.push(theirs);
        if (ours) scores.set(ours, Math.max(scores.get(ours) ?? 0, score));
      }
      const flagged: FlaggedCategory[] = [...scores]
        .filter(([category, score]) => score >= threshold(category))
        .map(([category, score]) => ({ category, score }));
      return { flagged, labels };
    },
  };
}

function parse(text: string): z.infer<typeof responseSchema> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidResponseDataError({
      data: text.slice(0, 200),
      message: 'The moderation response is not JSON.',
    });
  }
  const parsed = responseSchema.safeParse(value);
  if (!parsed.success) {
    throw new InvalidResponseDataError({
      data: value,
      message: `The moderation response has no results with category_scores: ${parsed.error.issues[0]?.message ?? ''}`,
    });
  }
  return parsed.data;
}
