/**
 * @module guardrails/answer-guard
 * The answer service's guardrails (the `AnswerGuard` port) over one `GuardrailPipeline`: the question
 * is checked before anything else runs, passages before the model sees them, and the answer (and each
 * streamed fragment of it) before the caller does. Personal data can be swapped for placeholders on
 * the way to a hosted model and put back in its answer.
 */
import type {
  AnswerGuard,
  GuardrailContext,
  GuardrailPassage,
  OutputVerdict,
  RecordedDecision,
} from '../spec/guardrails.ts';
import { GuardrailBlockedError } from './blocked-error.ts';
import { UNGROUNDED_CODE } from './output-guardrails.ts';
import { PiiVault, redactPii } from './pii.ts';
import type { GuardrailPipeline } from './pipeline.ts';

/** Answer-guard options. */
export interface AnswerGuardOptions {
  /** Replace personal data in the question with placeholders before it goes to the model. */
  readonly redactForModel?: boolean;
}

/** The answer text shown instead of a refused (moderated or unverifiable) answer. */
export const REFUSED_ANSWER = 'I cannot help with that request.';

/** Notes (`AskResult.notes`) added by the output checks. */
export const GUARDRAIL_NOTES = {
  ungrounded:
    'Parts of the generated answer were not supported by the passages they cite, so it was replaced by the best-matching passages, quoted.',
  refused: 'The generated answer was withheld by a safety check.',
} as const;

type Context = Omit<GuardrailContext, 'stage'>;

/** Builds the answer guard. */
export function createAnswerGuard(
  pipeline: GuardrailPipeline,
  options: AnswerGuardOptions = {},
): AnswerGuard {
  return {
    async checkInput(question, context) {
      if (!pipeline.has('input')) return question;
      const outcome = await pipeline.run(question, { ...context, stage: 'input' });
      if (outcome.stopped) throw new GuardrailBlockedError(outcome.stopped);
      return outcome.text;
    },

    async checkPassages<P extends GuardrailPassage>(passages: readonly P[], context: Context) {
      if (!pipeline.has('passage')) return [...passages];
      const kept: P[] = [];
      for (const passage of passages) {
        const outcome = await pipeline.run(passage.text, { ...context, stage: 'passage' });
        if (outcome.stopped) continue;
        kept.push({ ...passage, n: kept.length + 1, text: outcome.text });
      }
      return kept;
    },

    redactForModel(text) {
      if (!options.redactForModel) return { text, restore: (answer) => answer };
      const vault = new PiiVault();
      const redacted = redactPii(text, vault);
      return { text: redacted.text, restore: (answer) => vault.restore(answer) };
    },

    async checkOutput(text, context): Promise<OutputVerdict> {
      if (!pipeline.has('output')) return { text, fallback: false, refused: false, notes: [] };
      const outcome = await pipeline.run(text, { ...context, stage: 'output' });
      const notes = notesOf(outcome.decisions);
      const stopped = outcome.stopped;
      if (!stopped) return { text: outcome.text, fallback: false, refused: false, notes };
      if (stopped.code === UNGROUNDED_CODE) {
        return { text: outcome.text, fallback: true, refused: false, notes: [GUARDRAIL_NOTES.ungrounded] };
      }
      return {
        text: REFUSED_ANSWER,
        fallback: false,
        refused: true,
        notes: [GUARDRAIL_NOTES.refused, stopped.reason],
      };
    },
  };
}

function notesOf(decisions: readonly RecordedDecision[]): string[] {
  return [
    ...new Set(
      decisions.filter((decision) => decision.action === 'redact').map((decision) => decision.reason),
    ),
  ];
}
