/**
 * Migration 017: uploaded originals move out of the database into the blob store (ADR 0035). An
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
`;
