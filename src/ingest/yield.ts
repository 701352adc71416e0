/**
 * @module ingest/yield
 * Ingestion runs in the process that also answers HTTP requests (`serve --role all`): between items
 * and documents it gives the event loop back, so other tenants' searches and
 * `/healthz` are answered between them rather than after the whole file (ADR 0069).
 */

/** Resolves after the event loop has run pending I/O callbacks and timers. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
