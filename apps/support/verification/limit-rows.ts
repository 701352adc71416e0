/**
 * @module support/verification/limit-rows
 * The rows of `support_verification_limits` one attempt touches: taken and locked in one statement
 * (in a fixed order, so two attempts sharing subjects queue instead of deadlocking), brought up to
 * date (an expired lock or window forgotten, a conversation released by an operator), judged, and
 * written back. Times are epoch milliseconds from the guard's clock.
 */
import type { SqlExecutor } from '../../../src/store/database.ts';
import { type DimensionLimit, delayAfter, type VerificationDimension } from './limits.ts';

/** A subject one attempt is counted against. */
export interface Subject {
  readonly dimension: VerificationDimension;
  readonly subject: string;
}

/** One subject's counts, as read and as written back. */
export interface LimitRow extends Subject {
  readonly id: string;
  failures: number;
  windowStartedAt: number | null;
  lastFailureAt: number | null;
  lockedAt: number | null;
  lockedUntil: number | null;
  resolutionsSeen: number;
  alertedAt: number | null;
}

const epoch = (column: string, alias: string) =>
  `(extract(epoch FROM ${column}) * 1000)::float8 AS "${alias}"`;

const COLUMNS = `id::text AS id, dimension, subject, failures,
  ${epoch('window_started_at', 'windowStartedAt')}, ${epoch('last_failure_at', 'lastFailureAt')},
  ${epoch('locked_at', 'lockedAt')}, ${epoch('locked_until', 'lockedUntil')},
  resolutions_seen AS "resolutionsSeen", ${epoch('alerted_at', 'alertedAt')}`;

/** Takes (creating when new) and locks the rows of `subjects` until the transaction ends. */
export async function lockRows(
  tx: SqlExecutor,
  tenantId: string,
  subjects: readonly Subject[],
): Promise<LimitRow[]> {
  const sorted = [...subjects].sort((a, b) =>
    a.dimension === b.dimension ? a.subject.localeCompare(b.subject) : a.dimension.localeCompare(b.dimension),
  );
  // The no-op update makes ON CONFLICT lock the existing rows, and RETURNING gives every row.
  const { rows } = await tx.query<LimitRow>(
    `INSERT INTO support_verification_limits AS l (tenant_id, dimension, subject)
     SELECT $1, t.dimension, t.subject FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS t(dimension, subject, n)
     ORDER BY t.n
     ON CONFLICT (tenant_id, dimension, subject) DO UPDATE SET failures = l.failures
     RETURNING ${COLUMNS}`,
    [tenantId, sorted.map((s) => s.dimension), sorted.map((s) => s.subject)],
  );
  return rows.map((row) => ({
    ...row,
    failures: Number(row.failures),
    resolutionsSeen: Number(row.resolutionsSeen),
  }));
}

/** Forgets the counts of a row (a lock or window that ran out, a release by an operator). */
export function resetRow(row: LimitRow): void {
  row.failures = 0;
  row.windowStartedAt = null;
  row.lastFailureAt = null;
  row.lockedAt = null;
  row.lockedUntil = null;
  row.alertedAt = null;
}

/**
 * Brings a row up to `now`: an expired lock, or a window that ended without a lock, is forgotten. A
 * conversation an operator has closed or handed back since its last failure starts afresh.
 */
export function refreshRow(row: LimitRow, limit: DimensionLimit, now: number, resolutions: number): void {
  if (row.lockedUntil !== null && row.lockedUntil <= now) resetRow(row);
  else if (row.dimension === 'conversation' && resolutions > row.resolutionsSeen) resetRow(row);
  else if (
    row.lockedUntil === null &&
    row.windowStartedAt !== null &&
    row.windowStartedAt + limit.windowMs <= now
  )
    resetRow(row);
  if (row.dimension === 'conversation') row.resolutionsSeen = resolutions;
}

/** Whether the row refuses an attempt now: locked, or milliseconds still to wait (0: may try). */
export function standing(
  row: LimitRow,
  limit: DimensionLimit,
  now: number,
): { locked: boolean; waitMs: number } {
  if (row.lockedUntil !== null && row.lockedUntil > now)
    return { locked: true, waitMs: row.lockedUntil - now };
  const delay = delayAfter(limit, row.failures);
  // No delay is no wait, even if the last failure was stamped by a clock slightly ahead of ours.
  if (row.lastFailureAt === null || delay === 0) return { locked: false, waitMs: 0 };
  return { locked: false, waitMs: Math.max(0, row.lastFailureAt + delay - now) };
}

/** Counts a failure; true when it locked the row. */
export function countFailure(row: LimitRow, limit: DimensionLimit, now: number): boolean {
  row.windowStartedAt ??= now;
  row.failures++;
  row.lastFailureAt = now;
  if (row.failures < limit.lockAfter || row.lockedUntil !== null) return false;
  row.lockedAt = now;
  row.lockedUntil = now + limit.lockMs;
  return true;
}

/** Writes the rows back; a row with nothing left to remember is deleted. */
export async function saveRows(tx: SqlExecutor, rows: readonly LimitRow[]): Promise<void> {
  const at = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  for (const row of rows) {
    if (row.failures === 0 && row.lockedUntil === null) {
      await tx.query('DELETE FROM support_verification_limits WHERE id = $1', [row.id]);
      continue;
    }
    await tx.query(
      `UPDATE support_verification_limits SET failures = $2, window_started_at = $3, last_failure_at = $4,
         locked_at = $5, locked_until = $6, resolutions_seen = $7, alerted_at = $8
       WHERE id = $1`,
      [
        row.id,
        row.failures,
        at(row.windowStartedAt),
        at(row.lastFailureAt),
        at(row.lockedAt),
        at(row.lockedUntil),
        row.resolutionsSeen,
        at(row.alertedAt),
      ],
    );
  }
}
