/**
 * @module guardrails/output-guardrails
 * Guardrails for what goes out: grounding of cited sentences and personal data the caller could not
 * already see. Moderation, which runs on input and output, is in moderation-guardrail.ts.
 */
import type { Guardrail, GuardrailDecision } from '../spec/guardrails.ts';
import type { LexicalAnalyzer } from '../spec/lexical.ts';
import { checkGrounding, DEFAULT_GROUNDING_THRESHOLD, removeSentences } from './grounding.ts';
import { redactLeakedPii } from './pii-leak.ts';

export { createModerationGuardrail, SELF_HARM_MESSAGE } from './moderation-guardrail.ts';

const ALLOW = (reason: string, score?: number): GuardrailDecision => ({
  action: 'allow',
  code: 'ok',
  reason,
  score,
});

/** Code of an answer too little of which is supported: the caller falls back to quoting passages. */
export const UNGROUNDED_CODE = 'guardrail_ungrounded';

/** Grounding options. */
export interface GroundingOptions {
  readonly analyzer: LexicalAnalyzer;
  /** Share of a sentence's content terms its cited passages must hold (default 0.5). */
  readonly threshold?: number;
  /** Fall back when more than this share of the checked sentences is unsupported (default 0.5). */
  readonly maxUnsupportedShare?: number;
}

/** Removes unsupported sentences; blocks with `guardrail_ungrounded` when too little remains. */
export function createGroundingGuardrail(options: GroundingOptions): Guardrail {
  const threshold = options.threshold ?? DEFAULT_GROUNDING_THRESHOLD;
  const maxShare = options.maxUnsupportedShare ?? 0.5;
  return {
    name: 'grounding',
    stages: ['output'],
    check(text, context) {
      const sentences = checkGrounding(text, context.passages ?? [], options.analyzer, threshold);
      const checked = sentences.filter((sentence) => sentence.checked);
      const unsupported = checked.filter((sentence) => !sentence.supported);
      const score = checked.length === 0 ? 1 : 1 - unsupported.length / checked.length;
      if (unsupported.length === 0) return ALLOW('Every cited sentence is supported by its passage.', score);
      const reason = `${unsupported.length} of ${checked.length} sentences were not supported by the passages they cite and were removed.`;
      const remaining = removeSentences(text, unsupported);
      const supportedCited = checked.some((sentence) => sentence.supported && sentence.cited.length > 0);
      if (!context.partial && (!supportedCited || unsupported.length / checked.length > maxShare)) {
        return { action: 'block', code: UNGROUNDED_CODE, score, reason, redactedText: remaining };
      }
      return {
        action: 'redact',
        code: 'guardrail_unsupported_sentences',
        score,
        reason,
        redactedText: remaining,
      };
    },
  };
}

/** Redacts personal data found neither in the caller's message nor in the passages they may read. */
export function createPiiLeakGuardrail(): Guardrail {
  return {
    name: 'pii-leak',
    stages: ['output'],
    check(text, context) {
      const known = [context.userText ?? '', ...(context.passages ?? []).map((passage) => passage.text)];
      const { text: redacted, leaked } = redactLeakedPii(text, known);
      if (leaked.length === 0) return ALLOW('No personal data the caller could not already see.');
      return {
        action: 'redact',
        code: 'guardrail_pii_leak',
        reason: `Personal data the caller may not see (${[...new Set(leaked.map((entity) => entity.type))].join(', ')}) was removed from the answer.`,
        redactedText: redacted,
      };
    },
  };
}
