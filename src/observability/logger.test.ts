import { context, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';
import { installTracing } from './provider.ts';

function capture() {
  const lines: Record<string, unknown>[] = [];
  return { lines, destination: { write: (line: string) => lines.push(JSON.parse(line)) } };
}

describe('logger', () => {
  it('scrubs messages, interpolated arguments, nested fields and errors', () => {
    const { lines, destination } = capture();
    const log = createLogger({ level: 'info', destination });
    log.info(
      {
        user: 'ana@example.com',
        nested: { phone: '+44 20 7946 0958', keys: ['use sk-proj-abcdefghijklmnopqrstuvwxyz123456'] },
        count: 3,
      },
      'Customer %s paid with 4111 1111 1111 1111',
      'bob@example.com',
    );
    log.error({ err: new Error('charge failed for card 4111-1111-1111-1111') }, 'Payment failed.');
    const text = JSON.stringify(lines);
    for (const secret of ['ana@example.com', 'bob@example.com', '7946', '4111', 'sk-proj-']) {
      expect(text).not.toContain(secret);
    }
    expect(lines[0]).toMatchObject({
      msg: 'Customer [email] paid with [card]',
      user: '[email]',
      nested: { phone: '[phone]', keys: ['use [secret]'] },
      count: 3,
    });
    expect(lines[1]).toMatchObject({
      msg: 'Payment failed.',
      err: { message: 'charge failed for card [card]' },
    });
    const logged = lines[1] as { err: { stack: string } };
    expect(logged.err.stack).toContain('charge failed for card [card]');
  });

  it('adds the active trace and span ids', () => {
    installTracing();
    const { lines, destination } = capture();
    const log = createLogger({ level: 'info', destination });
    const span = trace.wrapSpanContext({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: 1,
    });
    context.with(trace.setSpan(context.active(), span), () => log.info('inside'));
    log.info('outside');
    expect(lines[0]).toMatchObject({
      trace_id: '0af7651916cd43dd8448eb211c80319c',
      span_id: 'b7ad6b7169203331',
    });
    expect(lines[1]).not.toHaveProperty('trace_id');
  });

  it('writes only at or above its level', () => {
    const { lines, destination } = capture();
    const log = createLogger({ level: 'warn', destination });
    log.info('quiet');
    log.warn('loud');
    expect(lines.map((line) => line.msg)).toEqual(['loud']);
  });
});
