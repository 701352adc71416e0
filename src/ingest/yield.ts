/**
 * @module ingest/yield
 * Ingestion runs in the process that also answers HTTP requests (`serve --role all`): between items,
 * documents and batches of chunks it gives the event loop back, so other tenants' searches and
 * `/healthz` are answered between them rather than after the whole file (ADR 0034).
 */

/** Resolves after the event loop has run pending I/O callbacks and timers. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Chunks analysed between two yields. */
export const CHUNKS_PER_YIELD = 64;
