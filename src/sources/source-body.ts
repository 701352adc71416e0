/**
 * @module sources/source-body
 * A stored source as the API answers it: settings without credentials, the schedule in `syncEvery`
 * form, and the last sync's outcome (the source's own error, or its job's status).
 */
import { formatDuration, type SourceBody } from './schema.ts';
import type { SourceRow } from './store.ts';

/** The answer form of a row. */
export function toSourceBody(row: SourceRow): SourceBody {
  const { kind: _kind, ...config } = row.config;
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    config,
    hasCredentials: row.credentials !== null,
    acl: row.acl,
    metadata: row.metadata,
    syncEvery: row.syncEverySeconds === null ? null : formatDuration(row.syncEverySeconds),
    nextSyncAt: iso(row.nextSyncAt),
    lastSync: row.lastSyncAt
      ? {
          at: iso(row.lastSyncAt) as string,
          status: row.lastSyncCode ? 'failed' : (row.lastJobStatus ?? 'unchanged'),
          code: row.lastSyncCode,
          error: row.lastSyncError,
          jobId: row.lastJobId,
        }
      : null,
    createdAt: iso(row.createdAt) as string,
    updatedAt: iso(row.updatedAt) as string,
  };
}

function iso(text: string | null): string | null {
  return text === null ? null : new Date(text).toISOString();
}
