/**
 * An engine that is down, slow, failing or answering in part: every search is a 503
 * `search_engine_unavailable` with `Retry-After` at the HTTP edge, never a hung request and never a
 * partial top k. The engines here are small local HTTP servers that misbehave on purpose (no real
 * engine is needed); the store is embedded PGlite.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GroundworkError, SearchEngineUnavailableError } from '../../errors.ts';
import { handleError } from '../../server/http-error.ts';
import type { Database } from '../../store/database.ts';
import { ensureTenant, replaceDocument } from '../../store/documents.ts';
import { openDatabase } from '../../store/open.ts';
import { createAnalyzer } from '../lexical/analyzer.ts';
import { Retriever } from '../retriever.ts';
import { SearchEngineClient } from './client.ts';
import { SearchEngineBackend, SearchEngineLexicalEngine, SearchEngineVectorEngine } from './engine.ts';
import { createRetrievalBackends } from './factory.ts';
import { IndexLayout } from './layout.ts';

const SETTINGS = {
  k1: 0.9,
  b: 0.4,
  rrfK: 60,
  lexicalWeight: 1,
  vectorWeight: 1,
  candidates: 100,
  hnswEfSearch: 100,
};
const analyzer = createAnalyzer();

type Behaviour = 'hang' | 'error' | 'timed-out' | 'failed-shard';

/** A fake engine: syncs succeed (so the search reaches it), searches misbehave as told. */
function fakeEngine(behaviour: () => Behaviour): Promise<Server> {
  const state = new Map<string, unknown>();
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (part) => {
      body += part;
    });
    request.on('end', () => {
      const url = request.url ?? '';
      const send = (status: number, value: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(value));
      };
      if (url.includes('/_search')) {
        const mode = behaviour();
        if (mode === 'hang') return; // never answers
        if (mode === 'error') return send(500, { error: 'boom' });
        const hits = { hits: [{ _id: '1', _index: 'x', _score: 1 }] };
        if (mode === 'timed-out')
          return send(200, { timed_out: true, _shards: { total: 1, successful: 1, failed: 0 }, hits });
        return send(200, { timed_out: false, _shards: { total: 2, successful: 1, failed: 1 }, hits });
      }
      if (request.method === 'GET' && url.includes('/_doc/')) {
        const value = state.get(url.split('?')[0]!);
        return value === undefined ? send(404, { found: false }) : send(200, value);
      }
      if (request.method === 'PUT' && (url.includes('/_doc/') || url.includes('/_create/'))) {
        const key = url.split('?')[0]!.replace('/_create/', '/_doc/');
        state.set(key, { _seq_no: 1, _primary_term: 1, _source: JSON.parse(body) });
        return send(200, { _seq_no: 1, _primary_term: 1 });
      }
      if (url.startsWith('/_bulk')) return send(200, { errors: false, items: [] });
      return send(200, { acknowledged: true });
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('search engine outages', () => {
  let db: Database;
  let behaviour: Behaviour = 'hang';
  let engine: Server;

  beforeAll(async () => {
    db = await openDatabase({ dataDir: 'memory://' });
    await ensureTenant(db, 't');
    const { frequencies, length } = analyzer.termFrequencies('router reset light');
    await replaceDocument(db, {
      tenantId: 't',
      uri: 'a',
      originUri: 'a',
      mediaType: 'text/plain',
      contentHash: 'a',
      pipelineHash: 'p',
      metadata: {},
      acl: ['*'],
      chunks: [
        {
          ordinal: 0,
          text: 'router reset light',
          headingPath: [],
          tokenCount: length,
          termFrequencies: frequencies,
          lexicalLength: length,
        },
      ],
    });
    engine = await fakeEngine(() => behaviour);
  }, 180_000);
  afterAll(async () => {
    engine?.closeAllConnections();
    engine?.close();
    await db?.close();
  });

  // Built from its parts: the factory refuses embedded PGlite (ADR 0044), which is all this needs.
  const retrieverFor = (url: string) => {
    const backend = new SearchEngineBackend(
      { capabilities: db.capabilities, ...db.read },
      new SearchEngineClient({ url, timeoutMs: 300 }),
      new IndexLayout({ prefix: 'outage', k1: SETTINGS.k1, b: SETTINGS.b }),
      SETTINGS,
    );
    return new Retriever({
      db,
      analyzer,
      settings: SETTINGS,
      lexical: new SearchEngineLexicalEngine(backend),
      vector: new SearchEngineVectorEngine(backend),
    });
  };

  it('is refused on embedded PGlite: GROUNDWORK_SEARCH_URL needs a Postgres server', () => {
    expect(() => createRetrievalBackends(db, { ...SETTINGS, searchUrl: 'http://127.0.0.1:1' })).toThrow(
      /needs a Postgres server/,
    );
  });

  const expectUnavailable = async (retriever: Retriever) => {
    const error = await retriever.search({ tenantId: 't', text: 'router', mode: 'lexical' }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(GroundworkError.isInstance(error) && error.code).toBe('search_engine_unavailable');
    expect((error as GroundworkError).kind).toBe('unavailable');
  };

  it('an engine nobody listens on is a 503, not a crash', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expectUnavailable(retrieverFor(`http://127.0.0.1:${port}`));
  });

  it('an engine that never answers a search is a 503 after the timeout, not a hung request', async () => {
    behaviour = 'hang';
    const url = `http://127.0.0.1:${(engine.address() as AddressInfo).port}`;
    await expectUnavailable(retrieverFor(url));
  }, 20_000);

  it('a failing engine, a timed-out search and a failed shard are 503s, never a partial top k', async () => {
    const url = `http://127.0.0.1:${(engine.address() as AddressInfo).port}`;
    for (const mode of ['error', 'timed-out', 'failed-shard'] as const) {
      behaviour = mode;
      await expectUnavailable(retrieverFor(url));
    }
  });

  it('reaches HTTP clients as 503 search_engine_unavailable with Retry-After', async () => {
    const app = new Hono();
    app.onError(handleError);
    app.get('/search', () => {
      throw new SearchEngineUnavailableError('no answer within 300 ms');
    });
    const response = await app.request('/search');
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('search_engine_unavailable');
    expect(body.error.message).toContain('search engine');
  });
});
