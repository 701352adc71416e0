/**
 * @module evals/answers/judge
 * The LLM judge: any configured language model grades faithfulness, relevance and correctness of one
 * answer with the registry's `eval.judge` prompt, replying in JSON. A reply that is not that JSON is
 * `judge_unparseable`; a model failure keeps its `model_*` code; a judge that overruns its deadline
 * is cut off by the caller's signal. Each is a per-answer error: the run goes on.
 */
import type { LanguageModelV3 } from '@ai-sdk/provider';
import { generateText } from 'ai';
import { GroundworkError } from '../../errors.ts';
import { modelIdentity, startChatSpan } from '../../observability/gen-ai.ts';
import { renderTemplate } from '../../prompts/template.ts';
import type { PromptVersionRef } from '../../spec/answer.ts';
import type { AnswerScorer, ScoreOutcome, ScoringContext, ScoringSample } from '../../spec/scoring.ts';
import { ANSWER_JUDGE_TEMPLATE, ANSWER_JUDGE_VARIABLES } from './judge-prompt.ts';

/** The judge prompt version to render (from the registry; the built-in text by default). */
export interface JudgePrompt {
  readonly ref: PromptVersionRef;
  readonly template: string;
  readonly variables: readonly { readonly name: string; readonly type: 'string' | 'number' | 'boolean' }[];
}

/** The built-in version 1, for callers without a registry. */
export const BUILTIN_JUDGE_PROMPT: JudgePrompt = {
  ref: { name: 'eval.judge', version: 1 },
  template: ANSWER_JUDGE_TEMPLATE,
  variables: ANSWER_JUDGE_VARIABLES,
};

/** The metrics a judge fills. */
export const JUDGE_METRICS = ['faithfulness', 'relevance', 'correctness'] as const;

/** Characters of each cited passage shown to the judge. */
const PASSAGE_CHARACTERS = 2500;
/** The judge's reply is a small JSON object. */
const MAX_OUTPUT_TOKENS = 200;

/** Creates the judge over `model`. */
export function createJudgeScorer(options: {
  readonly model: LanguageModelV3;
  readonly prompt?: JudgePrompt;
  /** Scorer name and report prefix (default `judge`). */
  readonly name?: string;
}): AnswerScorer {
  const prompt = options.prompt ?? BUILTIN_JUDGE_PROMPT;
  return {
    name: options.name ?? 'judge',
    kind: 'judge',
    metrics: JUDGE_METRICS,
    async score(sample: ScoringSample, context: ScoringContext = {}): Promise<ScoreOutcome> {
      // An abstention states nothing to check; abstention metrics are the deterministic scorer's.
      if (sample.abstained) return { metrics: { faithfulness: null, relevance: null, correctness: null } };
      const hasReference = sample.references.length > 0 && sample.answerable !== false;
      const values: Record<string, string> = {
        question: sample.question,
        passages:
          sample.cited
            .map((passage) => `[${passage.n}] ${passage.text.slice(0, PASSAGE_CHARACTERS)}`)
            .join('\n\n') || '(no passage cited)',
        answer: sample.answer,
        reference: hasReference ? sample.references.join(' | ') : '(none)',
      };
      const declared = new Set(prompt.variables.map((variable) => variable.name));
      const text = renderTemplate(
        prompt.template,
        prompt.variables,
        Object.fromEntries(Object.entries(values).filter(([name]) => declared.has(name))),
      );
      const call = startChatSpan(modelIdentity(options.model), () => text, {
        maxOutputTokens: MAX_OUTPUT_TOKENS,
      });
      let reply: string;
      try {
        const result = await generateText({
          model: options.model,
          prompt: text,
          temperature: 0,
          maxOutputTokens: MAX_OUTPUT_TOKENS,
          maxRetries: 0,
          abortSignal: context.signal,
        });
        call.end({
          text: result.text,
          usage: { inputTokens: result.usage.inputTokens ?? 0, outputTokens: result.usage.outputTokens ?? 0 },
          finishReason: result.finishReason,
        });
        reply = result.text;
      } catch (error) {
        call.fail(error);
        throw error;
      }
      const verdict = parseVerdict(reply);
      return {
        metrics: {
          faithfulness: verdict.faithful,
          relevance: verdict.relevant,
          correctness: hasReference ? verdict.correct : null,
        },
        ...(verdict.reason ? { reason: verdict.reason } : {}),
      };
    },
  };
}

/** A judge's verdict. */
export interface Verdict {
  readonly faithful: number;
  readonly relevant: number;
  readonly correct: number | null;
  readonly reason?: string;
}

/**
 * Reads the judge's JSON object (the first `{…}` in the reply, so a sentence around it or a code fence
 * is tolerated). Scores are 0–1 numbers or booleans; anything else is `judge_unparseable`.
 */
export function parseVerdict(reply: string): Verdict {
  const start = reply.indexOf('{');
  const end = reply.indexOf('}', start);
  let parsed: unknown;
  if (start !== -1 && end !== -1) {
    try {
      parsed = JSON.parse(reply.slice(start, end + 1));
    } catch {
      parsed = undefined;
    }
  }
  const object =
    typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  const faithful = grade(object?.faithful);
  const relevant = grade(object?.relevant);
  const correct = object?.correct === null || object?.correct === undefined ? null : grade(object.correct);
  if (!object || faithful === undefined || relevant === undefined || correct === undefined) {
    throw new GroundworkError({
      code: 'judge_unparseable',
      kind: 'upstream-failed',
      category: 'system',
      message: `The judge did not reply with {"faithful", "relevant", "correct"} scores: ${JSON.stringify(reply.slice(0, 200))}`,
    });
  }
  return {
    faithful,
    relevant,
    correct,
    ...(typeof object.reason === 'string' ? { reason: object.reason.slice(0, 300) } : {}),
  };
}

function grade(value: unknown): number | undefined {
  if (value === true) return 1;
  if (value === false) return 0;
  if (typeof value === 'number' && value >= 0 && value <= 1) return value;
  if (typeof value === 'string' && /^(0|1|0?\.\d+|1\.0+)$/.test(value.trim())) return Number(value);
  return undefined;
}
