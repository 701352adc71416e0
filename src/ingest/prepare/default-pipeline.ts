/**
 * @module ingest/prepare/default-pipeline
 * The chunker and analyzer of the composition root, buildable by name in a worker thread (a module
 * URL and a factory cross threads; objects do not). `app.ts` builds the in-process pipeline with the
 * same factory, so a file prepares the same in a worker and in-process.
 */
import { createAnalyzer } from '../../retrieval/lexical/analyzer.ts';
import { createTokenCounter } from '../../text/tokens.ts';
import { createStructuredChunker } from '../chunking/structured-chunker.ts';
import type { PreparePipeline } from './prepare-file.ts';

/** The default pipeline: the structured chunker over the default token counter, the default analyzer. */
export function createDefaultPipeline(): PreparePipeline {
  return { chunker: createStructuredChunker(createTokenCounter()), analyzer: createAnalyzer() };
}

/** How a worker names this factory. */
export const DEFAULT_PIPELINE_REF = {
  module: new URL(`./default-pipeline${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url)
    .href,
  factory: 'createDefaultPipeline',
} as const;
