/**
 * @module identity/session-secret
 * The key that signs customer sessions. An explicit secret (config `sessions.secret` or
 * GROUNDWORK_SESSION_SECRET) wins; otherwise one is generated once and kept in the data dir
 * (`session-secret`, mode 0600), so sessions survive a restart. An in-memory data dir gets a secret
 * for this process only. The secret is never logged or returned.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.ts';

/** The file under the data dir that holds a generated secret. */
export const SESSION_SECRET_FILE = 'session-secret';

/** Fewest bytes a signing secret may have. */
const MIN_SECRET_BYTES = 32;

/** The signing secret: `configured` when given, else the data dir's, generated on first use. */
export function resolveSessionSecret(options: { configured?: string; dataDir: string }): Buffer {
  if (options.configured !== undefined) {
    const secret = Buffer.from(options.configured, 'utf8');
    if (secret.length < MIN_SECRET_BYTES)
      throw new ConfigError(`The session secret must have at least ${MIN_SECRET_BYTES} characters.`);
    return secret;
  }
  if (options.dataDir.startsWith('memory://')) return randomBytes(MIN_SECRET_BYTES);
  const file = path.join(options.dataDir, SESSION_SECRET_FILE);
  const stored = readSecret(file);
  if (stored) return stored;
  mkdirSync(options.dataDir, { recursive: true });
  try {
    // `wx`: when two processes start at once, the second reads what the first wrote.
    writeFileSync(file, `${randomBytes(MIN_SECRET_BYTES).toString('base64url')}\n`, {
      flag: 'wx',
      mode: 0o600,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const written = readSecret(file);
  if (!written) throw new ConfigError(`${file} does not hold a session secret; delete it to make a new one.`);
  return written;
}

function readSecret(file: string): Buffer | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const secret = Buffer.from(text, 'base64url');
  return secret.length >= MIN_SECRET_BYTES ? secret : undefined;
}
