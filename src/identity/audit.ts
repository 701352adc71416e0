/**
 * @module identity/audit
 * The audit log: who (a key id, or `cli` for the trusted operator) did what to which target, in which
 * tenant. Written for every administrative action; never holds a secret.
 */
import type { SqlExecutor } from '../store/database.ts';

/** One audit entry. */
export interface AuditEntry {
  readonly id: number;
  readonly tenantId: string;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly target: string | null;
  readonly details: Record<string, unknown>;
}

/** What to record. */
export interface AuditEvent {
  readonly tenantId: string;
  readonly actor: string;
  readonly action: string;
  readonly target?: string;
  readonly details?: Record<string, unknown>;
}

/** Reads and writes the audit log. */
export class AuditLog {
  constructor(private readonly db: SqlExecutor) {}

  /** Records one event; pass a transaction as `executor` to make it part of the change it records. */
  async record(event: AuditEvent, executor: SqlExecutor = this.db): Promise<void> {
    await executor.query(
      'INSERT INTO audit_log (tenant_id, actor, action, target, details) VALUES ($1, $2, $3, $4, $5)',
      [event.tenantId, event.actor, event.action, event.target ?? null, JSON.stringify(event.details ?? {})],
    );
  }

  /** Newest first; all tenants when `tenantId` is undefined (the CLI operator's view). */
  async list(options: { tenantId?: string; limit?: number } = {}): Promise<AuditEntry[]> {
    const { rows } = await this.db.query<AuditEntry>(
      `SELECT id::int AS id, tenant_id AS "tenantId", at::text AS at, actor, action, target, details
       FROM audit_log WHERE ($1::text IS NULL OR tenant_id = $1) ORDER BY at DESC, id DESC LIMIT $2`,
      [options.tenantId ?? null, options.limit ?? 50],
    );
    return rows;
  }
}
