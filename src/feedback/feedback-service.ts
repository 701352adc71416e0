/**
 * @module feedback/feedback-service
 * Ratings of answers (`up` / `down`, with an optional comment and category), tied to the answer log by
 * the answer's trace id: an unknown trace id, or another tenant's, is `answer_not_found`. Negative
 * feedback exports as JSON lines with the question, the answer, the cited passages and the prompt
 * version, ready for review or for an evaluation set.
 */
import { InvalidRequestError } from '../errors.ts';
import { scrubPii } from '../guardrails/pii.ts';
import type { Database } from '../store/database.ts';
import {
  type FeedbackFilter,
  type FeedbackRow,
  listFeedback,
  type Rating,
  upsertFeedback,
} from '../store/feedback.ts';

/** A rating to store. */
export interface NewFeedback {
  readonly traceId: string;
  readonly rating: Rating;
  readonly comment?: string;
  readonly category?: string;
}

/** Exports hold at most this many lines per call. */
export const MAX_EXPORT = 10_000;

/** The feedback service. */
export class FeedbackService {
  /** `onRated` hears each stored rating (the app counts them in its metrics). */
  constructor(
    private readonly db: Database,
    private readonly onRated: (rating: Rating) => void = () => {},
    /** Runs before the answer log is read: its writer flushes the answers still queued. */
    private readonly beforeRead: () => Promise<void> = async () => {},
  ) {}

  /** Rates an answer of the tenant; rating it again replaces the earlier rating. */
  async submit(tenantId: string, userId: string, feedback: NewFeedback): Promise<FeedbackRow> {
    await this.beforeRead();
    const stored = await upsertFeedback(this.db, tenantId, {
      traceId: feedback.traceId,
      userId,
      rating: feedback.rating,
      comment: feedback.comment === undefined ? null : scrubPii(feedback.comment),
      category: feedback.category ?? null,
    });
    if (!stored) {
      throw new InvalidRequestError(
        'answer_not_found',
        `There is no answer with trace id ${feedback.traceId}.`,
      );
    }
    this.onRated(feedback.rating);
    return stored;
  }

  /** Ratings matching `filter`, newest first, each with its answer. */
  async list(tenantId: string, filter: FeedbackFilter) {
    await this.beforeRead();
    return listFeedback(this.db, tenantId, filter);
  }

  /** Negative feedback as JSON lines: one object per rated answer. */
  async exportNegative(tenantId: string, filter: Omit<FeedbackFilter, 'rating'>): Promise<string> {
    await this.beforeRead();
    const rows = await listFeedback(this.db, tenantId, {
      ...filter,
      rating: 'down',
      limit: filter.limit ?? MAX_EXPORT,
    });
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
        }),
      )
      .map((line) => `${line}\n`)
      .join('');
  }
}
