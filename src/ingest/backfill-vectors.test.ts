import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroundwork } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import type { Database } from '../store/database.ts';
import { readKnowledgeGeneration } from '../store/knowledge-generation.ts';
import { testBackends } from '../testing/databases.ts';
import { hashVector } from '../testing/hash-embedder.ts';
import { backfillVectors, countChunksWithoutVectors } from './backfill-vectors.ts';
import { indexText } from './index-text.ts';

for (const backend of testBackends()) {
  describe(`vector backfill on ${backend.name}`, () => {
    let db: Database;
    let folder: string;

    beforeAll(async () => {
      db = await backend.open();
      folder = await mkdtemp(path.join(tmpdir(), 'gw-backfill-'));
      await writeFile(
        path.join(folder, 'returns.md'),
        '# Returns\n\nThermostats can be returned within 30 days.\n\n## Refunds\n\nRefunds reach the card in five days.\n',
      );
      await writeFile(path.join(folder, 'secret.md'), '# Payroll\n\nSalaries are paid on the 25th.\n');
      // First start: lexical only, one document restricted to a group.
      const lexical = await createGroundwork(loadConfig({ dataDir: 'memory://', embedder: 'none' }), { db });
      await lexical.ingestion.submit(
        'default',
        { sources: [{ kind: 'path', path: path.join(folder, 'returns.md') }] },
        { trusted: true },
      );
      await lexical.ingestion.submit(
        'default',
        { sources: [{ kind: 'path', path: path.join(folder, 'secret.md') }], acl: ['group:hr'] },
        { trusted: true },
      );
      await lexical.ingestion.drain();
      await lexical.close();
    });
    afterAll(async () => {
      await db?.close();
      await rm(folder, { recursive: true, force: true });
    });

    it('embeds every stored chunk once, from the text ingestion would have embedded, keeping its access set', async () => {
      const app = await createGroundwork(loadConfig({ dataDir: 'memory://', embedder: 'test:hash-64' }), {
        db,
      });
      try {
        const embedder = app.retriever.embedder;
        if (!embedder) throw new Error('expected an embedder');
        const { rows: chunks } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM chunks');
        const missing = await countChunksWithoutVectors(db, embedder.modelId);
        expect(missing).toBe(chunks[0]?.n);
        expect(missing).toBeGreaterThanOrEqual(2);

        const progress: number[] = [];
        const generationBefore = Number(await readKnowledgeGeneration(db, 'default'));
        const embedded = await backfillVectors({
          db,
          embedder,
          pageSize: 1,
          onProgress: (reading) => progress.push(reading.done),
        });
        expect(embedded).toBe(missing);
        expect(progress).toEqual(Array.from({ length: missing + 1 }, (_, index) => index));
        expect(await countChunksWithoutVectors(db, embedder.modelId)).toBe(0);
        // Each page that added vectors started a new knowledge generation (cached answers retire).
        expect(Number(await readKnowledgeGeneration(db, 'default'))).toBe(generationBefore + missing);
        // A second run finds nothing to do, and changes nothing.
        expect(await backfillVectors({ db, embedder })).toBe(0);
        expect(Number(await readKnowledgeGeneration(db, 'default'))).toBe(generationBefore + missing);

        const { rows } = await db.query<{
          text: string;
          title: string;
          headingPath: string[];
          embedding: string;
          sameAcl: boolean;
        }>(
          `SELECT c.text, d.title, c.heading_path AS "headingPath", v.embedding::text AS embedding,
                  v.acl_set_id = c.acl_set_id AND v.tenant_id = c.tenant_id AS "sameAcl"
             FROM chunk_vectors v JOIN chunks c ON c.id = v.chunk_id JOIN documents d ON d.id = c.document_id`,
        );
        for (const row of rows) {
          expect(row.sameAcl).toBe(true);
          const expected = hashVector(indexText(row.title, row.headingPath, row.text), 64);
          const stored = JSON.parse(row.embedding) as number[];
          expect(stored.length).toBe(64);
          for (const [index, value] of stored.entries())
            expect(value).toBeCloseTo(expected[index] as number, 5);
        }

        // Vector search now finds the public passage, and never the group-restricted one for others.
        const { chunks: hits } = await app.retriever.search({
          tenantId: 'default',
          text: 'Salaries are paid on the 25th',
          mode: 'vector',
          limit: 5,
          principals: ['user:someone'],
        });
        expect(hits.length).toBeGreaterThan(0);
        expect(hits.every((hit) => !hit.text.includes('Salaries'))).toBe(true);
        const { chunks: hr } = await app.retriever.search({
          tenantId: 'default',
          text: 'Salaries are paid on the 25th',
          mode: 'vector',
          limit: 1,
          principals: ['group:hr'],
        });
        expect(hr[0]?.text).toContain('Salaries');
      } finally {
        await app.close();
      }
    });
  });
}
