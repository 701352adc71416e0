import { describe, expect, it } from 'vitest';
import { pipelineHash } from './pipeline-hash.ts';

const CHUNKING = { maxTokens: 350, overlapTokens: 50 };

describe('pipelineHash', () => {
  it('keeps the stored fingerprints of earlier releases (a change would re-index every document)', () => {
    // Values written by releases before the hash moved out of app.ts.
    expect(pipelineHash({ chunking: CHUNKING, analyzer: 'english-v1', embedder: undefined })).toBe(
      '46e96869ca350e0c',
    );
    expect(
      pipelineHash({ chunking: CHUNKING, analyzer: 'english-v1', embedder: 'local:bge-small-en-v1.5' }),
    ).toBe('57251f77d94fb551');
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
