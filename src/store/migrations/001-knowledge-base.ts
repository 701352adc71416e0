/**
 * @module store/migrations/001-knowledge-base
 * Tenants, sources, documents, chunks, lexical postings, vectors and ingestion jobs.
 */

/** Every customer-owned row carries `tenant_id`; every query filters on it. */
export const MIGRATION_001 = `
CREATE TABLE tenants (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Where documents come from: a folder, a URL, an upload, a record feed.
CREATE TABLE sources (
  id          bigserial PRIMARY KEY,
  tenant_id   text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  kind        text NOT NULL CHECK (kind IN ('folder', 'file', 'url', 'upload')),
  uri         text NOT NULL,
  options     jsonb NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, kind, uri)
);

-- Each distinct set of principals allowed to read (sorted, deduplicated) gets an id. Postings, chunks
-- and vectors carry that id, so retrieval checks access with an integer comparison against the sets
-- the caller belongs to, computed once per query, instead of joining every candidate to its document.
CREATE TABLE acl_sets (
  id          bigserial PRIMARY KEY,
  tenant_id   text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  principals  text[] NOT NULL,
  UNIQUE (tenant_id, principals)
);
CREATE INDEX acl_sets_principals ON acl_sets USING gin (principals);

-- One row per document. A file of records yields one document per record: uri = origin_uri#key.
CREATE TABLE documents (
  id             bigserial PRIMARY KEY,
  tenant_id      text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  source_id      bigint REFERENCES sources(id) ON DELETE SET NULL,
  uri            text NOT NULL,
  origin_uri     text NOT NULL,
  title          text,
  media_type     text NOT NULL,
  content_hash   text NOT NULL,
  pipeline_hash  text NOT NULL,
  metadata       jsonb NOT NULL DEFAULT '{}',
  acl            text[] NOT NULL DEFAULT '{*}',
  acl_set_id     bigint NOT NULL REFERENCES acl_sets(id),
  page_count     integer,
  chunk_count    integer NOT NULL DEFAULT 0,
  token_count    integer NOT NULL DEFAULT 0,
  byte_size      bigint,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, uri)
);
CREATE INDEX documents_origin ON documents (tenant_id, origin_uri);
CREATE INDEX documents_source ON documents (source_id);
CREATE INDEX documents_metadata ON documents USING gin (metadata jsonb_path_ops);

CREATE TABLE chunks (
  id              bigserial PRIMARY KEY,
  tenant_id       text NOT NULL,
  document_id     bigint NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  ordinal         integer NOT NULL,
  text            text NOT NULL,
  heading_path    text[] NOT NULL DEFAULT '{}',
  page            integer,
  token_count     integer NOT NULL,
  lexical_length  integer NOT NULL,
  acl_set_id      bigint NOT NULL,
  UNIQUE (document_id, ordinal)
);
CREATE INDEX chunks_tenant ON chunks (tenant_id);

-- Okapi BM25 inputs: term frequency per chunk and chunk length (copied here to score without a join).
-- The key covers tf, length and the access set so scoring and access checks are an index-only scan.
CREATE TABLE postings (
  tenant_id  text NOT NULL,
  term       text NOT NULL,
  chunk_id   bigint NOT NULL REFERENCES chunks(id) ON DELETE CASCADE,
  tf         integer NOT NULL,
  length     integer NOT NULL,
  acl_set_id bigint NOT NULL,
  PRIMARY KEY (tenant_id, term, chunk_id) INCLUDE (tf, length, acl_set_id)
);
CREATE INDEX postings_chunk ON postings (chunk_id);

-- Collection statistics for BM25, maintained in the same transaction as the postings.
CREATE TABLE lexical_stats (
  tenant_id     text PRIMARY KEY,
  chunk_count   bigint NOT NULL DEFAULT 0,
  total_length  bigint NOT NULL DEFAULT 0
);

-- Each embedding model gets a partial HNSW index over its own rows, cast to its dimension.
CREATE TABLE embedding_models (
  id          serial PRIMARY KEY,
  name        text NOT NULL UNIQUE,
  dimensions  integer NOT NULL CHECK (dimensions BETWEEN 1 AND 16000),
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE chunk_vectors (
  chunk_id   bigint NOT NULL REFERENCES chunks(id) ON DELETE CASCADE,
  model_id   integer NOT NULL REFERENCES embedding_models(id) ON DELETE CASCADE,
  tenant_id  text NOT NULL,
  acl_set_id bigint NOT NULL,
  embedding  vector NOT NULL,
  PRIMARY KEY (chunk_id, model_id)
);
CREATE INDEX chunk_vectors_tenant ON chunk_vectors (tenant_id, model_id);

-- The durable ingestion queue; workers claim jobs with FOR UPDATE SKIP LOCKED.
CREATE TABLE ingest_jobs (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id     text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  status        text NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
  request       jsonb NOT NULL,
  total         integer NOT NULL DEFAULT 0,
  processed     integer NOT NULL DEFAULT 0,
  succeeded     integer NOT NULL DEFAULT 0,
  skipped       integer NOT NULL DEFAULT 0,
  failed        integer NOT NULL DEFAULT 0,
  removed       integer NOT NULL DEFAULT 0,
  chunks        integer NOT NULL DEFAULT 0,
  error         text,
  attempts      integer NOT NULL DEFAULT 0,
  worker        text,
  heartbeat_at  timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  started_at    timestamptz,
  finished_at   timestamptz
);
CREATE INDEX ingest_jobs_queue ON ingest_jobs (status, created_at);
CREATE INDEX ingest_jobs_tenant ON ingest_jobs (tenant_id, created_at DESC);

-- One row per file, URL or upload in a job: what happened to it and why.
CREATE TABLE ingest_job_items (
  job_id       uuid NOT NULL REFERENCES ingest_jobs(id) ON DELETE CASCADE,
  ordinal      integer NOT NULL,
  uri          text NOT NULL,
  status       text NOT NULL CHECK (status IN ('pending', 'done', 'unchanged', 'failed', 'removed')),
  code         text,
  reason       text,
  documents    integer NOT NULL DEFAULT 0,
  chunks       integer NOT NULL DEFAULT 0,
  bytes        bigint,
  duration_ms  integer,
  PRIMARY KEY (job_id, ordinal)
);

-- Uploaded bytes wait here until their job has ingested them.
CREATE TABLE uploads (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id   text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  file_name   text NOT NULL,
  media_type  text,
  content     bytea NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
`;
