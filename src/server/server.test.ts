import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroundwork, type Groundwork } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import { testBackends } from '../testing/databases.ts';
import { createHttpApp } from './app.ts';

type Http = ReturnType<typeof createHttpApp>;

const json = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

async function waitForJob(http: Http, id: string) {
  for (let attempt = 0; attempt < 200; attempt++) {
    const response = await http.request(`/v1/jobs/${id}`);
    const body = (await response.json()) as {
      job: { status: string };
      items: { status: string; code: string | null }[];
    };
    if (['done', 'failed', 'cancelled'].includes(body.job.status)) return body;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('job did not finish');
}

async function upload(
  http: Http,
  files: { name: string; content: string | Uint8Array; type?: string }[],
  acl?: string,
) {
  const form = new FormData();
  for (const file of files)
    form.append('file', new File([file.content], file.name, { type: file.type ?? 'text/markdown' }));
  if (acl) form.append('acl', acl);
  return http.request('/v1/documents', { method: 'POST', body: form });
}

for (const backend of testBackends()) {
  describe(`HTTP API on ${backend.name}`, () => {
    let app: Groundwork;
    let http: Http;

    beforeAll(async () => {
      const db = await backend.open();
      app = await createGroundwork(
        loadConfig({ dataDir: 'memory://', limits: { maxFileBytes: 64 * 1024 } }),
        { db },
      );
      app.ingestion.start(50);
      http = createHttpApp(app);
    });
    afterAll(async () => {
      await app?.close();
      await app?.db.close();
    });

    it('answers liveness and readiness', async () => {
      expect((await http.request('/healthz')).status).toBe(200);
      expect(await (await http.request('/readyz')).json()).toMatchObject({ status: 'ready' });
    });

    it('uploads files, ingests them in the background, searches, lists and deletes', async () => {
      const response = await upload(http, [
        {
          name: 'returns.md',
          content: '# Returns\n\nThermostats can be returned within 30 days of delivery.',
        },
        {
          name: 'junk.bin',
          content: new Uint8Array([0, 1, 2, 3, 255, 254, 0, 0, 9]),
          type: 'application/octet-stream',
        },
      ]);
      expect(response.status).toBe(202);
      const { job } = (await response.json()) as { job: { id: string } };
      const finished = await waitForJob(http, job.id);
      expect(finished.items.map((item) => `${item.status}:${item.code ?? ''}`).sort()).toEqual([
        'done:',
        'failed:unsupported_type',
      ]);
      const search = await http.request('/v1/search', json({ query: 'return a thermostat', limit: 3 }));
      expect(search.status).toBe(200);
      const result = (await search.json()) as {
        mode: string;
        chunks: { documentId: number; title: string; snippet: string }[];
      };
      expect(result.mode).toBe('lexical');
      expect(result.chunks[0]?.title).toBe('Returns');
      const id = result.chunks[0]!.documentId;
      const list = (await (await http.request('/v1/documents')).json()) as { documents: { id: number }[] };
      expect(list.documents.map((document) => document.id)).toContain(id);
      const one = (await (await http.request(`/v1/documents/${id}`)).json()) as {
        chunks: { text: string }[];
      };
      expect(one.chunks[0]?.text).toContain('30 days');
      expect((await http.request(`/v1/documents/${id}`, { method: 'DELETE' })).status).toBe(204);
      expect((await http.request(`/v1/documents/${id}`)).status).toBe(404);
      const after = (await (
        await http.request('/v1/search', json({ query: 'return a thermostat' }))
      ).json()) as { chunks: unknown[] };
      expect(after.chunks).toEqual([]);
    });

    it('never shows anonymous callers documents restricted to a group', async () => {
      const response = await upload(
        http,
        [{ name: 'staff.md', content: '# Staff only\n\nThe discount code for staff is ORCHID.' }],
        'group:staff',
      );
      const { job } = (await response.json()) as { job: { id: string } };
      await waitForJob(http, job.id);
      const result = (await (
        await http.request('/v1/search', json({ query: 'staff discount code' }))
      ).json()) as { chunks: unknown[] };
      expect(result.chunks).toEqual([]);
      const { rows } = await app.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM documents WHERE title = 'Staff only'`,
      );
      expect(rows[0]!.n).toBe(1);
    });

    it('streams job progress as server-sent events until the job ends', async () => {
      const response = await upload(http, [
        { name: 'wifi.md', content: '# Wi-Fi\n\nMove the satellite closer.' },
      ]);
      const { job } = (await response.json()) as { job: { id: string } };
      const events = await http.request(`/v1/jobs/${job.id}/events`);
      expect(events.headers.get('content-type')).toContain('text/event-stream');
      const text = await events.text();
      expect(text).toContain('event: job-progress');
      expect(text).toContain('event: job-end');
    });

    it('rejects bad input with 4xx, a stable code and no stack trace', async () => {
      const cases: [RequestInit, number, string][] = [
        [json({ query: '   ' }), 400, 'invalid_request'],
        [json({ query: 42 }), 400, 'invalid_request'],
        [json({ query: 'x', unknown: true }), 400, 'invalid_request'],
        [json({ query: 'x', limit: 0 }), 400, 'invalid_request'],
        [json('{"query": '), 400, 'invalid_json'],
        [
          { method: 'POST', body: 'query=x', headers: { 'content-type': 'text/plain' } },
          415,
          'unsupported_media_type',
        ],
        [json({ query: 'x'.repeat(5000) }), 400, 'invalid_request'],
        [json({ query: 'x', mode: 'vector' }), 400, 'vector_search_unavailable'],
        [json({ query: 'y'.repeat(2 * 1024 * 1024) }), 413, 'payload_too_large'],
      ];
      for (const [init, status, code] of cases) {
        const response = await http.request('/v1/search', init);
        const body = (await response.json()) as { error: { code: string; message: string } };
        expect({ status: response.status, code: body.error.code }).toEqual({ status, code });
        expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
      }
      const outside = await http.request('/v1/ingest', json({ sources: [{ kind: 'path', path: '/etc' }] }));
      expect(outside.status).toBe(400);
      expect(((await outside.json()) as { error: { code: string } }).error.code).toBe('path_not_allowed');
      expect((await http.request('/v1/jobs/00000000-0000-0000-0000-000000000000')).status).toBe(404);
      expect((await http.request('/v1/jobs/not-a-uuid')).status).toBe(404);
      expect((await http.request('/v1/documents/abc')).status).toBe(404);
      expect((await http.request('/v1/nope')).status).toBe(404);
      const tooBig = await upload(http, [
        { name: 'big.txt', content: 'a'.repeat(70 * 1024), type: 'text/plain' },
      ]);
      expect(tooBig.status).toBe(413);
      expect(((await tooBig.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    });
  });
}
