/**
 * @module retrieval/search-engine/factory
 * Picks the retrieval backends from the configuration: with `retrieval.searchUrl`
 * (`GROUNDWORK_SEARCH_URL`) set, lexical and vector search run in the search engine (ADR 0044);
 * otherwise the retriever's defaults (SQL or the memory index, pgvector) stay in place.
 */
import { ConfigError } from '../../errors.ts';
import type { LexicalEngine } from '../../spec/lexical.ts';
import type { VectorEngine } from '../../spec/vector.ts';
import type { Database } from '../../store/database.ts';
import type { RetrieverSettings } from '../retriever.ts';
import { SearchEngineClient } from './client.ts';
import {
  SearchEngineBackend,
  type SearchEngineBackendOptions,
  SearchEngineLexicalEngine,
  SearchEngineVectorEngine,
} from './engine.ts';
import { IndexLayout } from './layout.ts';

/** The search-engine part of the retrieval settings. */
export interface SearchEngineSettings {
  readonly searchUrl?: string;
  readonly searchTimeoutMs?: number;
  readonly searchIndexPrefix?: string;
}

/** The engines a retriever is built with; empty when no search engine is configured. */
export interface RetrievalBackends {
  readonly lexical?: LexicalEngine;
  readonly vector?: VectorEngine;
  readonly searchEngine?: SearchEngineBackend;
}

/** Builds the backends the settings name. */
export function createRetrievalBackends(
  db: Database,
  settings: RetrieverSettings & SearchEngineSettings,
  options: { readonly logger?: SearchEngineBackendOptions['logger'] } = {},
): RetrievalBackends {
  if (!settings.searchUrl) return {};
  // The sync holds a snapshot transaction while it copies a tenant; embedded PGlite has one
  // connection, so every other query would wait behind it. The engine is for a Postgres server.
  if (db.dialect === 'pglite') {
    throw new ConfigError(
      'GROUNDWORK_SEARCH_URL needs a Postgres server: set DATABASE_URL as well (the embedded database keeps retrieval in itself).',
    );
  }
  const client = new SearchEngineClient({ url: settings.searchUrl, timeoutMs: settings.searchTimeoutMs });
  const layout = new IndexLayout({
    prefix: settings.searchIndexPrefix ?? 'groundwork',
    k1: settings.k1,
    b: settings.b,
  });
  const backend = new SearchEngineBackend(
    { capabilities: db.capabilities, ...db.read },
    client,
    layout,
    settings,
    { logger: options.logger },
  );
  return {
    lexical: new SearchEngineLexicalEngine(backend),
    vector: new SearchEngineVectorEngine(backend),
    searchEngine: backend,
  };
}
