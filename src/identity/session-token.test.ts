import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseToken } from './key-secret.ts';
import { looksLikeJwt } from './oidc.ts';
import { readSessionToken, type SessionClaims, signSessionToken } from './session-token.ts';

const SECRET = Buffer.from('a'.repeat(32));
const CLAIMS: SessionClaims = {
  v: 1,
  t: 'acme',
  s: '6f1c2a9e-0b7d-4c1e-9a55-2f0d7c3b8e11',
  r: 'customer',
  c: 'C-1',
  exp: 1_900_000_000,
};

describe('session tokens', () => {
  it('round-trips the claims and is neither an API key nor a JWT', () => {
    const token = signSessionToken(CLAIMS, SECRET);
    expect(token.startsWith('gws_')).toBe(true);
    expect(readSessionToken(token, SECRET)).toEqual(CLAIMS);
    expect(looksLikeJwt(token)).toBe(false);
    expect(parseToken(token)).toBeNull();
  });

  it('refuses every other spelling of the signature: its last character differing only in unused bits', () => {
    const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const token = signSessionToken(CLAIMS, SECRET);
    const last = ALPHABET.indexOf(token.at(-1)!);
    // 43 characters carry 258 bits for a 256-bit HMAC: the last character's 2 low bits are unused.
    const twins = [1, 2, 3].map((flip) => `${token.slice(0, -1)}${ALPHABET[last ^ flip]}`);
    for (const twin of twins) {
      expect(Buffer.from(twin.split('.')[1]!, 'base64url')).toEqual(
        Buffer.from(token.split('.')[1]!, 'base64url'),
      );
      expect(readSessionToken(twin, SECRET)).toBeNull();
    }
    expect(readSessionToken(token, SECRET)).toEqual(CLAIMS);
  });

  it('refuses a token signed with another secret', () => {
    expect(readSessionToken(signSessionToken(CLAIMS, randomBytes(32)), SECRET)).toBeNull();
  });

  it('refuses changed claims: another tenant or customer under the old signature', () => {
    const token = signSessionToken(CLAIMS, SECRET);
    const signature = token.split('.')[1]!;
    for (const changed of [
      { ...CLAIMS, t: 'globex' },
      { ...CLAIMS, c: 'C-2' },
      { ...CLAIMS, exp: CLAIMS.exp + 3600 },
    ]) {
      const body = Buffer.from(JSON.stringify(changed)).toString('base64url');
      expect(readSessionToken(`gws_${body}.${signature}`, SECRET)).toBeNull();
    }
  });

  it('refuses flipped characters and malformed shapes', () => {
    const token = signSessionToken(CLAIMS, SECRET);
    const body = token.slice(4, token.indexOf('.'));
    const flipped = body[5] === 'A' ? 'B' : 'A';
    const tampered = `gws_${body.slice(0, 5)}${flipped}${body.slice(6)}${token.slice(token.indexOf('.'))}`;
    expect(readSessionToken(tampered, SECRET)).toBeNull();
    for (const bad of ['gws_', 'gws_abc.def', `${token}x`, token.replace('gws_', 'gw_'), '']) {
      expect(readSessionToken(bad, SECRET)).toBeNull();
    }
  });

  it('refuses a well-signed body that is not a customer session', () => {
    const forged = signSessionToken({ ...CLAIMS, r: 'admin' } as unknown as SessionClaims, SECRET);
    expect(readSessionToken(forged, SECRET)).toBeNull();
  });
});
