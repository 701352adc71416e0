/**
 * @module retrieval/search-engine/layout
 * Where chunks live in the engine (ADR 0044): one index per (tenant, access set), one shard each.
 * A caller's search names exactly the indices of the access sets it may read and runs with
 * `dfs_query_then_fetch`, so BM25's N, average length and document frequencies are gathered over
 * those indices only: the caller's own statistics (ADR 0028), computed by the engine. Index names
 * carry a hash of the tenant id (tenant ids may hold characters index names may not), and each
 * document also carries its tenant and access set as keyword fields, filtered on in every query.
 */
import { createHash } from 'node:crypto';

/** Index settings and mappings shared by every chunk index. */
export interface LayoutOptions {
  /** Prefix of every index name (lower case letters, digits, `-`, `_`). */
  readonly prefix: string;
  readonly k1: number;
  readonly b: number;
}

/** The field holding one embedding model's vectors. */
export function vectorField(modelId: number): string {
  return `vec_${Math.trunc(modelId)}`;
}

/** Names of a tenant's indices and of the sync state index. */
export class IndexLayout {
  constructor(readonly options: LayoutOptions) {
    if (!/^[a-z0-9][a-z0-9_-]{0,60}$/.test(options.prefix)) {
      throw new Error(`search engine index prefix "${options.prefix}" must match [a-z0-9][a-z0-9_-]*`);
    }
  }

  /** A stable, index-name-safe key of a tenant id. */
  tenantKey(tenantId: string): string {
    return createHash('sha256').update(tenantId).digest('hex').slice(0, 24);
  }

  /** The index of one access set of a tenant. */
  index(tenantId: string, aclSetId: number): string {
    return `${this.options.prefix}-c-${this.tenantKey(tenantId)}-${Math.trunc(aclSetId)}`;
  }

  /** Every index of a tenant (a wildcard). */
  tenantPattern(tenantId: string): string {
    return `${this.options.prefix}-c-${this.tenantKey(tenantId)}-*`;
  }

  /** The index holding each tenant's sync state (generation, lock). */
  get stateIndex(): string {
    return `${this.options.prefix}-sync`;
  }

  /** Settings and mappings of a new chunk index, with the vector fields of the given models. */
  indexBody(models: readonly { readonly id: number; readonly dimensions: number }[]): unknown {
    return {
      settings: {
        number_of_shards: 1,
        auto_expand_replicas: '0-1',
        refresh_interval: '-1',
        // Deleted documents still count in Lucene's statistics until merged away: expunging every
        // segment with a deletion keeps the caller's statistics those of the chunks Postgres has.
        'merge.policy.expunge_deletes_allowed': 0,
        similarity: { groundwork_bm25: { type: 'BM25', k1: this.options.k1, b: this.options.b } },
      },
      mappings: {
        dynamic: 'strict',
        properties: {
          chunk_id: { type: 'long' },
          tenant: { type: 'keyword' },
          acl_set: { type: 'long' },
          document_id: { type: 'long' },
          origin_uri: { type: 'keyword' },
          media_type: { type: 'keyword' },
          meta: { type: 'keyword' },
          fp: { type: 'keyword', index: false },
          // Our analyzer's terms, joined by spaces: the engine only splits them again, so index and
          // query analysis stay ours (ADR 0002) and its BM25 counts the same terms as the SQL engine.
          terms: { type: 'text', analyzer: 'whitespace', similarity: 'groundwork_bm25' },
          ...Object.fromEntries(
            models.map((model) => [vectorField(model.id), vectorMapping(model.dimensions)]),
          ),
        },
      },
    };
  }
}

/** A cosine HNSW field of float vectors (not quantised: similarities stay exact). */
export function vectorMapping(dimensions: number): unknown {
  return {
    type: 'dense_vector',
    dims: Math.trunc(dimensions),
    index: true,
    similarity: 'cosine',
    index_options: { type: 'hnsw', m: 16, ef_construction: 100 },
  };
}
