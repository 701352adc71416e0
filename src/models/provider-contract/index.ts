/**
 * @module models/provider-contract
 * One contract suite for every LLM provider, run by `<provider>.test.ts` against a local server that
 * speaks that provider's wire protocol from recorded fixtures. Each case goes through the real AI SDK
 * provider, over real HTTP, inside our resilience wrapper.
 */
import { describe } from 'vitest';
import { failureCases } from './failures.case.ts';
import { generationCases } from './generation.case.ts';
import { type ProviderCase, useHarness } from './harness.ts';
import { streamingCases } from './streaming.case.ts';

export type { ProviderCase } from './harness.ts';

/** Registers the contract tests for one provider. */
export function describeProviderContract(c: ProviderCase): void {
  describe(`${c.provider} through the resilience wrapper`, () => {
    const harness = useHarness(c);
    generationCases(c, harness);
    failureCases(c, harness);
    streamingCases(c, harness);
  });
}
