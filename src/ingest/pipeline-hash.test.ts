import { describe, expect, it } from 'vitest';
import { pipelineHash } from './pipeline-hash.ts';

const CHUNKING = { maxTokens: 350, overlapTokens: 50 };

describe('pipelineHash', () => {
  it('keeps the stored fingerprints of this pipeline version (a change would re-index every document)', () => {
    // PIPELINE_VERSION 2 (PDF tables and page-break joins). Version 1 wrote 46e96869ca350e0c and
    // 57251f77d94fb551 for these; only a deliberate bump may change them.
    expect(pipelineHash({ chunking: CHUNKING, analyzer: 'english-v1', embedder: undefined })).toBe(
      'f385568e237b414d',
    );
    expect(
      pipelineHash({ chunking: CHUNKING, analyzer: 'english-v1', embedder: 'local:bge-small-en-v1.5' }),
    ).toBe('97930204294bb377');
  });

  it('changes with the chunking, the analyzer and the embedder', () => {
    const base = pipelineHash({ chunking: CHUNKING, analyzer: 'a', embedder: undefined });
    expect(
      pipelineHash({ chunking: { ...CHUNKING, maxTokens: 200 }, analyzer: 'a', embedder: undefined }),
    ).not.toBe(base);
    expect(pipelineHash({ chunking: CHUNKING, analyzer: 'b', embedder: undefined })).not.toBe(base);
    expect(pipelineHash({ chunking: CHUNKING, analyzer: 'a', embedder: 'test:hash-8' })).not.toBe(base);
  });
});
