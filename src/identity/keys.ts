/**
 * @module identity/keys
 * API keys: create, list, revoke, rotate, and authenticate a presented key. A key belongs to one
 * tenant, has one role and the ACL principals it acts as. The secret is returned once, by `create`
 * and `rotate`, and only its hash is stored. Every change is written to the audit log in the same
 * transaction. `scope.tenantId` confines an HTTP admin to their own tenant (another tenant's key is
 * simply not found); the CLI operator may leave it out.
 */
import { ConflictError, InvalidRequestError, NotFoundError } from '../errors.ts';
import type { AnswerLogReader } from '../spec/answer-log.ts';
import type { Database, SqlExecutor } from '../store/database.ts';
import { ensureTenant } from '../store/documents.ts';
import { AuditLog } from './audit.ts';
import {
  checkQuota,
  type KeyQuota,
  KeyQuotas,
  type KeyUsage,
  type QuotaColumns,
  quotaOf,
} from './key-quotas.ts';
import { mintSecret, parseToken, secretMatches } from './key-secret.ts';
import type { Role } from './roles.ts';

/** A key as lists show it: never the secret or its hash. */
export interface ApiKey {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly role: Role;
  readonly principals: string[];
  /** `gw_<prefix>_…`: enough to recognise a key, useless to call with. */
  readonly prefix: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly rotatedFrom: string | null;
  /** May read what spans tenants (`/metrics`); only the CLI makes platform keys. */
  readonly platform: boolean;
  /** Requests and/or answer tokens per day or month, or null for none. */
  readonly quota: KeyQuota | null;
  /** Use in the quota's current period (lists fill it in), or null without a quota. */
  readonly usage: KeyUsage | null;
}

/** A key with its secret, as `create` and `rotate` return it, once. */
export interface IssuedKey {
  readonly key: ApiKey;
  readonly secret: string;
}

/** What to create. */
export interface NewKey {
  readonly tenantId: string;
  readonly name: string;
  readonly role: Role;
  readonly principals?: readonly string[];
  /** Seconds until the key stops working; never when absent. */
  readonly expiresInSeconds?: number;
  /** A platform key (admin role only); the HTTP API never sets it. */
  readonly platform?: boolean;
  readonly quota?: KeyQuota | null;
}

/** Who acts (a key id, or `cli`) and, for HTTP callers, the only tenant they may touch. */
export interface KeyScope {
  readonly actor: string;
  readonly tenantId?: string;
}

/** Who a valid key is. */
export interface KeyIdentity {
  readonly keyId: string;
  readonly tenantId: string;
  readonly role: Role;
  readonly principals: readonly string[];
  readonly platform: boolean;
  readonly quota: KeyQuota | null;
}

/** Why a key was refused. */
export type KeyRefusal = 'unknown' | 'revoked' | 'expired';

/** The result of `authenticate`: expected failures are values, not exceptions. */
export type Authentication = { ok: true; identity: KeyIdentity } | { ok: false; reason: KeyRefusal };

/** `last_used_at` is written at most this often per key, so authentication rarely writes. */
const LAST_USED_RESOLUTION_MS = 60_000;

const COLUMNS = `id, tenant_id AS "tenantId", name, role, principals, 'gw_' || prefix || '_…' AS prefix,
  created_at::text AS "createdAt", last_used_at::text AS "lastUsedAt", expires_at::text AS "expiresAt",
  revoked_at::text AS "revokedAt", rotated_from AS "rotatedFrom", platform, quota_period AS "quotaPeriod",
  quota_requests AS "quotaRequests", quota_tokens AS "quotaTokens"`;

/** A row as `COLUMNS` reads it. */
type KeyRow = Omit<ApiKey, 'quota' | 'usage'> & QuotaColumns;

/** Options of the key service. */
export interface ApiKeyServiceOptions {
  /**
   * Called after a revocation or rotation has committed, so this process's open streams can re-check
   * their keys at once (see identity/credential-watch.ts).
   */
  readonly onRevoked?: () => void;
  /** The answer log, which token quotas read (its batched writer flushes first). */
  readonly answers?: AnswerLogReader;
}

const PRINCIPAL_PATTERN = /^(\*|[a-z][a-z0-9_-]*:\S{1,200})$/;

/** The key service. */
export class ApiKeyService {
  readonly audit: AuditLog;
  /** Set once this process has seen that a key exists; keys are never deleted, so it stays true. */
  private knownToExist = false;
  private lastExistsCheck = 0;

  /** Per-key quotas: counted on each request, and shown in lists. */
  readonly quotas: KeyQuotas;
  private readonly onRevoked: () => void;

  constructor(
    private readonly db: Database,
    options: ApiKeyServiceOptions = {},
  ) {
    this.audit = new AuditLog(db);
    this.quotas = new KeyQuotas(db, { answers: options.answers });
    this.onRevoked = options.onRevoked ?? (() => {});
  }

  /** Creates a key (and its tenant, when new); the secret is in the result and nowhere else. */
  async create(request: NewKey, scope: KeyScope): Promise<IssuedKey> {
    const principals = checkPrincipals(request.principals ?? []);
    const quota = request.quota ? checkQuota(request.quota) : null;
    if (request.platform && request.role !== 'admin') {
      throw new InvalidRequestError('invalid_platform_key', 'A platform key must have the admin role.');
    }
    const issued = await this.db.transaction(async (tx) => {
      await ensureTenant(tx, request.tenantId);
      const issued = await insertKey(tx, { ...request, principals, quota }, null);
      await this.audit.record(
        {
          tenantId: request.tenantId,
          actor: scope.actor,
          action: 'key.create',
          target: issued.key.id,
          details: {
            name: request.name,
            role: request.role,
            principals,
            expiresAt: issued.key.expiresAt,
            platform: request.platform === true,
            quota,
          },
        },
        tx,
      );
      return issued;
    });
    this.knownToExist = true;
    return issued;
  }

  /**
   * Keys of one tenant, or of all when `tenantId` is undefined (the CLI operator's view), each with
   * its use in the current quota period when it has a quota.
   */
  async list(tenantId?: string): Promise<ApiKey[]> {
    const { rows } = await this.db.query<KeyRow>(
      `SELECT ${COLUMNS} FROM api_keys WHERE ($1::text IS NULL OR tenant_id = $1) ORDER BY created_at, id`,
      [tenantId ?? null],
    );
    const keys = rows.map(toApiKey);
    return Promise.all(
      keys.map(async (key) =>
        key.quota ? { ...key, usage: await this.quotas.usage({ keyId: key.id, ...key }, key.quota) } : key,
      ),
    );
  }

  /** Sets (or, with null, removes) a key's quota; its use so far in the period still counts. */
  async setQuota(id: string, quota: KeyQuota | null, scope: KeyScope): Promise<ApiKey> {
    const checked = quota ? checkQuota(quota) : null;
    const updated = await this.db.transaction(async (tx) => {
      const key = await requireKey(tx, id, scope.tenantId);
      await tx.query(
        'UPDATE api_keys SET quota_period = $2, quota_requests = $3, quota_tokens = $4 WHERE id = $1',
        [key.id, checked?.period ?? null, checked?.requests ?? null, checked?.tokens ?? null],
      );
      await this.audit.record(
        {
          tenantId: key.tenantId,
          actor: scope.actor,
          action: 'key.quota',
          target: id,
          details: { quota: checked },
        },
        tx,
      );
      return (await getKey(tx, id))!;
    });
    return updated.quota
      ? { ...updated, usage: await this.quotas.usage({ keyId: updated.id, ...updated }, updated.quota) }
      : updated;
  }

  /** One key in scope, or null (another tenant's key is not found, never shown). */
  async get(id: string, scope: Pick<KeyScope, 'tenantId'> = {}): Promise<ApiKey | null> {
    return getKey(this.db, id, scope.tenantId);
  }

  /** Revokes a key now; revoking a revoked key keeps its first revocation time. */
  async revoke(id: string, scope: KeyScope): Promise<ApiKey> {
    const revoked = await this.db.transaction(async (tx) => {
      const key = await requireKey(tx, id, scope.tenantId);
      await tx.query(
        'UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND (revoked_at IS NULL OR revoked_at > now())',
        [key.id],
      );
      await this.audit.record(
        { tenantId: key.tenantId, actor: scope.actor, action: 'key.revoke', target: id },
        tx,
      );
      return (await getKey(tx, id))!;
    });
    this.onRevoked();
    return revoked;
  }

  /**
   * Issues a new secret with the same name, role, principals and expiry, and revokes the old key:
   * at once, or after `graceSeconds` so clients can switch over.
   */
  async rotate(id: string, scope: KeyScope, options: { graceSeconds?: number } = {}): Promise<IssuedKey> {
    const issued = await this.db.transaction(async (tx) => {
      const old = await requireKey(tx, id, scope.tenantId);
      if (old.revokedAt !== null && Date.parse(old.revokedAt) <= Date.now()) {
        throw new ConflictError('key_revoked', `Key ${id} is revoked; create a new key instead.`);
      }
      const grace = options.graceSeconds ?? 0;
      await tx.query(`UPDATE api_keys SET revoked_at = now() + make_interval(secs => $2) WHERE id = $1`, [
        old.id,
        grace,
      ]);
      const expiresInSeconds =
        old.expiresAt === null
          ? undefined
          : Math.max(1, Math.ceil((Date.parse(old.expiresAt) - Date.now()) / 1000));
      const issued = await insertKey(tx, { ...old, expiresInSeconds }, old.id);
      // What the old key used this period stays with the new one, so rotating does not reset a quota.
      await tx.query(
        `INSERT INTO key_usage (key_id, period_start, requests)
         SELECT $2, period_start, requests FROM key_usage WHERE key_id = $1`,
        [old.id, issued.key.id],
      );
      await this.audit.record(
        {
          tenantId: old.tenantId,
          actor: scope.actor,
          action: 'key.rotate',
          target: old.id,
          details: { newKeyId: issued.key.id, graceSeconds: grace },
        },
        tx,
      );
      return issued;
    });
    this.onRevoked();
    return issued;
  }

  /** Who a presented `gw_…` token is, or why it is refused. */
  async authenticate(token: string): Promise<Authentication> {
    const parsed = parseToken(token);
    if (!parsed) return { ok: false, reason: 'unknown' };
    const { rows } = await this.db.query<
      {
        id: string;
        tenantId: string;
        role: Role;
        principals: string[];
        hash: string;
        revoked: boolean;
        expired: boolean;
        lastUsedAt: Date | string | null;
        platform: boolean;
      } & QuotaColumns
    >(
      `SELECT id, tenant_id AS "tenantId", role, principals, hash, last_used_at AS "lastUsedAt", platform,
              quota_period AS "quotaPeriod", quota_requests AS "quotaRequests", quota_tokens AS "quotaTokens",
              coalesce(revoked_at <= now(), false) AS revoked, coalesce(expires_at <= now(), false) AS expired
       FROM api_keys WHERE prefix = $1`,
      [parsed.prefix],
    );
    const row = rows[0];
    if (!row || !secretMatches(parsed.secret, row.hash)) return { ok: false, reason: 'unknown' };
    if (row.revoked) return { ok: false, reason: 'revoked' };
    if (row.expired) return { ok: false, reason: 'expired' };
    if (
      row.lastUsedAt === null ||
      Date.now() - new Date(row.lastUsedAt).getTime() > LAST_USED_RESOLUTION_MS
    ) {
      await this.db.query('UPDATE api_keys SET last_used_at = now() WHERE id = $1', [row.id]);
    }
    return {
      ok: true,
      identity: {
        keyId: row.id,
        tenantId: row.tenantId,
        role: row.role,
        principals: row.principals,
        platform: row.platform,
        quota: quotaOf(row),
      },
    };
  }

  /**
   * Whether any key exists (auth `auto` turns on with the first key). Once true it stays true; while
   * false the database is asked at most once a second, so keys made by another process are noticed.
   */
  async anyExist(): Promise<boolean> {
    if (this.knownToExist) return true;
    if (Date.now() - this.lastExistsCheck < 1000) return false;
    const { rows } = await this.db.query<{ found: boolean }>(
      'SELECT EXISTS (SELECT 1 FROM api_keys) AS found',
    );
    this.lastExistsCheck = Date.now();
    this.knownToExist = rows[0]?.found === true;
    return this.knownToExist;
  }
}

function checkPrincipals(principals: readonly string[]): string[] {
  for (const principal of principals) {
    if (!PRINCIPAL_PATTERN.test(principal) || principal.startsWith('key:')) {
      throw new InvalidRequestError(
        'invalid_principal',
        `"${principal}" is not a principal like user:alice or group:support (key:… is implied).`,
      );
    }
  }
  return [...new Set(principals)].sort();
}

function toApiKey(row: KeyRow): ApiKey {
  const { quotaPeriod: _period, quotaRequests: _requests, quotaTokens: _tokens, ...key } = row;
  return { ...key, quota: quotaOf(row), usage: null };
}

async function insertKey(
  tx: SqlExecutor,
  request: Omit<NewKey, 'principals'> & { principals: readonly string[] },
  rotatedFrom: string | null,
): Promise<IssuedKey> {
  const minted = mintSecret();
  const quota = request.quota ?? null;
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO api_keys (tenant_id, name, role, principals, prefix, hash, expires_at, rotated_from,
                           platform, quota_period, quota_requests, quota_tokens)
     VALUES ($1, $2, $3, $4, $5, $6,
             CASE WHEN $7::float8 IS NULL THEN NULL ELSE now() + make_interval(secs => $7::float8) END, $8,
             $9, $10, $11, $12)
     RETURNING id`,
    [
      request.tenantId,
      request.name,
      request.role,
      request.principals,
      minted.prefix,
      minted.hash,
      request.expiresInSeconds ?? null,
      rotatedFrom,
      request.platform === true,
      quota?.period ?? null,
      quota?.requests ?? null,
      quota?.tokens ?? null,
    ],
  );
  return { key: (await getKey(tx, rows[0]!.id))!, secret: minted.token };
}

async function getKey(executor: SqlExecutor, id: string, tenantId?: string): Promise<ApiKey | null> {
  // Not a uuid cannot be a key; asking Postgres would be an error instead of "not found".
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
  const { rows } = await executor.query<KeyRow>(
    `SELECT ${COLUMNS} FROM api_keys WHERE id = $1 AND ($2::text IS NULL OR tenant_id = $2)`,
    [id, tenantId ?? null],
  );
  return rows[0] ? toApiKey(rows[0]) : null;
}

async function requireKey(executor: SqlExecutor, id: string, tenantId?: string): Promise<ApiKey> {
  const key = await getKey(executor, id, tenantId);
  if (!key) throw new NotFoundError('key_not_found', `There is no key ${id}.`);
  return key;
}
