import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroundwork, type Groundwork } from '../app.ts';
import { type ConfigInput, loadConfig } from '../config/config.ts';
import { createHttpApp } from '../server/app.ts';
import { testBackends } from '../testing/databases.ts';

// Text that must never become a document: it stands for /etc/shadow, a session secret, an internal page.
const SECRET = 'zebrasecret7731';

interface Started {
  readonly app: Groundwork;
  readonly http: ReturnType<typeof createHttpApp>;
  readonly base: string;
  readonly allowed: string;
  close(): Promise<void>;
}

/** A fresh install (auth `auto`, no keys: every caller is an anonymous admin) with one allowed root. */
async function start(
  db: Awaited<ReturnType<ReturnType<typeof testBackends>[number]['open']>>,
  extra: ConfigInput = {},
) {
  const base = await mkdtemp(path.join(tmpdir(), 'gw-trust-'));
  const allowed = path.join(base, 'allowed');
  await mkdir(path.join(allowed, 'docs'), { recursive: true });
  await writeFile(
    path.join(allowed, 'docs', 'ok.md'),
    '# Returns\n\nThermostats can be returned within 30 days.',
  );
  await mkdir(path.join(base, 'outside'));
  await writeFile(path.join(base, 'outside', 'secret.md'), `# Outside\n\nThe password is ${SECRET}.`);
  await mkdir(path.join(base, 'far', 'a', 'b', 'c'), { recursive: true });
  await writeFile(path.join(base, 'far', 'a', 'secret.md'), `# Far\n\nThe key is ${SECRET}.`);
  await symlink(path.join(base, 'far', 'a', 'b', 'c'), path.join(allowed, 'deeplink'));
  await symlink(path.join(base, 'outside'), path.join(allowed, 'outlink'));
  // The data and models directories sit inside the allowed root: they must still be off limits.
  await mkdir(path.join(allowed, 'gwdata'));
  await writeFile(path.join(allowed, 'gwdata', 'notes.md'), `# Notes\n\nInternal ${SECRET}.`);
  await mkdir(path.join(allowed, 'models'));
  await writeFile(path.join(allowed, 'models', 'model-card.md'), `# Model\n\nLicence key ${SECRET}.`);
  const app = await createGroundwork(
    loadConfig(
      {
        dataDir: path.join(allowed, 'gwdata'),
        modelsDir: path.join(allowed, 'models'),
        allowedRoots: [allowed],
        embedder: 'none',
        limits: { fetchTimeoutMs: 2000 },
        ...extra,
        // Outcomes are read after one pass: a failed fetch is final, not retried (ADR 0034).
        ingest: { maxItemAttempts: 1, ...extra.ingest },
      },
      {},
      base,
    ),
    { db },
  );
  const started: Started = {
    app,
    http: createHttpApp(app),
    base,
    allowed,
    close: async () => {
      await app.close();
      await db.close();
      await rm(base, { recursive: true, force: true });
    },
  };
  return started;
}

/** What `POST /v1/ingest` answers: a queued job, or an error. */
interface ApiBody {
  readonly job: { readonly id: string };
  readonly error: { readonly code: string; readonly message: string };
}

async function post(world: Started, sources: unknown[]) {
  const response = await world.http.request('/v1/ingest', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sources }),
  });
  return { status: response.status, body: (await response.json()) as ApiBody };
}

/** Runs queued jobs and returns the items of `jobId` as the API shows them. */
async function itemsOf(world: Started, jobId: string) {
  await world.app.ingestion.drain();
  const response = await world.http.request(`/v1/jobs/${jobId}`);
  const body = (await response.json()) as {
    items: { uri: string; status: string; code: string; reason: string }[];
  };
  return body.items;
}

async function storedSecret(world: Started): Promise<number> {
  const { rows } = await world.app.db.query<{ count: string }>(
    `SELECT count(*)::text AS count FROM chunks WHERE text ILIKE '%' || $1 || '%'`,
    [SECRET],
  );
  return Number(rows[0]?.count);
}

/** A server that stands for an internal service: it must never be asked for anything. */
async function internalServer(): Promise<{ server: Server; port: number; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((request, response) => {
    hits.push(request.url ?? '');
    response.setHeader('content-type', 'text/html');
    response.end(`<html><body><h1>Admin</h1><p>Internal token ${SECRET}</p></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, hits };
}

const LEAKY_REASON = /ECONN|EHOST|ENOTFOUND|ETIMEDOUT|127\.0\.0\.1|::1|localhost|:\d{2,5}\b|169\.254/i;

for (const backend of testBackends()) {
  describe(`what an API caller may make the server read, on ${backend.name}`, () => {
    let world: Started;
    let internal: Awaited<ReturnType<typeof internalServer>>;

    beforeAll(async () => {
      world = await start(await backend.open());
      internal = await internalServer();
    });
    afterAll(async () => {
      internal?.server.close();
      await world?.close();
    });

    it('walks an allowed root without following links out or entering the data and models directories', async () => {
      const { status, body } = await post(world, [{ kind: 'path', path: world.allowed }]);
      expect(status).toBe(202);
      const items = await itemsOf(world, body.job.id);
      expect(items.map((item) => path.relative(world.allowed, item.uri))).toEqual([
        path.join('docs', 'ok.md'),
      ]);
      expect(await storedSecret(world)).toBe(0);
    });

    it('refuses every path trick with 400 before anything is queued or read', async () => {
      const { allowed, base } = world;
      const tricks = [
        '/proc/self/root/../etc/passwd',
        `/proc/self/root${allowed}/../outside/secret.md`,
        `/proc/self/cwd/../../etc/hostname`,
        '/proc/self/environ',
        '/etc/passwd',
        `${allowed}/deeplink/../../secret.md`,
        `${allowed}/deeplink/../../../a/secret.md`,
        `${allowed}/outlink/secret.md`,
        `${allowed}/outlink`,
        `${allowed}/../outside/secret.md`,
        `${allowed}/missing-dir/../../outside/secret.md`,
        `${allowed}/docs/ok.md/../../../outside/secret.md`,
        `${allowed}/gwdata/session-secret`,
        `${allowed}/gwdata/notes.md`,
        `${allowed}/gwdata`,
        `${allowed}/gwdata/../gwdata/./notes.md`,
        `${allowed}/models/model-card.md`,
        `${allowed}/models`,
        `${allowed}//gwdata//session-secret`,
        `/nonexistent-groundwork-dir/secret.md`,
        `${base}/outside/missing.md`,
        'docs/ok.md',
        '../../../../etc/passwd',
        '.',
        `${allowed}/docs/ok.md\u0000.txt`,
        `${allowed}/docs/missing-dir/missing.md`,
      ];
      for (const trick of tricks) {
        const { status, body } = await post(world, [{ kind: 'path', path: trick }]);
        expect([trick, status]).toEqual([trick, 400]);
        // A NUL is refused at the edge for every field (invalid_text, ADR 0029) before the path check.
        expect(['path_not_allowed', 'invalid_request', 'invalid_text']).toContain(body.error.code);
        expect(JSON.stringify(body)).not.toContain(SECRET);
      }
      // The same answer whether or not the path exists outside the roots: no existence oracle.
      const existing = await post(world, [{ kind: 'path', path: '/etc/passwd' }]);
      const missing = await post(world, [{ kind: 'path', path: '/etc/no-such-file-here' }]);
      expect(missing.body.error).toEqual(existing.body.error);
      const jobs = (await (await world.http.request('/v1/jobs')).json()) as { jobs: unknown[] };
      expect(jobs.jobs).toHaveLength(1);
      expect(await storedSecret(world)).toBe(0);
    });

    it('refuses NUL characters anywhere in a request with 400, not a failed insert', async () => {
      const url = { kind: 'url', url: 'http://example.com/a' };
      for (const body of [
        { sources: [{ kind: 'url', url: 'http://example.com/\u0000' }] },
        { sources: [url], acl: ['group:\u0000'] },
        { sources: [url], metadata: { 'k\u0000': 'v' } },
        { sources: [url], metadata: { k: ['\u0000'] } },
      ]) {
        const response = await world.http.request('/v1/ingest', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        expect([JSON.stringify(body), response.status]).toEqual([JSON.stringify(body), 400]);
      }
    });

    it('accepts a missing file whose folder lies inside a root, as a per-item failure', async () => {
      const { status, body } = await post(world, [{ kind: 'path', path: `${world.allowed}/docs/later.md` }]);
      expect(status).toBe(202);
      const [item] = await itemsOf(world, body.job.id);
      expect(item).toMatchObject({ status: 'failed', code: 'not_found' });
    });

    it('refuses URL schemes other than http and https with 400', async () => {
      for (const url of [
        'file:///etc/passwd',
        'FILE:///etc/passwd',
        'x:/../../etc/passwd',
        'ftp://example.com/a.txt',
        'gopher://127.0.0.1:70/_x',
        'data:text/plain,hello',
        'javascript:alert(1)',
        'dict://127.0.0.1:11211/stat',
        'ws://example.com/',
        'upload://00000000-0000-0000-0000-000000000000/x.md',
      ]) {
        const { status } = await post(world, [{ kind: 'url', url }]);
        expect([url, status]).toEqual([url, 400]);
      }
    });

    it('never fetches loopback in any spelling: 400, or a failed item with a generic reason', async () => {
      const port = internal.port;
      const urls = [
        `http://127.0.0.1:${port}/a`,
        `http://localhost:${port}/b`,
        `http://LOCALHOST.:${port}/c`,
        `http://0x7f000001:${port}/d`,
        `http://2130706433:${port}/e`,
        `http://0177.0.0.1:${port}/f`,
        `http://127.1:${port}/g`,
        `http://127.000.000.001:${port}/h`,
        `http://[::ffff:127.0.0.1]:${port}/i`,
        `http://[::ffff:7f00:1]:${port}/j`,
        `http://0.0.0.0:${port}/k`,
        `http://0:${port}/l`,
        `http://[::]:${port}/m`,
        `http://[::1]:${port}/n`,
        `http://user:pass@127.0.0.1:${port}/o`,
        `http://127.0.0.1%2e:${port}/p`,
        `http://sub.localhost:${port}/q`,
        `http://169.254.169.254/latest/meta-data/`,
        `http://[::ffff:a9fe:a9fe]/latest/meta-data/`,
        `http://[64:ff9b::7f00:1]:${port}/r`,
      ];
      for (const url of urls) {
        const { status, body } = await post(world, [{ kind: 'url', url }]);
        if (status === 400) {
          expect([url, body.error.code]).toEqual([url, 'url_not_allowed']);
          continue;
        }
        expect([url, status]).toEqual([url, 202]);
        const [item] = await itemsOf(world, body.job.id);
        expect([url, item?.status]).toEqual([url, 'failed']);
        expect(['url_not_allowed', 'fetch_failed']).toContain(item?.code);
        expect([url, item?.reason]).not.toEqual([url, expect.stringMatching(LEAKY_REASON)]);
      }
      expect(internal.hits).toEqual([]);
      expect(await storedSecret(world)).toBe(0);
    });

    it('fails a stored item of no known form instead of reading it as a path', async () => {
      // A job queued by an older version (or a hand-edited row) whose items were expanded already.
      const { insertJob, insertItems } = await import('../store/jobs.ts');
      const jobId = await insertJob(world.app.db, 'default', {
        sources: [{ kind: 'url', url: 'http://example.com/' }],
      });
      await insertItems(world.app.db, jobId, ['x:/../../etc/passwd', 'etc/passwd', 'file:///etc/passwd']);
      const items = await itemsOf(world, jobId);
      expect(items.map((item) => [item.status, item.code])).toEqual([
        ['failed', 'invalid_item'],
        ['failed', 'invalid_item'],
        ['failed', 'invalid_item'],
      ]);
    });

    it('fails a file swapped for a link between the request and the read', async () => {
      const race = path.join(world.allowed, 'race');
      await mkdir(race);
      await writeFile(path.join(race, 'doc.md'), '# Doc\n\nHarmless.');
      const first = await post(world, [{ kind: 'path', path: path.join(race, 'doc.md') }]);
      expect(first.status).toBe(202);
      await rm(path.join(race, 'doc.md'));
      await symlink(path.join(world.base, 'outside', 'secret.md'), path.join(race, 'doc.md'));
      const [swappedFile] = await itemsOf(world, first.body.job.id);
      expect(swappedFile).toMatchObject({ status: 'failed', code: 'path_changed' });

      // The folder above the file is swapped for a link to a folder holding a file of the same name.
      const folder = path.join(world.allowed, 'race-folder');
      await mkdir(folder);
      await writeFile(path.join(folder, 'secret.md'), '# Doc\n\nHarmless.');
      const second = await post(world, [{ kind: 'path', path: path.join(folder, 'secret.md') }]);
      expect(second.status).toBe(202);
      await rename(folder, `${folder}-old`);
      await symlink(path.join(world.base, 'outside'), folder);
      const [swappedFolder] = await itemsOf(world, second.body.job.id);
      expect(swappedFolder).toMatchObject({ status: 'failed', code: 'path_changed' });

      // A folder swapped before the walk: nothing outside is listed, let alone read.
      const walked = path.join(world.allowed, 'race-walk');
      await mkdir(walked);
      await writeFile(path.join(walked, 'a.md'), '# A\n\nHarmless.');
      const third = await post(world, [{ kind: 'path', path: walked }]);
      await rename(walked, `${walked}-old`);
      await symlink(path.join(world.base, 'outside'), walked);
      const items = await itemsOf(world, third.body.job.id);
      expect(items.map((item) => path.basename(item.uri))).not.toContain('secret.md');
      expect(items.every((item) => item.status === 'failed')).toBe(true);
      expect(await storedSecret(world)).toBe(0);
    });
  });

  describe(`URL allow-list and redirects, on ${backend.name}`, () => {
    let world: Started;
    let internal: Awaited<ReturnType<typeof internalServer>>;
    let front: Server;
    let frontUrl: string;

    beforeAll(async () => {
      // The admin allows the name `localhost` (say, an intranet wiki); no address is allowed by itself.
      world = await start(await backend.open(), {
        ingest: { allowedUrlHosts: ['localhost'] },
      } as ConfigInput);
      internal = await internalServer();
      const target = `127.0.0.1:${internal.port}`;
      const redirects: Record<string, string> = {
        '/to-ip': `http://${target}/secret`,
        '/to-hex': `http://0x7f000001:${internal.port}/secret`,
        '/to-mapped': `http://[::ffff:7f00:1]:${internal.port}/secret`,
        '/to-metadata': 'http://169.254.169.254/latest/meta-data/',
        '/to-file': 'file:///etc/passwd',
        '/to-relative-ip': `//${target}/secret`,
        '/loop': '/loop',
      };
      front = createServer((request, response) => {
        const location = redirects[request.url ?? ''];
        if (location) {
          response.statusCode = request.url === '/to-hex' ? 307 : 302;
          response.setHeader('location', location);
          response.end();
        } else if (request.url === '/ok') {
          response.setHeader('content-type', 'text/html');
          response.end('<html><body><h1>Wiki</h1><p>Warranty lasts two years.</p></body></html>');
        } else if (request.url === '/to-ok') {
          response.statusCode = 301;
          response.setHeader('location', '/ok');
          response.end();
        } else {
          response.statusCode = 404;
          response.end();
        }
      });
      await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
      frontUrl = `http://localhost:${(front.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      front?.close();
      internal?.server.close();
      await world?.close();
    });

    it('fetches an allowed host and follows its redirects within it', async () => {
      const { status, body } = await post(world, [
        { kind: 'url', url: `${frontUrl}/ok` },
        { kind: 'url', url: `${frontUrl}/to-ok` },
      ]);
      expect(status).toBe(202);
      const items = await itemsOf(world, body.job.id);
      expect(items.map((item) => item.status)).toEqual(['done', 'done']);
    });

    it('refuses every redirect hop to a disallowed address, with a generic reason', async () => {
      for (const route of [
        '/to-ip',
        '/to-hex',
        '/to-mapped',
        '/to-metadata',
        '/to-file',
        '/to-relative-ip',
      ]) {
        const { status, body } = await post(world, [{ kind: 'url', url: `${frontUrl}${route}` }]);
        expect(status).toBe(202);
        const [item] = await itemsOf(world, body.job.id);
        expect([route, item?.status, item?.code]).toEqual([route, 'failed', 'url_not_allowed']);
        expect(item?.reason).not.toMatch(LEAKY_REASON);
      }
      const loop = await post(world, [{ kind: 'url', url: `${frontUrl}/loop` }]);
      const [looped] = await itemsOf(world, loop.body.job.id);
      expect(looped).toMatchObject({ status: 'failed', code: 'fetch_failed' });
      expect(internal.hits).toEqual([]);
      expect(await storedSecret(world)).toBe(0);
    });

    it('reports a refused connection without echoing the error, address or port, which go to the trace', async () => {
      const { body } = await post(world, [{ kind: 'url', url: 'http://localhost:1/x' }]);
      const [item] = await itemsOf(world, body.job.id);
      expect(item).toMatchObject({ status: 'failed', code: 'fetch_failed' });
      expect(item?.reason).not.toMatch(LEAKY_REASON);
      // The cause is kept for operators, on the item's span in the trace.
      await world.app.observability.flush();
      const { rows } = await world.app.db.query<{ events: string }>(
        `SELECT events::text AS events FROM trace_spans WHERE name = 'ingest.file' AND events::text LIKE '%fetch_detail%'`,
      );
      expect(rows.map((row) => row.events).join('\n')).toMatch(/ECONNREFUSED/);
    });
  });
}
