/**
 * @module observability/fast-histogram
 * A Prometheus histogram for the metrics every request feeds several times (stage and HTTP
 * latency). prom-client's `Histogram.observe` validates and hashes the label object and reads its
 * buckets through number-to-string keys, about 1 µs a call; a `/v1/ask` observes a dozen times, which
 * was a tenth of what tracing and metrics added to it (bench/tracing-overhead.ts). This one looks its
 * series up by the label values joined in a fixed order and counts into a typed array, and renders
 * exactly what prom-client's histogram renders, through the same registry.
 */
import type { Registry } from 'prom-client';

interface Series {
  readonly labels: Readonly<Record<string, string>>;
  /** Observations per bucket (not cumulative); the last slot is above the highest bound. */
  readonly counts: Float64Array;
  sum: number;
  count: number;
}

/** What the registry reads off a metric at scrape time (the shape prom-client's own metrics give). */
interface MetricValue {
  readonly value: number;
  readonly labels: Record<string, string | number>;
  readonly metricName: string;
  readonly sharedLabels?: Record<string, string>;
}

/** See the module comment. */
export class FastHistogram<Label extends string = never> {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly series = new Map<string, Series>();
  private readonly bounds: Float64Array;

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelNames: readonly Label[],
    buckets: readonly number[],
    registers: readonly Registry[],
  ) {
    this.bounds = Float64Array.from([...buckets].sort((a, b) => a - b));
    for (const registry of registers) registry.registerMetric(this as never);
  }

  /** Counts one observation of `value` under `labels`; a non-finite value is an error, as in prom-client. */
  observe(labels: Readonly<Record<Label, string>>, value: number): void {
    if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${value}`);
    let key = '';
    for (const name of this.labelNames) key += `${labels[name]}\u0000`;
    let series = this.series.get(key);
    if (!series) {
      const own: Record<string, string> = {};
      for (const name of this.labelNames) {
        const labelValue = labels[name];
        if (typeof labelValue !== 'string') throw new TypeError(`Label ${name} of ${this.name} is missing`);
        own[name] = labelValue;
      }
      series = { labels: own, counts: new Float64Array(this.bounds.length + 1), sum: 0, count: 0 };
      this.series.set(key, series);
    }
    const bounds = this.bounds;
    let slot = 0;
    while (slot < bounds.length && value > (bounds[slot] as number)) slot++;
    (series.counts[slot] as number)++;
    series.sum += value;
    series.count++;
  }

  /** Forgets every series (the registry's `resetMetrics`). */
  reset(): void {
    this.series.clear();
  }

  /** For the text exposition: `le` first, the series' labels after it, as prom-client writes them. */
  async getForPromString() {
    const values: MetricValue[] = [];
    for (const series of this.series.values()) {
      let cumulative = 0;
      for (let slot = 0; slot < this.bounds.length; slot++) {
        cumulative += series.counts[slot] as number;
        values.push({
          labels: { le: this.bounds[slot] as number },
          value: cumulative,
          metricName: `${this.name}_bucket`,
          sharedLabels: series.labels,
        });
      }
      values.push(
        {
          labels: { le: '+Inf' },
          value: series.count,
          metricName: `${this.name}_bucket`,
          sharedLabels: series.labels,
        },
        { labels: {}, value: series.sum, metricName: `${this.name}_sum`, sharedLabels: series.labels },
        { labels: {}, value: series.count, metricName: `${this.name}_count`, sharedLabels: series.labels },
      );
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  /** For JSON export: each value's labels merged. */
  async get() {
    const data = await this.getForPromString();
    return {
      ...data,
      values: data.values.map(({ sharedLabels, labels, ...rest }) => ({
        ...rest,
        labels: { ...labels, ...sharedLabels },
      })),
    };
  }
}
