/**
 * The embedded database in a worker thread of its own (ADR 0042): the `Database` port behaves as it
 * does with PGlite on the main thread (values, errors, transactions, close), the main thread's event
 * loop runs while a statement runs, and a thread that dies fails every call with
 * `database_unavailable` instead of leaving it waiting.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GroundworkError } from '../errors.ts';
import type { Database } from './database.ts';
import { openPglite } from './pglite.ts';

const ROUND_TRIP = `SELECT 9007199254740991::bigint AS big, 42::int AS small, 1.5::float8 AS float,
  '\\x00ff10'::bytea AS bytes, '{"a":[1,"x",null],"b":{"c":true}}'::jsonb AS json,
  '[1,2.5,3]'::vector AS vec, '2026-12-07T10:11:12.345Z'::timestamptz AS at, ARRAY['a','b']::text[] AS list,
  NULL::text AS nothing, 'é ✓ 😀'::text AS unicode`;

const PARAMS = `SELECT $1::bigint AS big, $2::bytea AS bytes, $3::jsonb AS json, $4::timestamptz AS at,
  $5::text[] AS list, $6::int AS nothing, $7::vector AS vec`;
const PARAM_VALUES = [
  123456789012,
  new Uint8Array([0, 1, 254, 255]),
  JSON.stringify({ k: ['v', 2] }),
  new Date('2026-01-02T03:04:05.678Z'),
  ['x', 'y, z', ''],
  null,
  '[0.25,-1,3]',
];

async function codeOf(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    const { code, name, constraint, message } = error as Record<string, unknown>;
    return { code, name, constraint, message };
  }
  throw new Error('expected a failure');
}

describe('PGlite in a worker thread', () => {
  let scratch: string;
  let main: Database;
  let worker: Database;

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'gw-pglite-worker-'));
    main = await openPglite({ dataDir: 'memory://', thread: 'main' });
    // A data directory always runs its engine in a thread.
    worker = await openPglite({ dataDir: path.join(scratch, 'data') });
    for (const db of [main, worker]) {
      await db.exec('CREATE TABLE items (id bigserial PRIMARY KEY, name text UNIQUE NOT NULL, data bytea)');
    }
  }, 300_000);
  afterAll(async () => {
    await main?.close();
    await worker?.close();
    await rm(scratch, { recursive: true, force: true });
  });

  it('returns rows and takes parameters exactly as PGlite on the main thread does', async () => {
    const [fromMain, fromWorker] = await Promise.all([main.query(ROUND_TRIP), worker.query(ROUND_TRIP)]);
    expect(fromWorker.rows).toEqual(fromMain.rows);
    const row = fromWorker.rows[0]!;
    expect(row.big).toBe(9007199254740991);
    expect(row.bytes).toBeInstanceOf(Uint8Array);
    expect([...(row.bytes as Uint8Array)]).toEqual([0, 255, 16]);
    expect(row.json).toEqual({ a: [1, 'x', null], b: { c: true } });
    expect(row.vec).toBe('[1,2.5,3]');
    expect(row.at).toBeInstanceOf(Date);
    expect((row.at as Date).toISOString()).toBe('2026-12-07T10:11:12.345Z');
    expect(row.unicode).toBe('é ✓ 😀');

    const [paramsMain, paramsWorker] = await Promise.all([
      main.query(PARAMS, PARAM_VALUES),
      worker.query(PARAMS, PARAM_VALUES),
    ]);
    expect(paramsWorker.rows).toEqual(paramsMain.rows);
    expect(paramsWorker.rows[0]).toMatchObject({ big: 123456789012, list: ['x', 'y, z', ''], nothing: null });

    const insert = 'INSERT INTO items (name, data) VALUES ($1, $2), ($3, NULL) RETURNING id';
    const [a, b] = await Promise.all([
      main.query(insert, ['one', Buffer.from('bytes'), 'two']),
      worker.query(insert, ['one', Buffer.from('bytes'), 'two']),
    ]);
    expect(b).toEqual(a);
    expect(b.affectedRows).toBe(2);
  });

  it('keeps the driver’s error code, name and fields across the thread boundary', async () => {
    const duplicate = "INSERT INTO items (name) VALUES ('one')";
    const [fromMain, fromWorker] = await Promise.all([
      codeOf(main.query(duplicate)),
      codeOf(worker.query(duplicate)),
    ]);
    expect(fromWorker).toEqual(fromMain);
    expect(fromWorker).toMatchObject({ code: '23505', constraint: 'items_name_key' });
    expect(await codeOf(worker.query('SELEC 1'))).toMatchObject({ code: '42601' });
    expect(await codeOf(worker.exec('CREATE TABLE items (x int)'))).toMatchObject({ code: '42P07' });
  });

  it('commits, rolls back on a throw or a failed statement, and queues other statements behind an open transaction', async () => {
    const order: string[] = [];
    let inside!: () => void;
    const entered = new Promise<void>((resolve) => {
      inside = resolve;
    });
    const writing = worker.transaction(async (tx) => {
      await tx.query("INSERT INTO items (name) VALUES ('in-tx')");
      inside();
      // Let the outside statement be sent while this transaction is open.
      await new Promise((resolve) => setTimeout(resolve, 50));
      order.push('transaction');
      return 'committed';
    });
    await entered;
    const outside = worker
      .query<{ n: number }>("SELECT count(*)::int AS n FROM items WHERE name = 'in-tx'")
      .then((result) => {
        order.push('outside');
        return result.rows[0]!.n;
      });
    expect(await writing).toBe('committed');
    // The outside statement ran after the commit, and saw it.
    expect(await outside).toBe(1);
    expect(order).toEqual(['transaction', 'outside']);

    await expect(
      worker.transaction(async (tx) => {
        await tx.query("INSERT INTO items (name) VALUES ('thrown')");
        throw new Error('the caller failed');
      }),
    ).rejects.toThrow('the caller failed');
    const failed = await codeOf(
      worker.transaction(async (tx) => {
        await tx.query("INSERT INTO items (name) VALUES ('half')");
        await tx.query("INSERT INTO items (name) VALUES ('one')");
      }),
    );
    expect(failed).toMatchObject({ code: '23505' });
    const { rows } = await worker.query<{ name: string }>(
      "SELECT name FROM items WHERE name IN ('thrown', 'half') ORDER BY name",
    );
    expect(rows).toEqual([]);
    // The connection is usable after both rollbacks.
    expect((await worker.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('keeps the main thread’s event loop running while a long statement runs', async () => {
    let ticks = 0;
    let ticksWhenDone = -1;
    const timer = setInterval(() => ticks++, 1);
    try {
      await worker
        .query('SELECT count(*) FROM generate_series(1, 3000000) s, LATERAL (SELECT md5(s::text)) m')
        .then(() => {
          ticksWhenDone = ticks;
        });
    } finally {
      clearInterval(timer);
    }
    // On the main thread the statement holds the loop, and no timer fires until it ends.
    expect(ticksWhenDone).toBeGreaterThan(5);
  });

  it('fails calls with database_unavailable after close, and reopens the directory afterwards', {
    timeout: 300_000,
  }, async () => {
    const dataDir = path.join(scratch, 'closing');
    const db = await openPglite({ dataDir });
    await db.exec('CREATE TABLE kept (v int); INSERT INTO kept VALUES (7)');
    await db.close();
    const error = await db.query('SELECT 1').catch((caught: unknown) => caught);
    expect(GroundworkError.isInstance(error) && error.code).toBe('database_unavailable');
    expect((error as GroundworkError).details).toMatchObject({ reason: 'closed' });
    await db.close();
    const again = await openPglite({ dataDir });
    try {
      expect((await again.query('SELECT v FROM kept')).rows).toEqual([{ v: 7 }]);
    } finally {
      await again.close();
    }
  });

  it('turns a thread that runs out of memory into database_unavailable for the waiting call and every later one', {
    timeout: 300_000,
  }, async () => {
    const dataDir = path.join(scratch, 'oom');
    const db = await openPglite({ dataDir, threadHeapMb: 64 });
    try {
      await db.exec('CREATE TABLE t (v int)');
      let inTransaction: unknown;
      const open = db
        .transaction(async (tx) => {
          await tx.query('INSERT INTO t VALUES (1)');
          await new Promise((resolve) => setTimeout(resolve, 20));
          await tx.query('INSERT INTO t VALUES (2)');
        })
        .catch((error: unknown) => {
          inTransaction = error;
        });
      // Rows far beyond the thread's heap: the thread dies, the process does not.
      const huge = await db
        .query("SELECT repeat('x', 1000000) AS s FROM generate_series(1, 400)")
        .catch((error: unknown) => error);
      await open;
      expect(GroundworkError.isInstance(huge) && huge.code).toBe('database_unavailable');
      expect((huge as GroundworkError).details).toMatchObject({ reason: 'connection_lost' });
      const later = await db.query('SELECT 1').catch((error: unknown) => error);
      expect(GroundworkError.isInstance(later) && later.code).toBe('database_unavailable');
      expect(
        inTransaction === undefined || (GroundworkError.isInstance(inTransaction) && inTransaction.code),
      ).toBeTruthy();
    } finally {
      await db.close();
    }
  });
});
