import { describe, expect, it } from 'vitest';
import { parseRetryAfter, retryDelay } from './retry-after.ts';

describe('parseRetryAfter', () => {
  it('prefers retry-after-ms, then seconds, then an HTTP date', () => {
    expect(parseRetryAfter({ 'retry-after-ms': '250.5', 'retry-after': '3' })).toBe(251);
    expect(parseRetryAfter({ 'retry-after': '3' })).toBe(3000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter({ 'retry-after': 'Thu, 01 Jan 2026 00:00:07 GMT' }, now)).toBe(7000);
    expect(parseRetryAfter({ 'retry-after': 'soon' })).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});

describe('retryDelay', () => {
  const settings = { initialDelayMs: 100, maxDelayMs: 1000 };

  it('doubles with jitter between half and all of the step, capped', () => {
    expect(retryDelay(0, undefined, { ...settings, random: () => 0 })).toBe(50);
    expect(retryDelay(2, undefined, { ...settings, random: () => 0.999 })).toBe(400);
    expect(retryDelay(10, undefined, { ...settings, random: () => 0.999 })).toBe(1000);
  });

  it('honours retry-after, and gives up when it is beyond the cap', () => {
    expect(retryDelay(0, 800, settings)).toBe(800);
    expect(retryDelay(0, 5000, settings)).toBeUndefined();
  });
});
