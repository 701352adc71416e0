/**
 * @module observability/trace-reader
 * Reads the stored traces of a tenant: a filtered, paged listing and one trace with its spans. Reads
 * only, so the database handed in may be a read replica (spans reach the store about a second after
 * they end anyway).
 */
import type { SqlExecutor } from '../spec/database.ts';
import { getTrace, listTraces, type TraceFilter, type TraceRow } from '../store/traces.ts';

/** Tenant-scoped trace reads. */
export class TraceReader {
  constructor(private readonly db: SqlExecutor) {}

  /** The tenant's traces matching `filter`, newest first. */
  list(tenantId: string, filter: TraceFilter): Promise<TraceRow[]> {
    return listTraces(this.db, tenantId, filter);
  }

  /** One trace of the tenant with its spans, or undefined (another tenant's trace too). */
  get(tenantId: string, traceId: string): ReturnType<typeof getTrace> {
    return getTrace(this.db, tenantId, traceId);
  }
}
