/**
 * @module ingest/pipeline-hash
 * The fingerprint of what turns a file into stored chunks: parsing and chunking (`PIPELINE_VERSION`),
 * the chunking settings, the analyzer and the embedder. A document stored under another hash is
 * re-indexed on its next ingest even when its content did not change.
 */
import { createHash } from 'node:crypto';
import type { ChunkingOptions } from '../spec/chunk.ts';

/**
 * Bumped whenever parsing or chunking changes what is stored, so documents are re-indexed.
 * 2: PDF tables are rebuilt from column-aligned text and sentences cut by a page break are joined.
 */
export const PIPELINE_VERSION = 2;

/** What the fingerprint covers. */
export interface PipelineParts {
  readonly chunking: ChunkingOptions;
  /** The analyzer's name (lexical postings). */
  readonly analyzer: string;
  /** The embedder's name, or undefined when chunks get no vectors. */
  readonly embedder: string | undefined;
}

/**
 * Sixteen hex digits. The spelling of the hashed JSON is part of the stored format: changing it
 * re-indexes every document, so it stays as it is unless that is the point.
 */
export function pipelineHash(parts: PipelineParts): string {
  return createHash('sha256')
    .update(
      JSON.stringify({
        PIPELINE_VERSION,
        chunking: parts.chunking,
        analyzer: parts.analyzer,
        embedder: parts.embedder ?? 'none',
      }),
    )
    .digest('hex')
    .slice(0, 16);
}
