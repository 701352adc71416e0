/**
 * @module store/pglite-thread
 * The main thread's side of an embedded database that runs in a worker thread of its own
 * (store/pglite-worker.ts, ADR 0042): requests and replies over the worker's port, interactive
 * transactions by id, and the worker's death (out of memory, a crash) turned into
 * `database_unavailable` for every call waiting and every call after, never a promise that hangs.
 */
import { Worker } from 'node:worker_threads';
import { DatabaseUnavailableError } from '../errors.ts';
import { logger } from '../observability/logger.ts';
import type { QueryResult, SqlExecutor } from './database.ts';
import {
  deserializeError,
  type PgliteReady,
  type PgliteReply,
  type PgliteRequest,
  type PgliteWorkerData,
  serializeError,
} from './pglite-protocol.ts';

const BOOTSTRAP = new URL('./pglite-worker-bootstrap.mjs', import.meta.url);
const ENTRY = new URL(`./pglite-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url)
  .href;

type Request = PgliteRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;
type Success = Extract<PgliteReply, { ok: true }>;

/** What opening the thread needs. */
export interface PgliteThreadOptions {
  /** `memory://` or the PGlite directory. */
  readonly pgDir: string;
  /** V8 heap limit of the thread in MB (default: Node's). The engine's WASM memory is apart from it. */
  readonly heapMb?: number;
}

/** An embedded database in a worker thread. Errors come back as the driver threw them there. */
export class PgliteThread {
  private readonly pending = new Map<
    number,
    { resolve(reply: Success): void; reject(error: unknown): void }
  >();
  private nextId = 1;
  /** Set once the thread is gone: every call fails with it. */
  private gone: DatabaseUnavailableError | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: PgliteReply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      this.updateRef();
      if (reply.ok) waiting.resolve(reply);
      else waiting.reject(deserializeError(reply.error));
    });
    worker.on('error', (error) => this.die(error));
    worker.on('exit', (code) => this.die(new Error(`the thread exited with code ${code}`)));
  }

  /** Starts the thread and opens the database in it. */
  static async start(options: PgliteThreadOptions): Promise<PgliteThread> {
    const worker = new Worker(BOOTSTRAP, {
      workerData: { entry: ENTRY, pgDir: options.pgDir } satisfies PgliteWorkerData,
      execArgv: [],
      ...(options.heapMb ? { resourceLimits: { maxOldGenerationSizeMb: options.heapMb } } : {}),
    });
    const exited = (code: number) => ({
      ready: false as const,
      error: { name: 'Error', message: `the database thread exited with code ${code}`, fields: {} },
    });
    let onMessage!: (ready: PgliteReady) => void;
    let onError!: (error: Error) => void;
    let onExit!: (code: number) => void;
    const ready = await new Promise<PgliteReady>((resolve) => {
      onMessage = resolve;
      onError = (error) => resolve({ ready: false, error: serializeError(error) });
      onExit = (code) => resolve(exited(code));
      worker.once('message', onMessage);
      worker.once('error', onError);
      worker.once('exit', onExit);
    });
    worker.off('message', onMessage);
    worker.off('error', onError);
    worker.off('exit', onExit);
    if (!ready.ready) {
      await worker.terminate();
      throw deserializeError(ready.error);
    }
    const thread = new PgliteThread(worker);
    thread.updateRef();
    return thread;
  }

  /** Runs one statement, in transaction `tx` when given. */
  async query<R>(text: string, params?: readonly unknown[], tx?: number): Promise<QueryResult<R>> {
    const reply = await this.send({ op: 'query', text, params: params ? [...params] : undefined, tx });
    return { rows: (reply.rows ?? []) as R[], affectedRows: reply.affectedRows };
  }

  async exec(sql: string, tx?: number): Promise<void> {
    await this.send({ op: 'exec', sql, tx });
  }

  /**
   * Runs `fn` in a transaction held open in the thread: commits when it resolves, rolls back when it
   * throws. Statements of others wait meanwhile, as they do on one PGlite connection.
   */
  async transaction<T>(
    fn: (tx: SqlExecutor) => Promise<T>,
    wrapError: (error: unknown) => unknown,
  ): Promise<T> {
    const { tx } = await this.send({ op: 'begin' });
    const executor: SqlExecutor = {
      query: async (text, params) => {
        try {
          return await this.query(text, params, tx);
        } catch (error) {
          throw wrapError(error);
        }
      },
    };
    let result: T;
    try {
      result = await fn(executor);
    } catch (error) {
      await this.send({ op: 'end', tx: tx!, commit: false }).catch(() => {});
      throw error;
    }
    await this.send({ op: 'end', tx: tx!, commit: true });
    return result;
  }

  /** Closes the database and ends the thread; later calls fail with `database_unavailable` (closed). */
  async close(): Promise<void> {
    if (this.gone) return;
    try {
      await this.send({ op: 'close' });
    } finally {
      this.gone ??= new DatabaseUnavailableError('closed');
      await this.worker.terminate();
      this.rejectAll(this.gone);
    }
  }

  /** Whether the thread is gone (closed, or died). */
  get closed(): boolean {
    return this.gone !== undefined;
  }

  private send(request: Request): Promise<Success> {
    if (this.gone) return Promise.reject(this.gone);
    const id = this.nextId++;
    return new Promise<Success>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.updateRef();
      this.worker.postMessage({ ...request, id } as PgliteRequest);
    });
  }

  /** The thread keeps the process alive only while a reply is awaited, as a query in progress would. */
  private updateRef(): void {
    if (this.pending.size > 0 && !this.gone) this.worker.ref();
    else this.worker.unref();
  }

  private die(cause: unknown): void {
    if (this.gone) return;
    this.gone = new DatabaseUnavailableError('connection_lost', { cause });
    logger.error(
      `The embedded database's thread stopped (${(cause as Error)?.message ?? String(cause)}); every database ` +
        'call now fails with database_unavailable. Restart the process: the data directory recovers on open.',
    );
    this.rejectAll(this.gone);
  }

  private rejectAll(error: unknown): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const { reject } of waiting) reject(error);
    this.updateRef();
  }
}
