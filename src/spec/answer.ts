/**
 * @module spec/answer
 * The grounded-answer service's contract: what `/v1/ask`, `/v1/chat`, the OpenAI-compatible endpoint
 * and the CLI all call.
 */
import type { RetrievalFilters, RetrievalMode } from './retrieval.ts';

/** A prior turn of the conversation. */
export interface ConversationTurn {
  readonly role: 'user' | 'assistant';
  readonly content: string;
}

/** A question to answer. */
export interface AskRequest {
  readonly tenantId: string;
  /** The caller's principals; `undefined` is an unrestricted operator (the local CLI). */
  readonly principals?: readonly string[];
  readonly question: string;
  /** Earlier turns; when present, a follow-up is condensed into a standalone query first. */
  readonly history?: readonly ConversationTurn[];
  readonly filters?: RetrievalFilters;
  readonly retrievalMode?: RetrievalMode;
  /** Passages to retrieve before the context budget is applied. */
  readonly limit?: number;
  /** Aborted when the client goes away; cancels the model call. */
  readonly signal?: AbortSignal;
  /**
   * Who asks (over HTTP the API key id): the answer log's user and the key of sticky experiment
   * assignment. Undefined is the local operator or an anonymous caller.
   */
  readonly userId?: string;
  /** The stored conversation the question belongs to; sticky assignment falls back to it. */
  readonly conversationId?: string;
}

/** The prompt version that produced an answer, and the experiment arm that chose it. */
export interface PromptVersionRef {
  readonly name: string;
  readonly version: number;
  readonly experiment?: { readonly id: string; readonly arm: string };
}

/** A passage the answer cites; `n` is the number used in the text (`[n]`). */
export interface Citation {
  readonly n: number;
  readonly documentId: number;
  readonly chunkId: number;
  readonly title: string | null;
  /** Where the document came from: file path, URL or upload name. */
  readonly source: string;
  readonly page: number | null;
  readonly headingPath: readonly string[];
  readonly snippet: string;
  readonly score: number;
}

/** `generative`: written by a language model from the passages; `extractive`: quoted from them. */
export type AnswerMode = 'generative' | 'extractive';

/** Tokens one model spent on an answer. */
export interface ModelUsage {
  /** `provider:model` that spent them. */
  readonly model: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** The answer. */
export interface AskResult {
  readonly answer: string;
  readonly citations: readonly Citation[];
  readonly mode: AnswerMode;
  /** `provider:model` that wrote the answer; null in extractive mode. */
  readonly model: string | null;
  readonly usage: { readonly inputTokens: number; readonly outputTokens: number };
  /**
   * `usage` by the model that spent it: condensing may run on a cheaper model (`llm.tasks`), and a
   * fallback may have written the answer. Priced part by part; absent, `usage` is priced at `model`.
   */
  readonly usageByModel?: readonly ModelUsage[];
  readonly timings: { readonly retrieveMs: number; readonly generateMs: number; readonly totalMs: number };
  readonly traceId: string;
  /** Citation numbers in the model's text that matched no passage and were removed. */
  readonly removedCitations: number;
  /** Plain-language notes for the user (e.g. why the answer is extractive). */
  readonly notes: readonly string[];
  /** The registry prompt that produced the answer, when the answerer renders from the registry. */
  readonly promptVersion?: PromptVersionRef;
  /** True when the answer came from the answer cache (answer/answer-cache.ts): no model was called. */
  readonly cached?: boolean;
}

/** Events of a streamed answer, in order: retrieval-done, text-delta…, citations, done (or error). */
export type AskEvent =
  | { readonly type: 'retrieval-done'; readonly passages: number; readonly retrieveMs: number }
  | { readonly type: 'text-delta'; readonly delta: string }
  | { readonly type: 'citations'; readonly citations: readonly Citation[] }
  | { readonly type: 'done'; readonly result: AskResult }
  | { readonly type: 'error'; readonly code: string; readonly message: string };

/** The answering service. */
export interface Answerer {
  ask(request: AskRequest): Promise<AskResult>;
  /** The same answer as events; the final `done` carries the full result. */
  stream(request: AskRequest): AsyncIterable<AskEvent>;
}
