import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroundwork, type Groundwork } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import type { Database } from '../store/database.ts';
import { testBackends } from '../testing/databases.ts';
import { createHttpApp } from './app.ts';

/** One request over a real socket; the status, the response headers and whether the socket closed. */
function send(
  port: number,
  path: string,
  headers: Record<string, string>,
  body: Buffer,
): Promise<{ status: number; headers: Record<string, unknown>; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, method: 'POST', headers, agent: false },
      (res) => {
        res.resume();
        let closed = false;
        res.socket.once('close', () => (closed = true));
        res.on('end', () =>
          // Give the server a moment to hang up after the body, as it does when it says `close`.
          setTimeout(() => resolve({ status: res.statusCode ?? 0, headers: res.headers, closed }), 200),
        );
      },
    );
    req.on('error', (error) => {
      // The server may close before the whole oversized body is sent: that is not our failure.
      if (
        (error as NodeJS.ErrnoException).code !== 'EPIPE' &&
        (error as NodeJS.ErrnoException).code !== 'ECONNRESET'
      )
        reject(error);
    });
    req.end(body);
  });
}

describe('a refused oversized body', () => {
  let db: Database;
  let app: Groundwork;
  let server: ReturnType<typeof serve>;
  let port: number;
  beforeAll(async () => {
    db = await testBackends()[0]!.open();
    app = await createGroundwork(
      loadConfig({ dataDir: 'memory://', embedder: 'none', llm: { model: 'none' } }),
      {
        db,
      },
    );
    const http = createHttpApp(app, { webRoot: null });
    server = serve({ fetch: http.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    port = (server.address() as AddressInfo).port;
  }, 120_000);
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await app?.close();
    await db?.close();
  });

  it('413 says Connection: close (not keep-alive), and the socket is then closed', async () => {
    const body = Buffer.from(JSON.stringify({ query: 'y'.repeat(2 * 1024 * 1024) }));
    const response = await send(
      port,
      '/v1/search',
      { 'content-type': 'application/json', 'content-length': String(body.length), connection: 'keep-alive' },
      body,
    );
    expect(response.status).toBe(413);
    expect(response.headers.connection).toBe('close');
    expect(response.closed).toBe(true);
  });

  it('an ordinary request keeps the connection alive', async () => {
    const body = Buffer.from(JSON.stringify({ query: 'return' }));
    const response = await send(
      port,
      '/v1/search',
      { 'content-type': 'application/json', 'content-length': String(body.length), connection: 'keep-alive' },
      body,
    );
    expect(response.status).toBe(200);
    expect(response.headers.connection).toBe('keep-alive');
  });
});
