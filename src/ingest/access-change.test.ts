/**
 * A re-ingest of unchanged content with another ACL or other metadata rewrites them in place (ADR 0005,
 * ADR 0028): no parse of the stored file's chunks again, no re-embedding, every derived row moved to the
 * new access set, statistics moved with them, and the knowledge generation bumped.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroundwork, type Groundwork } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import type { RetrievalMode } from '../spec/retrieval.ts';
import type { JobRow } from '../store/jobs.ts';
import { readKnowledgeGeneration } from '../store/knowledge-generation.ts';
import { testBackends } from '../testing/databases.ts';

const PRICING = `---
title: Partner pricing
audience: partners
---
# Partner pricing

Resellers get a forty percent discount on the Aurora mesh router when they order fifty units.
`;

async function ingest(
  app: Groundwork,
  tenant: string,
  input: Parameters<Groundwork['ingestion']['submit']>[1],
) {
  const submitted = await app.ingestion.submit(tenant, input, { trusted: true });
  await app.ingestion.drain();
  const job = (await app.ingestion.getJob(tenant, submitted.id)) as JobRow;
  const items = await app.ingestion.listItems(job.id);
  return { job, items };
}

for (const backend of testBackends()) {
  describe(`access and metadata changes on re-ingest on ${backend.name}`, () => {
    let app: Groundwork;
    let folder: string;

    beforeAll(async () => {
      folder = await mkdtemp(path.join(tmpdir(), 'gw-access-'));
      const db = await backend.open();
      app = await createGroundwork(loadConfig({ dataDir: 'memory://', embedder: 'test:hash-64' }), { db });
    });
    afterAll(async () => {
      await app?.close();
      await app?.db.close();
      await rm(folder, { recursive: true, force: true });
    });

    const found = async (tenantId: string, principals: string[] | undefined, text: string) => {
      const uris: string[][] = [];
      for (const mode of ['lexical', 'vector', 'hybrid'] as RetrievalMode[]) {
        const result = await app.retriever.search({ tenantId, principals, text, mode, limit: 5 });
        uris.push(result.chunks.map((chunk) => path.basename(chunk.documentUri)));
      }
      return uris;
    };
    const chunkIds = async (tenantId: string) => {
      const { rows } = await app.db.query<{ id: string }>(
        'SELECT id::text FROM chunks WHERE tenant_id = $1 ORDER BY id',
        [tenantId],
      );
      return rows.map((row) => row.id);
    };
    /** Rows whose access set disagrees with their document's, and statistics that disagree with the chunks. */
    const inconsistencies = async (tenantId: string) => {
      const { rows } = await app.db.query<{
        chunks: number;
        postings: number;
        vectors: number;
        stats: number;
      }>(
        `SELECT
           (SELECT count(*) FROM chunks c JOIN documents d ON d.id = c.document_id
             WHERE c.tenant_id = $1 AND c.acl_set_id <> d.acl_set_id)::int AS chunks,
           (SELECT count(*) FROM postings p JOIN chunks c ON c.id = p.chunk_id
             WHERE p.tenant_id = $1 AND p.acl_set_id <> c.acl_set_id)::int AS postings,
           (SELECT count(*) FROM chunk_vectors v JOIN chunks c ON c.id = v.chunk_id
             WHERE v.tenant_id = $1 AND v.acl_set_id <> c.acl_set_id)::int AS vectors,
           (SELECT count(*) FROM
              (SELECT acl_set_id, count(*) FILTER (WHERE lexical_length > 0) AS n, sum(lexical_length) AS total
               FROM chunks WHERE tenant_id = $1 GROUP BY acl_set_id
               HAVING count(*) FILTER (WHERE lexical_length > 0) > 0) a
              FULL JOIN (SELECT acl_set_id, chunk_count AS n, total_length AS total FROM lexical_set_stats
                         WHERE tenant_id = $1 AND chunk_count > 0) s USING (acl_set_id)
              WHERE a.n IS DISTINCT FROM s.n OR a.total IS DISTINCT FROM s.total)::int AS stats`,
        [tenantId],
      );
      return rows[0];
    };

    it('tightens and loosens a document’s ACL in place, with the reason, the rows and the generation', async () => {
      const file = path.join(folder, 'pricing.md');
      await writeFile(file, PRICING);
      const first = await ingest(app, 'acl', { sources: [{ kind: 'path', path: file }] });
      expect(first.items[0]?.status).toBe('done');
      const query = 'reseller discount mesh router';
      expect(await found('acl', ['group:support'], query)).toEqual([
        ['pricing.md'],
        ['pricing.md'],
        ['pricing.md'],
      ]);
      const ids = await chunkIds('acl');
      const generation = await readKnowledgeGeneration(app.db, 'acl');

      const tightened = await ingest(app, 'acl', {
        sources: [{ kind: 'path', path: file }],
        acl: ['group:partners'],
      });
      expect(tightened.items[0]).toMatchObject({ status: 'updated', documents: 1, chunks: 0 });
      expect(tightened.items[0]?.reason).toContain('access changed');
      expect(await found('acl', ['group:support'], query)).toEqual([[], [], []]);
      expect(await found('acl', ['group:partners'], query)).toEqual([
        ['pricing.md'],
        ['pricing.md'],
        ['pricing.md'],
      ]);
      // In place: the same chunk rows (nothing parsed into new chunks, nothing re-embedded).
      expect(await chunkIds('acl')).toEqual(ids);
      expect(await inconsistencies('acl')).toEqual({ chunks: 0, postings: 0, vectors: 0, stats: 0 });
      expect(BigInt(await readKnowledgeGeneration(app.db, 'acl'))).toBeGreaterThan(BigInt(generation));
      const { rows } = await app.db.query<{ acl: string[] }>(
        'SELECT acl FROM documents WHERE tenant_id = $1',
        ['acl'],
      );
      expect(rows[0]?.acl).toEqual(['group:partners']);

      // The same principals in another order, or repeated, are the same ACL.
      const same = await ingest(app, 'acl', {
        sources: [{ kind: 'path', path: file }],
        acl: ['group:partners', 'group:partners'],
      });
      expect(same.items[0]?.status).toBe('unchanged');

      const loosened = await ingest(app, 'acl', { sources: [{ kind: 'path', path: file }] });
      expect(loosened.items[0]?.status).toBe('updated');
      expect(await found('acl', ['group:support'], query)).toEqual([
        ['pricing.md'],
        ['pricing.md'],
        ['pricing.md'],
      ]);
      expect(await chunkIds('acl')).toEqual(ids);
      expect(await inconsistencies('acl')).toEqual({ chunks: 0, postings: 0, vectors: 0, stats: 0 });
    });

    it('rewrites metadata in place and keeps what the file itself says', async () => {
      const file = path.join(folder, 'pricing-meta.md');
      await writeFile(file, PRICING);
      await ingest(app, 'meta', { sources: [{ kind: 'path', path: file }], metadata: { team: 'sales' } });
      const ids = await chunkIds('meta');
      const changed = await ingest(app, 'meta', {
        sources: [{ kind: 'path', path: file }],
        metadata: { region: 'emea' },
      });
      expect(changed.items[0]?.status).toBe('updated');
      expect(changed.items[0]?.reason).toContain('metadata changed');
      expect(changed.items[0]?.reason).not.toContain('access changed');
      const { rows } = await app.db.query<{ metadata: Record<string, unknown> }>(
        'SELECT metadata FROM documents WHERE tenant_id = $1',
        ['meta'],
      );
      // The request's key that is gone is gone; the front matter and the file name stay.
      expect(rows[0]?.metadata).toEqual({
        region: 'emea',
        title: 'Partner pricing',
        audience: 'partners',
        fileName: 'pricing-meta.md',
      });
      const filtered = await app.retriever.search({
        tenantId: 'meta',
        text: 'discount',
        mode: 'lexical',
        filters: { metadata: { region: 'emea' } },
      });
      expect(filtered.chunks).toHaveLength(1);
      expect(await chunkIds('meta')).toEqual(ids);
      const again = await ingest(app, 'meta', {
        sources: [{ kind: 'path', path: file }],
        metadata: { region: 'emea' },
      });
      expect(again.items[0]?.status).toBe('unchanged');
    });

    it('re-permissions every record of a record file, and a synced folder, without rewriting them', async () => {
      const records = path.join(folder, 'records');
      await rm(records, { recursive: true, force: true });
      await import('node:fs/promises').then((fs) => fs.mkdir(records));
      const file = path.join(records, 'faq.csv');
      await writeFile(
        file,
        'id,question,answer\n1,Do you ship to Canada?,Yes we ship to Canada.\n2,Can I return a thermostat?,Yes within 30 days.\n',
      );
      await writeFile(path.join(records, 'notes.txt'), 'Canada shipping takes a week.');
      const request = { records: { idField: 'id', titleField: 'question' } };
      await ingest(app, 'rec', { sources: [{ kind: 'path', path: records }], sync: true, ...request });
      const ids = await chunkIds('rec');
      const run = await ingest(app, 'rec', {
        sources: [{ kind: 'path', path: records }],
        sync: true,
        acl: ['group:logistics'],
        ...request,
      });
      expect(run.items.map((item) => [path.basename(item.uri), item.status, item.documents])).toEqual([
        ['faq.csv', 'updated', 2],
        ['notes.txt', 'updated', 1],
      ]);
      expect(run.job.succeeded).toBe(2);
      expect(await found('rec', ['group:support'], 'ship canada')).toEqual([[], [], []]);
      expect((await found('rec', ['group:logistics'], 'ship canada'))[0]).toEqual(['faq.csv#1', 'notes.txt']);
      expect(await chunkIds('rec')).toEqual(ids);
      expect(await inconsistencies('rec')).toEqual({ chunks: 0, postings: 0, vectors: 0, stats: 0 });
    });

    it('applies an ACL change to a document stored before its file’s own metadata was kept apart', async () => {
      const file = path.join(folder, 'legacy.md');
      await writeFile(file, PRICING.replace('Partner pricing', 'Legacy pricing'));
      await ingest(app, 'legacy', { sources: [{ kind: 'path', path: file }], metadata: { team: 'sales' } });
      // As a document written before migration 12 looks.
      await app.db.query('UPDATE documents SET derived_metadata = NULL WHERE tenant_id = $1', ['legacy']);
      const ids = await chunkIds('legacy');
      const run = await ingest(app, 'legacy', {
        sources: [{ kind: 'path', path: file }],
        acl: ['group:partners'],
        metadata: { team: 'sales' },
      });
      expect(run.items[0]?.status).toBe('updated');
      expect(run.items[0]?.reason).toBe('access changed');
      expect(await found('legacy', ['group:support'], 'reseller discount')).toEqual([[], [], []]);
      expect(await chunkIds('legacy')).toEqual(ids);
      const { rows } = await app.db.query<{ derived: Record<string, unknown> | null }>(
        'SELECT derived_metadata AS derived FROM documents WHERE tenant_id = $1',
        ['legacy'],
      );
      expect(rows[0]?.derived).toEqual({
        title: 'Legacy pricing',
        audience: 'partners',
        fileName: 'legacy.md',
      });
    });
  });
}
