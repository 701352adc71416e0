/**
 * Uploads stream to the blob store: limits hold while the body arrives (an oversize body is not read
 * to its end), nothing is left behind by a refused request, originals are kept and downloadable, and
 * the collector removes what no document or unfinished job needs.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroundwork, type Groundwork } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import { testBackends } from '../testing/databases.ts';
import { motoServerBinary, type S3TestServer, startS3TestServer } from '../testing/s3-test-server.ts';
import { createHttpApp } from './app.ts';

type Http = ReturnType<typeof createHttpApp>;
const LIMIT = 64 * 1024;
const DOCX = path.resolve(
  import.meta.dirname,
  '../../../shared/data/docx-samples/mammoth-test-data/tables.docx',
);

async function waitForJob(http: Http, id: string) {
  for (let attempt = 0; attempt < 400; attempt++) {
    const body = (await (await http.request(`/v1/jobs/${id}`)).json()) as {
      job: { status: string };
      items: { status: string; code: string | null; uri: string }[];
    };
    if (['done', 'failed', 'cancelled'].includes(body.job.status)) return body;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('job did not finish');
}

function form(files: { name: string; content: string | Uint8Array; type?: string; field?: string }[]) {
  const body = new FormData();
  for (const file of files)
    body.append(
      file.field ?? 'file',
      new File([file.content], file.name, { type: file.type ?? 'text/plain' }),
    );
  return body;
}

async function errorOf(response: Response) {
  return {
    status: response.status,
    code: ((await response.json()) as { error: { code: string } }).error.code,
  };
}

/** A multipart body sent without a length, one chunk at a time, counting what the server pulled. */
function streamedBody(boundary: string, fileBytes: number) {
  const head = new TextEncoder().encode(
    `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="big.txt"\r\ncontent-type: text/plain\r\n\r\n`,
  );
  const tail = new TextEncoder().encode(`\r\n--${boundary}--\r\n`);
  const chunk = new Uint8Array(16 * 1024).fill(97);
  const state = { pulled: 0, cancelled: false };
  let sent = -1;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent === -1) {
        sent = 0;
        controller.enqueue(head);
        return;
      }
      if (sent >= fileBytes) {
        controller.enqueue(tail);
        controller.close();
        return;
      }
      sent += chunk.byteLength;
      state.pulled = sent;
      controller.enqueue(chunk);
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { body, state };
}

async function stagingFiles(app: Groundwork): Promise<string[]> {
  return readdir(await app.uploads.blobs.stagingDir());
}

for (const backend of testBackends()) {
  describe(`uploads on ${backend.name}`, () => {
    let app: Groundwork;
    let http: Http;

    beforeAll(async () => {
      const db = await backend.open();
      app = await createGroundwork(
        loadConfig({
          dataDir: 'memory://',
          limits: { maxFileBytes: LIMIT, maxUploadBytes: 3 * LIMIT, maxUploadFiles: 4 },
        }),
        { db },
      );
      app.ingestion.start(20);
      http = createHttpApp(app);
    });
    afterAll(async () => {
      await app?.close();
      await app?.db.close();
    });

    it('keeps the original in the blob store, not in the database, and serves it back byte for byte', async () => {
      const docx = new Uint8Array(await readFile(DOCX));
      const response = await http.request('/v1/documents', {
        method: 'POST',
        body: form([
          {
            name: 'tables.docx',
            content: docx,
            type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
          },
        ]),
      });
      expect(response.status).toBe(202);
      const { job } = (await response.json()) as { job: { id: string } };
      const finished = await waitForJob(http, job.id);
      expect(finished.items.map((item) => item.status)).toEqual(['done']);
      const { rows } = await app.db.query<{ inDb: boolean; key: string; size: number; sha: string }>(
        'SELECT content IS NOT NULL AS "inDb", blob_key AS key, byte_size AS size, sha256 AS sha FROM uploads',
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ inDb: false, size: docx.byteLength });
      expect(rows[0]!.sha).toMatch(/^[0-9a-f]{64}$/);
      expect(Buffer.from((await app.uploads.blobs.get(rows[0]!.key)) ?? []).equals(Buffer.from(docx))).toBe(
        true,
      );
      const { rows: documents } = await app.db.query<{ id: number }>('SELECT id FROM documents');
      const original = await http.request(`/v1/documents/${documents[0]!.id}/original`);
      expect(original.status).toBe(200);
      expect(original.headers.get('content-disposition')).toContain("filename*=UTF-8''tables.docx");
      expect(Buffer.from(await original.arrayBuffer()).equals(Buffer.from(docx))).toBe(true);
      expect(await stagingFiles(app)).toEqual([]);
    });

    it('stops reading an oversize body at the limit and keeps nothing of it', async () => {
      const boundary = 'gw-boundary-7MA4YWxkTrZu0gW';
      const { body, state } = streamedBody(boundary, 50 * LIMIT);
      const response = await http.request('/v1/documents', {
        method: 'POST',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        body,
        duplex: 'half',
      } as RequestInit);
      expect(await errorOf(response)).toEqual({ status: 413, code: 'payload_too_large' });
      // Cut off near the limit: the other 49 limits' worth was never pulled.
      expect(state.pulled).toBeLessThan(3 * LIMIT);
      expect(state.cancelled).toBe(true);
      expect(await stagingFiles(app)).toEqual([]);
      const { rows } = await app.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM uploads WHERE file_name = 'big.txt'`,
      );
      expect(rows[0]!.n).toBe(0);
    });

    it('refuses bad uploads with a code and leaves no staged file or row behind', async () => {
      const before = (await app.db.query<{ n: number }>('SELECT count(*)::int AS n FROM uploads')).rows[0]!.n;
      const small = (name: string) => ({ name, content: `# ${name}\n\nA small file.` });
      const cases: [RequestInit['body'], Record<string, string>, number, string][] = [
        [form([small('a'), small('b'), small('c'), small('d'), small('e')]), {}, 413, 'too_many_files'],
        [
          form([
            { name: 'one.txt', content: 'x'.repeat(LIMIT - 10) },
            { name: 'two.txt', content: 'y'.repeat(LIMIT - 10) },
            { name: 'three.txt', content: 'z'.repeat(LIMIT - 10) },
            { name: 'four.txt', content: 'w'.repeat(LIMIT - 10) },
          ]),
          {},
          413,
          'payload_too_large',
        ],
        [form([{ ...small('x.md'), field: 'attachment' }]), {}, 400, 'invalid_multipart'],
        [form([small('bad\u0001name.md')]), {}, 400, 'invalid_multipart'],
        // RFC 5987 names are percent-decoded by the parser, so a NUL or ESC can arrive that way.
        ...['%00', '%1B', '%7F', '%FF%FE'].map(
          (encoded) =>
            [
              `--b\r\ncontent-disposition: form-data; name="file"; filename*=UTF-8''bad${encoded}name.md\r\n\r\nbody\r\n--b--\r\n`,
              { 'content-type': 'multipart/form-data; boundary=b' },
              400,
              'invalid_file_name',
            ] as [string, Record<string, string>, number, string],
        ),
        [new FormData(), {}, 400, 'no_files'],
        [
          '--cut\r\ncontent-disposition: form-data; name="file"; filename="t.txt"\r\n\r\nno end',
          { 'content-type': 'multipart/form-data; boundary=cut' },
          400,
          'invalid_multipart',
        ],
        ['plain', { 'content-type': 'text/plain' }, 415, 'unsupported_media_type'],
        ['x', { 'content-type': 'multipart/form-data' }, 415, 'unsupported_media_type'],
      ];
      for (const [body, headers, status, code] of cases) {
        const response = await http.request('/v1/documents', { method: 'POST', body, headers });
        expect(await errorOf(response), code).toEqual({ status, code });
      }
      expect(await stagingFiles(app)).toEqual([]);
      expect((await app.db.query<{ n: number }>('SELECT count(*)::int AS n FROM uploads')).rows[0]!.n).toBe(
        before,
      );
    });

    it('still ingests an upload queued by an older version with its bytes in the database', async () => {
      const { rows } = await app.db.query<{ id: string }>(
        `INSERT INTO uploads (tenant_id, file_name, media_type, content) VALUES ('default', 'legacy.md', 'text/markdown', $1) RETURNING id`,
        [new TextEncoder().encode('# Legacy\n\nQueued before blobs existed.')],
      );
      const job = await app.ingestion.submit('default', {
        sources: [{ kind: 'upload', uploadId: rows[0]!.id, fileName: 'legacy.md' }],
      });
      expect((await waitForJob(http, job.id)).items.map((item) => item.status)).toEqual(['done']);
    });

    it('collects uploads nothing needs, and orphaned blobs, but keeps originals of documents and of queued jobs', async () => {
      const send = async (name: string) => {
        const response = await http.request('/v1/documents', {
          method: 'POST',
          body: form([{ name, content: `# ${name}\n\nText of ${name}.`, type: 'text/markdown' }]),
        });
        const { job } = (await response.json()) as { job: { id: string } };
        await waitForJob(http, job.id);
        const { rows } = await app.db.query<{ id: number; key: string }>(
          `SELECT d.id, u.blob_key AS key FROM documents d JOIN uploads u ON starts_with(d.origin_uri, 'upload://' || u.id::text || '/') WHERE u.file_name = $1`,
          [name],
        );
        return rows[0]!;
      };
      const kept = await send('kept.md');
      const dropped = await send('dropped.md');
      expect((await http.request(`/v1/documents/${dropped.id}`, { method: 'DELETE' })).status).toBe(204);
      // A queued job's upload is kept even past the grace period: the worker has not read it yet.
      await app.ingestion.stop();
      const waiting = await http.request('/v1/documents', {
        method: 'POST',
        body: form([
          { name: 'waiting.md', content: '# Waiting\n\nNot ingested yet.', type: 'text/markdown' },
        ]),
      });
      expect(waiting.status).toBe(202);
      const orphan = path.join(await app.uploads.blobs.stagingDir(), 'orphan');
      await import('node:fs/promises').then((fs) => fs.writeFile(orphan, 'orphan'));
      await app.uploads.blobs.putFile('uploads/00000000-0000-4000-8000-000000000000', orphan);

      const removed = await app.uploads.collectGarbage({ graceMs: 0, now: new Date(Date.now() + 1000) });
      expect(removed).toBe(2);
      expect(await app.uploads.blobs.get(dropped.key)).toBeUndefined();
      expect(await app.uploads.blobs.get('uploads/00000000-0000-4000-8000-000000000000')).toBeUndefined();
      expect(await app.uploads.blobs.get(kept.key)).toBeDefined();
      const { rows } = await app.db.query<{ name: string }>(
        'SELECT file_name AS name FROM uploads ORDER BY 1',
      );
      expect(rows.map((row) => row.name)).toEqual(expect.arrayContaining(['kept.md', 'waiting.md']));
      expect(rows.map((row) => row.name)).not.toContain('dropped.md');
      expect((await http.request(`/v1/documents/${kept.id}/original`)).status).toBe(200);
      app.ingestion.start(20);
    });

    it('has no original for documents read from a path, and none across tenants', async () => {
      const job = await app.ingestion.submit(
        'default',
        {
          sources: [
            {
              kind: 'path',
              path: path.resolve(import.meta.dirname, '../../apps/support/knowledge/policies'),
            },
          ],
        },
        { trusted: true },
      );
      await waitForJob(http, job.id);
      const { rows } = await app.db.query<{ id: number }>(
        `SELECT id FROM documents WHERE origin_uri LIKE '/%' LIMIT 1`,
      );
      expect(await errorOf(await http.request(`/v1/documents/${rows[0]!.id}/original`))).toEqual({
        status: 400,
        code: 'original_not_kept',
      });
      expect((await http.request('/v1/documents/999999/original')).status).toBe(404);
    });
  });
}

const moto = motoServerBinary();
describe.runIf(moto)('uploads in an S3-compatible bucket', () => {
  let server: S3TestServer;
  let app: Groundwork;
  const saved = { ...process.env };
  beforeAll(async () => {
    server = await startS3TestServer(moto as string);
    process.env.AWS_ACCESS_KEY_ID = server.credentials.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = server.credentials.secretAccessKey;
    app = await createGroundwork(
      loadConfig({
        dataDir: 'memory://',
        blobStore: `s3://${server.bucket}/groundwork?region=${server.region}&endpoint=${encodeURIComponent(server.endpoint)}`,
      }),
    );
    app.ingestion.start(20);
  }, 60_000);
  afterAll(async () => {
    process.env = saved;
    await app?.close();
    await server?.close();
  });

  it('stores, ingests and serves back an upload through the bucket', async () => {
    const http = createHttpApp(app);
    const response = await http.request('/v1/documents', {
      method: 'POST',
      body: form([
        { name: 'router.md', content: '# Router\n\nHold reset for ten seconds.', type: 'text/markdown' },
      ]),
    });
    const { job } = (await response.json()) as { job: { id: string } };
    expect((await waitForJob(http, job.id)).items.map((item) => item.status)).toEqual(['done']);
    expect(app.uploads.blobs.location).toBe(`s3://${server.bucket}/groundwork/`);
    const { rows } = await app.db.query<{ id: number }>('SELECT id FROM documents');
    const original = await http.request(`/v1/documents/${rows[0]!.id}/original`);
    expect(await original.text()).toBe('# Router\n\nHold reset for ten seconds.');
  });
});
