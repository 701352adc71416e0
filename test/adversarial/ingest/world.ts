/**
 * @module test/adversarial/ingest/world
 * The world the ingestion tricks run in: a fresh install (auth `auto`, no keys, so every caller is an
 * anonymous admin) over a real database, one allowed root that also holds the data and models
 * directories, links pointing out of it and into the protected folders, an internal HTTP service on
 * loopback that must never be asked anything, and an allow-listed internal site (127.0.0.2) that
 * redirects wherever a case tells it to.
 */
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createGroundwork, type Groundwork } from '../../../src/app.ts';
import { loadConfig } from '../../../src/config/config.ts';
import { createHttpApp } from '../../../src/server/app.ts';
import type { TestBackend } from '../../../src/testing/databases.ts';

/** Text that must never reach a document, a response or a job report. */
export const INGEST_SECRET = 'quokkasecret4419';

/** The running world. */
export interface IngestWorld {
  readonly app: Groundwork;
  readonly http: ReturnType<typeof createHttpApp>;
  /** Values substituted for `{name}` in the cases. */
  readonly placeholders: Readonly<Record<string, string>>;
  /** Requests the internal service received (must stay empty). */
  readonly internalHits: readonly string[];
  /** Whether the allow-listed site could listen on 127.0.0.2 (not on every OS). */
  readonly hasFront: boolean;
  close(): Promise<void>;
}

/** Builds the world on `backend`. */
export async function openIngestWorld(backend: TestBackend): Promise<IngestWorld> {
  const base = await realpath(await mkdtemp(path.join(tmpdir(), 'gw-adv-ingest-')));
  const allowed = path.join(base, 'allowed');
  const secretText = `# Secret\n\nThe secret is ${INGEST_SECRET}.`;
  await mkdir(path.join(allowed, 'docs'), { recursive: true });
  await writeFile(
    path.join(allowed, 'docs', 'ok.md'),
    '# Returns\n\nThermostats can be returned within 30 days.',
  );
  await mkdir(path.join(base, 'outside'));
  await writeFile(path.join(base, 'outside', 'secret.md'), secretText);
  await mkdir(path.join(base, 'far', 'a', 'b', 'c'), { recursive: true });
  await writeFile(path.join(base, 'far', 'a', 'secret.md'), secretText);
  await writeFile(path.join(allowed, '.env'), `OPENAI_API_KEY=${INGEST_SECRET}`);
  await mkdir(path.join(allowed, 'docs', '.git'));
  await writeFile(path.join(allowed, 'docs', '.git', 'config.md'), secretText);
  await mkdir(path.join(allowed, 'gwdata'));
  await writeFile(path.join(allowed, 'gwdata', 'notes.md'), secretText);
  await mkdir(path.join(allowed, 'models'));
  await writeFile(path.join(allowed, 'models', 'card.md'), secretText);
  await symlink(path.join(base, 'far', 'a', 'b', 'c'), path.join(allowed, 'deeplink'));
  await symlink(path.join(base, 'outside'), path.join(allowed, 'outlink'));
  await symlink(path.join(allowed, 'gwdata'), path.join(allowed, 'datalink'));
  await symlink(path.join(allowed, 'models'), path.join(allowed, 'modelslink'));
  await symlink(path.join(base, 'outside', 'secret.md'), path.join(allowed, 'secret-link.md'));
  await symlink(path.join(allowed, 'loop'), path.join(allowed, 'loop'));

  const internalHits: string[] = [];
  const internal = await listen('127.0.0.1', 0, (url, response) => {
    internalHits.push(url);
    response.end(`<html><body><p>Internal token ${INGEST_SECRET}</p></body></html>`);
  });
  const internalPort = (internal.address() as AddressInfo).port;
  const front = await listen('127.0.0.2', 0, (url, response) => {
    const query = new URL(url, 'http://front').searchParams;
    if (url.startsWith('/r?')) {
      response.statusCode = Number(query.get('status') ?? 302);
      response.setHeader('location', query.get('to') ?? '/');
    } else if (url === '/meta-refresh') {
      response.setHeader('content-type', 'text/html');
      response.write(
        `<html><head><meta http-equiv="refresh" content="0;url=http://127.0.0.1:${internalPort}/">`,
      );
      response.write('</head><body><h1>Moved</h1><p>The warranty page has moved.</p></body></html>');
    } else if (url === '/ok') {
      response.setHeader('content-type', 'text/html');
      response.write('<html><body><h1>Warranty</h1><p>Warranty lasts two years.</p></body></html>');
    } else response.statusCode = 404;
    response.end();
  }).catch(() => undefined);
  const frontHost = front ? `127.0.0.2:${(front.address() as AddressInfo).port}` : '127.0.0.2:9';

  const db = await backend.open();
  const app = await createGroundwork(
    loadConfig(
      {
        dataDir: path.join(allowed, 'gwdata'),
        modelsDir: path.join(allowed, 'models'),
        allowedRoots: [allowed],
        embedder: 'none',
        limits: { fetchTimeoutMs: 3000 },
        // Each case's outcome is read after one pass: a failed fetch is final, not retried (ADR 0034).
        ingest: { allowedUrlHosts: ['127.0.0.2'], maxItemAttempts: 1 },
      },
      {},
      base,
    ),
    { db },
  );
  return {
    app,
    http: createHttpApp(app),
    placeholders: { allowed, base, port: String(internalPort), front: frontHost },
    internalHits,
    hasFront: front !== undefined,
    close: async () => {
      for (const server of [internal, front]) {
        server?.closeAllConnections();
        server?.close();
      }
      await app.close();
      await db.close();
      await rm(base, { recursive: true, force: true });
    },
  };
}

async function listen(
  host: string,
  port: number,
  handle: (url: string, response: import('node:http').ServerResponse) => void,
): Promise<Server> {
  const server = createServer((request, response) => handle(request.url ?? '/', response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return server;
}
