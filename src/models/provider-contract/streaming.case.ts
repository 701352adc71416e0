/**
 * @module models/provider-contract/streaming.case
 * Streams are retried until their first chunk and surface failures after it.
 */
import { expect, it } from 'vitest';
import { ANSWER, collect, failure, type Harness, type ProviderCase, textOf } from './harness.ts';

/** Registers the streaming failure cases. */
export function streamingCases(c: ProviderCase, h: Harness): void {
  it('retries a stream that fails before its first chunk', async () => {
    const model = h.modelFor([
      { fixture: c.fixtures.unavailable, status: c.unavailableStatus },
      { fixture: c.fixtures.stream },
    ]);
    const parts = await collect(model);
    const text = textOf(parts);
    expect(text).toBe(ANSWER);
    const finish = parts.find((part) => part.type === 'finish');
    expect(finish?.providerMetadata?.groundwork).toMatchObject({ attempts: 2 });
    expect(h.server.requests).toHaveLength(2);
  });

  it.skipIf(!c.fixtures.streamError)('retries a stream whose first event is an error', async () => {
    const model = h.modelFor([{ fixture: c.fixtures.streamError! }, { fixture: c.fixtures.stream }]);
    const parts = await collect(model);
    const text = textOf(parts);
    expect(text).toBe(ANSWER);
    expect(parts.some((part) => part.type === 'error')).toBe(false);
    expect(h.server.requests).toHaveLength(2);
  });

  it.skipIf(!c.fixtures.streamError)(
    'fails with model_unavailable when every stream opens with an error',
    async () => {
      const model = h.modelFor([{ fixture: c.fixtures.streamError! }, { fixture: c.fixtures.streamError! }], {
        maxRetries: 1,
      });
      const error = await failure(collect(model));
      expect(error).toMatchObject({ code: 'model_unavailable', retryable: true });
      expect(error.message).not.toContain('[object Object]');
      expect(h.server.requests).toHaveLength(2);
    },
  );

  it('surfaces a failure after the first chunk instead of retrying', async () => {
    const model = h.modelFor([
      { fixture: c.fixtures.stream, dropAfterEvents: 4 },
      { fixture: c.fixtures.stream },
    ]);
    const parts = await collect(model);
    expect(parts.some((part) => part.type === 'text-delta')).toBe(true);
    const last = parts.at(-1);
    expect(last?.type).toBe('error');
    expect(last?.type === 'error' && last.error).toMatchObject({ code: 'model_unavailable' });
    expect(h.server.requests).toHaveLength(1);
  });

  it('fails with model_timeout when a stream request hangs', async () => {
    const model = h.modelFor([{ hang: true }], { timeoutMs: 300, maxRetries: 0 });
    const started = performance.now();
    const error = await failure(collect(model));
    expect(error).toMatchObject({ code: 'model_timeout', retryable: true });
    expect(performance.now() - started).toBeLessThan(1500);
  });
}
