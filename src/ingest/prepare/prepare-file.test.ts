/**
 * Large files are parsed, chunked and analysed in a worker thread (ADR 0057): the result is the same
 * as in-process, byte for byte, for every light format; the event loop of the calling thread keeps
 * running while a large file is prepared; failures keep their stable codes; an unchanged file is not
 * parsed at all.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { GroundworkError } from '../../errors.ts';
import { DEFAULT_CHUNKING } from '../chunking/structured-chunker.ts';
import { createParserRegistry, type ParserRegistry, type PrepareRequest } from '../parsers/index.ts';
import { createDefaultPipeline, DEFAULT_PIPELINE_REF } from './default-pipeline.ts';
import { type PreparedFile, postingsOf, sha256 } from './prepare-file.ts';

const encoder = new TextEncoder();
const how: PrepareRequest = {
  spec: { chunking: DEFAULT_CHUNKING },
  pipeline: createDefaultPipeline(),
  pipelineRef: DEFAULT_PIPELINE_REF,
};

function paragraph(index: number): string {
  return (
    `Section ${index} explains how the vacuum process reclaims storage occupied by dead tuples, ` +
    `why autovacuum thresholds matter for table ${index}, and what the planner does with statistics. `
  ).repeat(3);
}

const FILES: Record<string, string> = {
  'manual.txt': Array.from({ length: 400 }, (_, index) => `Heading ${index}\n\n${paragraph(index)}`).join(
    '\n\n',
  ),
  'manual.md': Array.from(
    { length: 300 },
    (_, index) => `## Part ${index}\n\n${paragraph(index)}\n\n- item ${index}`,
  ).join('\n\n'),
  'page.html': `<html><head><title>Vacuum</title></head><body>${Array.from(
    { length: 300 },
    (_, index) => `<h2>Part ${index}</h2><p>${paragraph(index)}</p>`,
  ).join('')}</body></html>`,
  'records.json': JSON.stringify(
    Array.from({ length: 300 }, (_, index) => ({
      id: `r${index}`,
      title: `Record ${index}`,
      body: paragraph(index),
    })),
  ),
};

/** The prepared file with postings unpacked, comparable with `toEqual`. */
function comparable(prepared: PreparedFile) {
  if (prepared.unchanged) return prepared;
  return {
    ...prepared,
    documents: prepared.documents.map((document) => ({
      ...document,
      chunks: document.chunks?.map((chunk) => ({
        ordinal: chunk.ordinal,
        text: chunk.text,
        headingPath: chunk.headingPath,
        page: chunk.page,
        tokenCount: chunk.tokenCount,
        lexicalLength: chunk.lexicalLength,
        postings: [...postingsOf(chunk)],
      })),
    })),
  };
}

describe('preparing files off the main thread', () => {
  const inWorker = createParserRegistry({ offThreadBytes: 0 });
  const inProcess = createParserRegistry({ offThreadBytes: Number.MAX_SAFE_INTEGER });
  const byDefault: ParserRegistry = createParserRegistry();
  afterAll(async () => {
    await Promise.all([inWorker.close(), inProcess.close(), byDefault.close()]);
  });

  for (const [name, text] of Object.entries(FILES)) {
    it(`prepares ${name} in a worker exactly as in-process`, async () => {
      const request = { uri: `file:///corpus/${name}`, options: { records: { idField: 'id' } } };
      const there = await inWorker.prepare({ ...request, bytes: encoder.encode(text) }, how);
      const here = await inProcess.prepare({ ...request, bytes: encoder.encode(text) }, how);
      expect(there.unchanged).toBe(false);
      expect(comparable(there)).toEqual(comparable(here));
      if (!there.unchanged)
        expect(there.documents.flatMap((document) => document.chunks ?? []).length).toBeGreaterThan(5);
    }, 60_000);
  }

  it('keeps the event loop running while a large file is prepared', async () => {
    const text = FILES['manual.txt']!.repeat(12);
    expect(text.length).toBeGreaterThan(64 * 1024);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    try {
      // Warm the worker first, so what is counted is the preparation, not the worker's start.
      await byDefault.prepare({ uri: 'file:///warm.txt', bytes: encoder.encode(FILES['manual.txt']!) }, how);
      ticks = 0;
      const prepared = await byDefault.prepare({ uri: 'file:///big.txt', bytes: encoder.encode(text) }, how);
      expect(prepared.unchanged).toBe(false);
    } finally {
      clearInterval(timer);
    }
    // In-process, chunking this file is one synchronous call: the timer could not fire during it.
    expect(ticks).toBeGreaterThan(10);
  }, 120_000);

  it('fails a large malformed records file in the worker with its stable code', async () => {
    const broken = `[${'{"id":"a","body":"text"},'.repeat(4000)}{"id":`;
    const failure = await byDefault
      .prepare({ uri: 'file:///broken.json', bytes: encoder.encode(broken) }, how)
      .catch((error: unknown) => error);
    expect(GroundworkError.isInstance(failure)).toBe(true);
    expect((failure as GroundworkError).code).toBe('corrupt');
  }, 60_000);

  it('does not parse a file whose hash equals the stored one, in a worker or in-process', async () => {
    for (const registry of [inWorker, inProcess]) {
      const bytes = encoder.encode(FILES['manual.md']!);
      const hash = sha256(bytes);
      const prepared = await registry.prepare(
        { uri: 'file:///same.md', bytes },
        { ...how, spec: { ...how.spec, unchangedIfFileHash: hash } },
      );
      expect(prepared).toEqual({ fileHash: hash, unchanged: true });
    }
  }, 60_000);

  it('skips chunking documents whose stored hash is unchanged, and only those', async () => {
    const uri = 'file:///records.json';
    const first = await inWorker.prepare(
      { uri, bytes: encoder.encode(FILES['records.json']!), options: { records: { idField: 'id' } } },
      how,
    );
    if (first.unchanged) throw new Error('expected documents');
    const stored = Object.fromEntries(
      first.documents.slice(0, 10).map((document) => [`${uri}#${document.key}`, document.contentHash]),
    );
    const again = await inWorker.prepare(
      { uri, bytes: encoder.encode(FILES['records.json']!), options: { records: { idField: 'id' } } },
      { ...how, spec: { ...how.spec, storedDocumentHashes: stored } },
    );
    if (again.unchanged) throw new Error('expected documents');
    expect(again.documents.filter((document) => document.chunks === null)).toHaveLength(10);
    expect(again.documents.slice(10).every((document) => (document.chunks?.length ?? 0) > 0)).toBe(true);
  }, 60_000);
});
