/**
 * @module testing/retrieval-backends
 * The retrieval backends the contract suite runs against: the SQL engines (and the in-process
 * lexical index) on PGlite and, with `GROUNDWORK_TEST_DATABASE_URL`, on the Postgres server; and the
 * search-engine adapter (ADR 0044) on the server when `GROUNDWORK_TEST_SEARCH_URL` points at an
 * Elasticsearch (CI starts one: scripts/search-engine.sh). Each search-engine backend gets its own
 * index prefix, and `close` deletes its indices.
 */
import { randomUUID } from 'node:crypto';
import type { RetrieverSettings } from '../retrieval/retriever.ts';
import { SearchEngineClient } from '../retrieval/search-engine/client.ts';
import { createRetrievalBackends, type RetrievalBackends } from '../retrieval/search-engine/factory.ts';
import type { Database } from '../store/database.ts';
import { testBackends } from './databases.ts';

/** A database plus the engines a retriever uses on it. */
export interface RetrievalBackendUnderTest {
  readonly name: string;
  /** Lucene's one-byte document lengths (the search engine) instead of exact ones. */
  readonly luceneLengths: boolean;
  open(settings: RetrieverSettings): Promise<{
    readonly db: Database;
    readonly backends: RetrievalBackends;
    /** Brings the backend up to date with the store for a tenant (a no-op for SQL). */
    warm(tenantId: string): Promise<void>;
    close(): Promise<void>;
  }>;
}

/** Every retrieval backend available here. On CI a missing search engine is an error. */
export function retrievalBackends(): RetrievalBackendUnderTest[] {
  const databases = testBackends();
  const searchUrl = process.env.GROUNDWORK_TEST_SEARCH_URL;
  if (!searchUrl && process.env.CI === 'true') {
    throw new Error('CI must test the search-engine backend: set GROUNDWORK_TEST_SEARCH_URL (.ci/run does).');
  }
  const result: RetrievalBackendUnderTest[] = databases.map((database) => ({
    name: `sql on ${database.name}`,
    luceneLengths: false,
    async open() {
      const db = await database.open();
      return { db, backends: {}, warm: async () => {}, close: () => db.close() };
    },
  }));
  const server = databases.find((database) => database.name === 'postgres');
  if (searchUrl && server) {
    result.push({
      name: 'search engine on postgres',
      luceneLengths: true,
      async open(settings) {
        const db = await server.open();
        const prefix = `gwtest-${randomUUID().slice(0, 8)}`;
        const backends = createRetrievalBackends(db, { ...settings, searchUrl, searchIndexPrefix: prefix });
        return {
          db,
          backends,
          warm: async (tenantId) => {
            await backends.searchEngine!.warm(tenantId);
          },
          close: async () => {
            await deleteIndices(searchUrl, prefix);
            await db.close();
          },
        };
      },
    });
  }
  return result;
}

/** Deletes every index whose name starts with `prefix-` (wildcard deletes are refused by default). */
export async function deleteIndices(url: string, prefix: string): Promise<void> {
  const client = new SearchEngineClient({ url });
  const rows = await client.request<{ index: string }[]>('GET', `/_cat/indices/${prefix}-*?format=json`);
  const names = (rows ?? []).map((row) => row.index);
  for (let at = 0; at < names.length; at += 50) {
    await client.request('DELETE', `/${names.slice(at, at + 50).join(',')}`, { allow: [404], write: true });
  }
}
