import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GroundworkError } from '../errors.ts';
import { TenantService } from '../identity/tenants.ts';
import { HealthService } from '../observability/health.ts';
import type { Database } from '../spec/database.ts';
import { replaceDocument } from '../store/documents.ts';
import { testBackends } from '../testing/databases.ts';
import { DocumentService } from './documents.ts';

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return GroundworkError.isInstance(error) ? error.code : `not a GroundworkError: ${error}`;
  }
}

for (const backend of testBackends()) {
  describe(`services that own the documents, tenants and health reads on ${backend.name}`, () => {
    let db: Database;
    beforeAll(async () => {
      db = await backend.open();
    });
    afterAll(async () => {
      await db?.close();
    });

    it('lists documents by id, paged, tenant-scoped, and refuses a page out of bounds', async () => {
      const documents = new DocumentService(db);
      const tenants = new TenantService(db);
      await tenants.ensure('owners-a');
      await tenants.ensure('owners-b');
      const ids: number[] = [];
      for (const name of ['one', 'two', 'three']) {
        ids.push(
          await replaceDocument(db, {
            tenantId: 'owners-a',
            uri: `file:///kb/${name}.md`,
            originUri: `file:///kb/${name}.md`,
            title: name,
            mediaType: 'text/markdown',
            contentHash: name,
            pipelineHash: 'p',
            metadata: {},
            acl: ['*'],
            chunks: [
              {
                ordinal: 0,
                text: `${name} text`,
                headingPath: [name],
                tokenCount: 2,
                termFrequencies: new Map([[name, 1]]),
                lexicalLength: 1,
              },
            ],
          }),
        );
      }
      const all = await documents.list('owners-a');
      expect(all.map((row) => row.title)).toEqual(['one', 'two', 'three']);
      expect(all[0]).toMatchObject({ chunkCount: 1, mediaType: 'text/markdown' });
      expect((await documents.list('owners-a', { limit: '1', offset: '2' })).map((row) => row.title)).toEqual(
        ['three'],
      );
      expect(await documents.list('owners-b')).toEqual([]);
      for (const page of [{ limit: 0 }, { limit: 501 }, { limit: 'abc' }, { offset: -1 }, { limit: 1.5 }]) {
        expect(await codeOf(documents.list('owners-a', page))).toBe('invalid_query');
      }

      const second = ids[1] as number;
      expect((await documents.get('owners-a', second))?.chunks.map((chunk) => chunk.text)).toEqual([
        'two text',
      ]);
      expect(await documents.get('owners-b', second)).toBeUndefined();
      expect(await documents.origin('owners-a', second)).toBe('file:///kb/two.md');
      expect(await documents.origin('owners-b', second)).toBeUndefined();
      expect(await documents.idsByOrigin('owners-a', ['file:///kb/two.md', 'file:///kb/none.md'])).toEqual([
        second,
      ]);
      expect(await documents.idsByOrigin('owners-a', [])).toEqual([]);
      expect(await documents.counts('owners-a')).toEqual({ documents: 3, chunks: 3, vectors: 0, jobs: 0 });
      // Another tenant cannot delete them.
      expect(await documents.delete('owners-b', ids)).toBe(0);
      expect(await documents.delete('owners-a', [second])).toBe(1);
      expect((await documents.counts('owners-a')).documents).toBe(2);

      expect(await tenants.exists('owners-a')).toBe(true);
      expect(await tenants.exists('owners-none')).toBe(false);
      expect(await tenants.count()).toBeGreaterThanOrEqual(2);
    });

    it('reports readiness, engine facts and which tables exist', async () => {
      const health = new HealthService(db);
      await expect(health.ready()).resolves.toBeUndefined();
      expect(health.dialect).toBe(backend.name === 'pglite' ? 'pglite' : 'postgres');
      const facts = await health.facts();
      expect(facts.sizeBytes).toBeGreaterThan(0);
      expect(facts.serverVersion).toMatch(/\d/);
      expect(await health.hasTable('documents')).toBe(true);
      expect(await health.hasTable('support_customers')).toBe(false);
      expect(await health.hasTable("documents'; DROP TABLE documents; --")).toBe(false);
      expect(await health.hasTable('documents')).toBe(true);
      if (health.dialect === 'pglite') expect(await health.processes()).toEqual([]);
    });
  });
}
