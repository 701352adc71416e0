import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { loadConfig } from './config.ts';

describe('lexical engine config (ADR 0037)', () => {
  it('is memory by default (ADR 0043), with a 1 GiB budget for the in-process indexes', () => {
    const { retrieval } = loadConfig({ dataDir: 'memory://' }, {});
    expect(retrieval).toMatchObject({ lexicalEngine: 'memory', lexicalMemoryBytes: 1024 ** 3, k1: 0.9 });
  });

  it('is picked by GROUNDWORK_LEXICAL_ENGINE, keeping other retrieval settings of the file', () => {
    const config = loadConfig(
      { dataDir: 'memory://', retrieval: { candidates: 50 } },
      { GROUNDWORK_LEXICAL_ENGINE: 'sql' },
    );
    expect(config.retrieval).toMatchObject({ lexicalEngine: 'sql', candidates: 50 });
  });

  it('rejects an unknown engine', () => {
    expect(() => loadConfig({ dataDir: 'memory://' }, { GROUNDWORK_LEXICAL_ENGINE: 'tantivy' })).toThrow(
      ConfigError,
    );
  });
});
