/**
 * @module observability/answer-log
 * The answer log's writer. Answers are queued and written in batches (one transaction every few
 * milliseconds, or at once when the queue is long) instead of one awaited INSERT per answer: under
 * concurrent load that INSERT waited for a pool connection behind other requests' retrieval and added
 * ~100 ms to every response (bench/RESULTS.md, orchestrator overhead). Readers of the log (usage,
 * budgets, feedback, experiment results, quotas, privacy) read through `read()` (the
 * `AnswerLogReader` port), which flushes first, so within a process a rating or a usage report always
 * sees the answers already given.
 *
 * While the database is unavailable, unwritten answers stay queued (up to `MAX_KEPT`; older ones
 * beyond that are dropped and logged) and are written again after a pause that grows with each
 * failure. Writing an answer twice is harmless (its id is the key), so a batch whose COMMIT outcome
 * was unknown is kept too.
 *
 * An answer that is given but cannot be recorded is never silent: it is logged with its id and
 * counted through `onLost` (the app's `groundwork_answer_log_failures_total`).
 */
import { findDatabaseUnavailable } from '../errors.ts';
import type { AnswerLogReader } from '../spec/answer-log.ts';
import { type AnswerRecord, insertAnswer } from '../store/answers.ts';
import type { Database } from '../store/database.ts';
import { logger } from './logger.ts';

/** How long a queued answer may wait before its batch is written. */
const MAX_DELAY_MS = 25;
/** A queue this long is written at once, and `add` waits for it (backpressure, never loss). */
const MAX_QUEUE = 500;
/** Most answers kept while the database is unavailable. */
const MAX_KEPT = 10_000;
/** Pauses before writing again after the database was unavailable (the last repeats). */
const RETRY_DELAYS_MS = [250, 1000, 5000];

/** Why an answer given was not recorded. */
export type AnswerLossReason = 'write_failed' | 'dropped';

/** Options of the answer log. */
export interface AnswerLogOptions {
  /** Hears each answer that will not be recorded (the app counts them in its metrics). */
  readonly onLost?: (reason: AnswerLossReason, count: number) => void;
}

/** Batched, ordered writes of answer records. */
export class AnswerLog implements AnswerLogReader {
  private queue: AnswerRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  /** Writes since the database was last reachable that failed because it was not. */
  private outageFailures = 0;

  constructor(
    private readonly db: Database,
    private readonly options: AnswerLogOptions = {},
  ) {}

  /** Queues `record`; it is written within ~25 ms. Waits only when the queue is full. */
  async add(record: AnswerRecord): Promise<void> {
    this.queue.push(record);
    if (this.queue.length > MAX_KEPT) {
      const dropped = this.queue.splice(0, this.queue.length - MAX_KEPT);
      logger.error({ dropped: dropped.length }, 'The answer log lost answers: the database is unavailable.');
      this.options.onLost?.('dropped', dropped.length);
    }
    // During an outage the queue is written on the retry timer, not by every new answer.
    if (this.queue.length >= MAX_QUEUE && this.outageFailures === 0) return this.flush();
    this.schedule(MAX_DELAY_MS);
  }

  /** Runs `query` after everything queued so far is written. */
  async read<T>(query: () => Promise<T>): Promise<T> {
    await this.flush();
    return query();
  }

  /** Writes everything queued so far (and waits for a batch already being written). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.queue.length === 0) return;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const batch = this.queue.splice(0);
    this.writing = this.write(batch).finally(() => {
      this.writing = undefined;
    });
    await this.writing;
  }

  private schedule(delayMs: number, keepAlive = true): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, delayMs);
    // A retry during an outage must not keep a finished process (a CLI command) waiting for the database.
    if (!keepAlive) this.timer.unref();
  }

  private async write(batch: readonly AnswerRecord[]): Promise<void> {
    try {
      // Not re-run inside the adapter: the queue itself retries, without holding up `flush()`.
      await this.db.transaction(async (tx) => {
        for (const record of batch) await insertAnswer(tx, record);
      });
      this.outageFailures = 0;
      return;
    } catch (error) {
      if (this.keepForLater(batch, error)) return;
    }
    // One bad row must not cost the others: write them one by one and report the ones that fail.
    for (const [index, record] of batch.entries()) {
      try {
        await insertAnswer(this.db, record);
      } catch (error) {
        if (this.keepForLater(batch.slice(index), error)) return;
        logger.error({ err: error, answerId: record.id }, 'Could not record the answer in the answer log.');
        this.options.onLost?.('write_failed', 1);
      }
    }
  }

  /** When the database is unavailable: puts `unwritten` back at the head of the queue and retries later. */
  private keepForLater(unwritten: readonly AnswerRecord[], error: unknown): boolean {
    if (!findDatabaseUnavailable(error)) return false;
    this.queue.unshift(...unwritten);
    const delay = RETRY_DELAYS_MS[Math.min(this.outageFailures, RETRY_DELAYS_MS.length - 1)] as number;
    if (this.outageFailures === 0)
      logger.warn({ err: error, queued: this.queue.length }, 'The answer log waits for the database.');
    this.outageFailures++;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.schedule(delay, false);
    return true;
  }
}
