import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { FastHistogram } from './fast-histogram.ts';

const BUCKETS = [0.001, 0.01, 0.1, 1, 10];

/** The same observations through prom-client's histogram and ours, each in a registry of its own. */
function both(observations: readonly [Record<'stage' | 'route', string>, number][]) {
  const reference = new Registry();
  const fast = new Registry();
  const labelNames = ['stage', 'route'] as const;
  const theirs = new Histogram({
    name: 'h_seconds',
    help: 'Help text.',
    labelNames,
    buckets: BUCKETS,
    registers: [reference],
  });
  const ours = new FastHistogram('h_seconds', 'Help text.', labelNames, BUCKETS, [fast]);
  for (const [labels, value] of observations) {
    theirs.observe(labels, value);
    ours.observe(labels, value);
  }
  return { reference, fast, ours };
}

describe('FastHistogram', () => {
  it('renders what prom-client renders, bucket edges included', async () => {
    const { reference, fast } = both([
      [{ stage: 'retrieve', route: '/v1/ask' }, 0.0005],
      [{ stage: 'retrieve', route: '/v1/ask' }, 0.001], // on a bound: counted in that bucket (le)
      [{ stage: 'retrieve', route: '/v1/ask' }, 0.05],
      [{ stage: 'generate', route: '/v1/ask' }, 2.5],
      [{ stage: 'generate', route: '/v1/ask' }, 42], // above every bound: only +Inf
      [{ stage: 'retrieve', route: '/v1/chat' }, 0],
    ]);
    const text = await fast.metrics();
    expect(text).toBe(await reference.metrics());
    expect(text).toContain('h_seconds_bucket{le="0.001",stage="retrieve",route="/v1/ask"} 2');
    expect(text).toContain('h_seconds_bucket{le="10",stage="generate",route="/v1/ask"} 1');
    expect(text).toContain('h_seconds_bucket{le="+Inf",stage="generate",route="/v1/ask"} 2');
    // JSON export too, but for prom-client's exemplar slots (empty, since exemplars are off).
    const withoutExemplars = (metrics: Awaited<ReturnType<Registry['getMetricsAsJSON']>>) =>
      metrics.map((metric) => ({
        ...metric,
        values: metric.values.map((value) => {
          const { exemplar: _exemplar, ...rest } = value as typeof value & { exemplar?: unknown };
          return rest;
        }),
      }));
    expect(withoutExemplars(await fast.getMetricsAsJSON())).toEqual(
      withoutExemplars(await reference.getMetricsAsJSON()),
    );
  });

  it('refuses a value that is not a number and a missing label, and forgets everything on reset', async () => {
    const { fast, ours } = both([[{ stage: 'retrieve', route: '/v1/ask' }, 0.2]]);
    expect(() => ours.observe({ stage: 'retrieve', route: '/v1/ask' }, Number.NaN)).toThrow(TypeError);
    expect(() => ours.observe({ stage: 'retrieve' } as Record<'stage' | 'route', string>, 1)).toThrow(
      /route/,
    );
    expect(await fast.metrics()).toContain('h_seconds_count{stage="retrieve",route="/v1/ask"} 1');
    fast.resetMetrics();
    expect(await fast.metrics()).not.toContain('h_seconds_count');
  });
});
