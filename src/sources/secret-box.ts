/**
 * @module sources/secret-box
 * Encrypts source credentials and webhook secrets at rest with AES-256-GCM. The key comes from
 * GROUNDWORK_SECRET_KEY when it is set, otherwise it is derived (HKDF) from the session secret every
 * process of a deployment already shares (identity/session-secret.ts). A value sealed under another
 * key does not open: the caller reports that on the source instead of using it.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { GroundworkError } from '../errors.ts';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Seals and opens small secrets. */
export interface SecretBox {
  seal(plain: string): Buffer;
  open(sealed: Uint8Array): string;
}

/** The key is wrong (the secret key or the session secret changed since the value was sealed). */
export class SecretUnreadableError extends GroundworkError {
  constructor(cause?: unknown) {
    super({
      code: 'source_credentials_unreadable',
      category: 'user',
      message:
        "The source's stored credentials cannot be decrypted (GROUNDWORK_SECRET_KEY or the session secret changed since they were saved). Set the credentials again with PATCH /v1/sources/{id}.",
      cause,
    });
    this.name = 'SecretUnreadableError';
  }
}

/**
 * A box keyed by `secretKey` (any string of 32 characters or more) or, without one, by `fallback`.
 * @example
 * const box = createSecretBox({ secretKey: process.env.GROUNDWORK_SECRET_KEY, fallback: sessionSecret });
 * box.open(box.seal('abc')) === 'abc';
 */
export function createSecretBox(options: { secretKey?: string; fallback: Uint8Array }): SecretBox {
  if (options.secretKey !== undefined && options.secretKey.length < 32) {
    throw new GroundworkError({
      code: 'invalid_config',
      message: 'GROUNDWORK_SECRET_KEY must be at least 32 characters (e.g. `openssl rand -hex 32`).',
    });
  }
  const material = options.secretKey ? Buffer.from(options.secretKey, 'utf8') : Buffer.from(options.fallback);
  const key = Buffer.from(hkdfSync('sha256', material, Buffer.alloc(0), 'groundwork/source-secrets', 32));
  return {
    seal(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
    },
    open(sealed) {
      const bytes = Buffer.from(sealed);
      if (bytes[0] !== VERSION || bytes.length < 1 + IV_BYTES + TAG_BYTES) throw new SecretUnreadableError();
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(1, 1 + IV_BYTES));
        decipher.setAuthTag(bytes.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES));
        const body = bytes.subarray(1 + IV_BYTES + TAG_BYTES);
        return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
      } catch (error) {
        throw new SecretUnreadableError(error);
      }
    },
  };
}
