/**
 * @module models/local/onnx-embedder
 * The local embedding model: an AI SDK `EmbeddingModelV3` over an installed ONNX model (bge-small,
 * MiniLM), run in-process on CPU through transformers.js. The model runs in one worker thread
 * (`onnx-worker`, shared by the process, see `onnx-host`) because onnxruntime-node's `session.run`
 * blocks the thread that calls it for the whole batch, seconds on a small machine
 * (docs/decisions/0009-local-embedder.md).
 *
 * The main thread keeps the queue: a call's texts are sorted by length so each batch pads little,
 * split into batches of `batchSize`, sent to the worker one batch at a time and put back in the
 * caller's order. Single-text calls (queries) go before bulk batches so a search is not stuck behind
 * an ingestion. The queue is bounded: past `maxQueuedTexts` texts, calls fail at once with a
 * retryable `embedder_overloaded` instead of growing memory. The model loads on first use; concurrent
 * first calls share that load, and a failed load is retried by the next call.
 */
import { availableParallelism } from 'node:os';
import type { EmbeddingModelV3, EmbeddingModelV3CallOptions, EmbeddingModelV3Result } from '@ai-sdk/provider';
import { GroundworkError } from '../../errors.ts';
import { raceAbort } from '../../os/abortable.ts';
import type { EmbedderInfo } from '../../spec/embedding.ts';
import type { LocalModelSpec } from './catalog.ts';
import {
  markOnnxBusy,
  type OnnxHostClient,
  postOnnxRequest,
  registerOnnxClient,
  unregisterOnnxClient,
} from './onnx-host.ts';
import type { OnnxReply, OnnxWorkerError } from './onnx-protocol.ts';

/** Settings of a local embedder. */
export interface LocalEmbedderOptions {
  /** The installed model directory (`<modelsDir>/<name>`). */
  readonly modelDir: string;
  /** A catalog entry with `embedding` traits. */
  readonly spec: LocalModelSpec;
  /** Texts per inference batch; default 16. */
  readonly batchSize?: number;
  /** Texts accepted but not yet embedded before calls are refused; default 1024. */
  readonly maxQueuedTexts?: number;
  /** onnxruntime intra-op threads; default `os.availableParallelism()`. */
  readonly threads?: number;
}

/** The embedder, plus a way to stop its worker. */
export interface LocalEmbedder extends EmbedderInfo {
  /** Texts accepted and not yet returned (queued or running), and how often the model was loaded. */
  stats(): { readonly pendingTexts: number; readonly loads: number };
  /** Drops the model and fails pending calls. The next call loads it again. */
  close(): Promise<void>;
}

interface Call {
  cancelled: boolean;
}

interface BatchJob {
  readonly texts: readonly string[];
  readonly call: Call;
  readonly resolve: (vectors: Float32Array) => void;
  readonly reject: (error: unknown) => void;
}

const MAX_EMBEDDINGS_PER_CALL = 256;

/**
 * Creates the embedder for an installed model. Nothing is loaded until the first call.
 *
 * @example
 * const embedder = createLocalEmbedder({ modelDir, spec: findLocalModel('bge-small-en-v1.5')! });
 * const { embeddings } = await embedMany({ model: embedder.model, values: ['a passage'] });
 */
export function createLocalEmbedder(options: LocalEmbedderOptions): LocalEmbedder {
  const traits = options.spec.embedding;
  if (!traits)
    throw new GroundworkError({
      code: 'invalid_config',
      message: `${options.spec.name} is not an embedding model.`,
    });
  const runtime = new OnnxRuntimeClient(options);
  const model: EmbeddingModelV3 = {
    specificationVersion: 'v3',
    provider: 'local',
    modelId: options.spec.name,
    maxEmbeddingsPerCall: Math.min(MAX_EMBEDDINGS_PER_CALL, runtime.maxQueuedTexts),
    supportsParallelCalls: true,
    async doEmbed({ values, abortSignal }: EmbeddingModelV3CallOptions): Promise<EmbeddingModelV3Result> {
      return { embeddings: await runtime.embed(values, abortSignal), warnings: [] };
    },
  };
  return {
    model,
    dimensions: traits.dimensions,
    queryPrefix: traits.queryPrefix,
    // Calls of several batches let the length sort cut padding across more texts.
    batchSize: runtime.batchSize * 4,
    stats: () => ({ pendingTexts: runtime.pending, loads: runtime.loads }),
    close: () => runtime.close(),
  };
}

class OnnxRuntimeClient implements OnnxHostClient {
  readonly batchSize: number;
  readonly maxQueuedTexts: number;
  pending = 0;
  loads = 0;
  private readonly threads: number;
  /** Set while registered with the worker host; `close` unregisters, the next load registers anew. */
  private key?: number;
  private loading?: { promise: Promise<void>; resolve: () => void; reject: (error: unknown) => void };
  private readonly interactive: BatchJob[] = [];
  private readonly bulk: BatchJob[] = [];
  private running?: { id: number; job: BatchJob };
  private nextId = 1;

  constructor(private readonly options: LocalEmbedderOptions) {
    this.batchSize = Math.max(1, options.batchSize ?? 16);
    this.maxQueuedTexts = Math.max(1, options.maxQueuedTexts ?? 1024);
    this.threads = Math.max(1, options.threads ?? availableParallelism());
  }

  async embed(values: readonly string[], signal?: AbortSignal): Promise<number[][]> {
    signal?.throwIfAborted();
    if (values.length === 0) return [];
    const name = this.options.spec.name;
    if (values.length > this.maxQueuedTexts)
      throw new GroundworkError({
        code: 'embedder_too_many_values',
        message: `${values.length} texts in one call to ${name}; the limit is ${this.maxQueuedTexts}.`,
      });
    if (this.pending + values.length > this.maxQueuedTexts)
      throw new GroundworkError({
        code: 'embedder_overloaded',
        category: 'system',
        retryable: true,
        message: `The local embedder ${name} has ${this.pending} texts waiting (limit ${this.maxQueuedTexts}); try again shortly.`,
        details: { pending: this.pending, limit: this.maxQueuedTexts },
      });
    this.pending += values.length;
    const call: Call = { cancelled: false };
    try {
      // Longest first within the call: batches of similar lengths pad little.
      const order = values.map((_, index) => index).sort((a, b) => values[b]!.length - values[a]!.length);
      const batches: number[][] = [];
      for (let start = 0; start < order.length; start += this.batchSize)
        batches.push(order.slice(start, start + this.batchSize));
      const queue = values.length === 1 ? this.interactive : this.bulk;
      const results = batches.map(
        (indices) =>
          new Promise<Float32Array>((resolve, reject) =>
            queue.push({ texts: indices.map((index) => values[index]!), call, resolve, reject }),
          ),
      );
      const all = Promise.all(results);
      void this.start().then(
        () => this.pump(),
        (error: unknown) => this.failCall(call, error),
      );
      const vectors = await (signal ? raceAbort(all, signal) : all);
      const dimensions = this.options.spec.embedding!.dimensions;
      const embeddings = new Array<number[]>(values.length);
      batches.forEach((indices, batch) => {
        const block = vectors[batch]!;
        if (block.length !== indices.length * dimensions)
          throw new GroundworkError({
            code: 'embedding_dimension_mismatch',
            message: `Model ${name} returned ${block.length / indices.length} values per text; the catalog declares ${dimensions}.`,
          });
        indices.forEach((index, row) => {
          embeddings[index] = Array.from(block.subarray(row * dimensions, (row + 1) * dimensions));
        });
      });
      return embeddings;
    } catch (error) {
      call.cancelled = true;
      throw error;
    } finally {
      this.pending -= values.length;
    }
  }

  async close(): Promise<void> {
    const closed = new GroundworkError({
      code: 'embedder_closed',
      message: 'The local embedder was closed.',
    });
    this.loading?.reject(closed);
    this.loading = undefined;
    this.fail(closed);
    if (this.key !== undefined) unregisterOnnxClient(this.key);
    this.key = undefined;
  }

  onReply(reply: OnnxReply): void {
    if (reply.type === 'loaded') this.loading?.resolve();
    else if (reply.type === 'load-failed') {
      const loading = this.loading;
      // The next call tries again: the files may have been repaired meanwhile.
      this.loading = undefined;
      loading?.reject(toError(reply.error));
    } else this.onBatch(reply);
  }

  onCrash(error: GroundworkError): void {
    this.loading?.reject(error);
    this.loading = undefined;
    this.fail(error);
  }

  /** Loads the model once; concurrent callers share the load. */
  private start(): Promise<void> {
    if (this.loading) return this.loading.promise;
    const { spec, modelDir } = this.options;
    let resolve!: () => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<void>((onResolve, onReject) => {
      resolve = onResolve;
      reject = onReject;
    });
    this.loading = { promise, resolve, reject };
    this.key ??= registerOnnxClient(this);
    this.loads++;
    markOnnxBusy(1);
    void promise.then(
      () => markOnnxBusy(-1),
      () => markOnnxBusy(-1),
    );
    try {
      postOnnxRequest({
        type: 'load',
        key: this.key,
        modelDir,
        name: spec.name,
        entryFile: spec.entryFile,
        traits: spec.embedding!,
        threads: this.threads,
      });
    } catch (error) {
      this.loading = undefined;
      reject(error);
    }
    return promise;
  }

  private pump(): void {
    if (this.running || this.key === undefined) return;
    let job: BatchJob | undefined;
    do job = this.interactive.shift() ?? this.bulk.shift();
    while (job?.call.cancelled);
    if (!job) return;
    const id = this.nextId++;
    this.running = { id, job };
    markOnnxBusy(1);
    try {
      postOnnxRequest({ type: 'embed', key: this.key, id, texts: job.texts });
    } catch (error) {
      this.running = undefined;
      markOnnxBusy(-1);
      job.reject(error);
    }
  }

  private onBatch(reply: Extract<OnnxReply, { id: number }>): void {
    const running = this.running;
    if (!running || running.id !== reply.id) return;
    this.running = undefined;
    markOnnxBusy(-1);
    if (reply.type === 'embedded') running.job.resolve(reply.vectors);
    else running.job.reject(toError(reply.error));
    this.pump();
  }

  /** Rejects the queued batches of one call (its load failed; other calls may be on a newer load). */
  private failCall(call: Call, error: unknown): void {
    for (const queue of [this.interactive, this.bulk]) {
      const mine = queue.filter((job) => job.call === call);
      if (mine.length === 0) continue;
      queue.splice(0, queue.length, ...queue.filter((job) => job.call !== call));
      for (const job of mine) job.reject(error);
    }
  }

  private failQueued(error: unknown): void {
    for (const job of [...this.interactive.splice(0), ...this.bulk.splice(0)]) job.reject(error);
  }

  /** Rejects queued and running work with `error`. */
  private fail(error: unknown): void {
    if (this.running) {
      this.running.job.reject(error);
      this.running = undefined;
      markOnnxBusy(-1);
    }
    this.failQueued(error);
  }
}

function toError(error: OnnxWorkerError): GroundworkError {
  return new GroundworkError({
    code: error.code,
    message: error.message,
    category: error.code === 'embedding_failed' ? 'system' : 'user',
    retryable: error.retryable,
  });
}
