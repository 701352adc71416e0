/**
 * @module spec/moderation
 * The moderation contract: the categories the product moderates, what a tenant may have done about
 * each (block, escalate to a person, or only log), and the `ModerationModel` port that classifies a
 * text with a model or a moderation API. Types only.
 */

/** Categories, in the order they are reported. `sexual-minors` is always blocked. */
export const MODERATION_CATEGORIES = [
  'hate',
  'harassment',
  'sexual',
  'sexual-minors',
  'self-harm',
  'violence',
  'illegal',
  'weapons',
] as const;

/** One moderation category. */
export type ModerationCategory = (typeof MODERATION_CATEGORIES)[number];

/**
 * What happens to a flagged text: `block` refuses it; `escalate` refuses it and hands the conversation
 * to a person (operator inbox) where there is one; `log` lets it through and records the decision.
 */
export const MODERATION_ACTIONS = ['block', 'escalate', 'log'] as const;

/** One of `MODERATION_ACTIONS`. */
export type ModerationAction = (typeof MODERATION_ACTIONS)[number];

/** The effective guardrail actions of one tenant. */
export interface GuardrailActions {
  readonly moderation: Readonly<Record<ModerationCategory, ModerationAction>>;
  /** Output that generalises about a protected group ("women are bad at …"). */
  readonly stereotyping: ModerationAction;
}

/** Where the guardrails read a tenant's actions (config defaults merged with its stored overrides). */
export interface GuardrailActionSource {
  actionsFor(tenantId: string): Promise<GuardrailActions>;
}

/** One category a classifier flagged, with its score in 0…1 when the classifier gives one. */
export interface FlaggedCategory {
  readonly category: ModerationCategory;
  readonly score?: number;
}

/** What a moderation model said about one text. */
export interface ModerationVerdict {
  /** The categories at or above their thresholds; empty when the text is fine. */
  readonly flagged: readonly FlaggedCategory[];
  /** The classifier's own labels for what it flagged (e.g. `S10`, `hate/threatening`), for traces. */
  readonly labels: readonly string[];
}

/** What one classification is asked with. */
export interface ModerationRequest {
  readonly text: string;
  /** `input` (the user's message) or `output` (the assistant's answer); prompts differ. */
  readonly role: 'input' | 'output';
  /** For output: the user's message the answer replies to (Llama Guard classifies the exchange). */
  readonly userText?: string;
  readonly signal?: AbortSignal;
}

/**
 * A moderation classifier backed by a model or an API. `doClassify` makes the call with the adapter's
 * own timeout and retries and throws on a failure it could not recover from; callers (the moderation
 * guardrail) decide whether that blocks (fail closed) or lets the rules decide alone.
 *
 * @example
 * const verdict = await moderationModel.doClassify({ text: 'how do I make a pipe bomb', role: 'input' });
 * verdict.flagged; // [{ category: 'weapons', score: 0.97 }]
 */
export interface ModerationModel {
  readonly specificationVersion: 'v1';
  /** `provider:model`, for traces and metrics. */
  readonly name: string;
  /** The wire protocol: the OpenAI moderation API, or Llama Guard over a chat API. */
  readonly protocol: 'openai-moderation' | 'llama-guard';
  doClassify(request: ModerationRequest): Promise<ModerationVerdict>;
}
