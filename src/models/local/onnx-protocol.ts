/**
 * @module models/local/onnx-protocol
 * Messages between the local embedder (main thread) and its ONNX worker. The worker owns the tokenizer
 * and the inference session because both block: onnxruntime-node 1.21 runs `session.run`
 * synchronously on the calling thread, and tokenizing a batch of 32 passages takes ~20 ms (see
 * docs/decisions/0009-local-embedder.md). There is one worker per process, hosting every local
 * embedding model by `key`: the onnxruntime-node 1.21 binding loads in only one thread per process,
 * ever, so a second worker (or a replacement for a stopped one) cannot run models.
 */
import type { EmbeddingModelTraits } from './catalog.ts';

/** What the worker needs to load a model. */
export interface OnnxLoadRequest {
  readonly type: 'load';
  /** Which embedder (one per `createLocalEmbedder`) this model belongs to. */
  readonly key: number;
  readonly modelDir: string;
  readonly name: string;
  /** Relative to `modelDir`, e.g. `onnx/model.onnx`. */
  readonly entryFile: string;
  readonly traits: EmbeddingModelTraits;
  readonly threads: number;
}

/** One batch to embed; texts are already in the order the worker should return them. */
export interface OnnxEmbedRequest {
  readonly type: 'embed';
  readonly key: number;
  readonly id: number;
  readonly texts: readonly string[];
}

/** Drops an embedder's model (its session and tokenizer). */
export interface OnnxUnloadRequest {
  readonly type: 'unload';
  readonly key: number;
}

export type OnnxRequest = OnnxLoadRequest | OnnxEmbedRequest | OnnxUnloadRequest;

/** An error crossing the thread boundary; `code` is a GroundworkError code when the worker knew one. */
export interface OnnxWorkerError {
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
}

export type OnnxReply =
  | { readonly type: 'loaded'; readonly key: number; readonly loadMs: number }
  | { readonly type: 'load-failed'; readonly key: number; readonly error: OnnxWorkerError }
  | {
      readonly type: 'embedded';
      readonly key: number;
      readonly id: number;
      /** `texts.length × dimensions` values, row-major, transferred rather than copied. */
      readonly vectors: Float32Array;
      readonly dimensions: number;
    }
  | {
      readonly type: 'embed-failed';
      readonly key: number;
      readonly id: number;
      readonly error: OnnxWorkerError;
    };
