/**
 * Ingestion-time PII redaction per source: chunks, documents, postings and the blob store hold only
 * the redacted text; turning redaction on or off re-indexes an unchanged file; bad kinds are a 400.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroundwork, type Groundwork } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import { createHttpApp } from '../server/app.ts';
import type { Database } from '../store/database.ts';
import { testBackends } from '../testing/databases.ts';

const EMAIL = 'ana.lopez@example.org';
const PHONE = '+44 20 7946 0958';
const IBAN = 'GB82 WEST 1234 5698 7654 32';
const TEXT = `# Refund for Ana\n\nAna (${EMAIL}, ${PHONE}) asked for the refund to go to ${IBAN}. The thermostat was returned within 30 days.\n`;

/** Tables whose rows, as text, contain `needle`. */
async function tablesWith(db: Database, needle: string): Promise<string[]> {
  const { rows: tables } = await db.query<{ name: string }>(
    `SELECT quote_ident(table_name) AS name FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
  );
  const found: string[] = [];
  for (const { name } of tables) {
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${name} t WHERE t::text LIKE '%' || $1 || '%'`,
      [needle],
    );
    if ((rows[0]?.n ?? 0) > 0) found.push(name);
  }
  return found.sort();
}

async function chunkText(db: Database, tenantId: string): Promise<string> {
  const { rows } = await db.query<{ text: string }>(
    `SELECT c.text FROM chunks c JOIN documents d ON d.id = c.document_id WHERE d.tenant_id = $1 ORDER BY c.ordinal`,
    [tenantId],
  );
  return rows.map((row) => row.text).join('\n');
}

for (const backend of testBackends()) {
  describe(`PII redaction at ingestion on ${backend.name}`, () => {
    let app: Groundwork;
    let db: Database;
    let folder: string;
    let http: ReturnType<typeof createHttpApp>;

    beforeAll(async () => {
      db = await backend.open();
      app = await createGroundwork(loadConfig({ dataDir: 'memory://', embedder: 'none' }), { db });
      http = createHttpApp(app, { webRoot: null });
      folder = await mkdtemp(path.join(tmpdir(), 'gw-redact-ingest-'));
      await writeFile(path.join(folder, 'refund-ana.md'), TEXT);
    }, 120_000);

    afterAll(async () => {
      await app?.close();
      await db?.close();
      await rm(folder, { recursive: true, force: true });
    });

    const ingest = async (tenantId: string, extra: Record<string, unknown>) => {
      const job = await app.ingestion.submit(
        tenantId,
        { sources: [{ kind: 'path', path: folder, ...extra }] },
        { trusted: true },
      );
      await app.ingestion.drain();
      const { rows } = await db.query<{ status: string; reason: string | null }>(
        'SELECT status, reason FROM ingest_job_items WHERE job_id = $1',
        [job.id],
      );
      return rows;
    };

    it('stores only the named kinds redacted, in chunks, documents and postings', async () => {
      const items = await ingest('acme', { redact: ['email', 'phone'] });
      expect(items.map((item) => item.status)).toEqual(['done']);
      const text = await chunkText(db, 'acme');
      expect(text).toContain('[email]');
      expect(text).toContain('[phone]');
      expect(text).toContain(IBAN);
      for (const needle of [EMAIL, 'ana.lopez', '7946 0958'])
        expect(await tablesWith(db, needle), needle).toEqual([]);
      // Searching for the address finds nothing that holds it.
      const found = await app.retriever.search({ tenantId: 'acme', text: 'ana.lopez example.org refund' });
      expect(JSON.stringify(found)).not.toContain(EMAIL);
    });

    it('re-indexes an unchanged file when redaction is turned off, and again when it is turned on', async () => {
      const plain = await ingest('acme', {});
      expect(plain.map((item) => item.status)).toEqual(['done']);
      expect(await chunkText(db, 'acme')).toContain(EMAIL);
      const all = await ingest('acme', { pii: 'redact' });
      expect(all.map((item) => item.status)).toEqual(['done']);
      const text = await chunkText(db, 'acme');
      expect(text).toContain('[iban]');
      for (const needle of [EMAIL, '7946 0958', 'WEST 1234'])
        expect(await tablesWith(db, needle), needle).toEqual([]);
      // Same file, same redaction: unchanged.
      expect((await ingest('acme', { pii: 'redact' })).map((item) => item.status)).toEqual(['unchanged']);
    });

    it('refuses unknown kinds with a 400', async () => {
      const response = await http.request('/v1/ingest', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sources: [{ kind: 'url', url: 'https://example.com/a', redact: ['names'] }] }),
      });
      expect(response.status).toBe(400);
    });

    it('redacts an upload and keeps no original of it in the blob store', async () => {
      const body = new FormData();
      body.append('file', new File([TEXT], 'note.md', { type: 'text/markdown' }));
      body.append('redact', 'all');
      const response = await http.request('/v1/documents', { method: 'POST', body });
      expect(response.status).toBe(202);
      await app.ingestion.drain();
      expect(await chunkText(db, 'default')).toContain('[email]');
      for (const needle of [EMAIL, '7946 0958']) expect(await tablesWith(db, needle), needle).toEqual([]);
      const keys: string[] = [];
      for await (const entry of app.uploads.blobs.list('uploads/')) keys.push(entry.key);
      expect(keys).toEqual([]);
      const { rows } = await db.query<{ id: string }>(
        'SELECT id::text AS id FROM documents WHERE tenant_id = $1',
        ['default'],
      );
      const original = await http.request(`/v1/documents/${rows[0]?.id}/original`);
      expect(original.status).toBe(400);
      expect(((await original.json()) as { error: { code: string } }).error.code).toBe('original_not_kept');
    });
  });
}
