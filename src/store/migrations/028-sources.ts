/**
 * @module store/migrations/028-sources
 * Server-side sources (src/sources, ADR 0093): a folder, a list of URLs or an S3-compatible bucket
 * prefix, with the ACL and metadata its documents get, an optional sync interval (claimed by whichever
 * process's scheduler gets the row first) and the outcome of its last sync. Credentials and the
 * webhook signing secret are stored encrypted (AES-256-GCM), never in `config`. `content_source_objects` holds
 * what the last listing saw and which ETag was last ingested, so a sync fetches only what changed.
 */

/** The tables (named `content_sources`: migration 001 has an unused `sources` table of its own). */
export const MIGRATION_028 = `
CREATE TABLE content_sources (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id           text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  name                text NOT NULL,
  kind                text NOT NULL CHECK (kind IN ('folder', 'urls', 's3')),
  config              jsonb NOT NULL,
  credentials         bytea,
  webhook_secret      bytea NOT NULL,
  acl                 jsonb NOT NULL,
  metadata            jsonb NOT NULL,
  sync_every_seconds  integer CHECK (sync_every_seconds IS NULL OR sync_every_seconds >= 60),
  next_sync_at        timestamptz,
  last_sync_at        timestamptz,
  last_sync_code      text,
  last_sync_error     text,
  last_job_id         uuid,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name)
);
CREATE INDEX content_sources_due ON content_sources (next_sync_at) WHERE next_sync_at IS NOT NULL;

CREATE TABLE content_source_objects (
  source_id      uuid NOT NULL REFERENCES content_sources(id) ON DELETE CASCADE,
  key            text NOT NULL,
  etag           text,
  fetched_etag   text,
  ingested_etag  text,
  PRIMARY KEY (source_id, key)
);
`;
