/**
 * @module test/faults/corpus
 * The fault suite's documents (generated, the same on every run) and a digest of what a database
 * holds for them: per document its title, content hash and chunks (text, headings, sizes, postings,
 * vectors), keyed by file name, so a database that went through faults can be compared with a clean
 * ingest of the same files.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { seededRandom } from '../../src/testing/seeded-random.ts';

const WORDS = (
  'router mesh firmware reset warranty return refund shipping parcel courier thermostat battery ' +
  'display pairing bluetooth channel signal antenna cable adapter invoice order account password ' +
  'schedule heating cooling sensor humidity filter cleaning replacement repair technician manual'
).split(' ');

/** Writes `count` Markdown files named `<prefix>-<n>.md` into `dir`; returns their paths. */
export async function writeCorpus(
  dir: string,
  prefix: string,
  count: number,
  seed: number,
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const random = seededRandom(seed);
  const word = () => WORDS[Math.floor(random() * WORDS.length)] as string;
  const sentence = () => `${Array.from({ length: 8 + Math.floor(random() * 10) }, word).join(' ')}.`;
  const files: string[] = [];
  for (let index = 0; index < count; index++) {
    const sections = 1 + Math.floor(random() * 4);
    let text = `# ${prefix} ${index}: ${word()} ${word()}\n\n`;
    for (let section = 0; section < sections; section++) {
      text += `## ${word()} ${section}\n\n`;
      for (let paragraph = 0; paragraph < 2 + Math.floor(random() * 6); paragraph++) {
        text += `${Array.from({ length: 3 + Math.floor(random() * 5) }, sentence).join(' ')}\n\n`;
      }
    }
    const file = path.join(dir, `${prefix}-${index}.md`);
    await writeFile(file, text);
    files.push(file);
  }
  return files;
}

/** Runs a statement (a pg client or a product database). */
export interface Queryable {
  query<R>(text: string, params?: unknown[]): Promise<{ rows: R[] }>;
}

/** Per file name, how many documents it has and the digest of each. */
export async function digestDocuments(db: Queryable, tenantId: string): Promise<Map<string, string[]>> {
  const { rows } = await db.query<{ uri: string; digest: string }>(
    `SELECT d.uri, md5(concat_ws('|', d.title, d.content_hash, d.chunk_count::text,
        (SELECT string_agg(concat_ws('~', c.ordinal::text, c.text, array_to_string(c.heading_path, '>'),
                   c.token_count::text, c.lexical_length::text,
                   (SELECT count(*) FROM postings p WHERE p.chunk_id = c.id)::text,
                   (SELECT count(*) FROM chunk_vectors v WHERE v.chunk_id = c.id)::text), '#' ORDER BY c.ordinal)
         FROM chunks c WHERE c.document_id = d.id))) AS digest
     FROM documents d WHERE d.tenant_id = $1`,
    [tenantId],
  );
  const byName = new Map<string, string[]>();
  for (const row of rows) {
    // Uploads are stored as upload://<id>/<name>: the name is what identifies the file.
    const name = decodeURIComponent(path.basename(row.uri));
    byName.set(name, [...(byName.get(name) ?? []), row.digest]);
  }
  return byName;
}

/**
 * The BM25 statistics against the rows they summarise, per access set (ADR 0064): equal when nothing
 * was half-written. A chunk with no terms is not counted, as the writers do.
 */
export async function lexicalStatsDrift(db: Queryable, tenantId: string): Promise<string | undefined> {
  const { rows } = await db.query<{
    aclSetId: string;
    stored: string;
    counted: string;
    storedLength: string;
    countedLength: string;
  }>(
    `SELECT coalesce(s.acl_set_id, c.acl_set_id)::text AS "aclSetId",
            coalesce(s.chunk_count, 0)::text AS stored,
            coalesce(c.n, 0)::text AS counted,
            coalesce(s.total_length, 0)::text AS "storedLength",
            coalesce(c.total, 0)::text AS "countedLength"
       FROM (SELECT acl_set_id, chunk_count, total_length FROM lexical_set_stats WHERE tenant_id = $1) s
       FULL JOIN (SELECT acl_set_id, count(*) FILTER (WHERE lexical_length > 0) AS n,
                         coalesce(sum(lexical_length), 0) AS total
                    FROM chunks WHERE tenant_id = $1 GROUP BY acl_set_id) c
         ON c.acl_set_id = s.acl_set_id`,
    [tenantId],
  );
  for (const row of rows) {
    if (row.stored !== row.counted || row.storedLength !== row.countedLength)
      return `lexical_set_stats for access set ${row.aclSetId} says ${row.stored} chunks / ${row.storedLength} tokens, rows say ${row.counted} / ${row.countedLength}`;
  }
  return undefined;
}
