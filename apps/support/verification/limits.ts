/**
 * @module support/verification/limits
 * How many failed verifications each dimension allows, and what follows. Failures are counted per
 * conversation, per session, per API key (a session's issuing key) and per target customer (whose
 * order number or email was tried), so neither a new conversation nor a new session starts from zero.
 * A few failures are free; after them each further attempt waits longer (the delay doubles), and at
 * the threshold the subject is locked until the lock expires or an operator clears it.
 */

/** What is counted: who tries (conversation, session, key) and who is tried (customer). */
export const VERIFICATION_DIMENSIONS = ['conversation', 'session', 'key', 'customer'] as const;

/** One dimension. */
export type VerificationDimension = (typeof VERIFICATION_DIMENSIONS)[number];

/** The allowance of one dimension. */
export interface DimensionLimit {
  /** Attempts that may fail back to back; from this many failures on, each next attempt waits. */
  readonly free: number;
  /** Failures that lock the subject (at least `free`). */
  readonly lockAfter: number;
  /** The wait after `free` failures; it doubles with each further failure. */
  readonly baseDelayMs: number;
  /** The longest delay. */
  readonly maxDelayMs: number;
  /** Failures older than this (counted from the first of the window) are forgotten. */
  readonly windowMs: number;
  /** How long a lock lasts unless an operator clears it first. */
  readonly lockMs: number;
}

/** Every dimension's allowance, and when the guessing alarm goes off. */
export interface VerificationLimits {
  readonly conversation: DimensionLimit;
  readonly session: DimensionLimit;
  readonly key: DimensionLimit;
  readonly customer: DimensionLimit;
  /** The alarm: a customer past its free failures, tried from at least this many conversations or sessions. */
  readonly alertSources: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Defaults. A conversation gets three tries, then a person (as before, but an operator closing or
 * handing back the case releases it). A session spans conversations: four back to back, then waits,
 * locked at eight. A key is shared by every anonymous shopper of a widget, so it allows many and
 * mostly slows down: it is the tenant-wide brake on a flood. A customer may be tried six times back to
 * back in a day, from anyone, then each try waits longer, and at ten the customer is locked: that
 * bounds the guesses against one person, however the attacker spreads them.
 */
export const DEFAULT_VERIFICATION_LIMITS: VerificationLimits = {
  conversation: { free: 3, lockAfter: 3, baseDelayMs: 0, maxDelayMs: 0, windowMs: DAY, lockMs: DAY },
  session: {
    free: 4,
    lockAfter: 8,
    baseDelayMs: 30_000,
    maxDelayMs: 15 * MINUTE,
    windowMs: DAY,
    lockMs: DAY,
  },
  key: {
    free: 50,
    lockAfter: 500,
    baseDelayMs: 2_000,
    maxDelayMs: MINUTE,
    windowMs: HOUR,
    lockMs: 15 * MINUTE,
  },
  customer: {
    free: 6,
    lockAfter: 10,
    baseDelayMs: 30_000,
    maxDelayMs: 15 * MINUTE,
    windowMs: DAY,
    lockMs: DAY,
  },
  alertSources: 2,
};

/** Overrides per dimension (any field), merged over the defaults. */
export type VerificationLimitsInput = {
  readonly [D in VerificationDimension]?: Partial<DimensionLimit>;
} & { readonly alertSources?: number };

/** The defaults with `input` merged in; a limit that could never lock or is negative is refused. */
export function resolveLimits(input: VerificationLimitsInput = {}): VerificationLimits {
  const merged = { ...DEFAULT_VERIFICATION_LIMITS, alertSources: input.alertSources ?? 2 } as {
    -readonly [K in keyof VerificationLimits]: VerificationLimits[K];
  };
  for (const dimension of VERIFICATION_DIMENSIONS) {
    const limit = { ...DEFAULT_VERIFICATION_LIMITS[dimension], ...input[dimension] };
    const numbers = Object.values(limit);
    if (numbers.some((value) => !Number.isFinite(value) || value < 0) || limit.lockAfter < 1) {
      throw new RangeError(`Verification limits of ${dimension} must be non-negative, with lockAfter ≥ 1.`);
    }
    if (limit.free > limit.lockAfter) {
      throw new RangeError(`Verification limits of ${dimension}: free must not exceed lockAfter.`);
    }
    merged[dimension] = limit;
  }
  return merged;
}

/** The wait after `failures` failures before the next attempt (0 while they are free). */
export function delayAfter(limit: DimensionLimit, failures: number): number {
  if (failures < limit.free) return 0;
  return Math.min(limit.baseDelayMs * 2 ** (failures - limit.free), limit.maxDelayMs);
}
