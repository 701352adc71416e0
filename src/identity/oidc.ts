/**
 * @module identity/oidc
 * Bearer JWTs from an organisation's identity provider, as an alternative to API keys: the token's
 * signature is checked against the issuer's published keys (JWKS, discovered from
 * `<issuer>/.well-known/openid-configuration` unless `jwksUri` is given, cached and refreshed on key
 * rotation), then its issuer, audience, expiry and not-before. The caller's tenant, role and groups come
 * from claims named in the config; a role claim with no known role falls back to `defaultRole`, and a
 * tenant that does not exist here is refused rather than created.
 */
import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from 'jose';
import { ROLES, type Role } from './roles.ts';

/** The `oidc` section of the config. */
export interface OidcSettings {
  /** The issuer URL exactly as it appears in the tokens' `iss`. */
  readonly issuer: string;
  /** The `aud` the tokens must carry (the client id or API identifier registered for groundwork). */
  readonly audience: string;
  /** Where the signing keys are; discovered from the issuer when absent. */
  readonly jwksUri?: string;
  /** Claim holding the tenant id; without it every token belongs to `tenant`. */
  readonly tenantClaim?: string;
  /** The tenant of tokens when no tenant claim is configured (default: the default tenant). */
  readonly tenant?: string;
  /** Claim holding the role (a string, or a list whose strongest known role wins). */
  readonly roleClaim: string;
  /** The role of a token whose role claim is missing or names no known role. */
  readonly defaultRole: Role;
  /** Claim holding the caller's groups, which become `group:<name>` ACL principals. */
  readonly groupsClaim: string;
  /** Allowed clock skew in seconds. */
  readonly clockToleranceSeconds: number;
}

/** A verified caller. */
export interface OidcIdentity {
  readonly subject: string;
  readonly tenantId: string;
  readonly role: Role;
  /** `user:<sub>`, `user:<email>` when present, and `group:<g>` per group. */
  readonly principals: readonly string[];
  /** When the token expires (its `exp`), in epoch milliseconds; open streams end then. */
  readonly expiresAt: number;
}

/** Why a token was refused; `unavailable` means the keys could not be fetched (not the caller's fault). */
export type OidcRefusal =
  | { readonly reason: 'expired' | 'invalid'; readonly detail: string }
  | { readonly reason: 'unavailable'; readonly detail: string };

/** Whether `token` has the shape of a JWS compact serialisation (three base64url parts). */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);
}

const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA'];

/**
 * Creates the verifier.
 *
 * @example
 * const oidc = createOidcVerifier({ issuer: 'https://id.example.com', audience: 'groundwork', roleClaim: 'groundwork_role',
 *   defaultRole: 'customer', groupsClaim: 'groups', clockToleranceSeconds: 30 }, 'default');
 * const result = await oidc.verify(token); // { ok: true, identity } or { ok: false, refusal }
 */
export function createOidcVerifier(
  settings: OidcSettings,
  defaultTenant: string,
  fetchImpl: typeof fetch = fetch,
) {
  let keys: ReturnType<typeof createRemoteJWKSet> | undefined;
  let discovering: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;

  const keySet = async () => {
    if (keys) return keys;
    discovering ??= (async () => {
      const uri = settings.jwksUri ?? (await discoverJwksUri(settings.issuer, fetchImpl));
      keys = createRemoteJWKSet(new URL(uri), { timeoutDuration: 5_000, cooldownDuration: 30_000 });
      return keys;
    })().finally(() => {
      discovering = undefined;
    });
    return discovering;
  };

  return {
    async verify(
      token: string,
    ): Promise<{ ok: true; identity: OidcIdentity } | { ok: false; refusal: OidcRefusal }> {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, await keySet(), {
          issuer: settings.issuer,
          audience: settings.audience,
          algorithms: ALGORITHMS,
          clockTolerance: settings.clockToleranceSeconds,
          requiredClaims: ['sub', 'exp'],
        }));
      } catch (error) {
        return { ok: false, refusal: refusalOf(error) };
      }
      const tenantId = settings.tenantClaim
        ? stringClaim(payload[settings.tenantClaim])
        : (settings.tenant ?? defaultTenant);
      if (!tenantId) {
        return {
          ok: false,
          refusal: { reason: 'invalid', detail: `the token has no ${settings.tenantClaim} claim` },
        };
      }
      const subject = payload.sub as string;
      const email = stringClaim(payload.email);
      const groups = listClaim(payload[settings.groupsClaim]);
      return {
        ok: true,
        identity: {
          subject,
          tenantId,
          role: roleOf(payload[settings.roleClaim]) ?? settings.defaultRole,
          principals: [
            `user:${subject}`,
            ...(email ? [`user:${email}`] : []),
            ...groups.map((group) => `group:${group}`),
          ],
          expiresAt: (payload.exp as number) * 1000,
        },
      };
    },
  };
}

/** The verifier's interface. */
export type OidcVerifier = ReturnType<typeof createOidcVerifier>;

async function discoverJwksUri(issuer: string, fetchImpl: typeof fetch): Promise<string> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const response = await fetchImpl(url, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new DiscoveryError(`${url} answered ${response.status}`);
  const document = (await response.json()) as { jwks_uri?: unknown; issuer?: unknown };
  if (document.issuer !== issuer) {
    throw new DiscoveryError(`${url} names issuer ${String(document.issuer)}, not ${issuer}`);
  }
  if (typeof document.jwks_uri !== 'string') throw new DiscoveryError(`${url} has no jwks_uri`);
  return document.jwks_uri;
}

class DiscoveryError extends Error {}

function refusalOf(error: unknown): OidcRefusal {
  if (error instanceof errors.JWTExpired) return { reason: 'expired', detail: 'the token has expired' };
  if (
    error instanceof DiscoveryError ||
    error instanceof errors.JWKSTimeout ||
    (error instanceof TypeError && /fetch/i.test(error.message)) ||
    (error instanceof Error && error.name === 'TimeoutError') ||
    (error instanceof Error && /ECONNREFUSED|fetch failed|Expected 200 OK/.test(error.message))
  ) {
    return { reason: 'unavailable', detail: (error as Error).message };
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    return { reason: 'invalid', detail: `claim ${error.claim} is not accepted` };
  }
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWSSignatureVerificationFailed) {
    return { reason: 'invalid', detail: 'the signature does not match the issuer’s keys' };
  }
  return { reason: 'invalid', detail: error instanceof Error ? error.message : 'the token is not valid' };
}

function stringClaim(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function listClaim(value: unknown): string[] {
  if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean);
  if (Array.isArray(value))
    return value.filter((item): item is string => typeof item === 'string' && item !== '');
  return [];
}

function roleOf(value: unknown): Role | undefined {
  const named = listClaim(value).filter((role): role is Role => (ROLES as readonly string[]).includes(role));
  return named.sort((a, b) => ROLES.indexOf(b) - ROLES.indexOf(a))[0];
}
