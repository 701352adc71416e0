/**
 * @module identity/sessions
 * Signed customer sessions for chat widgets. A tenant's backend (an operator or admin key) vouches for
 * a signed-in customer and gets a session for that customer; a public widget key (customer role) gets
 * an anonymous session. Either way the browser holds a short-lived token, never a key. The token is
 * signed (identity/session-token.ts) and the session is also a row, so it can be revoked at once and
 * a customer who verifies later (order number plus email) stays bound to it. Issue, revoke and
 * verification are audited.
 *
 * @example
 * const issued = await sessions.create({ tenantId: 'acme', customer: { customerId: 'C-1' } }, { actor });
 * const checked = await sessions.authenticate(issued.token); // { ok: true, session: {...} }
 */
import { InvalidRequestError, NotFoundError } from '../errors.ts';
import { startPeriodic } from '../os/periodic.ts';
import type { Database } from '../store/database.ts';
import { AuditLog } from './audit.ts';
import { type KeyQuota, type QuotaColumns, quotaOf } from './key-quotas.ts';
import { readSessionToken, type SessionClaims, signSessionToken } from './session-token.ts';

/** A session as the API shows it: never the token. */
export interface CustomerSession {
  readonly id: string;
  readonly tenantId: string;
  /** The verified customer, or null while anonymous. */
  readonly customerId: string | null;
  readonly customerEmail: string | null;
  /** How the customer was verified: vouched for by the issuer, or by order number plus email. */
  readonly verifiedBy: 'issuer' | 'order-and-email' | null;
  readonly issuedBy: string;
  /** The API key that issued the session (its quota pays, and the session ends with it); null for the CLI or OIDC. */
  readonly issuedByKey: string | null;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly revokedAt: string | null;
}

/** A new session with its token, which is returned once. */
export interface IssuedSession {
  readonly token: string;
  readonly session: CustomerSession;
}

/** The customer a session is issued for. */
export interface SessionCustomer {
  readonly customerId: string;
  readonly email?: string;
}

/** What to issue. */
export interface NewSession {
  readonly tenantId: string;
  /** Absent: an anonymous session. */
  readonly customer?: SessionCustomer;
  /** Lifetime; the service's default when absent, never above its maximum. */
  readonly ttlSeconds?: number;
  /**
   * The API key issuing it: the session is charged to its quota and ends when it is revoked, rotated
   * away or expires. Absent for the CLI and for OIDC callers, which have no key.
   */
  readonly issuedByKey?: string;
}

/** Lifetimes. */
export interface SessionSettings {
  readonly defaultTtlSeconds: number;
  readonly maxTtlSeconds: number;
}

/** Why a session token was refused; `key-…` when the key that issued it ended. */
export type SessionRefusal = 'invalid' | 'expired' | 'revoked' | 'key-revoked' | 'key-expired';

/** A session that may act now. */
export interface SessionIdentity {
  readonly sessionId: string;
  readonly tenantId: string;
  readonly customerId: string | null;
  /** The key that issued it, or null (CLI, OIDC). */
  readonly issuedByKey: string | null;
  /** That key's quota, which the session's requests count against; null without one. */
  readonly quota: KeyQuota | null;
}

/** The result of `authenticate`: expected failures are values, not exceptions. */
export type SessionAuthentication =
  | { ok: true; session: SessionIdentity }
  | { ok: false; reason: SessionRefusal };

/** Expired sessions are kept a day (for support questions about a session that just ended), then deleted. */
const PURGE_GRACE_MS = 24 * 60 * 60 * 1000;
const PURGE_INTERVAL_MS = 60 * 60 * 1000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const COLUMNS = `id, tenant_id AS "tenantId", customer_id AS "customerId", customer_email AS "customerEmail",
  verified_by AS "verifiedBy", issued_by AS "issuedBy", issued_key_id::text AS "issuedByKey",
  created_at::text AS "createdAt",
  expires_at::text AS "expiresAt", revoked_at::text AS "revokedAt"`;

/** What the session service is built from. */
export interface SessionServiceOptions {
  /** The key sessions are signed with (identity/session-secret.ts). */
  readonly secret: Buffer;
  readonly settings: SessionSettings;
  /** The clock in milliseconds; default `Date.now`. */
  readonly now?: () => number;
  /** Called after a session is revoked (the credential watch re-checks open streams at once). */
  readonly onRevoked?: () => void;
}

/** How `startPurging` runs. */
export interface PurgeOptions {
  /** Default one hour. */
  readonly intervalMs?: number;
  /** Hears a purge that failed (the next one runs anyway). */
  readonly onError?: (error: unknown) => void;
}

/** The session service. */
export class SessionService {
  private readonly audit: AuditLog;
  readonly settings: SessionSettings;
  private readonly secret: Buffer;
  private readonly now: () => number;
  private readonly onRevoked: () => void;

  constructor(
    private readonly db: Database,
    options: SessionServiceOptions,
  ) {
    this.audit = new AuditLog(db);
    this.secret = options.secret;
    this.settings = options.settings;
    this.now = options.now ?? Date.now;
    this.onRevoked = options.onRevoked ?? (() => {});
  }

  /** Issues a session (the tenant must exist); the token is in the result and nowhere else. */
  async create(request: NewSession, scope: { actor: string }): Promise<IssuedSession> {
    const ttl = request.ttlSeconds ?? this.settings.defaultTtlSeconds;
    if (!Number.isInteger(ttl) || ttl < 1 || ttl > this.settings.maxTtlSeconds) {
      throw new InvalidRequestError(
        'invalid_ttl',
        `ttlSeconds must be a whole number from 1 to ${this.settings.maxTtlSeconds}.`,
      );
    }
    // Whole seconds, so the row and the token's `exp` name the same instant.
    const expiresAt = new Date((Math.floor(this.now() / 1000) + ttl) * 1000);
    const customer = request.customer;
    const session = await this.db.transaction(async (tx) => {
      // Sessions never create tenants (the CLI may name any).
      const tenant = await tx.query('SELECT 1 FROM tenants WHERE id = $1', [request.tenantId]);
      if (tenant.rows.length === 0)
        throw new NotFoundError('tenant_not_found', `There is no tenant ${request.tenantId}.`);
      const { rows } = await tx.query<CustomerSession>(
        `INSERT INTO customer_sessions
           (tenant_id, customer_id, customer_email, verified_by, verified_at, issued_by, expires_at,
            issued_key_id)
         VALUES ($1, $2, $3, $4, CASE WHEN $2::text IS NULL THEN NULL ELSE now() END, $5, $6, $7::uuid)
         RETURNING ${COLUMNS}`,
        [
          request.tenantId,
          customer?.customerId ?? null,
          customer?.email ?? null,
          customer ? 'issuer' : null,
          scope.actor,
          expiresAt.toISOString(),
          request.issuedByKey ?? null,
        ],
      );
      const created = rows[0]!;
      await this.audit.record(
        {
          tenantId: request.tenantId,
          actor: scope.actor,
          action: 'session.create',
          target: created.id,
          details: { customerId: created.customerId, expiresAt: created.expiresAt },
        },
        tx,
      );
      return created;
    });
    const claims: SessionClaims = {
      v: 1,
      t: session.tenantId,
      s: session.id,
      r: 'customer',
      c: session.customerId,
      exp: expiresAt.getTime() / 1000,
    };
    return { token: signSessionToken(claims, this.secret), session };
  }

  /** One session of the tenant, or null (another tenant's session is not found). */
  async get(tenantId: string, id: string): Promise<CustomerSession | null> {
    if (!UUID.test(id)) return null;
    const { rows } = await this.db.query<CustomerSession>(
      `SELECT ${COLUMNS} FROM customer_sessions WHERE id = $1 AND tenant_id = $2`,
      [id, tenantId],
    );
    return rows[0] ?? null;
  }

  /**
   * Revokes a session now; revoking twice keeps the first time. `tenantId` confines an HTTP caller
   * to their tenant (another tenant's session is `session_not_found`); the CLI operator may leave it out.
   */
  async revoke(tenantId: string | undefined, id: string, scope: { actor: string }): Promise<CustomerSession> {
    return this.db
      .transaction(async (tx) => {
        const { rows } = UUID.test(id)
          ? await tx.query<CustomerSession>(
              `UPDATE customer_sessions SET revoked_at = coalesce(revoked_at, now())
             WHERE id = $1 AND ($2::text IS NULL OR tenant_id = $2) RETURNING ${COLUMNS}`,
              [id, tenantId ?? null],
            )
          : { rows: [] };
        const session = rows[0];
        if (!session) throw new NotFoundError('session_not_found', `There is no session ${id}.`);
        await this.audit.record(
          { tenantId: session.tenantId, actor: scope.actor, action: 'session.revoke', target: id },
          tx,
        );
        return session;
      })
      .then((session) => {
        this.onRevoked();
        return session;
      });
  }

  /**
   * Revokes every live session `keyId` issued (a leaked widget key, a shopper signed out everywhere);
   * returns how many. The key itself is left alone. `tenantId` confines an HTTP caller to their
   * tenant: another tenant's key is `key_not_found`, as a missing one is.
   */
  async revokeIssuedBy(
    tenantId: string | undefined,
    keyId: string,
    scope: { actor: string },
  ): Promise<{ keyId: string; revoked: number }> {
    const revoked = await this.db.transaction(async (tx) => {
      const key = UUID.test(keyId)
        ? await tx.query<{ tenantId: string }>(
            `SELECT tenant_id AS "tenantId" FROM api_keys WHERE id = $1 AND ($2::text IS NULL OR tenant_id = $2)`,
            [keyId, tenantId ?? null],
          )
        : { rows: [] };
      const owner = key.rows[0];
      if (!owner) throw new NotFoundError('key_not_found', `There is no key ${keyId}.`);
      const { rows } = await tx.query<{ count: number }>(
        `WITH ended AS (
           UPDATE customer_sessions SET revoked_at = now()
           WHERE issued_key_id = $1 AND revoked_at IS NULL AND expires_at > now() RETURNING 1)
         SELECT count(*)::int AS count FROM ended`,
        [keyId],
      );
      const count = rows[0]?.count ?? 0;
      await this.audit.record(
        {
          tenantId: owner.tenantId,
          actor: scope.actor,
          action: 'session.revoke-key',
          target: keyId,
          details: { revoked: count },
        },
        tx,
      );
      return count;
    });
    this.onRevoked();
    return { keyId, revoked };
  }

  /**
   * Binds a customer verified in the conversation to an anonymous session, so its later turns and
   * conversations act for that customer. A session that already has a customer keeps it.
   */
  async bindCustomer(tenantId: string, id: string, customer: SessionCustomer): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ id: string }>(
        `UPDATE customer_sessions
         SET customer_id = $3, customer_email = $4, verified_by = 'order-and-email', verified_at = now()
         WHERE id = $1 AND tenant_id = $2 AND customer_id IS NULL RETURNING id`,
        [id, tenantId, customer.customerId, customer.email ?? null],
      );
      if (rows.length === 0) return false;
      await this.audit.record(
        {
          tenantId,
          actor: `session:${id}`,
          action: 'session.verify',
          target: id,
          details: { customerId: customer.customerId, verifiedBy: 'order-and-email' },
        },
        tx,
      );
      return true;
    });
  }

  /**
   * Deletes sessions that expired more than `graceMs` ago; returns how many. Their tokens are refused
   * as `expired` from their own claims before any lookup, so nothing a caller sees changes, and the
   * table no longer grows with every widget visit. The app runs it at start and every hour.
   */
  async purgeExpired(graceMs = PURGE_GRACE_MS): Promise<number> {
    const { rows } = await this.db.query<{ count: number }>(
      `WITH gone AS (DELETE FROM customer_sessions WHERE expires_at < $1 RETURNING 1)
       SELECT count(*)::int AS count FROM gone`,
      [new Date(this.now() - graceMs).toISOString()],
    );
    return rows[0]?.count ?? 0;
  }

  /**
   * Purges now and then every `intervalMs` (never two purges at once); the returned function stops it
   * and waits for a purge under way.
   */
  startPurging(options: PurgeOptions = {}): () => Promise<void> {
    return startPeriodic(() => this.purgeExpired(), {
      intervalMs: options.intervalMs ?? PURGE_INTERVAL_MS,
      onError: options.onError,
    });
  }

  /**
   * Who a presented `gws_…` token is, or why it is refused. A session ends with the key that issued
   * it: revoked (a rotation's grace over counts as revoked) or expired, read in the same query.
   */
  async authenticate(token: string): Promise<SessionAuthentication> {
    const claims = readSessionToken(token, this.secret);
    if (!claims) return { ok: false, reason: 'invalid' };
    if (claims.exp * 1000 <= this.now()) return { ok: false, reason: 'expired' };
    if (!UUID.test(claims.s)) return { ok: false, reason: 'invalid' };
    const { rows } = await this.db.query<
      {
        tenantId: string;
        customerId: string | null;
        revoked: boolean;
        issuedByKey: string | null;
        keyRevoked: boolean;
        keyExpired: boolean;
      } & QuotaColumns
    >(
      `SELECT s.tenant_id AS "tenantId", s.customer_id AS "customerId", s.revoked_at IS NOT NULL AS revoked,
              s.issued_key_id::text AS "issuedByKey",
              coalesce(k.revoked_at <= now(), false) AS "keyRevoked",
              coalesce(k.expires_at <= now(), false) AS "keyExpired",
              k.quota_period AS "quotaPeriod", k.quota_requests AS "quotaRequests",
              k.quota_tokens AS "quotaTokens"
       FROM customer_sessions s LEFT JOIN api_keys k ON k.id = s.issued_key_id
       WHERE s.id = $1`,
      [claims.s],
    );
    const row = rows[0];
    // A signed token whose row is gone (tenant deleted) or names another tenant is not ours to honour.
    if (!row || row.tenantId !== claims.t) return { ok: false, reason: 'invalid' };
    if (claims.c !== null && row.customerId !== claims.c) return { ok: false, reason: 'invalid' };
    if (row.revoked) return { ok: false, reason: 'revoked' };
    if (row.keyRevoked) return { ok: false, reason: 'key-revoked' };
    if (row.keyExpired) return { ok: false, reason: 'key-expired' };
    return {
      ok: true,
      session: {
        sessionId: claims.s,
        tenantId: row.tenantId,
        customerId: row.customerId,
        issuedByKey: row.issuedByKey,
        quota: quotaOf(row),
      },
    };
  }
}
