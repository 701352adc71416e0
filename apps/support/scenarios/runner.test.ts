import { describe, expect, it } from 'vitest';
import { testBackends } from '../../../src/testing/databases.ts';
import { seedSupportStore } from '../store/seed.ts';
import { loadScenarios, runScenarios } from './runner.ts';

// The security scenarios must always pass; the rest may lag behind the policy a little.
const MUST_PASS =
  /^(order-other|order-unverified|return-unverified|verify-|injection-|sensitive-|human-request|return-above-limit)/;

describe.each(testBackends())('support scenarios against the no-LLM policy on $name', (backend) => {
  it('passes the security scenarios and most of the rest', async () => {
    const db = await backend.open();
    try {
      await seedSupportStore(db, { tenantId: 'demo' });
      const scenarios = await loadScenarios();
      expect(scenarios.length).toBeGreaterThanOrEqual(40);
      const report = await runScenarios(db, scenarios, { tenantId: 'demo' });
      const failedSecurity = report.results.filter((result) => MUST_PASS.test(result.id) && !result.passed);
      expect(failedSecurity).toEqual([]);
      expect(report.passRate).toBeGreaterThanOrEqual(0.85);
    } finally {
      await db.close();
    }
  });
});
