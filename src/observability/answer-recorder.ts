/**
 * @module observability/answer-recorder
 * Records every answer in the answer log by wrapping the answerer, so `/v1/ask`, `/v1/chat`, the
 * OpenAI-compatible endpoint and the CLI are all logged without any of them knowing. A streamed answer
 * is recorded before its `done` event is passed on, so feedback sent right after the stream ends finds
 * the row. A failed write is logged and the answer still returned: the caller's answer matters more
 * than its log line.
 */
import type { Answerer, AskEvent, AskRequest, AskResult } from '../spec/answer.ts';
import type { AnswerRecord } from '../store/answers.ts';
import type { AnswerLog } from './answer-log.ts';
import { type Logger, logger as processLogger } from './logger.ts';
import type { PriceList } from './prices.ts';

/** Who the log names when a request has no user: the local operator (CLI) or an anonymous caller. */
export const UNKNOWN_USER = 'anonymous';

/** What the recorder needs. */
export interface AnswerRecorderOptions {
  /** Where answers are written (batched; readers flush it first). */
  readonly log: Pick<AnswerLog, 'add'>;
  readonly prices: PriceList;
  /** Where a failed write is reported, scrubbed of personal data; default the process's logger. */
  readonly logger?: Logger;
  /**
   * The configured `provider:model`: extractive answers report no model, yet a follow-up may have been
   * condensed by it, and those tokens are priced at its rate.
   */
  readonly languageModelName: string | null;
}

/**
 * Wraps `answerer` so each answer is logged with its cost.
 *
 * @example
 * const answerer = recordAnswers(createAnswerer(options), { log: new AnswerLog(db), prices: createPriceList(), languageModelName: 'openai:gpt-4o-mini' });
 */
export function recordAnswers(answerer: Answerer, options: AnswerRecorderOptions): Answerer {
  const record = async (request: AskRequest, result: AskResult) => {
    try {
      await options.log.add(toRecord(request, result, options));
    } catch (error) {
      // The error can quote the record (the question, the customer): the logger scrubs it.
      (options.logger ?? processLogger).error(
        { err: error },
        'Could not record the answer in the answer log.',
      );
    }
  };
  return {
    async ask(request) {
      const result = await answerer.ask(request);
      await record(request, result);
      return result;
    },
    async *stream(request): AsyncIterable<AskEvent> {
      for await (const event of answerer.stream(request)) {
        if (event.type === 'done') await record(request, event.result);
        yield event;
      }
    },
  };
}

/** The answer's cost: each model's tokens at its price when the answerer says who spent what. */
function costOf(result: AskResult, options: AnswerRecorderOptions): { costUsd: number; priced: boolean } {
  if (result.usageByModel) {
    let costUsd = 0;
    let priced = true;
    for (const part of result.usageByModel) {
      const cost = options.prices.cost(part.model, part);
      costUsd += cost.costUsd;
      priced &&= cost.priced;
    }
    return { costUsd, priced };
  }
  const pricedModel = result.model ?? options.languageModelName;
  const spent = result.usage.inputTokens + result.usage.outputTokens > 0;
  return options.prices.cost(spent ? pricedModel : null, result.usage);
}

/** The log row of one answer. */
export function toRecord(
  request: AskRequest,
  result: AskResult,
  options: AnswerRecorderOptions,
): AnswerRecord {
  const cost = costOf(result, options);
  const prompt = result.promptVersion;
  return {
    id: result.traceId,
    answeredAt: new Date(),
    tenantId: request.tenantId,
    userId: request.userId ?? UNKNOWN_USER,
    conversationId: request.conversationId ?? null,
    question: request.question,
    answer: result.answer,
    citations: result.citations,
    mode: result.mode,
    model: result.model,
    promptName: prompt?.name ?? null,
    promptVersion: prompt?.version ?? null,
    experimentId: prompt?.experiment?.id ?? null,
    experimentArm: prompt?.experiment?.arm ?? null,
    inputTokens: result.usage.inputTokens,
    outputTokens: result.usage.outputTokens,
    costUsd: cost.costUsd,
    priced: cost.priced,
    latencyMs: result.timings.totalMs,
  };
}
