/**
 * @module identity/credential-watch
 * Tells long-lived responses (event streams) when the credential that opened them stops being valid,
 * so a revoked key cannot keep reading. Authentication happens once per request, but a stream can
 * outlive the key: the watch ends it. API keys are re-checked against the database every
 * `intervalMs` (one query for all watched keys, and only while some are watched), which sees a
 * revocation, rotation or expiry made by any process; a revocation made through this process is
 * checked at once (`recheck`). A customer session ends with its own row or with the key that issued
 * it (revoked, rotated away after its grace, or expired), read in the same query. A bearer token
 * cannot be revoked here, so its watch ends at its `exp`.
 */
import { logger } from '../observability/logger.ts';
import type { SqlExecutor } from '../store/database.ts';

/** How often watched keys are re-read from the database. */
export const CREDENTIAL_CHECK_INTERVAL_MS = 2_000;

/** Why a credential stopped being valid; `code` is what the stream's final error event carries. */
export interface CredentialEnd {
  readonly code: 'credential_revoked' | 'credential_expired';
  readonly message: string;
}

/** A credential to watch: an API key by id, or a bearer token by its expiry (epoch milliseconds). */
export type WatchedCredential =
  | { readonly kind: 'key'; readonly keyId: string }
  | { readonly kind: 'session'; readonly sessionId: string }
  | { readonly kind: 'token'; readonly expiresAt: number };

/** Stops watching; calling it twice is harmless. */
export type StopWatching = () => void;

interface KeyWatcher {
  readonly onEnd: (end: CredentialEnd) => void;
}

const REVOKED: CredentialEnd = {
  code: 'credential_revoked',
  message: 'The API key was revoked or rotated while the stream was open.',
};
const KEY_EXPIRED: CredentialEnd = {
  code: 'credential_expired',
  message: 'The API key expired while the stream was open.',
};
const SESSION_REVOKED: CredentialEnd = {
  code: 'credential_revoked',
  message: 'The customer session, or the key that issued it, was revoked while the stream was open.',
};
const SESSION_EXPIRED: CredentialEnd = {
  code: 'credential_expired',
  message: 'The customer session, or the key that issued it, expired while the stream was open.',
};
const TOKEN_EXPIRED: CredentialEnd = {
  code: 'credential_expired',
  message: 'The bearer token expired while the stream was open.',
};

/** How a watched key or session ended, by what its row says. */
const KEY_ENDS = { revoked: REVOKED, expired: KEY_EXPIRED } as const;
const SESSION_ENDS = { revoked: SESSION_REVOKED, expired: SESSION_EXPIRED } as const;

/** Longest delay `setTimeout` accepts; tokens living longer are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The watch; one per process, shared by every stream. */
export class CredentialWatch {
  private readonly keys = new Map<string, Set<KeyWatcher>>();
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;

  constructor(
    private readonly db: SqlExecutor,
    private readonly intervalMs: number = CREDENTIAL_CHECK_INTERVAL_MS,
  ) {}

  /**
   * Calls `onEnd` once when the credential stops being valid (and never after `stop`). A credential
   * that is already invalid is reported at the next check, not synchronously.
   */
  watch(credential: WatchedCredential, onEnd: (end: CredentialEnd) => void): StopWatching {
    let active = true;
    let stop: StopWatching = () => {};
    const once = (end: CredentialEnd) => {
      if (!active) return;
      active = false;
      stop();
      onEnd(end);
    };
    if (credential.kind === 'token') {
      let timer: NodeJS.Timeout | undefined;
      const arm = () => {
        const left = credential.expiresAt - Date.now();
        timer = setTimeout(
          left > MAX_TIMER_MS ? arm : () => once(TOKEN_EXPIRED),
          Math.min(left, MAX_TIMER_MS),
        );
        timer.unref();
      };
      stop = () => {
        active = false;
        clearTimeout(timer);
      };
      arm();
      return stop;
    }
    // Keys and sessions share one map and one periodic check, told apart by the prefix.
    const id = credential.kind === 'key' ? `key:${credential.keyId}` : `session:${credential.sessionId}`;
    const watcher: KeyWatcher = { onEnd: once };
    const set = this.keys.get(id) ?? new Set();
    set.add(watcher);
    this.keys.set(id, set);
    this.startTimer();
    stop = () => {
      active = false;
      const current = this.keys.get(id);
      current?.delete(watcher);
      if (current?.size === 0) this.keys.delete(id);
      if (this.keys.size === 0) this.stopTimer();
    };
    return stop;
  }

  /** Re-checks watched keys and sessions now (call it after revoking one in this process). */
  async recheck(): Promise<void> {
    if (this.keys.size === 0) return;
    // A check already running may have read the row before the change: run another after it.
    await this.checking;
    await this.check();
  }

  /** Stops the periodic check; watchers are left as they are (the process is ending). */
  close(): void {
    this.stopTimer();
  }

  private startTimer(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.check(), this.intervalMs);
    this.timer.unref();
  }

  private stopTimer(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One query for every watched key; overlapping calls share the running check. */
  private check(): Promise<void> {
    this.checking ??= this.readKeys().finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  private async readKeys(): Promise<void> {
    const ids = [...this.keys.keys()];
    if (ids.length === 0) return;
    const of = (prefix: string) =>
      ids.filter((id) => id.startsWith(prefix)).map((id) => id.slice(prefix.length));
    let rows: { id: string; revoked: boolean; expired: boolean }[];
    try {
      ({ rows } = await this.db.query<{ id: string; revoked: boolean; expired: boolean }>(
        `SELECT 'key:' || id::text AS id, coalesce(revoked_at <= now(), false) AS revoked,
                coalesce(expires_at <= now(), false) AS expired
         FROM api_keys WHERE id = ANY($1::uuid[])
         UNION ALL
         SELECT 'session:' || s.id::text,
                coalesce(s.revoked_at <= now(), false) OR coalesce(k.revoked_at <= now(), false),
                s.expires_at <= now() OR coalesce(k.expires_at <= now(), false)
         FROM customer_sessions s LEFT JOIN api_keys k ON k.id = s.issued_key_id
         WHERE s.id = ANY($2::uuid[])`,
        [of('key:'), of('session:')],
      ));
    } catch (error) {
      // A database that cannot be read now is retried at the next tick; streams keep running meanwhile.
      logger.warn({ err: error }, 'Could not re-check the credentials of open streams.');
      return;
    }
    const found = new Map(rows.map((row) => [row.id, row]));
    for (const id of ids) {
      const row = found.get(id);
      // A key or session whose row is gone (its tenant was deleted) is as good as revoked.
      const ends = id.startsWith('session:') ? SESSION_ENDS : KEY_ENDS;
      const end = !row || row.revoked ? ends.revoked : row.expired ? ends.expired : undefined;
      if (!end) continue;
      for (const watcher of [...(this.keys.get(id) ?? [])]) watcher.onEnd(end);
    }
  }
}
