/**
 * @module ingest/parsers/sandbox-protocol
 * Messages between the parser sandbox and its worker threads. Everything here must survive
 * structured cloning, so parsers are named (module URL + factory export), never passed as objects.
 */
import type { ParseResult } from '../../spec/document.ts';
import type { ParserOptions } from '../../spec/parser.ts';
import type { PreparedDocument, PrepareSpec } from '../prepare/prepare-file.ts';

/**
 * Names a parser a worker can build: `import(module)[factory](options)` must return a
 * `DocumentParser`. Tests use this seam to run deliberately hostile parsers.
 */
export interface ParserModuleRef {
  /** `file:` URL of the module. */
  readonly module: string;
  /** Name of the exported factory function. */
  readonly factory: string;
  /** Argument for the factory; must be structured-cloneable. */
  readonly options?: unknown;
}

/** One file for a worker to parse. */
export interface SandboxTask {
  readonly id: number;
  readonly parser: ParserModuleRef;
  readonly bytes: Uint8Array;
  readonly uri: string;
  readonly mediaType: string;
  readonly options?: ParserOptions;
  /**
   * Milliseconds after the parser starts (its module loaded) at which its abort signal fires, shortly
   * before the hard kill.
   */
  readonly softBudgetMs: number;
  /**
   * Also prepare the parsed file for storage in the worker (hash, chunk, analyse; ADR 0057): the
   * reply is then a `SandboxPrepared`, not a `ParseResult`.
   */
  readonly prepare?: SandboxPrepare;
}

/** What a worker needs to prepare a file after parsing it. */
export interface SandboxPrepare {
  /** Builds the chunker and analyzer: `import(module)[factory](options)` returns a `PreparePipeline`. */
  readonly pipeline: ParserModuleRef;
  readonly spec: PrepareSpec;
}

/** A prepared file as a worker returns it (the main thread adds the media type and parser name). */
export type SandboxPrepared =
  | { readonly fileHash: string; readonly unchanged: true }
  | {
      readonly fileHash: string;
      readonly unchanged: false;
      readonly warnings: readonly string[];
      readonly documents: readonly PreparedDocument[];
    };

/** A thrown error, flattened for the trip back to the main thread. */
export interface SerializedError {
  readonly name: string;
  readonly code?: string;
  readonly message: string;
}

/**
 * A worker's messages about one task: `started` once the parser is loaded and about to parse (the
 * time limit runs from here, so a slow worker start on a busy machine does not fail small files),
 * `preparing` when a prepare task moves from parsing to chunking, then the outcome.
 */
export type SandboxReply =
  | { readonly id: number; readonly started: true }
  /** Parsing is over and preparation starts: its own, size-based time limit applies from here. */
  | { readonly id: number; readonly preparing: true }
  | { readonly id: number; readonly ok: true; readonly result: ParseResult | SandboxPrepared }
  | { readonly id: number; readonly ok: false; readonly error: SerializedError };
