/**
 * The synthetic corpus the retrieval benches share: chunks of 4–8 real SciFact sentences drawn by a
 * seeded random source (the same corpus on every run and in every bench), SciFact's test claims as
 * queries, and a set-based bulk load that writes documents, chunks, postings and, optionally, vectors
 * straight into the store's tables, 1,000 chunks a statement, for corpora the ingestion path would
 * take hours to build.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { LexicalAnalyzer } from '../../src/spec/lexical.ts';
import { type Database, toVectorLiteral } from '../../src/store/database.ts';
import { ensureAclSet, ensureTenant } from '../../src/store/documents.ts';
import { bumpKnowledgeGeneration } from '../../src/store/knowledge-generation.ts';
import { hashVector } from '../../src/testing/hash-embedder.ts';
import { seededRandom } from './stats.ts';

/** BEIR SciFact in the shared data folder. */
export const SCIFACT_DIR = path.resolve(import.meta.dirname, '../../../shared/data/scifact');

/** Every sentence longer than 20 characters of the SciFact corpus, in corpus order. */
export function scifactSentences(dir = SCIFACT_DIR): string[] {
  return readFileSync(path.join(dir, 'corpus.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .flatMap((line) => (JSON.parse(line) as { text: string }).text.split(/(?<=\.)\s+/))
    .filter((sentence) => sentence.length > 20);
}

/** The texts of SciFact's judged test claims, in file order; the first `limit` when given. */
export function scifactTestQueries(dir = SCIFACT_DIR, limit?: number): string[] {
  const judged = new Set(
    readFileSync(path.join(dir, 'qrels/test.tsv'), 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.split('\t')[0]),
  );
  return readFileSync(path.join(dir, 'queries.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { _id: string; text: string })
    .filter((query) => judged.has(query._id))
    .map((query) => query.text)
    .slice(0, limit);
}

/** A source of chunk texts: each call joins 4–8 sentences picked by `random`. */
export function chunkTexts(sentences: readonly string[], random: () => number): () => string {
  const pick = () => sentences[Math.floor(random() * sentences.length)] as string;
  return () => Array.from({ length: 4 + Math.floor(random() * 5) }, pick).join(' ');
}

/** What {@link bulkLoadSynthetic} writes. */
export interface BulkLoadOptions {
  readonly tenant: string;
  readonly totalChunks: number;
  readonly chunksPerDocument: number;
  readonly sentences: readonly string[];
  readonly analyzer: LexicalAnalyzer;
  /** Hash vectors of this model and length for every chunk; none when absent. */
  readonly vectors?: { readonly modelId: number; readonly dimensions: number };
}

/**
 * Documents (every fifth readable by `group:finance` only, the rest by everyone), their chunks with a
 * heading per ordinal, postings, optionally vectors, then the per-set statistics and a knowledge
 * generation bump, as the store's own writes leave them. Seeded: the same corpus every time.
 */
export async function bulkLoadSynthetic(
  db: Database,
  options: BulkLoadOptions,
): Promise<{ chunks: number; seconds: number }> {
  const { tenant, totalChunks, chunksPerDocument, analyzer } = options;
  await ensureTenant(db, tenant);
  const publicSet = await ensureAclSet(db, tenant, ['*']);
  const financeSet = await ensureAclSet(db, tenant, ['group:finance']);
  const nextText = chunkTexts(options.sentences, seededRandom(42));
  const documents = Math.ceil(totalChunks / chunksPerDocument);
  const started = performance.now();
  let lastReport = started;
  const perBatch = Math.max(1, Math.floor(1000 / chunksPerDocument));
  for (let first = 0; first < documents; first += perBatch) {
    const count = Math.min(perBatch, documents - first);
    await db.transaction(async (tx) => {
      const docIds = (
        await tx.query<{ id: number }>(
          `INSERT INTO documents (tenant_id, uri, origin_uri, title, media_type, content_hash, pipeline_hash, acl, acl_set_id, chunk_count)
           SELECT $1, 'bench://doc/' || i, 'bench://doc/' || i, 'Document ' || i, 'text/plain', i::text, 'bench',
                  CASE WHEN i % 5 = 0 THEN ARRAY['group:finance'] ELSE ARRAY['*'] END,
                  CASE WHEN i % 5 = 0 THEN $4::bigint ELSE $3::bigint END, $5
           FROM generate_series($2::int, $2::int + $6::int - 1) AS i ORDER BY i RETURNING id`,
          [tenant, first, publicSet, financeSet, chunksPerDocument, count],
        )
      ).rows.map((row) => Number(row.id));
      const chunkDocs: number[] = [];
      const ordinals: number[] = [];
      const texts: string[] = [];
      const lengths: number[] = [];
      const sets: number[] = [];
      const analysed: Map<string, number>[] = [];
      for (const [offset, documentId] of docIds.entries()) {
        for (let ordinal = 0; ordinal < chunksPerDocument; ordinal++) {
          const text = nextText();
          const { frequencies, length } = analyzer.termFrequencies(text);
          chunkDocs.push(documentId);
          ordinals.push(ordinal);
          texts.push(text);
          lengths.push(length);
          sets.push((first + offset) % 5 === 0 ? financeSet : publicSet);
          analysed.push(frequencies);
        }
      }
      const chunkIds = (
        await tx.query<{ id: number }>(
          `INSERT INTO chunks (tenant_id, document_id, ordinal, text, heading_path, token_count, lexical_length, acl_set_id)
           SELECT $1, d, o, t, ARRAY['Section ' || o], l, l, s
           FROM unnest($2::bigint[], $3::int[], $4::text[], $5::int[], $6::bigint[])
             WITH ORDINALITY AS u(d, o, t, l, s, n) ORDER BY n RETURNING id`,
          [tenant, chunkDocs, ordinals, texts, lengths, sets],
        )
      ).rows.map((row) => Number(row.id));
      const terms: string[] = [];
      const postingChunks: number[] = [];
      const tfs: number[] = [];
      const postingLengths: number[] = [];
      const postingSets: number[] = [];
      for (const [position, frequencies] of analysed.entries()) {
        for (const [term, tf] of frequencies) {
          terms.push(term);
          postingChunks.push(chunkIds[position]!);
          tfs.push(tf);
          postingLengths.push(lengths[position]!);
          postingSets.push(sets[position]!);
        }
      }
      await tx.query(
        `INSERT INTO postings (tenant_id, term, chunk_id, tf, length, acl_set_id)
         SELECT $1, t, c, f, l, s FROM unnest($2::text[], $3::bigint[], $4::int[], $5::int[], $6::bigint[]) AS u(t, c, f, l, s)`,
        [tenant, terms, postingChunks, tfs, postingLengths, postingSets],
      );
      if (options.vectors) {
        const { modelId, dimensions } = options.vectors;
        await tx.query(
          `INSERT INTO chunk_vectors (chunk_id, model_id, tenant_id, acl_set_id, embedding)
           SELECT c, $1, $2, s, e::vector FROM unnest($3::bigint[], $4::bigint[], $5::text[]) AS u(c, s, e)`,
          [
            modelId,
            tenant,
            chunkIds,
            sets,
            texts.map((text) => toVectorLiteral(hashVector(text, dimensions))),
          ],
        );
      }
    });
    if (performance.now() - lastReport > 5000) {
      lastReport = performance.now();
      process.stderr.write(`  loaded ${(first + count) * chunksPerDocument}/${totalChunks} chunks\n`);
    }
  }
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO lexical_set_stats (tenant_id, acl_set_id, chunk_count, total_length)
       SELECT tenant_id, acl_set_id, count(*) FILTER (WHERE lexical_length > 0), sum(lexical_length)
       FROM chunks WHERE tenant_id = $1 GROUP BY tenant_id, acl_set_id`,
      [tenant],
    );
    await bumpKnowledgeGeneration(tx, tenant);
  });
  await db.exec('ANALYZE');
  return { chunks: documents * chunksPerDocument, seconds: (performance.now() - started) / 1000 };
}
