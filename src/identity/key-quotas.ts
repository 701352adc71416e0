/**
 * @module identity/key-quotas
 * Per-key quotas: at most so many requests and/or answer tokens per UTC day or calendar month. Rate
 * limits smooth bursts in one process; a quota caps what one key may use over a period, across all
 * processes, so it is kept in Postgres. Requests are counted with one upsert that refuses to count
 * past the limit (so concurrent requests cannot overshoot it); tokens are summed from the answer log,
 * like tenant budgets, so an answer already running when the quota runs out still completes. A
 * customer session is charged to the key that issued it: its requests are admitted under that key's
 * id, and its answers (logged under the session) are summed with the key's.
 */

import { InvalidRequestError } from '../errors.ts';
import { type AnswerLogReader, UNBATCHED_ANSWER_LOG } from '../spec/answer-log.ts';
import type { SqlExecutor } from '../store/database.ts';

/** Quota periods: UTC days, or UTC calendar months. */
export const QUOTA_PERIODS = ['day', 'month'] as const;

/** A key's quota; at least one of `requests` and `tokens` is set. */
export interface KeyQuota {
  readonly period: (typeof QUOTA_PERIODS)[number];
  /** Requests per period (every authenticated request counts, answers or not). */
  readonly requests?: number;
  /** Answer tokens (input plus output, from the answer log) per period. */
  readonly tokens?: number;
}

/** What a key used in its current period. */
export interface KeyUsage {
  readonly requests: number;
  readonly tokens: number;
  readonly periodStart: string;
  readonly resetsAt: string;
}

/** The verdict for one request. */
export type QuotaDecision =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      readonly exhausted: 'requests' | 'tokens';
      readonly resetsAt: Date;
      readonly retryAfterSeconds: number;
    };

/** Checks a quota and throws `invalid_quota` when it limits nothing or names no period. */
export function checkQuota(quota: KeyQuota): KeyQuota {
  if (!(QUOTA_PERIODS as readonly string[]).includes(quota.period)) {
    throw new InvalidRequestError('invalid_quota', `A quota period is one of ${QUOTA_PERIODS.join(', ')}.`);
  }
  for (const limit of [quota.requests, quota.tokens]) {
    if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 1)) {
      throw new InvalidRequestError('invalid_quota', 'Quota limits are positive whole numbers.');
    }
  }
  if (quota.requests === undefined && quota.tokens === undefined) {
    throw new InvalidRequestError('invalid_quota', 'A quota limits requests, tokens or both.');
  }
  return {
    period: quota.period,
    ...(quota.requests !== undefined ? { requests: quota.requests } : {}),
    ...(quota.tokens !== undefined ? { tokens: quota.tokens } : {}),
  };
}

/** A key's quota as its `api_keys` columns read (bigints may come back as strings). */
export interface QuotaColumns {
  readonly quotaPeriod: KeyQuota['period'] | null;
  readonly quotaRequests: string | number | null;
  readonly quotaTokens: string | number | null;
}

/** The quota those columns hold, or null for none. */
export function quotaOf(row: QuotaColumns): KeyQuota | null {
  if (row.quotaPeriod === null) return null;
  return {
    period: row.quotaPeriod,
    ...(row.quotaRequests !== null ? { requests: Number(row.quotaRequests) } : {}),
    ...(row.quotaTokens !== null ? { tokens: Number(row.quotaTokens) } : {}),
  };
}

/** The period containing `now`: its start and when it resets. */
export function periodOf(period: KeyQuota['period'], now: Date): { start: Date; resetsAt: Date } {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  if (period === 'month') {
    return { start: new Date(Date.UTC(year, month, 1)), resetsAt: new Date(Date.UTC(year, month + 1, 1)) };
  }
  const day = now.getUTCDate();
  return {
    start: new Date(Date.UTC(year, month, day)),
    resetsAt: new Date(Date.UTC(year, month, day + 1)),
  };
}

/** Options of the quota counter. */
export interface KeyQuotasOptions {
  /** The answer log, read for token quotas (its batched writer flushes first). */
  readonly answers?: AnswerLogReader;
  /** The clock (tests move it across periods). */
  readonly now?: () => Date;
}

/** Counts and checks quotas. */
export class KeyQuotas {
  constructor(
    private readonly db: SqlExecutor,
    private readonly options: KeyQuotasOptions = {},
  ) {}

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /**
   * Admits one request of `keyId` under `quota`, counting it, or says which limit is exhausted and
   * when it resets. Tokens are checked only for requests that spend them (`spendsTokens`).
   */
  async admit(
    key: { readonly keyId: string; readonly tenantId: string },
    quota: KeyQuota,
    spendsTokens: boolean,
  ): Promise<QuotaDecision> {
    const { start, resetsAt } = periodOf(quota.period, this.now());
    const refuse = (exhausted: 'requests' | 'tokens'): QuotaDecision => ({
      allowed: false,
      exhausted,
      resetsAt,
      retryAfterSeconds: Math.max(1, Math.ceil((resetsAt.getTime() - this.now().getTime()) / 1000)),
    });
    if (spendsTokens && quota.tokens !== undefined) {
      if ((await this.tokensSince(key, start)) >= quota.tokens) return refuse('tokens');
    }
    if (quota.requests === undefined) return { allowed: true };
    // Counts the request only while under the limit: no row back means the limit was reached.
    const { rows } = await this.db.query(
      `INSERT INTO key_usage (key_id, period_start, requests) VALUES ($1, $2, 1)
       ON CONFLICT (key_id, period_start) DO UPDATE SET requests = key_usage.requests + 1
         WHERE key_usage.requests < $3
       RETURNING requests`,
      [key.keyId, start, quota.requests],
    );
    return rows.length > 0 ? { allowed: true } : refuse('requests');
  }

  /** What the key used in its current period. */
  async usage(
    key: { readonly keyId: string; readonly tenantId: string },
    quota: KeyQuota,
  ): Promise<KeyUsage> {
    const { start, resetsAt } = periodOf(quota.period, this.now());
    const { rows } = await this.db.query<{ requests: string | number }>(
      'SELECT requests FROM key_usage WHERE key_id = $1 AND period_start = $2',
      [key.keyId, start],
    );
    return {
      requests: Number(rows[0]?.requests ?? 0),
      tokens: await this.tokensSince(key, start),
      periodStart: start.toISOString(),
      resetsAt: resetsAt.toISOString(),
    };
  }

  /**
   * Answer tokens of the key and of every customer session it issued (answers record a session as
   * `session:<id>`), since `since`. Sessions that expired before the period began cannot have answered
   * in it, so they are left out of the list.
   */
  private async tokensSince(key: { keyId: string; tenantId: string }, since: Date): Promise<number> {
    const answers = this.options.answers ?? UNBATCHED_ANSWER_LOG;
    // One list of principals, so the (tenant, user, time) index serves every one of them.
    const { rows } = await answers.read(() =>
      this.db.query<{ tokens: string | number }>(
        `SELECT coalesce(sum(input_tokens + output_tokens), 0)::bigint AS tokens
       FROM answers WHERE tenant_id = $1 AND created_at >= $3 AND user_id = ANY(ARRAY[$2::text] || ARRAY(
         SELECT 'session:' || id::text FROM customer_sessions WHERE issued_key_id = $4::uuid AND expires_at >= $3))`,
        [key.tenantId, key.keyId, since, key.keyId],
      ),
    );
    return Number(rows[0]?.tokens ?? 0);
  }
}
