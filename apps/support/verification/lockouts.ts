/**
 * @module support/verification/lockouts
 * What operators see and clear of the verification limits: every subject that refuses attempts now
 * (locked, or waiting out a delay), and with `all` every subject with failures on record. Clearing
 * forgets a subject's failures (and a customer's logged attempts), is audited, and is confined to the
 * operator's tenant (the CLI operator may act in any).
 */
import { NotFoundError } from '../../../src/errors.ts';
import { AuditLog } from '../../../src/identity/audit.ts';
import type { Database } from '../../../src/store/database.ts';
import { delayAfter, type VerificationDimension, type VerificationLimits } from './limits.ts';

/** One subject's standing, as operators see it. */
export interface Lockout {
  readonly id: string;
  readonly tenantId: string;
  readonly dimension: VerificationDimension;
  /** The conversation, session or key id, or the customer id. */
  readonly subject: string;
  readonly failures: number;
  /**
   * `locked` until `lockedUntil`; `waiting` until `retryAt`; `counting` has failures but refuses
   * nothing; `released`: a conversation an operator closed or handed back since (its next attempt
   * starts afresh).
   */
  readonly state: 'locked' | 'waiting' | 'counting' | 'released';
  readonly lastFailureAt: string | null;
  readonly lockedAt: string | null;
  readonly lockedUntil: string | null;
  readonly retryAt: string | null;
}

interface Row {
  id: string;
  tenantId: string;
  dimension: VerificationDimension;
  subject: string;
  failures: number;
  lastFailureAt: number | null;
  lockedAt: number | null;
  lockedUntil: number | null;
  released?: boolean;
}

const epoch = (column: string, alias: string) =>
  `(extract(epoch FROM ${column}) * 1000)::float8 AS "${alias}"`;
const COLUMNS = `id::text AS id, tenant_id AS "tenantId", dimension, subject, failures,
  ${epoch('last_failure_at', 'lastFailureAt')}, ${epoch('locked_at', 'lockedAt')},
  ${epoch('locked_until', 'lockedUntil')}`;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Lists and clears lockouts. */
export class VerificationLockouts {
  private readonly audit: AuditLog;

  constructor(
    private readonly db: Database,
    private readonly limits: VerificationLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.audit = new AuditLog(db);
  }

  /** Subjects refusing attempts now (with `all`, every one with failures), most recent first. */
  async list(
    tenantId: string | undefined,
    options: { all?: boolean; limit?: number } = {},
  ): Promise<Lockout[]> {
    // A conversation is released by an operator's close or hand-back since its last failure.
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS}, dimension = 'conversation' AND resolutions_seen < (
         SELECT count(returned_at) + count(closed_at) FROM escalations e
         WHERE e.tenant_id = l.tenant_id AND e.conversation_id = CASE WHEN l.subject ~* $2 THEN l.subject::uuid END
       ) AS released
       FROM support_verification_limits l
       WHERE ($1::text IS NULL OR tenant_id = $1) AND (failures > 0 OR locked_until IS NOT NULL)
       ORDER BY last_failure_at DESC NULLS LAST, id DESC`,
      [tenantId ?? null, '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'],
    );
    const now = this.now();
    const lockouts = rows.map((row) => this.view(row, now));
    const shown = options.all
      ? lockouts
      : lockouts.filter((lockout) => lockout.state === 'locked' || lockout.state === 'waiting');
    return shown.slice(0, options.limit ?? 100);
  }

  /** Forgets one subject's failures; another tenant's id, or one already cleared, is `lockout_not_found`. */
  async clear(tenantId: string | undefined, id: string, scope: { actor: string }): Promise<Lockout> {
    return this.db.transaction(async (tx) => {
      const { rows } = /^\d{1,18}$/.test(id)
        ? await tx.query<Row>(
            `DELETE FROM support_verification_limits WHERE id = $1 AND ($2::text IS NULL OR tenant_id = $2)
             RETURNING ${COLUMNS}`,
            [id, tenantId ?? null],
          )
        : { rows: [] };
      const row = rows[0];
      if (!row) throw new NotFoundError('lockout_not_found', `There is no lockout ${id}.`);
      if (row.dimension === 'customer') {
        await tx.query(
          'DELETE FROM support_verification_failures WHERE tenant_id = $1 AND customer_id = $2',
          [row.tenantId, row.subject],
        );
      }
      const cleared = this.view(row, this.now());
      await this.audit.record(
        {
          tenantId: row.tenantId,
          actor: scope.actor,
          action: 'support.lockout.clear',
          target: row.subject,
          details: { dimension: row.dimension, failures: Number(row.failures), state: cleared.state },
        },
        tx,
      );
      return cleared;
    });
  }

  private view(row: Row, now: number): Lockout {
    const failures = Number(row.failures);
    const limit = this.limits[row.dimension];
    const retryAt = row.lastFailureAt === null ? null : row.lastFailureAt + delayAfter(limit, failures);
    const state = row.released
      ? 'released'
      : row.lockedUntil !== null && row.lockedUntil > now
        ? 'locked'
        : retryAt !== null && retryAt > now && row.lockedUntil === null
          ? 'waiting'
          : 'counting';
    return {
      id: row.id,
      tenantId: row.tenantId,
      dimension: row.dimension,
      subject: row.subject,
      failures,
      state,
      lastFailureAt: iso(row.lastFailureAt),
      lockedAt: iso(row.lockedAt),
      lockedUntil: iso(row.lockedUntil),
      retryAt: state === 'waiting' ? iso(retryAt) : null,
    };
  }
}
