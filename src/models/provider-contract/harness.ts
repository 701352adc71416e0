/**
 * @module models/provider-contract/harness
 * What the provider contract cases share: the per-provider description, a local fake-provider server
 * started once per suite, and a resolver that points our real model stack at it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3StreamPart,
} from '@ai-sdk/provider';
import { tool } from 'ai';
import { afterAll, beforeAll, expect } from 'vitest';
import { z } from 'zod';
import type { LlmConfig } from '../../config/config.ts';
import {
  type ProviderReply,
  type ProviderServer,
  startProviderServer,
} from '../../testing/provider-server.ts';
import type { ModelError } from '../errors.ts';
import { resolveLanguageModel } from '../language-models.ts';
import { MODEL_CALL_SETTINGS } from '../resilient-language-model.ts';

/** What differs between providers. */
export interface ProviderCase {
  readonly provider: 'openai' | 'anthropic' | 'openai-compatible';
  readonly model: string;
  readonly fallbackModel: string;
  /** Path the provider posts to, under the server's `/v1`. */
  readonly path: string;
  /** File names in `models/__fixtures__/<provider>/`. */
  readonly fixtures: {
    readonly generate: string;
    readonly stream: string;
    readonly toolCall: string;
    readonly rateLimited: string;
    readonly unavailable: string;
    /** A stream that opens with 200 and then reports an outage as an error event, if recorded. */
    readonly streamError?: string;
  };
  readonly unavailableStatus: number;
  /** Headers the provider sends with a 429, and the wait they ask for. */
  readonly retryAfter: { readonly headers: Record<string, string>; readonly ms: number };
  /** The API key as the request carried it. */
  readonly apiKeyOf: (headers: Readonly<Record<string, string | string[] | undefined>>) => unknown;
  /** Usage recorded in the `generate` fixture. */
  readonly usage: { readonly inputTokens: number; readonly outputTokens: number };
}

/** Our settings, plus an output limit so the SDK need not guess one per model. */
export const CALL_SETTINGS = { ...MODEL_CALL_SETTINGS, maxOutputTokens: 512 };
/** The text every recorded answer carries. */
export const ANSWER = 'Refunds are issued to the original payment method within 5 business days [1].';
export const API_KEY = 'sk-test-4f1c9b2e';
export const PROMPT: LanguageModelV3CallOptions['prompt'] = [
  { role: 'user', content: [{ type: 'text', text: 'How long do refunds take?' }] },
];
export const TOOLS = {
  get_order_status: tool({
    description: 'Looks up the status of an order.',
    inputSchema: z.object({ orderId: z.string() }),
  }),
};

/** A suite's server and model factory. */
export interface Harness {
  readonly server: ProviderServer;
  /** Scripts the server and resolves a fresh model pointed at it (2 retries, 2 s timeout by default). */
  modelFor(replies: ProviderReply[], overrides?: Partial<LlmConfig>): LanguageModelV3;
  fixtureText(name: string): string;
}

/** Starts the provider's fake server for the enclosing `describe`. */
export function useHarness(c: ProviderCase): Harness {
  const fixtures = new URL(`../__fixtures__/${c.provider}/`, import.meta.url);
  let server: ProviderServer | undefined;
  beforeAll(async () => {
    server = await startProviderServer(fileURLToPath(fixtures));
  });
  afterAll(() => server?.close());
  return {
    get server() {
      if (!server) throw new Error('The provider server starts in beforeAll.');
      return server;
    },
    modelFor(replies, overrides = {}) {
      this.server.script(replies);
      const config: Omit<LlmConfig, 'tasks'> = {
        model: `${c.provider}:${c.model}`,
        baseUrl: `${this.server.url}/v1`,
        apiKey: API_KEY,
        fallbacks: [],
        timeoutMs: 2000,
        maxRetries: 2,
        ...overrides,
      };
      const backoff = { initialDelayMs: 5, maxDelayMs: 2000 };
      return resolveLanguageModel(config, { env: {}, backoff })!.model;
    },
    fixtureText: (name) => readFileSync(new URL(name, fixtures), 'utf8'),
  };
}

/** The error a call failed with; fails the test when it succeeded. */
export function failure(promise: PromiseLike<unknown>): Promise<ModelError> {
  return Promise.resolve(promise).then(
    () => expect.fail('expected the call to fail'),
    (error: unknown) => error as ModelError,
  );
}

/** Every part of a `doStream` call. */
export async function collect(model: LanguageModelV3): Promise<LanguageModelV3StreamPart[]> {
  const { stream } = await model.doStream({ prompt: PROMPT });
  const parts: LanguageModelV3StreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

/** The text of a stream's deltas. */
export function textOf(parts: readonly LanguageModelV3StreamPart[]): string {
  return parts.flatMap((part) => (part.type === 'text-delta' ? [part.delta] : [])).join('');
}
