/**
 * Connection loss on a Postgres server is an expected event: a transaction whose connection dies
 * fails with `database_unavailable` (and the process lives), the broken connection never goes back
 * to the pool, idempotent transactions are re-run when the loss came before COMMIT was sent, and a
 * COMMIT whose outcome is unknown is never re-run. The server is real; faults come from a TCP proxy
 * in front of it (a cut connection, refused connections) or from the server itself
 * (`pg_terminate_backend`).
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GroundworkError } from '../errors.ts';
import { createScratchDatabase } from '../testing/databases.ts';
import { type FaultProxy, startFaultProxy } from '../testing/fault-proxy.ts';
import type { Database } from './database.ts';
import { openPostgres } from './postgres.ts';

const adminUrl = process.env.GROUNDWORK_TEST_DATABASE_URL;
if (!adminUrl && process.env.CI === 'true') {
  throw new Error('CI must test against a Postgres server: set GROUNDWORK_TEST_DATABASE_URL.');
}

function expectUnavailable(error: unknown): GroundworkError {
  expect(GroundworkError.isInstance(error), `not a GroundworkError: ${String(error)}`).toBe(true);
  const known = error as GroundworkError;
  expect(known.code).toBe('database_unavailable');
  expect(known.retryable).toBe(true);
  return known;
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

describe.skipIf(!adminUrl)('Postgres adapter under connection loss', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let proxy: FaultProxy;
  let admin: pg.Client;
  const opened: Database[] = [];
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => uncaught.push(error);

  beforeAll(async () => {
    scratch = await createScratchDatabase(adminUrl as string);
    proxy = await startFaultProxy(scratch.url);
    admin = new pg.Client({ connectionString: scratch.url });
    await admin.connect();
    await admin.query('CREATE TABLE marks (id int PRIMARY KEY, note text)');
    // A deferred trigger that kills its own backend at COMMIT: the client sent COMMIT and never
    // learns whether it happened (here it did not, but a client cannot tell).
    await admin.query(`CREATE TABLE doomed (id int PRIMARY KEY);
      CREATE FUNCTION die_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NULL; END $$;
      CREATE CONSTRAINT TRIGGER die_at_commit AFTER INSERT ON doomed DEFERRABLE INITIALLY DEFERRED
        FOR EACH ROW EXECUTE FUNCTION die_at_commit()`);
    process.on('uncaughtException', onUncaught);
  });
  afterEach(async () => {
    proxy.setMode('pass');
    await admin.query('TRUNCATE marks, doomed');
  });
  afterAll(async () => {
    process.off('uncaughtException', onUncaught);
    for (const db of opened) await db.close().catch(() => {});
    await admin?.end();
    await proxy?.close();
    await scratch?.drop();
  });

  async function open(options: Partial<Parameters<typeof openPostgres>[0]> = {}): Promise<Database> {
    const db = await openPostgres({ connectionString: proxy.url, ...options });
    opened.push(db);
    return db;
  }

  it('a connection cut while a transaction waits fails that transaction, not the process', async () => {
    const db = await open({ poolSize: 2 });
    let release: () => void = () => {};
    const waiting = new Promise<void>((resolve) => {
      release = resolve;
    });
    const transaction = db.transaction(async (tx) => {
      await tx.query(`INSERT INTO marks VALUES (1, 'inside')`);
      await waiting;
      await tx.query(`INSERT INTO marks VALUES (2, 'after the cut')`);
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    proxy.cut();
    // The socket error reaches the idle-in-transaction client before the route queries again.
    await new Promise((resolve) => setTimeout(resolve, 100));
    release();
    expectUnavailable(await failureOf(transaction));
    expect(uncaught).toEqual([]);
    // Nothing was committed, and the pool hands out working connections again (never the broken one).
    const { rows } = await admin.query('SELECT count(*)::int AS n FROM marks');
    expect(rows[0].n).toBe(0);
    const answers = await Promise.all([1, 2, 3, 4].map(() => db.query<{ one: number }>('SELECT 1 AS one')));
    expect(answers.map((answer) => answer.rows[0]?.one)).toEqual([1, 1, 1, 1]);
  });

  it('a backend terminated by the server fails the transaction with database_unavailable', async () => {
    const db = await open({ poolSize: 2 });
    let pid = 0;
    const failure = await failureOf(
      db.transaction(async (tx) => {
        const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        pid = rows[0]!.pid;
        await admin.query('SELECT pg_terminate_backend($1)', [pid]);
        await new Promise((resolve) => setTimeout(resolve, 100));
        await tx.query(`INSERT INTO marks VALUES (3, 'terminated')`);
      }),
    );
    expectUnavailable(failure);
    expect(uncaught).toEqual([]);
    expect((await db.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one).toBe(1);
  });

  it('re-runs an idempotent transaction whose connection died before COMMIT was sent', async () => {
    const db = await open({ poolSize: 2 });
    let attempts = 0;
    const result = await db.transaction(
      async (tx) => {
        attempts++;
        await tx.query(`INSERT INTO marks VALUES (4, 'once')`);
        if (attempts === 1) await tx.query('SELECT pg_terminate_backend(pg_backend_pid())');
        return 'committed';
      },
      { idempotent: true },
    );
    expect(result).toBe('committed');
    expect(attempts).toBe(2);
    const { rows } = await admin.query('SELECT count(*)::int AS n FROM marks WHERE id = 4');
    expect(rows[0].n).toBe(1);
  });

  it('does not re-run a transaction that is not marked idempotent', async () => {
    const db = await open({ poolSize: 2 });
    let attempts = 0;
    const failure = await failureOf(
      db.transaction(async (tx) => {
        attempts++;
        await tx.query(`INSERT INTO marks VALUES (5, 'never')`);
        await tx.query('SELECT pg_terminate_backend(pg_backend_pid())');
      }),
    );
    expectUnavailable(failure);
    expect(attempts).toBe(1);
    const { rows } = await admin.query('SELECT count(*)::int AS n FROM marks');
    expect(rows[0].n).toBe(0);
  });

  it('never re-runs a transaction whose COMMIT outcome is unknown, even an idempotent one', async () => {
    const db = await open({ poolSize: 2 });
    let attempts = 0;
    const failure = await failureOf(
      db.transaction(
        async (tx) => {
          attempts++;
          await tx.query('INSERT INTO doomed VALUES (1)');
        },
        { idempotent: true },
      ),
    );
    const error = expectUnavailable(failure);
    expect(attempts).toBe(1);
    expect(error.details.commitOutcome).toBe('unknown');
    expect(uncaught).toEqual([]);
  });

  it('refused connections are database_unavailable, and queries work again once the server is back', async () => {
    const db = await open({ poolSize: 2, connectionTimeoutMs: 2000 });
    proxy.cut();
    proxy.setMode('refuse');
    expectUnavailable(await failureOf(db.query('SELECT 1')));
    expectUnavailable(await failureOf(db.transaction(async (tx) => tx.query('SELECT 1'))));
    proxy.setMode('pass');
    expect((await db.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one).toBe(1);
    expect(uncaught).toEqual([]);
  });

  it('a pool that stays exhausted answers database_unavailable after the connection timeout', async () => {
    const db = await open({ poolSize: 1, connectionTimeoutMs: 300 });
    let release: () => void = () => {};
    const holding = db.transaction(
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
        }),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const error = expectUnavailable(await failureOf(db.query('SELECT 1')));
    expect(error.details.reason).toBe('pool_timeout');
    release();
    await holding;
  });

  it('a statement running past the statement timeout is stopped by the server', async () => {
    const db = await open({ poolSize: 1, statementTimeoutMs: 200 });
    const error = expectUnavailable(await failureOf(db.query('SELECT pg_sleep(5)')));
    expect(error.details.reason).toBe('statement_timeout');
    // The connection is usable afterwards.
    expect((await db.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one).toBe(1);
  });

  it('an ordinary SQL error stays what it is', async () => {
    const db = await open({ poolSize: 1 });
    await admin.query(`INSERT INTO marks VALUES (9, 'taken')`);
    const failure = await failureOf(db.query(`INSERT INTO marks VALUES (9, 'again')`));
    expect(GroundworkError.isInstance(failure)).toBe(false);
    expect((failure as { code?: string }).code).toBe('23505');
  });
});
