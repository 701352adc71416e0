import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../store/database.ts';
import { testBackends } from '../testing/databases.ts';
import type { ScopedSpan } from './span-record.ts';
import { TraceStore } from './trace-store.ts';

// A private provider (not the process's routing one): these spans go straight to the store under test.
const tracer = new BasicTracerProvider().getTracer('trace-store-test');

function endedSpan(name: string): ScopedSpan {
  const span = tracer.startSpan(name);
  span.end();
  return { span: span as unknown as ScopedSpan['span'], scope: { sink: null, tenantId: 'default' } };
}

async function storedSpans(db: Database, prefix: string): Promise<number> {
  const { rows } = await db.query<{ count: number }>(
    'SELECT count(*)::int AS count FROM trace_spans WHERE name LIKE $1',
    [`${prefix}%`],
  );
  return rows[0]?.count ?? 0;
}

for (const backend of testBackends()) {
  describe(`trace store on ${backend.name}`, () => {
    let db: Database;
    beforeAll(async () => {
      db = await backend.open();
    }, 120_000);
    afterAll(async () => {
      await db?.close();
    });

    it('writes a full batch at once and leaves spans that end during the write for the next one', async () => {
      // No timer flush during the test: only the batch size and explicit flushes write.
      const store = new TraceStore({
        db,
        defaultTenant: 'default',
        batchSize: 4,
        flushIntervalMs: 3_600_000,
        onDrop: () => {},
      });
      try {
        for (let index = 0; index < 4; index++) store.add(endedSpan(`batch-${index}`));
        // The fourth span started a write; these end while it runs.
        for (let index = 4; index < 7; index++) store.add(endedSpan(`batch-${index}`));
        await store.idle();
        // Draining until empty would have written all seven, one small transaction after another
        // under steady load; they wait for the timer, the next full batch or a flush instead.
        expect(await storedSpans(db, 'batch-')).toBe(4);
        expect(store.queued).toBe(3);
        store.add(endedSpan('batch-7'));
        await store.idle();
        expect(await storedSpans(db, 'batch-')).toBe(8);
        expect(store.queued).toBe(0);
      } finally {
        await store.close();
      }
    });

    it('flush writes everything queued, in batches, and two flushes at once never write twice', async () => {
      const store = new TraceStore({
        db,
        defaultTenant: 'default',
        batchSize: 3,
        flushIntervalMs: 3_600_000,
        onDrop: () => {},
      });
      try {
        // Below the batch size each time, so nothing is written until the flushes.
        for (let index = 0; index < 2; index++) store.add(endedSpan(`flush-${index}`));
        expect(store.queued).toBe(2);
        const first = store.flush();
        for (let index = 2; index < 4; index++) store.add(endedSpan(`flush-${index}`));
        await Promise.all([first, store.flush(), store.flush()]);
        expect(await storedSpans(db, 'flush-')).toBe(4);
        expect(store.queued).toBe(0);
      } finally {
        await store.close();
      }
    });
  });
}
