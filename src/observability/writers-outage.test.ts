/**
 * The batched writers (spans, answer log) keep what they could not write while the database was
 * unavailable and write it once it is back, instead of dropping it; what they keep is bounded.
 */
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerRecord } from '../store/answers.ts';
import type { Database } from '../store/database.ts';
import { ensureTenant } from '../store/documents.ts';
import { openDatabase } from '../store/open.ts';
import { createScratchDatabase } from '../testing/databases.ts';
import { type FaultProxy, startFaultProxy } from '../testing/fault-proxy.ts';
import { AnswerLog } from './answer-log.ts';
import type { ScopedSpan } from './span-record.ts';
import { TraceStore } from './trace-store.ts';

const serverUrl = process.env.GROUNDWORK_TEST_DATABASE_URL;
if (!serverUrl && process.env.CI === 'true') {
  throw new Error('CI must test against a Postgres server: set GROUNDWORK_TEST_DATABASE_URL.');
}
const tracer = new BasicTracerProvider().getTracer('writers-outage-test');

function endedSpan(name: string): ScopedSpan {
  const span = tracer.startSpan(name);
  span.end();
  return { span: span as unknown as ScopedSpan['span'], scope: { sink: null, tenantId: 'default' } };
}

function answer(id: string): AnswerRecord {
  return {
    id,
    tenantId: 'default',
    userId: 'anonymous',
    conversationId: null,
    question: 'Returns?',
    answer: 'Within 30 days.',
    citations: [],
    mode: 'extractive',
    model: null,
    promptName: null,
    promptVersion: null,
    experimentId: null,
    experimentArm: null,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    priced: false,
    latencyMs: 12,
  };
}

describe.skipIf(!serverUrl)('batched writers through a database outage', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let proxy: FaultProxy;
  let db: Database;

  beforeAll(async () => {
    scratch = await createScratchDatabase(serverUrl as string);
    proxy = await startFaultProxy(scratch.url);
    db = await openDatabase({ databaseUrl: proxy.url });
    await ensureTenant(db, 'default');
  });
  afterAll(async () => {
    await db?.close();
    await proxy?.close();
    await scratch?.drop();
  });

  const down = () => {
    proxy.setMode('refuse');
    proxy.cut();
  };
  const up = () => proxy.setMode('pass');

  it('spans queued during the outage are written after it, none dropped', async () => {
    let dropped = 0;
    const store = new TraceStore({
      db,
      defaultTenant: 'default',
      flushIntervalMs: 3_600_000,
      onDrop: (count) => {
        dropped += count;
      },
    });
    try {
      down();
      for (let index = 0; index < 5; index++) store.add(endedSpan(`outage-${index}`));
      await store.flush();
      expect(store.queued).toBe(5);
      up();
      await store.flush();
      const { rows } = await db.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM trace_spans WHERE name LIKE 'outage-%'`,
      );
      expect(rows[0]?.count).toBe(5);
      expect(dropped).toBe(0);
    } finally {
      up();
      await store.close();
    }
  });

  it('answers logged during the outage are written after it, each once', async () => {
    const log = new AnswerLog(db);
    down();
    for (const id of ['a-1', 'a-2', 'a-3']) await log.add(answer(id));
    await log.flush();
    up();
    await log.flush();
    const { rows } = await db.query<{ id: string }>(`SELECT id FROM answers ORDER BY id`);
    expect(rows.map((row) => row.id)).toEqual(['a-1', 'a-2', 'a-3']);
  });
});
