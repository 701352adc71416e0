import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.ts';

function gauge(text: string, quantile: string): number {
  const line = text
    .split('\n')
    .find((entry) => entry.startsWith(`groundwork_event_loop_delay_seconds{quantile="${quantile}"}`));
  return Number(line?.split(' ')[1] ?? 'NaN');
}

describe('event-loop delay metric', () => {
  it('reports a block of the main thread at the next scrape, then starts over', async () => {
    const metrics = createMetrics();
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Hold the thread for 250 ms, as a parser on the main thread would.
    const until = performance.now() + 250;
    while (performance.now() < until) {}
    await new Promise((resolve) => setTimeout(resolve, 30));
    const first = await metrics.registry.metrics();
    expect(gauge(first, 'max')).toBeGreaterThanOrEqual(0.2);
    expect(gauge(first, '0.5')).toBeLessThanOrEqual(gauge(first, 'max'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = await metrics.registry.metrics();
    // The block belongs to the previous interval only.
    expect(gauge(second, 'max')).toBeLessThan(gauge(first, 'max'));
  });
});
