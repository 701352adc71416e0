/**
 * A caching wrapper around a text vectorizer for benchmarks: dense vectors already computed for a text
 * are read from a file under /tmp, so re-running a benchmark does not re-embed 20,000 utterances. The
 * cache is one JSON list of texts plus one Float32 blob, per model.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { IntentVector, TextVectorizer } from '../../src/agents/intents/vectorizers.ts';

/** Wraps `inner` (dense vectors only) with a persistent cache in `directory`. */
export async function createCachedVectorizer(
  inner: TextVectorizer,
  directory: string,
): Promise<TextVectorizer> {
  const base = path.join(directory, inner.name.replace(/[^\w.-]+/g, '_'));
  const cache = new Map<string, Float32Array>();
  if (existsSync(`${base}.json`)) {
    const texts = JSON.parse(await readFile(`${base}.json`, 'utf8')) as string[];
    const blob = await readFile(`${base}.f32`);
    const all = new Float32Array(blob.buffer, blob.byteOffset, blob.byteLength / 4);
    for (const [index, text] of texts.entries()) {
      cache.set(text, all.slice(index * inner.dimensions, (index + 1) * inner.dimensions));
    }
  }
  const save = async () => {
    const texts = [...cache.keys()];
    const all = new Float32Array(texts.length * inner.dimensions);
    for (const [index, text] of texts.entries()) all.set(cache.get(text)!, index * inner.dimensions);
    await writeFile(`${base}.f32`, Buffer.from(all.buffer));
    await writeFile(`${base}.json`, JSON.stringify(texts));
  };
  return {
    name: inner.name,
    dimensions: inner.dimensions,
    fit: (texts) => inner.fit(texts),
    async vectorize(texts) {
      const missing = [...new Set(texts.filter((text) => !cache.has(text)))];
      // Save every few thousand texts so an interrupted run keeps what it embedded.
      for (let start = 0; start < missing.length; start += 2048) {
        const slice = missing.slice(start, start + 2048);
        const vectors = await inner.vectorize(slice);
        for (const [index, text] of slice.entries()) cache.set(text, vectors[index] as Float32Array);
        await save();
      }
      return texts.map((text) => cache.get(text)! as IntentVector);
    },
  };
}
