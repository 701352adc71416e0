/**
 * @module bench/lib/ask-side
 * One app of a paired benchmark in a worker thread of its own, over its own in-memory PGlite database
 * holding the demo knowledge base, with the instant scripted model. Two sides in two threads share
 * nothing but the machine: the background work of one (the trace store's writes) runs on its own
 * event loop and slows only its own requests, as it would in a deployment. Round trips are timed
 * inside the worker, so the message passing between threads is not in them.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { Groundwork } from '../../src/app.ts';
import type { Database } from '../../src/store/database.ts';

/** How a side's app is configured. */
export interface SideOptions {
  readonly observability: boolean;
  readonly embedder: string;
  readonly sampleRatio: number;
  readonly contentCapture: 'off' | 'truncated' | 'full';
}

type Command =
  | { readonly kind: 'ask'; readonly index: number }
  | { readonly kind: 'block'; readonly requests: number }
  | { readonly kind: 'stored' }
  | { readonly kind: 'close' };

/** The parent's handle on a side. */
export class WorkerSide {
  private nextId = 0;
  private readonly pending = new Map<number, (value: number) => void>();

  private constructor(private readonly worker: Worker) {
    worker.on('message', (message: { id: number; value: number }) => {
      this.pending.get(message.id)?.(message.value);
      this.pending.delete(message.id);
    });
  }

  /** Starts a side and waits until its app is built, its knowledge ingested and its JIT warm. */
  static async start(options: SideOptions): Promise<WorkerSide> {
    // Module hooks are per thread, and on Node 20 a worker's TypeScript entry loads before an
    // inherited `--import tsx` has registered them: the worker registers tsx, then imports this file.
    const entry = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); })`;
    const worker = new Worker(entry, { eval: true, workerData: { askSide: options } });
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
    return new WorkerSide(worker);
  }

  /** Asks question `index`; the round trip in milliseconds, timed in the worker. */
  ask(index: number): Promise<number> {
    return this.send({ kind: 'ask', index });
  }

  /**
   * Sends `requests` questions one after the other and writes the queued traces; the milliseconds per
   * request the worker's event loop was busy (its requests and its background work).
   */
  block(requests: number): Promise<number> {
    return this.send({ kind: 'block', requests });
  }

  /** Traces in the side's store, after writing what is queued. */
  storedTraces(): Promise<number> {
    return this.send({ kind: 'stored' });
  }

  /** Closes the app and ends the worker. */
  async close(): Promise<void> {
    await this.send({ kind: 'close' });
    await this.worker.terminate();
  }

  private send(command: Command): Promise<number> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.worker.postMessage({ id, command });
    });
  }
}

/**
 * The app a side runs: the instant quoting model, unlimited rates, no answer cache, observability as
 * `options` say; over `db` when given (the in-process benchmark shares one), else its own PGlite.
 */
export async function openSideApp(options: SideOptions, db?: Database): Promise<Groundwork> {
  const { createGroundwork } = await import('../../src/app.ts');
  const { loadConfig } = await import('../../src/config/config.ts');
  const load = await import('./ask-load.ts');
  return createGroundwork(
    loadConfig(
      {
        dataDir: 'memory://',
        embedder: options.embedder,
        observability: {
          enabled: options.observability,
          sampleRatio: options.sampleRatio,
          contentCapture: options.contentCapture,
          logLevel: 'warn',
        },
        rateLimits: load.UNLIMITED_RATES,
        cache: load.NO_ANSWER_CACHE,
      },
      {},
    ),
    { db, languageModel: { model: load.createInstantModel(), name: 'test:instant' } },
  );
}

async function serve(options: SideOptions): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const { createHttpApp } = await import('../../src/server/app.ts');
  const load = await import('./ask-load.ts');
  const app = await openSideApp(options);
  await load.ingestDemoKnowledge(app);
  const http = createHttpApp(app);
  await load.runAskLoad(http, { requests: 60, concurrency: 1 });
  await app.observability.flush();
  port.on('message', async ({ id, command }: { id: number; command: Command }) => {
    if (command.kind === 'ask') {
      port.postMessage({ id, value: (await load.askOnce(http, command.index)).total });
    } else if (command.kind === 'block') {
      const before = performance.eventLoopUtilization();
      await load.runAskLoad(http, { requests: command.requests, concurrency: 1 });
      await app.observability.flush();
      const used = performance.eventLoopUtilization(before);
      port.postMessage({ id, value: used.active / command.requests });
    } else if (command.kind === 'stored') {
      await app.observability.flush();
      const { rows } = await app.db.query<{ count: number }>('SELECT count(*)::int AS count FROM traces');
      port.postMessage({ id, value: rows[0]?.count ?? 0 });
    } else {
      await app.close();
      port.postMessage({ id, value: 0 });
    }
  });
  port.postMessage({ ready: true });
}

if (!isMainThread && (workerData as { askSide?: SideOptions } | undefined)?.askSide) {
  await serve((workerData as { askSide: SideOptions }).askSide);
}
