/**
 * @module identity/duration
 * Durations as operators type them (`90s`, `15m`, `12h`, `30d`), for key expiry and rotation grace.
 */
import { InvalidRequestError } from '../errors.ts';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** Parses `<n><s|m|h|d>` into seconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+)\s*([smhd])$/.exec(text.trim());
  if (!match || Number(match[1]) <= 0) {
    throw new InvalidRequestError(
      'invalid_duration',
      `"${text}" is not a duration like 90s, 15m, 12h or 30d.`,
    );
  }
  return Number(match[1]) * UNIT_SECONDS[match[2]!]!;
}
