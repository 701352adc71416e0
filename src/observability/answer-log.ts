/**
 * @module observability/answer-log
 * The answer log's writer. Answers are queued and written in batches (one transaction every few
 * milliseconds, or at once when the queue is long) instead of one awaited INSERT per answer: under
 * concurrent load that INSERT waited for a pool connection behind other requests' retrieval and added
 * ~100 ms to every response (bench/RESULTS.md, orchestrator overhead). Readers of the log (usage,
 * budgets, feedback, experiment results) call `flush()` first, so within a process a rating or a
 * usage report always sees the answers already given.
 */
import { type AnswerRecord, insertAnswer } from '../store/answers.ts';
import type { Database } from '../store/database.ts';
import { logger } from './logger.ts';

/** How long a queued answer may wait before its batch is written. */
const MAX_DELAY_MS = 25;
/** A queue this long is written at once, and `add` waits for it (backpressure, never loss). */
const MAX_QUEUE = 500;

/** Batched, ordered writes of answer records. */
export class AnswerLog {
  private queue: AnswerRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;

  constructor(private readonly db: Database) {}

  /** Queues `record`; it is written within ~25 ms. Waits only when the queue is full. */
  async add(record: AnswerRecord): Promise<void> {
    this.queue.push(record);
    if (this.queue.length >= MAX_QUEUE) return this.flush();
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, MAX_DELAY_MS);
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

  private async write(batch: readonly AnswerRecord[]): Promise<void> {
    try {
      await this.db.transaction(async (tx) => {
        for (const record of batch) await insertAnswer(tx, record);
      });
    } catch {
      // One bad row must not cost the others: write them one by one and report the ones that fail.
      for (const record of batch) {
        try {
          await insertAnswer(this.db, record);
        } catch (error) {
          logger.error({ err: error, answerId: record.id }, 'Could not record the answer in the answer log.');
        }
      }
    }
  }
}
