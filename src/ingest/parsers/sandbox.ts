/**
 * @module ingest/parsers/sandbox
 * Runs heavy parsers (PDF, DOCX) in a small pool of worker threads with a heap limit and a
 * wall-clock limit, so a hostile file costs one worker, never the process. A worker that times out,
 * runs out of memory or crashes is terminated and replaced; its file fails with a reason.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { IngestError, type IngestErrorCode } from '../../errors.ts';
import type { ParseResult } from '../../spec/document.ts';
import type { ParserInput } from '../../spec/parser.ts';
import type {
  ParserModuleRef,
  SandboxPrepare,
  SandboxPrepared,
  SandboxReply,
  SandboxTask,
  SerializedError,
} from './sandbox-protocol.ts';

export type { ParserModuleRef, SandboxPrepare, SandboxPrepared } from './sandbox-protocol.ts';

/** Settings of the sandbox. */
export interface SandboxOptions {
  /** Worker threads; default `availableParallelism() - 1`, at least 1. */
  readonly poolSize?: number;
  /** Wall-clock limit per file; default 60 s. */
  readonly timeoutMs?: number;
  /** V8 old-generation heap limit per worker; default 512 MB. */
  readonly memoryLimitMb?: number;
  /**
   * How much the process's resident memory may grow per busy worker before the longest-running
   * worker is stopped; default twice `memoryLimitMb`. This catches what the heap limit cannot:
   * typed arrays live outside the V8 heap, and pdf.js inflates streams into them.
   */
  readonly rssAllowanceMb?: number;
}

interface Job {
  readonly id: number;
  readonly parser: ParserModuleRef;
  readonly input: ParserInput;
  readonly timeoutMs: number;
  readonly prepare?: SandboxPrepare;
  /** Size of the input, taken before its bytes move to the worker. */
  readonly size: number;
  readonly resolve: (result: ParseResult | SandboxPrepared) => void;
  readonly reject: (error: unknown) => void;
  detach?: () => void;
}

interface Slot {
  readonly worker: Worker;
  job?: Job;
  timer?: NodeJS.Timeout;
  /** When the current job started, and the process's resident memory at that moment. */
  startedAt: number;
  rssAtStart: number;
  dead: boolean;
}

const BOOTSTRAP = new URL('./sandbox-bootstrap.mjs', import.meta.url);
const ENTRY = new URL(`./sandbox-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url)
  .href;
/** The worker's own abort signal fires at this share of the time limit, before the hard kill. */
const SOFT_DEADLINE_SHARE = 0.85;
const MEMORY_CHECK_MS = 200;
/** Longest a worker may take to boot and load its parser before the file's own limit starts. */
const STARTUP_LIMIT_MS = 120_000;
/**
 * Chunking and analysing a file after parsing gets its own limit: the parse limit, or this much per
 * MiB of input when that is longer (tokenizing 8 MB of text takes about 10 s on one core).
 */
const PREPARE_MS_PER_MIB = 5000;
const MB = 1024 * 1024;

const INGEST_CODES: ReadonlySet<string> = new Set<IngestErrorCode>([
  'unsupported_type',
  'empty_file',
  'too_large',
  'encrypted',
  'corrupt',
  'timeout',
  'limit_exceeded',
  'no_text',
]);

/**
 * A pool of parser workers.
 * @example
 * const sandbox = new ParserSandbox({ timeoutMs: 30_000 });
 * const result = await sandbox.run({ module: pdfModuleUrl, factory: 'createPdfParser' }, input);
 * await sandbox.close();
 */
export class ParserSandbox {
  readonly poolSize: number;
  readonly timeoutMs: number;
  readonly memoryLimitMb: number;
  readonly rssAllowanceMb: number;
  private readonly slots = new Set<Slot>();
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  private memoryWatch?: NodeJS.Timeout;

  constructor(options: SandboxOptions = {}) {
    this.poolSize = Math.max(1, Math.floor(options.poolSize ?? availableParallelism() - 1));
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.memoryLimitMb = options.memoryLimitMb ?? 512;
    this.rssAllowanceMb = options.rssAllowanceMb ?? this.memoryLimitMb * 2;
  }

  /** Live workers; for tests and metrics. */
  get workerCount(): number {
    return this.slots.size;
  }

  /**
   * Parses `input` with the named parser in a worker. The input's bytes are transferred to the
   * worker when they own their whole buffer, so the caller must not use them afterwards.
   */
  run(parser: ParserModuleRef, input: ParserInput, timeoutMs = this.timeoutMs): Promise<ParseResult> {
    return this.enqueue(parser, input, timeoutMs) as Promise<ParseResult>;
  }

  /**
   * Parses `input` and prepares it for storage (hash, chunk, analyse) in a worker, so none of that
   * work runs on the calling thread. Takes ownership of the bytes like `run`.
   */
  runPrepared(
    parser: ParserModuleRef,
    input: ParserInput,
    prepare: SandboxPrepare,
    timeoutMs = this.timeoutMs,
  ): Promise<SandboxPrepared> {
    return this.enqueue(parser, input, timeoutMs, prepare) as Promise<SandboxPrepared>;
  }

  private enqueue(
    parser: ParserModuleRef,
    input: ParserInput,
    timeoutMs: number,
    prepare?: SandboxPrepare,
  ): Promise<ParseResult | SandboxPrepared> {
    if (this.closed) return Promise.reject(new Error('The parser sandbox is closed'));
    if (input.signal?.aborted) return Promise.reject(input.signal.reason);
    return new Promise((resolve, reject) => {
      const size = input.bytes.byteLength;
      const job: Job = { id: this.nextId++, parser, input, timeoutMs, prepare, size, resolve, reject };
      const signal = input.signal;
      if (signal) {
        const onAbort = (): void => this.cancel(job, signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        job.detach = () => signal.removeEventListener('abort', onAbort);
      }
      this.queue.push(job);
      this.dispatch();
    });
  }

  /** Fails queued files and terminates every worker. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.memoryWatch);
    for (const job of this.queue.splice(0))
      settle(job, () => job.reject(new Error('The parser sandbox was closed')));
    const slots = [...this.slots];
    for (const slot of slots) this.retire(slot, new Error('The parser sandbox was closed'));
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0 && !this.closed) {
      let slot = [...this.slots].find((candidate) => !candidate.job);
      if (!slot) {
        if (this.slots.size >= this.poolSize) return;
        slot = this.spawn();
      }
      this.start(slot, this.queue.shift()!);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(BOOTSTRAP, {
      workerData: { entry: ENTRY },
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: this.memoryLimitMb },
    });
    const slot: Slot = { worker, dead: false, startedAt: 0, rssAtStart: 0 };
    worker.on('message', (reply: SandboxReply) => this.onReply(slot, reply));
    worker.on('error', (error) => this.onFailure(slot, error));
    worker.on('exit', (code) => this.onFailure(slot, undefined, code));
    // An idle worker must not keep the process alive.
    worker.unref();
    this.slots.add(slot);
    return slot;
  }

  private start(slot: Slot, job: Job): void {
    slot.job = job;
    slot.startedAt = Date.now();
    slot.rssAtStart = process.memoryUsage.rss();
    slot.worker.ref();
    this.memoryWatch ??= setInterval(() => this.checkMemory(), MEMORY_CHECK_MS).unref();
    // Until the worker says the parser started, only a generous start-up limit applies: booting a
    // worker and loading pdf.js can take seconds on a loaded machine and is not the file's fault.
    slot.timer = setTimeout(
      () =>
        this.retire(slot, new IngestError('timeout', 'The parser worker did not start in time; try again')),
      Math.max(job.timeoutMs, STARTUP_LIMIT_MS),
    );
    const { bytes, transfer } = transferable(job.input.bytes);
    const task: SandboxTask = {
      id: job.id,
      parser: job.parser,
      bytes,
      uri: job.input.uri,
      mediaType: job.input.mediaType,
      options: job.input.options,
      softBudgetMs: job.timeoutMs * SOFT_DEADLINE_SHARE,
      ...(job.prepare ? { prepare: job.prepare } : {}),
    };
    try {
      slot.worker.postMessage(task, transfer);
    } catch {
      // Some buffers (Node's shared Buffer pool) refuse to move; those are copied instead.
      slot.worker.postMessage({ ...task, bytes: bytes.slice() });
    }
  }

  /**
   * Resident memory is per process, so growth cannot be pinned on one worker; the longest-running
   * busy worker is the likeliest culprit (inflating a bomb takes time) and is stopped first.
   */
  private checkMemory(): void {
    const busy = [...this.slots].filter((slot) => slot.job).sort((a, b) => a.startedAt - b.startedAt);
    if (busy.length === 0) {
      clearInterval(this.memoryWatch);
      this.memoryWatch = undefined;
      return;
    }
    const growth = process.memoryUsage.rss() - Math.min(...busy.map((slot) => slot.rssAtStart));
    if (growth <= busy.length * this.rssAllowanceMb * MB) return;
    this.retire(
      busy[0]!,
      new IngestError(
        'limit_exceeded',
        `The parser exceeded its memory limit (${this.rssAllowanceMb} MB including buffers outside its ${this.memoryLimitMb} MB heap); the file may be a decompression bomb`,
      ),
    );
  }

  private onReply(slot: Slot, reply: SandboxReply): void {
    const job = slot.job;
    if (slot.dead || !job || job.id !== reply.id) return;
    if ('started' in reply) {
      this.armParseTimer(slot, job);
      return;
    }
    if ('preparing' in reply) {
      this.armPrepareTimer(slot, job);
      return;
    }
    this.release(slot);
    if (reply.ok) settle(job, () => job.resolve(reply.result));
    else settle(job, () => job.reject(reviveError(reply.error, job.parser)));
    this.dispatch();
  }

  /** The file's own time limit, from the moment its parser starts. */
  private armParseTimer(slot: Slot, job: Job): void {
    clearTimeout(slot.timer);
    slot.startedAt = Date.now();
    slot.timer = setTimeout(() => {
      const seconds = Math.round(job.timeoutMs / 100) / 10;
      this.retire(
        slot,
        new IngestError(
          'timeout',
          `Parsing took longer than ${seconds} s and was stopped; the file may be malformed, or too large for the time limit`,
        ),
      );
    }, job.timeoutMs);
  }

  /** The limit for chunking and analysing, from the moment parsing ended. */
  private armPrepareTimer(slot: Slot, job: Job): void {
    clearTimeout(slot.timer);
    const limitMs = Math.max(job.timeoutMs, (job.size / MB) * PREPARE_MS_PER_MIB);
    slot.timer = setTimeout(() => {
      const seconds = Math.round(limitMs / 100) / 10;
      this.retire(
        slot,
        new IngestError(
          'timeout',
          `Chunking the parsed file took longer than ${seconds} s and was stopped; the file may be too large for the time limit`,
        ),
      );
    }, limitMs);
  }

  private onFailure(slot: Slot, error?: Error, exitCode?: number): void {
    if (slot.dead) return;
    const outOfMemory = (error as { code?: string } | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
    const failure = outOfMemory
      ? new IngestError(
          'limit_exceeded',
          `The parser exceeded its ${this.memoryLimitMb} MB memory limit; the file is too large or too complex to parse`,
        )
      : new IngestError(
          'corrupt',
          `The parser crashed (${error ? error.message : `worker exited with code ${exitCode}`}); the file may be malformed`,
          { cause: error },
        );
    this.retire(slot, failure);
  }

  /** Fails the slot's job (if any), terminates and forgets the worker; the next dispatch spawns a fresh one. */
  private retire(slot: Slot, error: unknown): void {
    if (slot.dead) return;
    slot.dead = true;
    this.slots.delete(slot);
    const job = slot.job;
    this.release(slot);
    void slot.worker.terminate();
    if (job) settle(job, () => job.reject(error));
    this.dispatch();
  }

  private release(slot: Slot): void {
    clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.job = undefined;
    if (!slot.dead) slot.worker.unref();
  }

  private cancel(job: Job, reason: unknown): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      settle(job, () => job.reject(reason));
      return;
    }
    const slot = [...this.slots].find((candidate) => candidate.job === job);
    if (slot) this.retire(slot, reason);
  }
}

function settle(job: Job, action: () => void): void {
  job.detach?.();
  action();
}

/** The bytes to post and what can be moved rather than copied. */
function transferable(bytes: Uint8Array): { bytes: Uint8Array; transfer: ArrayBuffer[] } {
  const buffer = bytes.buffer;
  if (buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength) {
    return { bytes, transfer: [buffer] };
  }
  // A view into a larger buffer: copy just the view, then move the copy.
  const copy = bytes.slice();
  return { bytes: copy, transfer: [copy.buffer] };
}

function reviveError(error: SerializedError, parser: ParserModuleRef): IngestError {
  if (error.code && INGEST_CODES.has(error.code))
    return new IngestError(error.code as IngestErrorCode, error.message);
  return new IngestError('corrupt', `The ${parser.factory} parser failed: ${error.message}`);
}
