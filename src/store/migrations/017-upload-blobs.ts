/**
 * Migration 017 (ADRs 0035, 0055, 0056), state that several processes must share.
 *
 * Uploaded originals move out of the database into the blob store. An
 * upload row keeps the file's name, type, size, hash and blob key, and the job it was submitted with,
 * so the garbage collector knows when nothing needs the original any more. `content` stays for rows
 * queued before this version (read once, then collected).
 */
export const MIGRATION_017 = `
ALTER TABLE uploads ALTER COLUMN content DROP NOT NULL;
ALTER TABLE uploads ADD COLUMN blob_key text;
ALTER TABLE uploads ADD COLUMN byte_size bigint;
ALTER TABLE uploads ADD COLUMN sha256 text;
ALTER TABLE uploads ADD COLUMN job_id uuid;
CREATE INDEX uploads_created ON uploads (created_at);

-- Rate-limit token buckets shared by every API process. Unlogged: a crash may forget them, which
-- only refills the buckets, and every request writes one, so skipping the WAL matters.
CREATE UNLOGGED TABLE rate_buckets (
  id          text PRIMARY KEY,
  tokens      float8 NOT NULL,
  allowed     boolean NOT NULL,
  updated_at  timestamptz NOT NULL
);

-- Settings every process of one deployment must agree on, e.g. a generated session secret.
CREATE TABLE cluster_settings (
  name        text PRIMARY KEY,
  value       text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- The processes serving this database, seen through their heartbeats (status, secret agreement).
CREATE TABLE instances (
  id                  text PRIMARY KEY,
  hostname            text NOT NULL,
  pid                 integer NOT NULL,
  role                text NOT NULL,
  version             text NOT NULL,
  secret_fingerprint  text NOT NULL,
  started_at          timestamptz NOT NULL DEFAULT now(),
  seen_at             timestamptz NOT NULL DEFAULT now()
);
`;
