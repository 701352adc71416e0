/**
 * @module identity/key-secret
 * The text form of an API key, `gw_<prefix>_<secret>`. The prefix is public (shown in lists, used to
 * find the row); the secret is 32 random bytes, so a plain sha256 of it cannot be brute-forced and
 * no slow password hash is needed. Hashes are compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A freshly minted key: `token` is shown once and then only its hash is kept. */
export interface MintedSecret {
  readonly prefix: string;
  readonly token: string;
  readonly hash: string;
}

const TOKEN_PATTERN = /^gw_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

/** Mints a new key. */
export function mintSecret(): MintedSecret {
  const prefix = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { prefix, token: `gw_${prefix}_${secret}`, hash: hashSecret(secret) };
}

/** Splits a presented token; null when it cannot be one of ours. */
export function parseToken(token: string): { prefix: string; secret: string } | null {
  const match = TOKEN_PATTERN.exec(token.trim());
  return match ? { prefix: match[1]!, secret: match[2]! } : null;
}

/** The stored form of a secret. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Whether `secret` hashes to `storedHash`, without leaking where they differ through timing. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
