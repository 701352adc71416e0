/**
 * @module feedback/feedback-service
 * Ratings of answers (`up` / `down`, with an optional comment and category), tied to the answer log by
 * the answer's trace id: an unknown trace id, or another tenant's, is `answer_not_found`. Negative
 * feedback exports as JSON lines with the question, the answer, the cited passages and the prompt
 * version, ready for review or for an evaluation set. Each rater has their own rating of an answer.
 * Operators read questions with personal data scrubbed, and only passages their principals may read.
 */
import { NotFoundError } from '../errors.ts';
import { scrubPii } from '../guardrails/pii.ts';
import { type AnswerLogReader, UNBATCHED_ANSWER_LOG } from '../spec/answer-log.ts';
import type { Database } from '../store/database.ts';
import {
  type FeedbackFilter,
  type FeedbackRow,
  listFeedback,
  type Rating,
  readableDocuments,
  upsertFeedback,
} from '../store/feedback.ts';

/** A rating to store. */
export interface NewFeedback {
  readonly traceId: string;
  readonly rating: Rating;
  readonly comment?: string;
  readonly category?: string;
}

/** The answer text shown in place of one that cites passages the reader may not read. */
export const WITHHELD_ANSWER = '[withheld: this answer cites passages you may not read]';

/** Exports hold at most this many lines per call. */
export const MAX_EXPORT = 10_000;

/** Options of the feedback service. */
export interface FeedbackServiceOptions {
  /** Hears each rating (the app counts them in its metrics). */
  readonly onRated?: (rating: Rating) => void;
  /** The answer log, which ratings refer to (its batched writer flushes first). */
  readonly answers?: AnswerLogReader;
}

/** The feedback service. */
export class FeedbackService {
  constructor(
    private readonly db: Database,
    private readonly options: FeedbackServiceOptions = {},
  ) {}

  private get answers(): AnswerLogReader {
    return this.options.answers ?? UNBATCHED_ANSWER_LOG;
  }

  /**
   * `userId` rates an answer of the tenant; rating it again replaces their own earlier rating, never
   * another user's.
   */
  async submit(tenantId: string, userId: string, feedback: NewFeedback): Promise<FeedbackRow> {
    const stored = await this.answers.read(() =>
      upsertFeedback(this.db, tenantId, {
        traceId: feedback.traceId,
        userId,
        rating: feedback.rating,
        comment: feedback.comment === undefined ? null : scrubPii(feedback.comment),
        category: feedback.category ?? null,
      }),
    );
    if (!stored) {
      throw new NotFoundError('answer_not_found', `There is no answer with trace id ${feedback.traceId}.`);
    }
    this.options.onRated?.(feedback.rating);
    return stored;
  }

  /**
   * Ratings matching `filter`, newest first, each with its answer as `principals` may see it (see
   * `present`).
   */
  async list(tenantId: string, filter: FeedbackFilter, principals: readonly string[]) {
    const rows = await this.answers.read(() => listFeedback(this.db, tenantId, filter));
    return this.present(tenantId, principals, rows);
  }

  /** Negative feedback as JSON lines: one object per rating, each answer as `principals` may see it. */
  async exportNegative(
    tenantId: string,
    filter: Omit<FeedbackFilter, 'rating'>,
    principals: readonly string[],
  ): Promise<string> {
    const listed = await this.answers.read(() =>
      listFeedback(this.db, tenantId, { ...filter, rating: 'down', limit: filter.limit ?? MAX_EXPORT }),
    );
    const rows = await this.present(tenantId, principals, listed);
    return rows
      .map((row) =>
        JSON.stringify({
          traceId: row.traceId,
          ratedAt: row.createdAt,
          rating: row.rating,
          category: row.category,
          comment: row.comment,
          user: row.userId,
          question: row.answer.question,
          answer: row.answer.answer,
          mode: row.answer.mode,
          model: row.answer.model,
          prompt: row.answer.promptName
            ? { name: row.answer.promptName, version: row.answer.promptVersion }
            : null,
          experiment: row.answer.experimentId
            ? { id: row.answer.experimentId, arm: row.answer.experimentArm }
            : null,
          citations: row.answer.citations,
          withheldCitations: row.answer.withheldCitations,
        }),
      )
      .map((line) => `${line}\n`)
      .join('');
  }

  /**
   * Rows as operators may read them: the stored question with personal data scrubbed (it was stored
   * as the customer typed it), and only the cited passages of documents `principals` may read, the
   * rule retrieval applies. When a citation is withheld, so is the answer text, which was written
   * from it; `withheldCitations` says how many were.
   */
  private async present(
    tenantId: string,
    principals: readonly string[],
    rows: Awaited<ReturnType<typeof listFeedback>>,
  ) {
    const cited = [
      ...new Set(rows.flatMap((row) => row.answer.citations.map((citation) => citation.documentId))),
    ];
    const readable = await readableDocuments(this.db, tenantId, principals, cited);
    return rows.map((row) => {
      const citations = row.answer.citations.filter((citation) => readable.has(Number(citation.documentId)));
      const withheld = row.answer.citations.length - citations.length;
      return {
        ...row,
        answer: {
          ...row.answer,
          question: scrubPii(row.answer.question),
          answer: withheld > 0 ? WITHHELD_ANSWER : row.answer.answer,
          citations,
          withheldCitations: withheld,
        },
      };
    });
  }
}
