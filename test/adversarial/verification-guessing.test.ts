/**
 * The "verification guessing" category of the adversarial suite: realistic attacks on
 * `verify_customer` (sequential order numbers, a known email or a known order, many conversations and
 * sessions, bursts, patience) against the support app over HTTP, on both backends. No attack may get
 * more guesses against one customer compared than the per-customer limit, attacks marked `blocked`
 * must never be verified as their victim, and the real customer (the control) still gets through.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../src/testing/databases.ts';
import { loadGuessingCases, runGuessingCases } from './verification-guessing/attacks.ts';
import { type GuessingWorld, openGuessingWorld } from './verification-guessing/world.ts';

const cases = loadGuessingCases();

for (const backend of testBackends()) {
  describe(`verification guessing on ${backend.name}`, () => {
    let world: GuessingWorld;
    beforeAll(async () => {
      world = await openGuessingWorld(backend);
    }, 120_000);
    afterAll(async () => {
      await world?.close();
    });

    it('bounds every attack by the per-customer limit and lets the real customer through', async () => {
      const report = await runGuessingCases(world, cases);
      expect(report.cases).toBe(cases.length);
      expect(report.attacks).toBeGreaterThanOrEqual(8);
      expect(report.maxCompared).toBeLessThanOrEqual(report.limit);
      expect(report.failedCases).toEqual([]);
      // Only the case that starts right above the victim's orders may be lucky, within the limit.
      const breached = report.results.filter((result) => result.expect !== 'verified' && result.verifiedAt);
      expect(breached.map((result) => result.id)).toEqual(['vg-08']);
      expect(breached[0]!.compared).toBeLessThanOrEqual(report.limit);
    }, 600_000);
  });
}
