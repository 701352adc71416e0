/**
 * @module spec/chunk
 * Chunks are the unit of retrieval: a slice of one document, sized in tokens, that knows where it sits.
 */
import type { ParsedDocument } from './document.ts';

/** A chunk as produced by a chunker, before it is stored. */
export interface ChunkDraft {
  /** 0-based position within the document. */
  readonly ordinal: number;
  readonly text: string;
  /** Headings above the chunk, outermost first. */
  readonly headingPath: readonly string[];
  /** Page of the chunk's first block, for paged formats. */
  readonly page?: number;
  readonly tokenCount: number;
}

/** Chunking settings; sizes are in tokens of the configured tokenizer. */
export interface ChunkingOptions {
  readonly maxTokens: number;
  readonly overlapTokens: number;
}

/** The chunker port. */
export interface Chunker {
  readonly specificationVersion: 'v1';
  chunk(document: ParsedDocument, options: ChunkingOptions): ChunkDraft[];
}

/** Counts tokens; one implementation is shared by chunking and context assembly. */
export interface TokenCounter {
  readonly name: string;
  count(text: string): number;
}
