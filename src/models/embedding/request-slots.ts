/**
 * @module models/embedding/request-slots
 * A counting semaphore: at most `size` embedding requests in flight per process, however many
 * ingestion workers, backfills and queries ask at once. Waiters are served first come, first served.
 */

/** Limits concurrent work to `size` slots. */
export class RequestSlots {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError('RequestSlots needs at least one slot.');
  }

  /** Requests running now (for tests and metrics). */
  get inFlight(): number {
    return this.active;
  }

  /** Runs `work` once a slot is free; the slot is released however `work` ends. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter, so `active` stays the same.
      if (next) next();
      else this.active--;
    }
  }
}
