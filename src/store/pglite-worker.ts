/**
 * @module store/pglite-worker
 * The thread that owns an embedded database (ADR 0042). PGlite runs its WASM engine synchronously on
 * the thread that calls it; here that is this worker, so a long statement never stops the main
 * thread's event loop. Requests come from store/pglite.ts over the worker's port: plain statements
 * run as they come (PGlite queues them behind an open transaction), and an interactive transaction
 * stays open here, running the statements sent with its id, until the main thread ends it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import { createPgliteEngine } from './pglite-engine.ts';
import {
  type PgliteReady,
  type PgliteReply,
  type PgliteRequest,
  type PgliteWorkerData,
  serializeError,
} from './pglite-protocol.ts';

const port = parentPort;
if (!port) throw new Error('store/pglite-worker runs in a worker thread');
const { pgDir } = workerData as PgliteWorkerData;

/** An open interactive transaction: its PGlite handle, and how to end it. */
interface OpenTransaction {
  readonly tx: Transaction;
  /** Ends the transaction: commits when `commit`, else rolls back; `replyTo` hears the outcome. */
  end(commit: boolean, replyTo: number): void;
}

const transactions = new Map<number, OpenTransaction>();
let nextTransaction = 1;
/** Thrown out of PGlite's transaction callback to make it roll back. */
const ROLLBACK = Symbol('rollback');

function reply(message: PgliteReply): void {
  port?.postMessage(message);
}

function fail(id: number, error: unknown): void {
  reply({ id, ok: false, error: serializeError(error) });
}

function transactionOf(tx: number): OpenTransaction {
  const open = transactions.get(tx);
  if (!open) throw new Error('Transaction is closed');
  return open;
}

function begin(db: PGlite, id: number): void {
  const txId = nextTransaction++;
  let started = false;
  let endReply = id;
  void db
    .transaction(async (tx) => {
      started = true;
      const commit = await new Promise<boolean>((resolve) => {
        transactions.set(txId, {
          tx,
          end: (value, replyTo) => {
            endReply = replyTo;
            resolve(value);
          },
        });
        reply({ id, ok: true, tx: txId });
      });
      transactions.delete(txId);
      if (!commit) throw ROLLBACK;
    })
    .then(
      () => reply({ id: endReply, ok: true }),
      (error: unknown) => {
        transactions.delete(txId);
        // Before the callback ran, the failure is BEGIN's (the database closed meanwhile).
        if (error === ROLLBACK) reply({ id: endReply, ok: true });
        else fail(started ? endReply : id, error);
      },
    );
}

async function handle(db: PGlite, request: PgliteRequest): Promise<void> {
  try {
    switch (request.op) {
      case 'query': {
        const target = request.tx === undefined ? db : transactionOf(request.tx).tx;
        const result = await target.query(request.text, request.params);
        reply({ id: request.id, ok: true, rows: result.rows, affectedRows: result.affectedRows });
        return;
      }
      case 'exec': {
        const target = request.tx === undefined ? db : transactionOf(request.tx).tx;
        await target.exec(request.sql);
        reply({ id: request.id, ok: true });
        return;
      }
      case 'begin':
        begin(db, request.id);
        return;
      case 'end':
        transactionOf(request.tx).end(request.commit, request.id);
        return;
      case 'close':
        for (const open of transactions.values()) open.end(false, -1);
        if (!db.closed) await db.close();
        reply({ id: request.id, ok: true });
        return;
    }
  } catch (error) {
    fail(request.id, error);
  }
}

try {
  const db = await createPgliteEngine(pgDir);
  port.on('message', (request: PgliteRequest) => void handle(db, request));
  port.postMessage({ ready: true } satisfies PgliteReady);
} catch (error) {
  port.postMessage({ ready: false, error: serializeError(error) } satisfies PgliteReady);
}
