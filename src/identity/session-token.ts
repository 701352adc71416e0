/**
 * @module identity/session-token
 * The text form of a customer session: `gws_<claims>.<signature>`, where the claims are base64url
 * JSON and the signature is HMAC-SHA256 over `gws1.<claims>` with the server's session secret. The
 * `gws_` prefix tells it apart from API keys (`gw_<prefix>_…`) and OIDC JWTs (three dot-separated
 * parts). The signature is checked in constant time, in its one canonical spelling, before the
 * claims are read.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The prefix of every session token. */
export const SESSION_TOKEN_PREFIX = 'gws_';

/** What a session token says; the stored session row may add a customer verified later. */
export interface SessionClaims {
  /** Format version. */
  readonly v: 1;
  /** Tenant. */
  readonly t: string;
  /** Session id (a uuid; the row in `customer_sessions`). */
  readonly s: string;
  /** Role: always `customer`. */
  readonly r: 'customer';
  /** The verified customer id at issue time, or null for an anonymous session. */
  readonly c: string | null;
  /** Expiry, seconds since the epoch. */
  readonly exp: number;
}

const DOMAIN = 'gws1.';
const SHAPE = /^gws_([A-Za-z0-9_-]{10,2000})\.([A-Za-z0-9_-]{43})$/;

/** Whether `token` is meant as a session token (it may still be forged). */
export function looksLikeSessionToken(token: string): boolean {
  return token.startsWith(SESSION_TOKEN_PREFIX);
}

/** Signs `claims` into a token. */
export function signSessionToken(claims: SessionClaims, secret: Buffer): string {
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${SESSION_TOKEN_PREFIX}${body}.${signature(body, secret)}`;
}

/** The claims of a token signed with `secret`, or null when it is malformed or the signature is wrong. */
export function readSessionToken(token: string, secret: Buffer): SessionClaims | null {
  const match = SHAPE.exec(token);
  if (!match) return null;
  const body = match[1]!;
  // The text is compared, not the decoded bytes: 43 base64url characters carry 258 bits, and the
  // last one's 2 unused bits would let four spellings of one signature all pass.
  const presented = Buffer.from(match[2]!, 'latin1');
  const expected = Buffer.from(signature(body, secret), 'latin1');
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return null;
  try {
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<SessionClaims>;
    const valid =
      claims.v === 1 &&
      claims.r === 'customer' &&
      typeof claims.t === 'string' &&
      typeof claims.s === 'string' &&
      (claims.c === null || typeof claims.c === 'string') &&
      typeof claims.exp === 'number' &&
      Number.isFinite(claims.exp);
    return valid ? (claims as SessionClaims) : null;
  } catch {
    // A valid signature over bytes that are not our JSON means the secret signed something else.
    return null;
  }
}

function signature(body: string, secret: Buffer): string {
  return createHmac('sha256', secret).update(`${DOMAIN}${body}`).digest('base64url');
}
