/**
 * @module retrieval/lexical/memory/index-loader
 * Builds and refreshes a tenant's {@link LexicalIndex} from the store of record (ADR 0037): the chunks
 * and postings tables, read in one REPEATABLE READ transaction together with the tenant's knowledge
 * generation (ADR 0026), so the index reflects exactly the data of that generation. A refresh is a
 * diff of chunk ids and access sets: chunks that are gone (or changed access set in place, ADR 0028)
 * go into the deletion bitmap, new ones into a new segment, whose postings are the only ones read.
 */
import type { ReadExecutor, SqlExecutor } from '../../../store/database.ts';
import { readKnowledgeGeneration } from '../../../store/knowledge-generation.ts';
import type { Bm25Parameters } from '../bm25-sql.ts';
import { type IndexedChunk, LexicalIndex, type StagedSegment } from './lexical-index.ts';

/** Terms fetched per statement in a full build. */
const TERMS_PER_BATCH = 2000;

/** Reports progress of a build: postings read so far. */
export type BuildProgress = (postings: number) => void;

async function repeatableRead<T>(db: ReadExecutor, fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    return fn(tx);
  });
}

async function readSets(tx: SqlExecutor, tenantId: string) {
  const { rows } = await tx.query<{ id: number; principals: string[] }>(
    'SELECT id, principals FROM acl_sets WHERE tenant_id = $1 ORDER BY id',
    [tenantId],
  );
  return rows.map((row) => ({ id: Number(row.id), principals: row.principals }));
}

async function readChunks(tx: SqlExecutor, tenantId: string): Promise<IndexedChunk[]> {
  const { rows } = await tx.query<{ id: number; set: number; length: number }>(
    `SELECT id, acl_set_id AS set, lexical_length AS length FROM chunks
     WHERE tenant_id = $1 AND lexical_length > 0 ORDER BY id`,
    [tenantId],
  );
  return rows.map((row) => ({ chunkId: Number(row.id), aclSetId: Number(row.set), length: row.length }));
}

/** A SQL string literal (standard_conforming_strings is on in every supported version). */
function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function parseList(text: string): Float64Array {
  const parts = text.split(',');
  const values = new Float64Array(parts.length);
  for (let index = 0; index < parts.length; index++) values[index] = Number(parts[index]);
  return values;
}

type PostingRow = { term: string; c: string; f: string };

function addRows(staged: StagedSegment, rows: readonly PostingRow[]): number {
  let postings = 0;
  for (const row of rows) {
    const chunkIds = parseList(row.c);
    staged.addTerm(row.term, chunkIds, parseList(row.f));
    postings += chunkIds.length;
  }
  return postings;
}

/** Builds a tenant's index from scratch at the current generation. */
export async function buildLexicalIndex(
  db: ReadExecutor,
  tenantId: string,
  parameters: Bm25Parameters,
  progress?: BuildProgress,
): Promise<LexicalIndex> {
  return repeatableRead(db, async (tx) => {
    const index = new LexicalIndex(parameters);
    const generation = await readKnowledgeGeneration(tx, tenantId);
    index.addSets(await readSets(tx, tenantId));
    const staged = index.stage(await readChunks(tx, tenantId), new Set());
    let postings = 0;
    // One statement, streamed through a cursor: each term's postings come as one row. (A keyset over
    // terms with LIMIT made the planner aggregate all remaining postings for every batch.)
    await tx.query(
      `DECLARE lexical_build NO SCROLL CURSOR FOR
       SELECT term, string_agg(chunk_id::text, ',' ORDER BY chunk_id) AS c,
              string_agg(tf::text, ',' ORDER BY chunk_id) AS f
       FROM postings WHERE tenant_id = ${quoteLiteral(tenantId)} GROUP BY term`,
    );
    for (;;) {
      const { rows } = await tx.query<PostingRow>(`FETCH ${TERMS_PER_BATCH} FROM lexical_build`);
      postings += addRows(staged, rows);
      progress?.(postings);
      if (rows.length < TERMS_PER_BATCH) break;
    }
    await tx.query('CLOSE lexical_build');
    index.commit(staged, [], generation);
    return index;
  });
}

/**
 * Brings an index to the current generation in place: reads the diff in one snapshot, then commits it
 * at once. Returns false (and changes nothing) when the index was already current.
 */
export async function refreshLexicalIndex(
  db: ReadExecutor,
  tenantId: string,
  index: LexicalIndex,
): Promise<boolean> {
  const prepared = await repeatableRead(db, async (tx) => {
    const generation = await readKnowledgeGeneration(tx, tenantId);
    if (generation === index.generation) return undefined;
    const sets = await readSets(tx, tenantId);
    const chunks = await readChunks(tx, tenantId);
    const indexed = index.liveChunks();
    const removed = new Set<number>();
    const added: IndexedChunk[] = [];
    for (const chunk of chunks) {
      const set = indexed.get(chunk.chunkId);
      if (set === chunk.aclSetId) {
        indexed.delete(chunk.chunkId);
        continue;
      }
      // New, or its access set changed in place: its postings are read again under the new set.
      if (set !== undefined) {
        removed.add(chunk.chunkId);
        indexed.delete(chunk.chunkId);
      }
      added.push(chunk);
    }
    for (const chunkId of indexed.keys()) removed.add(chunkId);
    index.addSets(sets);
    const staged = index.stage(added, removed);
    for (let start = 0; start < added.length; start += 5000) {
      const ids = added.slice(start, start + 5000).map((chunk) => chunk.chunkId);
      const { rows } = await tx.query<PostingRow>(
        `SELECT term, string_agg(chunk_id::text, ',' ORDER BY chunk_id) AS c,
                string_agg(tf::text, ',' ORDER BY chunk_id) AS f
         FROM postings WHERE tenant_id = $1 AND chunk_id = ANY($2::bigint[]) GROUP BY term`,
        [tenantId, ids],
      );
      for (const row of rows) staged.appendTerm(row.term, parseList(row.c), parseList(row.f));
    }
    return { generation, staged, removed };
  });
  if (prepared === undefined) return false;
  index.commit(prepared.staged, prepared.removed, prepared.generation);
  return true;
}
