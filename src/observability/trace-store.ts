/**
 * @module observability/trace-store
 * Writes an app's sampled spans to its database in batches, off the request path: `add` only appends
 * to a bounded in-memory queue; a timer (about every second) or a full batch triggers a write. A
 * write takes what is queued when it starts; spans that end while it runs wait for the next trigger
 * (draining until the queue was empty kept a busy server writing a transaction of one or two spans
 * after every request). When the queue is full, or a write fails, spans are dropped and counted
 * rather than slowing requests or growing memory without bound. A write that fails because the
 * database is unavailable keeps its spans at the head of the queue (as far as the queue's bound
 * allows) for the next write; only a batch whose COMMIT outcome is unknown is dropped (and counted),
 * since writing it again could count its trace's tokens twice.
 */
import { findDatabaseUnavailable } from '../errors.ts';
import type { Database } from '../store/database.ts';
import { writeSpans } from '../store/traces.ts';
import { type ScopedSpan, toRows } from './span-record.ts';

/** Tuning of the queue. */
export interface TraceStoreOptions {
  readonly db: Database;
  readonly defaultTenant: string;
  /** Spans held at most; more are dropped. */
  readonly maxQueue?: number;
  /** Spans per write. */
  readonly batchSize?: number;
  readonly flushIntervalMs?: number;
  /** Called with the number of spans dropped. */
  readonly onDrop: (count: number) => void;
  /** Called when a write fails (the spans of that batch are dropped). */
  readonly onError?: (error: unknown) => void;
}

/** The queue and its writer. */
export class TraceStore {
  private queue: ScopedSpan[] = [];
  private writing: Promise<void> | undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly maxQueue: number;
  private readonly batchSize: number;

  constructor(private readonly options: TraceStoreOptions) {
    this.maxQueue = options.maxQueue ?? 10_000;
    this.batchSize = options.batchSize ?? 512;
    this.timer = setInterval(() => void this.flush(), options.flushIntervalMs ?? 1000);
    // The timer must not keep a process (a CLI command, a test) alive on its own.
    this.timer.unref();
  }

  /** Queues a span; never waits and never throws. */
  add(span: ScopedSpan): void {
    if (this.queue.length >= this.maxQueue) {
      this.options.onDrop(1);
      return;
    }
    this.queue.push(span);
    if (this.queue.length >= this.batchSize && !this.writing) void this.flush();
  }

  /** Spans waiting to be written. */
  get queued(): number {
    return this.queue.length;
  }

  /** Resolves when no write is running (one may start later). */
  async idle(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /** Writes everything queued so far; spans queued while it writes are left for the next write. */
  async flush(): Promise<void> {
    // Checked again after every wait, with nothing between the check and the claim, so two flushes
    // never write at once.
    while (this.writing) await this.writing;
    if (this.queue.length === 0) return;
    this.writing = this.write(this.queue.splice(0)).finally(() => {
      this.writing = undefined;
    });
    await this.writing;
  }

  /** Stops the timer and writes what is left. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private async write(taken: readonly ScopedSpan[]): Promise<void> {
    for (let start = 0; start < taken.length; start += this.batchSize) {
      const batch = taken.slice(start, start + this.batchSize);
      try {
        const { spans, traces } = toRows(batch, this.options.defaultTenant);
        await writeSpans(this.options.db, spans, traces);
      } catch (error) {
        const unavailable = findDatabaseUnavailable(error);
        if (unavailable && unavailable.details.commitOutcome !== 'unknown') {
          this.keep(taken.slice(start));
          this.options.onError?.(error);
          return;
        }
        this.options.onDrop(batch.length);
        this.options.onError?.(error);
        // The database is gone: the rest waits for the next write rather than failing batch by batch.
        if (unavailable) {
          this.keep(taken.slice(start + this.batchSize));
          return;
        }
      }
    }
  }

  /** Puts unwritten spans back at the head of the queue; what exceeds the bound is dropped and counted. */
  private keep(unwritten: readonly ScopedSpan[]): void {
    const room = Math.max(0, this.maxQueue - this.queue.length);
    const kept = unwritten.slice(0, room);
    if (unwritten.length > kept.length) this.options.onDrop(unwritten.length - kept.length);
    this.queue.unshift(...kept);
  }
}
