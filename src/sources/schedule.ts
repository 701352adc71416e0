/**
 * @module sources/schedule
 * Runs sources' scheduled syncs in every process that runs the ingestion worker. Each poll claims due
 * sources one at a time in the database (`claimDueSource`: the claim moves the next sync on in the
 * same statement, with SKIP LOCKED), so in a multi-process deploy exactly one process starts each.
 */
import { startPeriodic } from '../os/periodic.ts';
import type { Database } from '../store/database.ts';
import type { SourceService } from './service.ts';
import { claimDueSource } from './store.ts';

/** Most syncs one poll starts (the rest wait for the next poll). */
const MAX_PER_POLL = 20;

/** Starts due syncs until none is due; returns how many were started. */
export async function runDueSyncs(db: Database, sources: SourceService): Promise<number> {
  let started = 0;
  while (started < MAX_PER_POLL) {
    const due = await claimDueSource(db);
    if (!due) break;
    started++;
    // A source that cannot be read records why on itself; the next one is still synced.
    await sources.sync(due.tenantId, due.id).catch(() => {});
  }
  return started;
}

/** Polls for due syncs every `pollMs`; returns the stop function. */
export function startSourceSchedule(
  db: Database,
  sources: SourceService,
  options: { pollMs?: number; onError?: (error: unknown) => void } = {},
): () => Promise<void> {
  return startPeriodic(() => runDueSyncs(db, sources), {
    intervalMs: options.pollMs ?? 15_000,
    onError: options.onError,
  });
}
