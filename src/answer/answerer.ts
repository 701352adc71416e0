/**
 * @module answer/answerer
 * The grounded-answer orchestrator: condense a follow-up → retrieve → assemble the context under a
 * token budget → generate with the versioned grounded prompt (or quote extractively when there is no
 * model) → resolve citations. The steps live in their own modules; this file is the wiring.
 */
import { randomBytes } from 'node:crypto';
import type { LanguageModelV3 } from '@ai-sdk/provider';
import { GroundworkError } from '../errors.ts';
import { logger } from '../observability/logger.ts';
import { RETRIEVAL_RESULTS_ATTRIBUTE } from '../observability/span-metrics.ts';
import { activeTraceId, stage, stageStream } from '../observability/tracer.ts';
import type {
  Answerer,
  AskEvent,
  AskRequest,
  AskResult,
  ConversationTurn,
  ModelUsage,
} from '../spec/answer.ts';
import type { TokenCounter } from '../spec/chunk.ts';
import type { AnswerGuard } from '../spec/guardrails.ts';
import type { LexicalAnalyzer } from '../spec/lexical.ts';
import type { GroundedPromptSource } from '../spec/prompts.ts';
import type { RetrievalQuery, RetrievalResult } from '../spec/retrieval.ts';
import { citeAnswer } from './citation-list.ts';
import { type ComposePart, composeAnswer, type ExtractiveQuestion } from './compose-answer.ts';
import { condenseWithModel, condenseWithoutModel } from './condense.ts';
import { assembleContext, DEFAULT_CONTEXT_TOKENS } from './context-assembly.ts';
import { toErrorEvent } from './error-event.ts';
import { effectiveGeneration } from './generation-settings.ts';
import { composeGuarded } from './guarded-compose.ts';
import { checkQuestion } from './question.ts';

/** The part of the retriever the answerer uses. */
export interface PassageRetriever {
  search(query: RetrievalQuery): Promise<RetrievalResult>;
}

/** What the answerer is built from. */
export interface AnswererOptions {
  readonly retriever: PassageRetriever;
  readonly tokenCounter: TokenCounter;
  /** Scores sentences of extractive answers; must be the analyzer retrieval uses. */
  readonly analyzer: LexicalAnalyzer;
  /** The language model and its `provider:model` name; without one, answers are extractive. */
  readonly model?: { readonly model: LanguageModelV3; readonly name: string };
  /** The model that condenses follow-ups (`llm.tasks.condense`); default `model`. */
  readonly condenseModel?: { readonly model: LanguageModelV3; readonly name: string };
  /** Token budget of the passages in the prompt (default 3,000). */
  readonly contextTokens?: number;
  /** Passages retrieved when the request names no limit (default 8). */
  readonly retrievalLimit?: number;
  readonly maxOutputTokens?: number;
  /** Chooses the grounded prompt (registry label or experiment arm); the built-in text when absent. */
  readonly prompts?: GroundedPromptSource;
  /** Guardrails around the question, the passages and the answer (src/guardrails); none when absent. */
  readonly guard?: AnswerGuard;
}

/**
 * Creates the answering service.
 *
 * @example
 * const answerer = createAnswerer({ retriever, tokenCounter, analyzer, model: { model, name: 'openai:gpt-4o-mini' } });
 * const { answer, citations } = await answerer.ask({ tenantId: 'default', question: 'How do I return a thermostat?' });
 */
export function createAnswerer(options: AnswererOptions): Answerer {
  return new GroundedAnswerer(options);
}

type Step = Exclude<AskEvent, { type: 'error' }>;

/** The `Answerer` implementation; see the module comment for the steps. */
export class GroundedAnswerer implements Answerer {
  constructor(private readonly options: AnswererOptions) {}

  async ask(request: AskRequest): Promise<AskResult> {
    for await (const step of this.run(request, false)) if (step.type === 'done') return step.result;
    throw new Error('The answer pipeline ended without a result.');
  }

  /**
   * Streams the answer. Text deltas are the model's raw text; the final `done.result.answer` is
   * authoritative (invalid citations removed and renumbered, or replaced by an extractive answer).
   */
  async *stream(request: AskRequest): AsyncIterable<AskEvent> {
    try {
      yield* this.run(request, true);
    } catch (error) {
      const event = toErrorEvent(error, request.signal);
      // The event keeps only a code, so faults are logged here, as the HTTP edge does for ask().
      if (event.code !== 'cancelled' && !isUserError(error))
        logger.error({ err: error }, 'Answering failed.');
      yield event;
    }
  }

  private async *run(request: AskRequest, streaming: boolean): AsyncGenerator<Step> {
    const started = performance.now();
    const { guard } = this.options;
    const caller = {
      tenantId: request.tenantId,
      principals: request.principals,
      signal: request.signal,
      // A guardrail that escalates parks this conversation in the operator inbox.
      conversationId: request.conversationId,
    };
    const userText = [request.question, ...(request.history ?? []).map((turn) => turn.content)].join('\n');
    const checked = checkQuestion(request.question);
    const question = guard
      ? await stage('guardrails.input', {}, () => guard.checkInput(checked, { ...caller, userText }))
      : checked;
    const usage = { inputTokens: 0, outputTokens: 0 };
    const usageByModel: ModelUsage[] = [];
    const { model, analyzer } = this.options;
    const condenser = this.options.condenseModel ?? model;
    let query = question;
    const history = request.history;
    if (history && history.length > 0) {
      query = await stage('condense', { 'groundwork.history.turns': history.length }, async () => {
        if (!condenser) return condenseWithoutModel(history, question, analyzer);
        const condensed = await condenseWithModel(condenser.model, history, question, request.signal);
        add(usage, condensed.usage);
        usageByModel.push({ model: condensed.servedBy ?? condenser.name, ...condensed.usage });
        return condensed.query;
      });
    }

    const retrieval = await stage('retrieve', {}, async (span) => {
      const result = await this.options.retriever.search({
        tenantId: request.tenantId,
        principals: request.principals,
        text: query,
        filters: request.filters,
        mode: request.retrievalMode,
        limit: request.limit ?? this.options.retrievalLimit ?? 8,
      });
      span.setAttributes({
        [RETRIEVAL_RESULTS_ATTRIBUTE]: result.chunks.length,
        'groundwork.retrieval.mode': result.mode,
      });
      return result;
    });
    const retrieveMs = retrieval.timings.totalMs;
    const budget = this.options.contextTokens ?? DEFAULT_CONTEXT_TOKENS;
    const assembled = await stage(
      'assemble_context',
      { 'groundwork.context.budget_tokens': budget },
      (span) => {
        const kept = assembleContext(retrieval.chunks, budget, this.options.tokenCounter);
        span.setAttributes({
          'groundwork.context.kept': kept.length,
          'groundwork.context.dropped': retrieval.chunks.length - kept.length,
          'groundwork.context.tokens': kept.reduce((total, passage) => total + passage.tokens, 0),
        });
        return kept;
      },
    );
    const passages = guard
      ? await stage('guardrails.passages', {}, () => guard.checkPassages(assembled, caller))
      : assembled;
    yield { type: 'retrieval-done', passages: passages.length, retrieveMs };

    // Chosen whenever a model could answer, so an experiment arm's extractive fallbacks count against it.
    const prompt = model ? await this.options.prompts?.select(request) : undefined;
    const generateStarted = performance.now();
    let composed: Extract<ComposePart, { type: 'composed' }> | undefined;
    const composeInput = {
      query,
      passages,
      analyzer,
      model: model?.model,
      streaming,
      signal: request.signal,
      // The version's settings over the configured limit over the grounded-answer defaults.
      generation: effectiveGeneration(prompt?.generation, { maxOutputTokens: this.options.maxOutputTokens }),
      prompt,
      extractive: extractiveQuestion(question, query, history, !!model),
    };
    const composing = guard
      ? composeGuarded(composeInput, guard, { ...caller, userText })
      : composeAnswer(composeInput);
    for await (const part of stageStream('generate', { 'groundwork.streaming': streaming }, composing)) {
      if (part.type === 'text-delta') yield part;
      else composed = part;
    }
    if (!composed) throw new Error('Composing the answer produced no text.');
    const { text, mode, notes, streamed } = composed;
    add(usage, composed.usage);
    if (model && composed.usage.inputTokens + composed.usage.outputTokens > 0) {
      usageByModel.push({ model: composed.servedBy ?? model.name, ...composed.usage });
    }
    const cited = await stage('cite', {}, (span) => {
      const cited = citeAnswer(text, passages);
      span.setAttributes({
        'groundwork.citations.kept': cited.citations.length,
        'groundwork.citations.removed': cited.removed,
        'groundwork.answer.mode': mode,
      });
      return cited;
    });
    // Extractive text is known only now, so it streams as one delta; text the model already streamed
    // is not followed by a second answer (the final result carries the replacement).
    if (streaming && !streamed) yield { type: 'text-delta', delta: cited.text };
    yield { type: 'citations', citations: cited.citations };
    const generateMs = performance.now() - generateStarted;
    const result: AskResult = {
      answer: cited.text,
      citations: cited.citations,
      mode,
      // The model that wrote it: a fallback of the resilient wrapper names itself.
      model: mode === 'generative' && model ? (composed.servedBy ?? model.name) : null,
      usage,
      usageByModel,
      timings: { retrieveMs, generateMs, totalMs: performance.now() - started },
      // The request's trace, so the answer leads to it; random only when tracing is not installed.
      traceId: activeTraceId() ?? randomBytes(16).toString('hex'),
      removedCitations: cited.removed,
      notes,
      ...(prompt ? { promptVersion: prompt.ref } : {}),
    };
    yield { type: 'done', result };
  }
}

/**
 * What a quoted answer answers: a model's standalone rewrite as it is; without a model, the user's
 * own words, with the words condensation appended from the earlier turn kept apart (they help, but
 * never select a sentence on their own).
 */
function extractiveQuestion(
  question: string,
  query: string,
  history: readonly ConversationTurn[] | undefined,
  condensedByModel: boolean,
): ExtractiveQuestion {
  if (!history || history.length === 0) return { question: query };
  const earlier = history.filter((turn) => turn.role === 'assistant').map((turn) => turn.content);
  if (condensedByModel || !query.startsWith(question)) return { question: query, earlier };
  const carried = query.slice(question.length).trim();
  return { question, ...(carried ? { carried } : {}), earlier };
}

function add(
  total: { inputTokens: number; outputTokens: number },
  usage: { inputTokens: number; outputTokens: number },
) {
  total.inputTokens += usage.inputTokens;
  total.outputTokens += usage.outputTokens;
}

function isUserError(error: unknown): boolean {
  return GroundworkError.isInstance(error) && error.category === 'user';
}
