/**
 * @module server/credential-strategies
 * The credentials a caller may present in the bearer header (or `x-api-key`), one strategy each,
 * told apart by shape: a signed customer session (`gws_…`), an OIDC JWT (three dot-separated parts)
 * and an API key (`gw_…`, and anything else, which is then refused as an unknown key). The auth
 * middleware (server/authenticate.ts) asks the first strategy that accepts the token's shape; a strategy
 * that is not configured (no session service, no OIDC issuer) is not in the list.
 */
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { WatchedCredential } from '../identity/credential-watch.ts';
import type { KeyQuota } from '../identity/key-quotas.ts';
import type { ApiKeyService, KeyRefusal } from '../identity/keys.ts';
import { looksLikeJwt, type OidcVerifier } from '../identity/oidc.ts';
import { looksLikeSessionToken } from '../identity/session-token.ts';
import type { SessionRefusal, SessionService } from '../identity/sessions.ts';
import type { RequestIdentity } from './authenticate.ts';

/** A caller the strategy recognised, with what the middleware watches and meters. */
export interface CredentialAdmission {
  readonly ok: true;
  readonly identity: RequestIdentity;
  /** Watched so open streams end when the credential does. */
  readonly credential: WatchedCredential;
  readonly quota?: KeyQuota | null;
  /** The key the quota belongs to, when not the caller's own (a session's issuing key). */
  readonly quotaKeyId?: string;
}

/** A refused credential: the HTTP answer the middleware gives. */
export interface CredentialRefusal {
  readonly ok: false;
  readonly status: ContentfulStatusCode;
  readonly code: string;
  readonly message: string;
  readonly headers?: Record<string, string>;
}

/** One kind of credential. */
export interface CredentialStrategy {
  readonly kind: 'session' | 'oidc' | 'api-key';
  /** Whether the token has this kind's shape (the API-key strategy takes every token). */
  accepts(token: string): boolean;
  authenticate(token: string): Promise<CredentialAdmission | CredentialRefusal>;
}

const refuse = (
  status: ContentfulStatusCode,
  code: string,
  message: string,
  headers?: Record<string, string>,
): CredentialRefusal => ({ ok: false, status, code, message, ...(headers ? { headers } : {}) });

const SESSION_REFUSALS: Record<SessionRefusal, { code: string; message: string }> = {
  invalid: { code: 'invalid_session', message: 'The session token is not valid.' },
  expired: { code: 'session_expired', message: 'The session has expired; start a new one.' },
  revoked: { code: 'session_revoked', message: 'The session has been revoked.' },
  'key-revoked': {
    code: 'session_key_revoked',
    message: 'The key that issued this session was revoked or rotated away; start a new session.',
  },
  'key-expired': {
    code: 'session_key_expired',
    message: 'The key that issued this session has expired; start a new session.',
  },
};

/** Signed customer sessions (`gws_…`). */
export function sessionStrategy(sessions: Pick<SessionService, 'authenticate'>): CredentialStrategy {
  return {
    kind: 'session',
    accepts: looksLikeSessionToken,
    async authenticate(token) {
      const checked = await sessions.authenticate(token);
      if (!checked.ok) {
        const refusal = SESSION_REFUSALS[checked.reason];
        return refuse(401, refusal.code, refusal.message);
      }
      const { sessionId, tenantId, customerId, issuedByKey, quota } = checked.session;
      return {
        ok: true,
        identity: {
          tenantId,
          principals: [`session:${sessionId}`, ...(customerId ? [`customer:${customerId}`] : [])],
          role: 'customer',
          keyId: `session:${sessionId}`,
          session: { id: sessionId, customerId },
        },
        credential: { kind: 'session', sessionId },
        // The issuing key's quota pays for the session (requests here, answer tokens by the log).
        ...(issuedByKey ? { quota, quotaKeyId: issuedByKey } : {}),
      };
    },
  };
}

/** Bearer JWTs of the configured OIDC issuer. */
export function oidcStrategy(
  oidc: OidcVerifier,
  tenantExists?: (tenantId: string) => Promise<boolean>,
): CredentialStrategy {
  return {
    kind: 'oidc',
    accepts: looksLikeJwt,
    async authenticate(token) {
      const verified = await oidc.verify(token);
      if (!verified.ok) {
        const { reason, detail } = verified.refusal;
        if (reason === 'unavailable') {
          return refuse(503, 'identity_provider_unavailable', `Cannot check the token now: ${detail}.`, {
            'retry-after': '30',
          });
        }
        const code = reason === 'expired' ? 'expired_token' : 'invalid_token';
        return refuse(401, code, `The bearer token is not accepted: ${detail}.`);
      }
      const caller = verified.identity;
      if (tenantExists && !(await tenantExists(caller.tenantId))) {
        return refuse(403, 'unknown_tenant', 'The token names a tenant this server does not have.');
      }
      return {
        ok: true,
        identity: {
          tenantId: caller.tenantId,
          principals: caller.principals,
          role: caller.role,
          keyId: `oidc:${caller.subject}`,
        },
        credential: { kind: 'token', expiresAt: caller.expiresAt },
      };
    },
  };
}

const KEY_REFUSALS: Record<KeyRefusal, { code: string; message: string }> = {
  unknown: { code: 'invalid_api_key', message: 'The API key is not valid.' },
  revoked: { code: 'revoked_api_key', message: 'The API key has been revoked.' },
  expired: { code: 'expired_api_key', message: 'The API key has expired.' },
};

/** API keys; it takes every token no other strategy took, so anything else is an unknown key. */
export function apiKeyStrategy(keys: Pick<ApiKeyService, 'authenticate'>): CredentialStrategy {
  return {
    kind: 'api-key',
    accepts: () => true,
    async authenticate(token) {
      const result = await keys.authenticate(token);
      if (!result.ok) {
        const refusal = KEY_REFUSALS[result.reason];
        return refuse(401, refusal.code, refusal.message);
      }
      const key = result.identity;
      return {
        ok: true,
        identity: {
          tenantId: key.tenantId,
          principals: [...key.principals, `key:${key.keyId}`],
          role: key.role,
          keyId: key.keyId,
          platform: key.platform,
        },
        credential: { kind: 'key', keyId: key.keyId },
        quota: key.quota,
      };
    },
  };
}

/** The configured strategies, in the order they are asked: session, OIDC, API key. */
export function credentialStrategies(options: {
  readonly keys: Pick<ApiKeyService, 'authenticate'>;
  readonly sessions?: Pick<SessionService, 'authenticate'>;
  readonly oidc?: OidcVerifier;
  readonly tenantExists?: (tenantId: string) => Promise<boolean>;
}): readonly CredentialStrategy[] {
  return [
    ...(options.sessions ? [sessionStrategy(options.sessions)] : []),
    ...(options.oidc ? [oidcStrategy(options.oidc, options.tenantExists)] : []),
    apiKeyStrategy(options.keys),
  ];
}
