/**
 * @module models/acquire/errors
 * Failures of model acquisition. A `SourceFailure` is one source's reason for not delivering a file
 * (network, HTTP status, checksum); `pullModel` collects them into one `model_unavailable` error so the
 * user sees every URL tried and why it failed, not just the last one.
 */
import { GroundworkError } from '../../errors.ts';

/** Why one download or one source failed, in words a user can act on. */
export class SourceFailure extends GroundworkError {
  /** The URL that failed. */
  readonly url: string;
  /** Short reason, e.g. `HTTP 404 Not Found` or `DNS lookup failed for huggingface.co`. */
  readonly reason: string;

  constructor(options: {
    code: string;
    url: string;
    reason: string;
    retryable?: boolean;
    cause?: unknown;
    details?: Record<string, unknown>;
  }) {
    super({
      code: options.code,
      message: `${options.url}: ${options.reason}`,
      category: 'system',
      kind: options.code === 'not_found' ? 'not-found' : 'internal',
      retryable: options.retryable ?? false,
      cause: options.cause,
      details: { url: options.url, reason: options.reason, ...options.details },
    });
    this.name = 'SourceFailure';
    this.url = options.url;
    this.reason = options.reason;
  }
}

/** A file whose bytes are not the ones the catalog pins. */
export function checksumMismatch(
  url: string,
  file: string,
  expected: { sha256: string; bytes: number },
  actual: { sha256: string; bytes: number },
): SourceFailure {
  const what =
    expected.bytes !== actual.bytes
      ? `size mismatch for ${file}: expected ${expected.bytes} bytes, got ${actual.bytes}; `
      : `checksum mismatch for ${file}: `;
  return new SourceFailure({
    code: 'checksum_mismatch',
    url,
    reason: `${what}expected sha256 ${expected.sha256}, got ${actual.sha256}`,
    details: { file, expected, actual },
  });
}
