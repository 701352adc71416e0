/**
 * @module retrieval/search-engine/sync
 * Brings a tenant's indices in the search engine to the tenant's knowledge generation (ADR 0026,
 * 0044). Postgres stays the store of record; the engine holds a copy that follows it by a diff of
 * chunk fingerprints, like the memory engine's refresh (ADR 0037): a fingerprint covers everything a
 * chunk's engine document is made of that may change in place (access set, document metadata, origin,
 * media type, which models have its vector), so deletions, re-ingests, ACL and metadata changes and
 * vector backfills all converge. One tenant syncs in one process at a time (a lease document in the
 * state index, created with `op_type=create`, expiring if its holder dies); the snapshot is read after
 * the lease is taken, and the generation is written last, after a refresh, so the engine never claims
 * a generation whose changes it does not show.
 */
import { randomUUID } from 'node:crypto';
import type { ReadExecutor, SqlExecutor } from '../../store/database.ts';
import { readKnowledgeGeneration } from '../../store/knowledge-generation.ts';
import type { SearchEngineClient } from './client.ts';
import { type IndexLayout, vectorField, vectorMapping } from './layout.ts';
import { metadataTokens } from './metadata-tokens.ts';

/** Chunks read from Postgres and sent to the engine per batch. */
const BATCH = 1000;
/** Documents per page when the engine's state is read back. */
const PAGE = 10_000;
/** When deleted documents are merged away a second time (after the retention lease has moved). */
const EXPUNGE_AGAIN_MS = 45_000;
/** A lease older than this is taken over (its holder died). */
const LEASE_MS = 10 * 60_000;

/** What a sync did. */
export interface SyncReport {
  readonly generation: string;
  readonly indexed: number;
  readonly deleted: number;
  readonly ms: number;
}

interface Held {
  readonly fp: string;
  readonly index: string;
}

interface StateDoc {
  readonly generation?: string;
  readonly tenant?: string;
}

interface ChunkRow {
  id: string | number;
  set: string | number;
  fp: string;
}

/** Syncs tenants' indices from Postgres. */
export class IndexSync {
  /** What this process last saw in the engine per tenant, valid while the state doc is unchanged. */
  private readonly held = new Map<string, { seq: string; chunks: Map<number, Held> }>();
  private readonly known = new Set<string>();

  constructor(
    private readonly db: ReadExecutor,
    private readonly client: SearchEngineClient,
    private readonly layout: IndexLayout,
    private readonly logger?: { info(fields: object, message: string): void },
  ) {}

  /** The generation the engine holds for a tenant ("-1" when it holds none). */
  async engineGeneration(tenantId: string): Promise<string> {
    const doc = await this.readState(tenantId);
    return doc?.source.generation ?? '-1';
  }

  /** Syncs a tenant; waits for another process's sync of it to finish first. */
  async sync(tenantId: string): Promise<SyncReport> {
    await this.ensureStateIndex();
    const lease = await this.acquireLease(tenantId);
    try {
      return await this.syncHeld(tenantId);
    } finally {
      // Released only while it is still ours (a holder past the expiry may have lost it).
      await this.client
        .request(
          'DELETE',
          `/${this.layout.stateIndex}/_doc/${lease.id}?if_seq_no=${lease.seq}&if_primary_term=${lease.term}&refresh=true`,
          { allow: [404, 409], write: true },
        )
        .catch(() => {});
    }
  }

  private async syncHeld(tenantId: string): Promise<SyncReport> {
    const started = performance.now();
    return this.db.transaction(async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const generation = await readKnowledgeGeneration(tx, tenantId);
      const state = await this.readState(tenantId);
      if (state?.source.generation === generation) {
        return { generation, indexed: 0, deleted: 0, ms: performance.now() - started };
      }
      const models = await readModels(tx);
      const { rows } = await tx.query<ChunkRow>(
        `SELECT c.id, c.acl_set_id AS set,
                md5(concat_ws('|', c.acl_set_id, c.document_id, d.origin_uri, d.media_type, d.metadata::text,
                  (SELECT string_agg(v.model_id::text, ',' ORDER BY v.model_id) FROM chunk_vectors v
                   WHERE v.chunk_id = c.id))) AS fp
         FROM chunks c JOIN documents d ON d.id = c.document_id
         WHERE c.tenant_id = $1`,
        [tenantId],
      );
      const cachedKey = state === undefined ? 'none' : `${state.seq}`;
      const cached = this.held.get(tenantId);
      const inEngine =
        cached !== undefined && cached.seq === cachedKey ? cached.chunks : await this.readEngine(tenantId);
      const wanted = new Map<number, { set: number; fp: string }>();
      for (const row of rows) wanted.set(Number(row.id), { set: Number(row.set), fp: row.fp });
      const removals: { id: number; index: string }[] = [];
      for (const [id, held] of inEngine) {
        const want = wanted.get(id);
        if (want === undefined || want.fp !== held.fp) removals.push({ id, index: held.index });
      }
      const additions: number[] = [];
      for (const [id, want] of wanted) if (inEngine.get(id)?.fp !== want.fp) additions.push(id);
      additions.sort((left, right) => left - right);

      const touched = new Set<string>(removals.map((removal) => removal.index));
      for (const id of additions) touched.add(this.layout.index(tenantId, wanted.get(id)!.set));
      for (const index of touched) await this.ensureIndex(index, models);

      for (let at = 0; at < removals.length; at += PAGE) {
        const lines = removals
          .slice(at, at + PAGE)
          .map((removal) => ({ delete: { _index: removal.index, _id: String(removal.id) } }));
        await this.bulk(lines);
      }
      let lastReport = performance.now();
      for (let at = 0; at < additions.length; at += BATCH) {
        const ids = additions.slice(at, at + BATCH);
        const docs = await readChunkDocuments(tx, tenantId, ids, models);
        const lines: unknown[] = [];
        for (const doc of docs) {
          lines.push({
            index: { _index: this.layout.index(tenantId, doc.acl_set), _id: String(doc.chunk_id) },
          });
          lines.push({ ...doc, fp: wanted.get(doc.chunk_id)!.fp });
        }
        if (lines.length > 0) await this.bulk(lines);
        if (performance.now() - lastReport > 5000) {
          lastReport = performance.now();
          this.logger?.info(
            { tenantId, indexed: at + ids.length, of: additions.length },
            'search engine sync in progress',
          );
        }
      }
      if (touched.size > 0) {
        const names = [...touched].join(',');
        await this.client.request('POST', `/${names}/_refresh?ignore_unavailable=true`, { write: true });
        if (removals.length > 0) {
          await this.expunge(names);
          // Soft-deleted documents are kept for recovery until the shard's retention lease moves past
          // them (synced every 30 s); a merge drops them only then. Until that, their terms still
          // count in BM25's statistics (results never include them): expunge again once it has.
          setTimeout(() => void this.expunge(names).catch(() => {}), EXPUNGE_AGAIN_MS).unref();
        }
      }
      const written = await this.writeState(tenantId, generation);
      const chunks = new Map<number, Held>();
      for (const [id, want] of wanted)
        chunks.set(id, { fp: want.fp, index: this.layout.index(tenantId, want.set) });
      this.held.set(tenantId, { seq: written, chunks });
      const report = {
        generation,
        indexed: additions.length,
        deleted: removals.length,
        ms: performance.now() - started,
      };
      if (additions.length + removals.length > 0)
        this.logger?.info({ tenantId, ...report }, 'search engine synced');
      return report;
    });
  }

  /** Merges away deleted documents (tombstones hold no terms) and makes the result visible. */
  private async expunge(names: string): Promise<void> {
    await this.client.request('POST', `/${names}/_flush?ignore_unavailable=true`, { write: true });
    await this.client.request(
      'POST',
      `/${names}/_forcemerge?only_expunge_deletes=true&ignore_unavailable=true`,
      {
        write: true,
      },
    );
    await this.client.request('POST', `/${names}/_refresh?ignore_unavailable=true`, { write: true });
  }

  /** Adds a model's vector field to every index of a tenant (idempotent). */
  async ensureVectorField(tenantId: string, model: { id: number; dimensions: number }): Promise<void> {
    const key = `${tenantId}\u0000${model.id}`;
    if (this.known.has(key)) return;
    await this.client.request(
      'PUT',
      `/${this.layout.tenantPattern(tenantId)}/_mapping?allow_no_indices=true&ignore_unavailable=true`,
      { body: { properties: { [vectorField(model.id)]: vectorMapping(model.dimensions) } }, write: true },
    );
    this.known.add(key);
  }

  private async bulk(lines: readonly unknown[]): Promise<void> {
    const response = await this.client.request<{
      errors: boolean;
      items: Record<string, { status: number; error?: unknown }>[];
    }>('POST', '/_bulk', { ndjson: lines, write: true });
    if (!response?.errors) return;
    const failed = response.items
      .map((item) => Object.values(item)[0]!)
      .filter((item) => item.status >= 300 && item.status !== 404);
    if (failed.length > 0) {
      throw new Error(
        `search engine rejected ${failed.length} bulk items: ${JSON.stringify(failed[0]).slice(0, 300)}`,
      );
    }
  }

  private async ensureIndex(
    index: string,
    models: readonly { id: number; dimensions: number }[],
  ): Promise<void> {
    if (this.known.has(index)) return;
    const response = await this.client.request<unknown>('PUT', `/${index}`, {
      body: this.layout.indexBody(models),
      allow: [400],
      write: true,
    });
    if (response === undefined) {
      // Already there (another process made it): make sure it has every model's field.
      for (const model of models) {
        await this.client.request('PUT', `/${index}/_mapping`, {
          body: { properties: { [vectorField(model.id)]: vectorMapping(model.dimensions) } },
          write: true,
        });
      }
    }
    this.known.add(index);
  }

  private async ensureStateIndex(): Promise<void> {
    if (this.known.has(this.layout.stateIndex)) return;
    await this.client.request('PUT', `/${this.layout.stateIndex}`, {
      body: {
        settings: { number_of_shards: 1, auto_expand_replicas: '0-1' },
        mappings: { dynamic: false, properties: { tenant: { type: 'keyword' } } },
      },
      allow: [400],
      write: true,
    });
    this.known.add(this.layout.stateIndex);
  }

  private async readState(tenantId: string): Promise<{ seq: string; source: StateDoc } | undefined> {
    const doc = await this.client.request<{ _seq_no: number; _primary_term: number; _source: StateDoc }>(
      'GET',
      `/${this.layout.stateIndex}/_doc/${this.layout.tenantKey(tenantId)}`,
      { allow: [404] },
    );
    if (doc === undefined) return undefined;
    return { seq: `${doc._seq_no}:${doc._primary_term}`, source: doc._source };
  }

  private async writeState(tenantId: string, generation: string): Promise<string> {
    const response = await this.client.request<{ _seq_no: number; _primary_term: number }>(
      'PUT',
      `/${this.layout.stateIndex}/_doc/${this.layout.tenantKey(tenantId)}?refresh=true`,
      { body: { tenant: tenantId, generation, at: new Date().toISOString() }, write: true },
    );
    return `${response!._seq_no}:${response!._primary_term}`;
  }

  /** Takes the tenant's sync lease, waiting for a live holder and taking over an expired one. */
  private async acquireLease(tenantId: string): Promise<{ id: string; seq: number; term: number }> {
    const id = `lease-${this.layout.tenantKey(tenantId)}`;
    const owner = randomUUID();
    for (let attempt = 0; ; attempt++) {
      const created = await this.client.request<{ _seq_no: number; _primary_term: number }>(
        'PUT',
        `/${this.layout.stateIndex}/_create/${id}?refresh=true`,
        { body: { owner, at: Date.now() }, allow: [409], write: true },
      );
      if (created !== undefined) return { id, seq: created._seq_no, term: created._primary_term };
      const held = await this.client.request<{
        _seq_no: number;
        _primary_term: number;
        _source: { at: number };
      }>('GET', `/${this.layout.stateIndex}/_doc/${id}`, { allow: [404] });
      if (held !== undefined && Date.now() - held._source.at > LEASE_MS) {
        await this.client.request(
          'DELETE',
          `/${this.layout.stateIndex}/_doc/${id}?if_seq_no=${held._seq_no}&if_primary_term=${held._primary_term}&refresh=true`,
          { allow: [404, 409], write: true },
        );
        continue;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(50 * 2 ** attempt, 1000)));
    }
  }

  /** Reads back which chunks the engine holds for a tenant, with their fingerprints and indices. */
  private async readEngine(tenantId: string): Promise<Map<number, Held>> {
    const held = new Map<number, Held>();
    let after: readonly unknown[] | undefined;
    for (;;) {
      const response = await this.client.search(
        `${this.layout.tenantPattern(tenantId)}`,
        {
          size: PAGE,
          _source: false,
          track_total_hits: false,
          query: { term: { tenant: tenantId } },
          docvalue_fields: ['fp'],
          sort: [{ chunk_id: 'asc' }],
          ...(after ? { search_after: after } : {}),
        },
        '?ignore_unavailable=true&allow_no_indices=true',
      );
      const hits = response.hits.hits;
      for (const hit of hits)
        held.set(Number(hit._id), { fp: String(hit.fields?.fp?.[0] ?? ''), index: hit._index });
      if (hits.length < PAGE) return held;
      after = hits[hits.length - 1]!.sort;
    }
  }
}

async function readModels(tx: SqlExecutor): Promise<{ id: number; dimensions: number }[]> {
  const { rows } = await tx.query<{ id: number; dimensions: number }>(
    'SELECT id, dimensions FROM embedding_models ORDER BY id',
  );
  return rows.map((row) => ({ id: Number(row.id), dimensions: Number(row.dimensions) }));
}

/** The engine documents of some chunks: terms rebuilt from the postings, vectors per model. */
async function readChunkDocuments(
  tx: SqlExecutor,
  tenantId: string,
  ids: readonly number[],
  models: readonly { id: number; dimensions: number }[],
) {
  const { rows } = await tx.query<{
    id: string | number;
    set: string | number;
    document_id: string | number;
    origin_uri: string;
    media_type: string;
    metadata: unknown;
    terms: string[] | null;
    tfs: number[] | null;
  }>(
    `SELECT c.id, c.acl_set_id AS set, c.document_id, d.origin_uri, d.media_type, d.metadata,
            p.terms, p.tfs
     FROM chunks c JOIN documents d ON d.id = c.document_id
     LEFT JOIN (SELECT chunk_id, array_agg(term) AS terms, array_agg(tf) AS tfs FROM postings
                WHERE tenant_id = $1 AND chunk_id = ANY($2::bigint[]) GROUP BY chunk_id) p ON p.chunk_id = c.id
     WHERE c.tenant_id = $1 AND c.id = ANY($2::bigint[])`,
    [tenantId, ids],
  );
  const vectors = new Map<number, Record<string, number[]>>();
  if (models.length > 0) {
    const { rows: vectorRows } = await tx.query<{
      chunk_id: string | number;
      model_id: number;
      embedding: string;
    }>(
      'SELECT chunk_id, model_id, embedding::text AS embedding FROM chunk_vectors WHERE chunk_id = ANY($1::bigint[])',
      [ids],
    );
    for (const row of vectorRows) {
      const id = Number(row.chunk_id);
      const fields = vectors.get(id) ?? {};
      fields[vectorField(Number(row.model_id))] = JSON.parse(row.embedding) as number[];
      vectors.set(id, fields);
    }
  }
  return rows.map((row) => {
    const id = Number(row.id);
    const words: string[] = [];
    const terms = row.terms ?? [];
    const tfs = row.tfs ?? [];
    for (let index = 0; index < terms.length; index++) {
      for (let count = 0; count < Number(tfs[index]); count++) words.push(terms[index]!);
    }
    return {
      chunk_id: id,
      tenant: tenantId,
      acl_set: Number(row.set),
      document_id: Number(row.document_id),
      origin_uri: row.origin_uri,
      media_type: row.media_type,
      meta: metadataTokens(typeof row.metadata === 'string' ? JSON.parse(row.metadata) : row.metadata),
      terms: words.join(' '),
      ...(vectors.get(id) ?? {}),
    };
  });
}
