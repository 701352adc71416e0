/**
 * A drain must not reset a request that was already on its way over a kept-alive connection: when the
 * drain begins the connection is idle as far as the server knows, and closing it at once would reset
 * the request with nothing received, which a client cannot tell from a failure mid-answer. Such a
 * request gets a response (503 `server_shutting_down` with `Connection: close`) to retry elsewhere.
 */

import type { AddressInfo } from 'node:net';
import { connect, type Socket } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroundwork, type Groundwork } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import { createHttpApp } from '../server/app.ts';
import { ServerDrain } from '../server/drain.ts';
import type { Database } from '../store/database.ts';
import { testBackends } from '../testing/databases.ts';
import { drainWithin } from './commands/serve-process.ts';

const [embedded] = testBackends();

/** Reads from `socket` until `done` says the text is complete or the socket ends; never throws. */
function readUntil(
  socket: Socket,
  done: (text: string) => boolean,
): Promise<{ text: string; ended: string }> {
  return new Promise((resolve) => {
    let text = '';
    const finish = (ended: string) => {
      socket.removeAllListeners('data');
      resolve({ text, ended });
    };
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (done(text)) finish('complete');
    });
    socket.once('end', () => finish('end'));
    socket.once('error', (error: NodeJS.ErrnoException) => finish(error.code ?? error.message));
  });
}

const request = (path: string) => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n`;
/** A whole response with a body of `content-length` bytes (the API's JSON responses carry one). */
const complete = (text: string) => {
  const end = text.indexOf('\r\n\r\n');
  const length = /content-length: (\d+)/i.exec(text)?.[1];
  return end >= 0 && length !== undefined && text.length >= end + 4 + Number(length);
};

describe.runIf(embedded)('draining with kept-alive connections', () => {
  let app: Groundwork;
  let db: Database;

  beforeAll(async () => {
    db = await (embedded as NonNullable<typeof embedded>).open();
    app = await createGroundwork(
      loadConfig({ dataDir: 'memory://', embedder: 'none', llm: { model: 'none' }, auth: 'off' }),
      { db },
    );
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('answers a request sent on an idle connection as the drain begins, instead of resetting it', async () => {
    const drain = new ServerDrain();
    const http = createHttpApp(app, { webRoot: null, drain });
    const server = serve({ fetch: http.fetch, port: 0, hostname: '127.0.0.1' }) as import('node:http').Server;
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));

    const first = readUntil(socket, complete);
    socket.write(request('/healthz'));
    expect((await first).text).toMatch(/^HTTP\/1\.1 200/);

    // The connection is idle now. The drain begins, and in the same moment the client sends again.
    const drained = drainWithin({ server, drain, graceMs: 4000, close: async () => {} });
    const second = readUntil(socket, complete);
    socket.write(request('/v1/documents'));
    const { text, ended } = await second;
    expect(ended, `the connection ended with ${ended} after: ${JSON.stringify(text)}`).toBe('complete');
    expect(text).toMatch(/^HTTP\/1\.1 503/);
    expect(text.toLowerCase()).toContain('connection: close');
    expect(text).toContain('server_shutting_down');
    socket.destroy();
    await drained;
  }, 60_000);
});
