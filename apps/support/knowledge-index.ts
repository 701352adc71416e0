/**
 * @module support/knowledge-index
 * An in-memory search port over the Markdown knowledge folder, one passage per section, so the turn
 * policy and the scenarios run without a database or an ingest. The product's `Retriever` over the
 * ingested knowledge base fits the same port and is what a deployment uses.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMemoryBm25Index } from '../../src/retrieval/lexical/memory-bm25-index.ts';
import type { RetrievalQuery, RetrievalResult, RetrievedChunk } from '../../src/spec/retrieval.ts';
import type { SearchPort } from './tools/knowledge-tools.ts';

const KNOWLEDGE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'knowledge');

/** Reads every Markdown file under `directory` and indexes its sections with BM25. */
export async function createKnowledgeIndex(directory = KNOWLEDGE): Promise<SearchPort> {
  const index = createMemoryBm25Index();
  const chunks = new Map<string, Omit<RetrievedChunk, 'scores' | 'snippet'>>();
  const files = (await readdir(directory, { recursive: true })).filter((file) => file.endsWith('.md')).sort();
  for (const [documentId, file] of files.entries()) {
    const raw = await readFile(path.join(directory, file), 'utf8');
    const [, front = '', body = raw] = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(raw) ?? [];
    const metadata = Object.fromEntries(
      front.split('\n').flatMap((line) => {
        const cut = line.indexOf(': ');
        return cut > 0 ? [[line.slice(0, cut), line.slice(cut + 2)]] : [];
      }),
    );
    const headings: string[] = [];
    let ordinal = 0;
    // Each section (## or ###) is a passage, under the path of headings above it.
    for (const section of body.split(/\n(?=#{1,3} )/)) {
      const [heading = '', ...rest] = section.split('\n');
      const level = /^(#{1,3}) /.exec(heading)?.[1]?.length ?? 1;
      headings.length = level - 1;
      headings[level - 1] = heading.replace(/^#+ /, '');
      const text = rest.join('\n').trim();
      if (!text) continue;
      const id = `${documentId}:${ordinal}`;
      index.add(id, `${headings.join(' ')}\n${text}`);
      chunks.set(id, {
        chunkId: documentId * 1000 + ordinal,
        documentId,
        documentUri: `knowledge/${file}`,
        originUri: `knowledge/${file}`,
        title: metadata.title ?? null,
        ordinal: ordinal++,
        headingPath: [...headings],
        page: null,
        text,
        metadata,
      });
    }
  }
  return {
    async search(query: RetrievalQuery): Promise<RetrievalResult> {
      const wanted = Object.entries(query.filters?.metadata ?? {});
      const hits = index
        .search(query.text, 200)
        .map((hit) => ({ hit, chunk: chunks.get(hit.id)! }))
        .filter(({ chunk }) => wanted.every(([key, value]) => chunk.metadata[key] === value))
        .slice(0, query.limit ?? 10);
      return {
        mode: 'lexical',
        chunks: hits.map(({ hit, chunk }) => ({
          ...chunk,
          snippet: chunk.text.slice(0, 200),
          scores: { lexical: hit.score, fused: hit.score },
        })),
        timings: { embedMs: 0, lexicalMs: 0, vectorMs: 0, totalMs: 0 },
      };
    },
  };
}
