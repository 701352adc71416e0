/**
 * @module models/provider-contract/failures.case
 * Rate limits, outages, malformed bodies, hung connections, fallbacks and caller aborts.
 */
import { expect, it } from 'vitest';
import { ModelError } from '../errors.ts';
import { ANSWER, failure, type Harness, PROMPT, type ProviderCase } from './harness.ts';

/** Registers the failure cases. */
export function failureCases(c: ProviderCase, h: Harness): void {
  it('waits as long as retry-after asks after a 429, then succeeds', async () => {
    const model = h.modelFor([
      { fixture: c.fixtures.rateLimited, status: 429, headers: c.retryAfter.headers },
      { fixture: c.fixtures.generate },
    ]);
    const result = await model.doGenerate({ prompt: PROMPT });
    expect(result.content[0]).toMatchObject({ text: ANSWER });
    const [first, second] = h.server.requests;
    const waited = second!.receivedAt - first!.receivedAt;
    expect(waited).toBeGreaterThanOrEqual(c.retryAfter.ms - 5);
    expect(waited).toBeLessThan(c.retryAfter.ms + 600);
  });

  it('gives up at once when retry-after is beyond the cap', async () => {
    const model = h.modelFor([
      { fixture: c.fixtures.rateLimited, status: 429, headers: { 'retry-after': '120' } },
    ]);
    const error = await failure(model.doGenerate({ prompt: PROMPT }));
    expect(error).toMatchObject({ code: 'model_rate_limited', category: 'system', retryable: true });
    expect(error.details).toMatchObject({
      provider: c.provider,
      status: 429,
      retryAfterMs: 120_000,
      attempts: 1,
    });
    expect(h.server.requests).toHaveLength(1);
  });

  it('retries a 5xx, then succeeds', async () => {
    const model = h.modelFor([
      { fixture: c.fixtures.unavailable, status: c.unavailableStatus },
      { fixture: c.fixtures.generate },
    ]);
    const result = await model.doGenerate({ prompt: PROMPT });
    expect(result.content[0]).toMatchObject({ text: ANSWER });
    expect(result.providerMetadata?.groundwork).toMatchObject({ attempts: 2 });
  });

  it('fails with model_unavailable after 1 + maxRetries attempts of a persistent 5xx', async () => {
    const unavailable = { fixture: c.fixtures.unavailable, status: c.unavailableStatus };
    const model = h.modelFor([unavailable, unavailable, unavailable]);
    const error = await failure(model.doGenerate({ prompt: PROMPT }));
    expect(ModelError.isModelError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'model_unavailable', category: 'system', retryable: true });
    expect(error.details).toMatchObject({
      provider: c.provider,
      model: c.model,
      status: c.unavailableStatus,
    });
    expect(error.details.attempts).toBe(3);
    expect(error.cause).toBeInstanceOf(Error);
    expect(h.server.requests).toHaveLength(3);
  });

  it('fails with model_bad_response on a malformed body, without retrying', async () => {
    // A body cut off mid-JSON, as a proxy that drops the connection early would deliver it.
    const truncated = h.fixtureText(c.fixtures.generate).slice(0, 80);
    const model = h.modelFor([{ body: truncated }, { fixture: c.fixtures.generate }]);
    const error = await failure(model.doGenerate({ prompt: PROMPT }));
    expect(error).toMatchObject({ code: 'model_bad_response', category: 'system', retryable: false });
    expect(error.details).toMatchObject({ provider: c.provider, status: 200 });
    expect(h.server.requests).toHaveLength(1);
  });

  it('fails with model_timeout when the connection hangs', async () => {
    const model = h.modelFor([{ hang: true }], { timeoutMs: 300, maxRetries: 0 });
    const started = performance.now();
    const error = await failure(model.doGenerate({ prompt: PROMPT }));
    const elapsed = performance.now() - started;
    expect(error).toMatchObject({ code: 'model_timeout', category: 'system', retryable: true });
    expect(elapsed).toBeGreaterThanOrEqual(295);
    expect(elapsed).toBeLessThan(1500);
  });

  it('falls back to the next model when the primary keeps failing', async () => {
    const unavailable = { fixture: c.fixtures.unavailable, status: c.unavailableStatus };
    const model = h.modelFor([unavailable, unavailable, { fixture: c.fixtures.generate }], {
      maxRetries: 1,
      fallbacks: [`${c.provider}:${c.fallbackModel}`],
    });
    const result = await model.doGenerate({ prompt: PROMPT });
    expect(result.content[0]).toMatchObject({ text: ANSWER });
    expect(h.server.requests.map((request) => request.body.model)).toEqual([
      c.model,
      c.model,
      c.fallbackModel,
    ]);
    expect(result.providerMetadata?.groundwork).toEqual({
      model: `${c.provider}:${c.fallbackModel}`,
      attempts: 3,
    });
  });

  it('cancels at once, without retrying, when the caller aborts', async () => {
    const model = h.modelFor([{ hang: true }, { fixture: c.fixtures.generate }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const error = await failure(model.doGenerate({ prompt: PROMPT, abortSignal: controller.signal }));
    expect(performance.now() - started).toBeLessThan(1000);
    expect((error as unknown as Error).name).toBe('AbortError');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(h.server.requests).toHaveLength(1);
  });
}
