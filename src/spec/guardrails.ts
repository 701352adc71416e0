/**
 * @module spec/guardrails
 * The guardrail contract. A guardrail looks at one text at one stage of a request (the user's
 * message, a retrieved passage, a tool result, or the answer) and decides: allow it, redact it, block
 * it, or escalate to a person. Guardrails run in order; the first block or escalation stops the stage.
 */

/** Where in a request a text is checked. */
export type GuardrailStage = 'input' | 'passage' | 'tool-result' | 'output';

/**
 * What a guardrail decided. `log` lets the text through like `allow` but says a check flagged it and
 * the tenant chose to only record that (moderation); it is counted and traced under its own name.
 */
export type GuardrailAction = 'allow' | 'log' | 'redact' | 'block' | 'escalate';

/** One guardrail's decision about one text. */
export interface GuardrailDecision {
  readonly action: GuardrailAction;
  /** Plain-language reason, safe to show to the caller (never the matched secret itself). */
  readonly reason: string;
  /** Stable machine-readable code, e.g. `guardrail_prompt_injection`; `ok` when allowed. */
  readonly code: string;
  /** The text to continue with when `action` is `redact`. */
  readonly redactedText?: string;
  /** A score in 0…1 when the guardrail scores (injection, grounding), for traces and calibration. */
  readonly score?: number;
  /** What a classifying guardrail flagged (moderation categories), for traces, metrics and the inbox. */
  readonly categories?: readonly string[];
}

/** A passage the caller may read, as the output checks see it (`n` is the number the model cites). */
export interface GuardrailPassage {
  readonly n: number;
  readonly text: string;
}

/** What a guardrail knows about the request besides the text it checks. */
export interface GuardrailContext {
  readonly stage: GuardrailStage;
  readonly tenantId: string;
  /** The stored conversation the text belongs to, when there is one (an escalation parks it). */
  readonly conversationId?: string;
  /** The caller's principals; `undefined` is an unrestricted operator. */
  readonly principals?: readonly string[];
  /** The caller's own message (and earlier turns), which the caller may of course see again. */
  readonly userText?: string;
  /** Output stage: the passages the model was given, all readable by the caller. */
  readonly passages?: readonly GuardrailPassage[];
  /** Output stage: true when checking a streamed fragment rather than the whole answer. */
  readonly partial?: boolean;
  readonly signal?: AbortSignal;
}

/**
 * One guardrail. `check` may be synchronous or not; a guardrail that throws is treated as a block
 * with code `guardrail_error` (fail closed) by the pipeline.
 *
 * @example
 * const noShouting: Guardrail = {
 *   name: 'no-shouting',
 *   stages: ['input'],
 *   check: (text) => /^[A-Z\s!]+$/.test(text)
 *     ? { action: 'block', code: 'guardrail_shouting', reason: 'Please do not shout.' }
 *     : { action: 'allow', code: 'ok', reason: 'fine' },
 * };
 */
export interface Guardrail {
  readonly name: string;
  /** The stages this guardrail runs at. */
  readonly stages: readonly GuardrailStage[];
  check(text: string, context: GuardrailContext): GuardrailDecision | Promise<GuardrailDecision>;
}

/** A decision with the guardrail that made it, as recorded in traces and counters. */
export interface RecordedDecision extends GuardrailDecision {
  readonly guardrail: string;
  readonly stage: GuardrailStage;
}

/** What running one stage gives: the text to go on with, and every decision taken. */
export interface StageOutcome {
  /** The text after redactions (the input text when nothing was redacted). */
  readonly text: string;
  readonly decisions: readonly RecordedDecision[];
  /** The decision that stopped the stage (a block or an escalation), if any. */
  readonly stopped?: RecordedDecision;
}

/**
 * What the answer service asks of guardrails at its three checkpoints. Passages are generic so the
 * answer service keeps its own passage type; dropped passages are removed and the rest renumbered.
 */
export interface AnswerGuard {
  /** Checks the question; throws a `guardrail_*` error when it is blocked. Returns the question to use. */
  checkInput(question: string, context: Omit<GuardrailContext, 'stage'>): Promise<string>;
  /** Labels or drops passages that carry instructions (indirect injection). */
  checkPassages<P extends GuardrailPassage>(
    passages: readonly P[],
    context: Omit<GuardrailContext, 'stage'>,
  ): Promise<P[]>;
  /** Text sent to a hosted model: personal data replaced by placeholders, and how to put it back. */
  redactForModel(text: string): { readonly text: string; restore(answer: string): string };
  /** Checks the answer (or a streamed fragment of it). */
  checkOutput(text: string, context: Omit<GuardrailContext, 'stage'>): Promise<OutputVerdict>;
}

/** The answer after the output checks. */
export interface OutputVerdict {
  readonly text: string;
  /** Too little of the answer was supported: the caller should fall back to quoting the passages. */
  readonly fallback: boolean;
  /** The answer must not be shown at all (moderation); `text` is then a refusal. */
  readonly refused: boolean;
  /** Plain-language notes for the user about what was changed. */
  readonly notes: readonly string[];
}
