/**
 * @module support/verification/guard
 * One verification attempt under every limit at once. The order number and the email must name the
 * same customer (the order's customer has that email). Each attempt is counted against the
 * conversation, its session, the key behind it, and every customer it names (whose order or email was
 * tried), in one transaction that locks those rows, so concurrent attempts in any number of processes
 * queue and cannot exceed a limit. A caller that is locked or must wait is told so (that says nothing
 * about the customer); a customer that is locked or must wait is not compared at all, and the caller
 * gets exactly what a wrong guess gets, so a lockout does not reveal that the email or order exists.
 *
 * @example
 * const guard = new VerificationGuard(db, { metrics: verificationMetrics(app.observability.metrics.registry) });
 * const outcome = await guard.attempt({ tenantId, conversationId, orderNumber: 'GW-10001', email });
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { AuditLog } from '../../../src/identity/audit.ts';
import { logger } from '../../../src/observability/logger.ts';
import type { Database, SqlExecutor } from '../../../src/store/database.ts';
import { type VerificationCaller, verificationCallerOf } from './callers.ts';
import {
  countFailure,
  type LimitRow,
  lockRows,
  refreshRow,
  resetRow,
  type Subject,
  saveRows,
  standing,
} from './limit-rows.ts';
import { resolveLimits, type VerificationLimits, type VerificationLimitsInput } from './limits.ts';
import { NO_VERIFICATION_METRICS, type VerificationMetrics } from './metrics.ts';
import { logFailures, soundAlarm } from './target-log.ts';

/** One attempt. */
export interface VerificationRequest {
  readonly tenantId: string;
  readonly conversationId: string;
  readonly orderNumber: string;
  readonly email: string;
}

/** What became of it. */
export type VerificationOutcome =
  | { readonly kind: 'verified'; readonly customer: { id: string; name: string; email: string } }
  /** Not verified; `lockedOut` when this failure used the caller's last attempt. */
  | { readonly kind: 'failed'; readonly lockedOut: boolean }
  /** The caller is locked: nothing was compared. */
  | { readonly kind: 'locked' }
  /** The caller must wait before trying again: nothing was compared. */
  | { readonly kind: 'wait'; readonly retryAfterSeconds: number };

/** Options of the guard. */
export interface VerificationGuardOptions {
  readonly limits?: VerificationLimitsInput;
  /** The limits' clock (epoch milliseconds); tests move it instead of waiting. */
  readonly now?: () => number;
  readonly metrics?: VerificationMetrics;
}

const digest = (value: string) => createHash('sha256').update(value.trim().toLowerCase()).digest();

/** Counts attempts and decides them. */
export class VerificationGuard {
  readonly limits: VerificationLimits;
  private readonly now: () => number;
  private readonly metrics: VerificationMetrics;
  private readonly audit: AuditLog;

  /**
   * `db` is the database, or a transaction already open (the scenario runner rolls each scenario
   * back): then the rows stay locked until that transaction ends.
   */
  constructor(
    private readonly db: Database | SqlExecutor,
    options: VerificationGuardOptions = {},
  ) {
    this.limits = resolveLimits(options.limits);
    this.now = options.now ?? Date.now;
    this.metrics = options.metrics ?? NO_VERIFICATION_METRICS;
    this.audit = new AuditLog(db);
  }

  /** Tries `request` under every limit. */
  async attempt(request: VerificationRequest): Promise<VerificationOutcome> {
    const { tenantId } = request;
    const caller = await verificationCallerOf(this.db, request);
    const orderNumber = request.orderNumber.trim().toUpperCase();
    const found = await this.lookup(tenantId, orderNumber, request.email);
    const targets = [...new Set([found.order?.id, found.emailCustomerId].filter((id) => id !== undefined))];
    const resolutions = await this.resolutions(tenantId, request.conversationId);
    const charged: LimitRow[] = [];
    const locked: LimitRow[] = [];
    let alarms = 0;
    const outcome = await inTransaction(this.db, async (tx) => {
      const rows = await lockRows(tx, tenantId, [
        ...subjectsOf(caller),
        ...targets.map((id): Subject => ({ dimension: 'customer', subject: id })),
      ]);
      // Read once the rows are ours: an attempt that queued behind another sees a clock at or after
      // the failure that one wrote, never before it.
      const now = this.now();
      for (const row of rows) refreshRow(row, this.limits[row.dimension], now, resolutions);
      const callers = rows.filter((row) => row.dimension !== 'customer');
      const customers = rows.filter((row) => row.dimension === 'customer');
      const states = callers.map((row) => standing(row, this.limits[row.dimension], now));
      let result: VerificationOutcome;
      if (states.some((state) => state.locked)) result = { kind: 'locked' };
      else if (states.some((state) => state.waitMs > 0)) {
        const waitMs = Math.max(...states.map((state) => state.waitMs));
        result = { kind: 'wait', retryAfterSeconds: Math.ceil(waitMs / 1000) };
      } else {
        // A customer who is locked or must wait is not compared: the attempt fails like any wrong one.
        const refused = customers.some((row) => {
          const state = standing(row, this.limits.customer, now);
          return state.locked || state.waitMs > 0;
        });
        const order = found.order;
        // Compared even when the order is unknown, so timing does not tell a wrong order from a wrong email.
        const sameEmail = timingSafeEqual(digest(order?.email ?? '\u0000no-order'), digest(request.email));
        if (!refused && order && sameEmail) {
          for (const row of rows) if (row.dimension !== 'key') resetRow(row);
          result = { kind: 'verified', customer: order };
        } else {
          let lockedOut = false;
          for (const row of refused ? callers : rows) {
            charged.push(row);
            if (!countFailure(row, this.limits[row.dimension], now)) continue;
            locked.push(row);
            if (row.dimension !== 'customer') lockedOut = true;
            await this.audit.record(
              {
                tenantId,
                actor: caller.actor,
                action: 'support.verification.lockout',
                target: row.subject,
                details: {
                  dimension: row.dimension,
                  failures: row.failures,
                  lockedUntil: new Date(row.lockedUntil!).toISOString(),
                },
              },
              tx,
            );
          }
          await logFailures(tx, {
            tenantId,
            caller,
            orderNumber,
            now,
            refused,
            customers,
            limits: this.limits,
          });
          for (const row of customers)
            if (await soundAlarm(tx, { tenantId, caller, row, now, limits: this.limits, audit: this.audit }))
              alarms++;
          result = { kind: 'failed', lockedOut };
        }
      }
      await saveRows(tx, rows);
      return result;
    });
    // Counted once the transaction committed, so a rolled-back attempt counts nothing.
    for (const row of charged) this.metrics.failures.inc({ dimension: row.dimension });
    if (alarms > 0) this.metrics.guessingAlerts.inc(alarms);
    for (const row of locked) {
      this.metrics.lockouts.inc({ dimension: row.dimension });
      // A conversation locking is routine (three wrong tries, then a person): audited and counted only.
      if (row.dimension === 'conversation') continue;
      logger.warn(
        { tenantId, dimension: row.dimension, subject: row.subject, failures: row.failures },
        'Customer verification locked after repeated failures.',
      );
    }
    return outcome;
  }

  /** The order's customer, and the customer whose email was given (either may be missing). */
  private async lookup(tenantId: string, orderNumber: string, email: string) {
    const { rows } = await this.db.query<{ id: string; name: string; email: string; kind: string }>(
      `SELECT c.id, c.name, c.email, 'order' AS kind FROM support_orders o
       JOIN support_customers c ON c.tenant_id = o.tenant_id AND c.id = o.customer_id
       WHERE o.tenant_id = $1 AND o.order_number = $2
       UNION ALL
       SELECT id, name, email, 'email' FROM support_customers WHERE tenant_id = $1 AND lower(email) = lower($3)`,
      [tenantId, orderNumber, email.trim()],
    );
    const order = rows.find((row) => row.kind === 'order');
    return {
      order: order ? { id: order.id, name: order.name, email: order.email } : undefined,
      emailCustomerId: rows.find((row) => row.kind === 'email')?.id,
    };
  }

  /** How many times operators closed or handed back the conversation (each releases its lock). */
  private async resolutions(tenantId: string, conversationId: string): Promise<number> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(conversationId)) return 0;
    const { rows } = await this.db.query<{ n: number }>(
      `SELECT (count(returned_at) + count(closed_at))::int AS n FROM escalations
       WHERE tenant_id = $1 AND conversation_id = $2`,
      [tenantId, conversationId],
    );
    return Number(rows[0]?.n ?? 0);
  }
}

function inTransaction<T>(db: Database | SqlExecutor, fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
  return 'transaction' in db ? db.transaction(fn) : fn(db);
}

function subjectsOf(caller: VerificationCaller): Subject[] {
  return [
    { dimension: 'conversation', subject: caller.conversationId },
    ...(caller.sessionId ? [{ dimension: 'session' as const, subject: caller.sessionId }] : []),
    ...(caller.keySubject ? [{ dimension: 'key' as const, subject: caller.keySubject }] : []),
  ];
}
