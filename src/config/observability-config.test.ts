import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('observability config', () => {
  it('defaults to full sampling, truncated content, a week of traces and no collector', () => {
    expect(loadConfig({ dataDir: 'memory://' }, {}).observability).toEqual({
      enabled: true,
      sampleRatio: 1,
      contentCapture: 'truncated',
      retentionDays: 7,
      otlpTimeoutMs: 10_000,
      logLevel: 'info',
    });
  });

  it('maps the environment, with explicit values winning', () => {
    const env = {
      GROUNDWORK_TRACE_SAMPLE_RATIO: '0.25',
      GROUNDWORK_TRACE_CONTENT: 'off',
      GROUNDWORK_TRACE_RETENTION_DAYS: '30',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      LOG_LEVEL: 'DEBUG',
      GROUNDWORK_OBSERVABILITY: 'off',
    };
    const config = loadConfig({ dataDir: 'memory://', observability: { retentionDays: 3 } }, env);
    expect(config.observability).toMatchObject({
      enabled: false,
      sampleRatio: 0.25,
      contentCapture: 'off',
      retentionDays: 3,
      otlpEndpoint: 'http://collector:4318',
      logLevel: 'debug',
    });
  });

  it('says which variable to set when a value is wrong', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ GROUNDWORK_TRACE_SAMPLE_RATIO: '2' }, /GROUNDWORK_TRACE_SAMPLE_RATIO to a number from 0 to 1/],
      [{ GROUNDWORK_TRACE_SAMPLE_RATIO: 'most' }, /GROUNDWORK_TRACE_SAMPLE_RATIO/],
      [{ GROUNDWORK_TRACE_CONTENT: 'some' }, /GROUNDWORK_TRACE_CONTENT to off, truncated or full/],
      [{ GROUNDWORK_TRACE_RETENTION_DAYS: '0' }, /GROUNDWORK_TRACE_RETENTION_DAYS/],
      [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector' }, /OTEL_EXPORTER_OTLP_ENDPOINT to the collector URL/],
      [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL to trace, debug, info/],
    ];
    for (const [env, message] of cases) {
      expect(() => loadConfig({ dataDir: 'memory://' }, env), JSON.stringify(env)).toThrow(message);
    }
  });
});
