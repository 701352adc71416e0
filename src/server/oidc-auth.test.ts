/**
 * Bearer JWTs from an OIDC issuer, end to end: a real HTTP issuer on localhost serving its discovery
 * document and JWKS, tokens signed with its key, and the groundwork HTTP app verifying them.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroundwork, type Groundwork } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import type { Database } from '../store/database.ts';
import { ensureTenant } from '../store/documents.ts';
import { openDatabase } from '../store/open.ts';
import { SseReader } from '../testing/sse-reader.ts';
import { createHttpApp } from './app.ts';

const AUDIENCE = 'groundwork-api';
type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

describe('OIDC bearer tokens', () => {
  let issuerServer: Server;
  let issuer: string;
  let signingKey: PrivateKey;
  let strangerKey: PrivateKey;
  let jwksRequests = 0;
  let db: Database;
  let app: Groundwork;
  let http: ReturnType<typeof createHttpApp>;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    signingKey = pair.privateKey;
    strangerKey = (await generateKeyPair('RS256')).privateKey;
    const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    issuerServer = createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      if (request.url === '/.well-known/openid-configuration') {
        response.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
      } else if (request.url === '/jwks') {
        jwksRequests++;
        response.end(JSON.stringify({ keys: [jwk] }));
      } else {
        response.statusCode = 404;
        response.end('{}');
      }
    });
    await new Promise<void>((resolve) => issuerServer.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(issuerServer.address() as AddressInfo).port}`;
    db = await openDatabase({ dataDir: 'memory://' });
    await ensureTenant(db, 'acme');
    app = await createGroundwork(
      loadConfig({
        dataDir: 'memory://',
        embedder: 'none',
        llm: { model: 'none' },
        oidc: { issuer, audience: AUDIENCE, tenantClaim: 'org' },
      }),
      { db },
    );
    http = createHttpApp(app, { webRoot: null });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await db?.close();
    await new Promise((resolve) => issuerServer?.close(resolve));
  });

  const token = (
    claims: Record<string, unknown>,
    options: { key?: PrivateKey; expiresIn?: string; audience?: string } = {},
  ) =>
    new SignJWT({ org: 'acme', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(issuer)
      .setAudience(options.audience ?? AUDIENCE)
      .setSubject('alice')
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '5m')
      .sign(options.key ?? signingKey);

  const call = (bearer: string, path = '/v1/me') =>
    http.request(path, { headers: { authorization: `Bearer ${bearer}` } });

  it('admits a valid token as its tenant, role and groups, found through discovery', async () => {
    const response = await call(
      await token({ groundwork_role: 'operator', groups: ['support', 'emea'], email: 'alice@acme.test' }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ tenantId: 'acme', role: 'operator', authenticated: true });
    // Operators read jobs; customers may not.
    expect((await call(await token({ groundwork_role: 'operator' }), '/v1/jobs')).status).toBe(200);
    const customer = await call(await token({}), '/v1/jobs');
    expect(customer.status).toBe(403);
    expect(((await customer.json()) as { error: { code: string } }).error.code).toBe('forbidden_role');
    // The key set is fetched once and cached, not per request.
    expect(jwksRequests).toBe(1);
  });

  it('refuses expired, foreign, misaddressed and malformed tokens with a code', async () => {
    const cases: [string, number, string][] = [
      [await token({}, { expiresIn: '-10m' }), 401, 'expired_token'],
      [await token({}, { key: strangerKey }), 401, 'invalid_token'],
      [await token({}, { audience: 'someone-else' }), 401, 'invalid_token'],
      [await token({ org: 'globex' }), 403, 'unknown_tenant'],
      [await token({ org: undefined }), 401, 'invalid_token'],
      ['eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', 401, 'invalid_api_key'],
      ['not.a.jwt', 401, 'invalid_token'],
    ];
    for (const [bearer, status, code] of cases) {
      const response = await call(bearer);
      expect({
        status: response.status,
        code: ((await response.json()) as { error: { code: string } }).error.code,
      }).toEqual({
        status,
        code,
      });
    }
  });

  it('still accepts API keys, and says 503 (not 401) when the issuer cannot be reached', async () => {
    const issued = await app.keys.create({ tenantId: 'acme', name: 'ops', role: 'admin' }, { actor: 'test' });
    expect((await call(issued.secret)).status).toBe(200);

    const offline = await createGroundwork(
      loadConfig({
        dataDir: 'memory://',
        embedder: 'none',
        llm: { model: 'none' },
        oidc: { issuer: 'http://127.0.0.1:9', audience: AUDIENCE },
      }),
      { db },
    );
    try {
      const response = await createHttpApp(offline, { webRoot: null }).request('/v1/me', {
        headers: { authorization: `Bearer ${await token({})}` },
      });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('30');
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
        'identity_provider_unavailable',
      );
    } finally {
      await offline.close();
    }
  });

  it('ends an open event stream when the token that opened it expires', async () => {
    const response = await call(
      await token({ groundwork_role: 'operator' }, { expiresIn: '2s' }),
      '/v1/inbox/events',
    );
    expect(response.status).toBe(200);
    const reader = new SseReader(response);
    await reader.until((event) => event.event === 'inbox-ready');
    const rest = await reader.rest();
    expect(rest.map((event) => event.event)).toEqual(['error']);
    expect(JSON.parse(rest[0]!.data)).toMatchObject({ code: 'credential_expired' });
  }, 30_000);
});
