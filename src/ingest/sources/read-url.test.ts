import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpTransport, ResolvedAddress } from './http-transport.ts';
import { nodeHttpTransport } from './http-transport.ts';
import { MAX_REDIRECTS, readUrlSource } from './read-url.ts';
import { parseUrlAllowList } from './url-allow-list.ts';
import type { HostResolver } from './url-policy.ts';

const LIMITS = { maxFileBytes: 64 * 1024, fetchTimeoutMs: 5000 };

/** 127.0.0.2 stands for a second host; Linux answers on all of 127/8, macOS only on 127.0.0.1. */
const SECOND_LOOPBACK = await new Promise<boolean>((resolve) => {
  const probe = createServer();
  probe.once('error', () => resolve(false));
  probe.listen(0, '127.0.0.2', () => probe.close(() => resolve(true)));
});
const servers: Server[] = [];

async function listen(host: string, handler: RequestListener, port = 0): Promise<number> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return (server.address() as AddressInfo).port;
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

/** A resolver that answers from a script, one answer per call, and counts the calls. */
function scriptedResolver(answers: Record<string, (readonly ResolvedAddress[])[]>) {
  const calls: string[] = [];
  const resolve: HostResolver = async (host) => {
    calls.push(host);
    const script = answers[host];
    const next = script?.shift();
    if (!next) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return next;
  };
  return { resolve, calls };
}

const v4 = (address: string): ResolvedAddress => ({ address, family: 4 });
const allow = (...entries: string[]) => parseUrlAllowList(entries).allowList;
const neverCalled: HttpTransport = async (request) => {
  throw new Error(`unexpected connection to ${request.url.href}`);
};

describe('readUrlSource', () => {
  it.skipIf(!SECOND_LOOPBACK)(
    'connects to the address it checked, so a DNS answer that changes afterwards cannot win',
    async () => {
      // 127.0.0.2 stands for a public site (allow-listed here); 127.0.0.1 is the internal one.
      const internalHits: string[] = [];
      const port = await listen('127.0.0.1', (request, response) => {
        internalHits.push(request.url ?? '');
        response.end('internal secret');
      });
      await listen('127.0.0.2', (_request, response) => response.end('# Public\n\nPublic page.'), port);
      const dns = scriptedResolver({
        'rebind.test': [[v4('127.0.0.2')], [v4('127.0.0.1')], [v4('127.0.0.1')]],
      });
      const source = await readUrlSource(`http://rebind.test:${port}/page.md`, LIMITS, {
        allowList: allow('127.0.0.2/32'),
        resolveHost: dns.resolve,
        transport: nodeHttpTransport,
      });
      expect(Buffer.from(source.bytes).toString()).toContain('Public page.');
      expect(dns.calls).toEqual(['rebind.test']);
      expect(internalHits).toEqual([]);
    },
  );

  it('refuses a name when any of its addresses is not public, without connecting', async () => {
    for (const answer of [
      [v4('93.184.216.34'), v4('127.0.0.1')],
      [v4('169.254.169.254')],
      [{ address: '::ffff:10.0.0.1', family: 6 as const }],
      [{ address: 'fd00::1', family: 6 as const }],
      [v4('100.100.100.200')],
    ]) {
      const dns = scriptedResolver({ 'metadata.test': [answer] });
      const failure = await readUrlSource('http://metadata.test/latest', LIMITS, {
        allowList: allow(),
        resolveHost: dns.resolve,
        transport: neverCalled,
      }).catch((error: Error) => error);
      expect(failure).toMatchObject({ code: 'url_not_allowed' });
      expect((failure as Error).message).not.toMatch(/\d+\.\d+\.\d+\.\d+|::|metadata\.test/);
    }
  });

  it.skipIf(!SECOND_LOOPBACK)('checks every redirect hop, including names that resolve inside', async () => {
    const internalHits: string[] = [];
    const internal = await listen('127.0.0.1', (request, response) => {
      internalHits.push(request.url ?? '');
      response.end('internal secret');
    });
    const front = await listen('127.0.0.2', (request, response) => {
      response.statusCode = 302;
      response.setHeader(
        'location',
        request.url === '/named' ? `http://intranet.test:${internal}/` : '/again',
      );
      response.end();
    });
    const dns = scriptedResolver({
      'front.test': Array.from({ length: 10 }, () => [v4('127.0.0.2')]),
      'intranet.test': [[v4('127.0.0.1')]],
    });
    const fetching = {
      allowList: allow('127.0.0.2'),
      resolveHost: dns.resolve,
      transport: nodeHttpTransport,
    };
    await expect(readUrlSource(`http://front.test:${front}/named`, LIMITS, fetching)).rejects.toMatchObject({
      code: 'url_not_allowed',
    });
    expect(internalHits).toEqual([]);
    const loop = await readUrlSource(`http://front.test:${front}/loop`, LIMITS, fetching).catch(
      (error) => error,
    );
    expect(loop).toMatchObject({
      code: 'fetch_failed',
      message: 'The URL could not be fetched (too many redirects).',
    });
    expect(dns.calls.filter((host) => host === 'front.test')).toHaveLength(MAX_REDIRECTS + 2);
  });

  it('says only that the URL could not be fetched when the name does not resolve or the connection fails', async () => {
    const dns = scriptedResolver({ 'refused.test': [[v4('127.0.0.1')]] });
    const fetching = {
      allowList: allow('127.0.0.1'),
      resolveHost: dns.resolve,
      transport: nodeHttpTransport,
    };
    for (const url of ['http://nowhere.test/x', 'http://refused.test:1/x']) {
      const failure = await readUrlSource(url, LIMITS, fetching).catch((error: Error) => error);
      expect(failure).toMatchObject({ code: 'fetch_failed', message: 'The URL could not be fetched.' });
    }
  });

  it('counts decoded bytes against the size limit, so a compressed bomb is cut off', async () => {
    const bomb = gzipSync(Buffer.alloc(4 * 1024 * 1024, 'a'));
    const port = await listen('127.0.0.1', (_request, response) => {
      response.setHeader('content-encoding', 'gzip');
      response.setHeader('content-type', 'text/plain');
      response.end(bomb);
    });
    const fetching = {
      allowList: allow('127.0.0.1'),
      resolveHost: neverResolve,
      transport: nodeHttpTransport,
    };
    await expect(readUrlSource(`http://127.0.0.1:${port}/bomb.txt`, LIMITS, fetching)).rejects.toMatchObject({
      code: 'too_large',
    });
    const small = gzipSync(Buffer.from('# Small\n\nCompressed but fine.'));
    const other = await listen('127.0.0.1', (_request, response) => {
      response.setHeader('content-encoding', 'gzip');
      response.end(small);
    });
    const source = await readUrlSource(`http://127.0.0.1:${other}/small.md`, LIMITS, fetching);
    expect(Buffer.from(source.bytes).toString()).toBe('# Small\n\nCompressed but fine.');
  });

  it('gives up on a resolver that never answers with a timeout', async () => {
    const failure = await readUrlSource(
      'http://slow-dns.test/',
      { ...LIMITS, fetchTimeoutMs: 50 },
      { allowList: allow(), resolveHost: () => new Promise(() => {}), transport: neverCalled },
    ).catch((error: Error) => error);
    expect(failure).toMatchObject({ code: 'timeout' });
  });
});

describe('nodeHttpTransport', () => {
  it('connects to the given address and never resolves the host name itself', async () => {
    let host: string | undefined;
    const port = await listen('127.0.0.1', (request, response) => {
      host = request.headers.host;
      response.end('pinned');
    });
    // `.invalid` never resolves (RFC 6761): the request can only succeed through the pinned address.
    const reply = await nodeHttpTransport({
      url: new URL(`http://pinned.invalid:${port}/x`),
      addresses: [v4('127.0.0.1')],
      headers: {},
      signal: AbortSignal.timeout(5000),
    });
    const chunks: Uint8Array[] = [];
    for await (const chunk of reply.body) chunks.push(chunk);
    expect(Buffer.concat(chunks).toString()).toBe('pinned');
    expect(host).toBe(`pinned.invalid:${port}`);
  });

  const tls = selfSigned();
  it.skipIf(!tls)('keeps TLS checks on the host name while connecting to the pinned address', async () => {
    const names: string[] = [];
    const server = createTlsServer({
      ...tls,
      SNICallback: (name, callback) => {
        names.push(name);
        callback(null);
      },
    });
    servers.push(server as unknown as Server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    // The certificate is not from a trusted authority: pinning must not have turned verification off.
    await expect(
      nodeHttpTransport({
        url: new URL(`https://pinned.test:${port}/`),
        addresses: [v4('127.0.0.1')],
        headers: {},
        signal: AbortSignal.timeout(5000),
      }),
    ).rejects.toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(names).toEqual(['pinned.test']);
  });
});

/** A self-signed certificate for `pinned.test`, made with openssl; undefined where openssl is missing. */
function selfSigned(): { key: Buffer; cert: Buffer } | undefined {
  const folder = mkdtempSync(path.join(tmpdir(), 'gw-tls-'));
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=pinned.test'].concat([
        '-keyout',
        path.join(folder, 'key.pem'),
        '-out',
        path.join(folder, 'cert.pem'),
      ]),
      { stdio: 'ignore' },
    );
    return {
      key: readFileSync(path.join(folder, 'key.pem')),
      cert: readFileSync(path.join(folder, 'cert.pem')),
    };
  } catch {
    return undefined;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

const neverResolve: HostResolver = async (host) => {
  throw new Error(`unexpected lookup of ${host}`);
};
