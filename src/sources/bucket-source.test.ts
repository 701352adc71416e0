/**
 * Bucket sources against a real S3-compatible server (moto, signatures checked): objects uploaded,
 * changed and deleted; syncs on demand, by signed notification and by schedule; the documents and
 * jobs that result; and the clear statuses of a bucket that refuses, credentials that are wrong and
 * an object that is not a document.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroundwork, type Groundwork } from '../app.ts';
import { EMPTY_SHA256, signRequest } from '../blobs/s3-signer.ts';
import { loadConfig } from '../config/config.ts';
import { createHttpApp } from '../server/app.ts';
import { testBackends } from '../testing/databases.ts';
import { motoServerBinary, type S3TestServer, startS3TestServer } from '../testing/s3-test-server.ts';
import { signEvent } from './bucket-events.ts';
import { listBucket } from './s3-bucket.ts';
import { runDueSyncs } from './schedule.ts';

const motoBinary = motoServerBinary();
const backend = testBackends()[0]!;

interface World {
  readonly app: Groundwork;
  readonly http: ReturnType<typeof createHttpApp>;
  readonly moto: S3TestServer;
}

async function s3(moto: S3TestServer, method: string, key: string, body?: string, bucket = moto.bucket) {
  const url = new URL(`${moto.endpoint}/${bucket}/${key}`);
  const bytes = body === undefined ? undefined : Buffer.from(body);
  const hash = bytes ? createHash('sha256').update(bytes).digest('hex') : EMPTY_SHA256;
  const headers = signRequest({ method, url, payloadSha256: hash, region: moto.region }, moto.credentials);
  delete headers.host;
  const response = await fetch(url, { method, headers, body: bytes });
  if (!response.ok) throw new Error(`moto ${method} ${key}: ${response.status} ${await response.text()}`);
}

async function call(
  world: World,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await world.http.request(path, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, text, body: text ? JSON.parse(text) : undefined };
}

async function itemsOf(world: World, jobId: string) {
  await world.app.ingestion.drain();
  const { body } = await call(world, 'GET', `/v1/jobs/${jobId}`);
  return Object.fromEntries(
    (body.items as { uri: string; status: string; code: string | null }[]).map((item) => [
      decodeURIComponent(item.uri.replace(/^source:\/\/[^/]+\//, '')),
      item.code ? `${item.status}:${item.code}` : item.status,
    ]),
  );
}

async function documentTexts(world: World, sourceId: string): Promise<Record<string, string>> {
  const { rows } = await world.app.db.query<{ origin: string; text: string }>(
    `SELECT d.origin_uri AS origin, string_agg(c.text, ' ' ORDER BY c.id) AS text
     FROM documents d JOIN chunks c ON c.document_id = d.id
     WHERE d.origin_uri LIKE $1 GROUP BY d.origin_uri`,
    [`source://${sourceId}/%`],
  );
  return Object.fromEntries(
    rows.map((row) => [decodeURIComponent(row.origin.split('/').slice(3).join('/')), row.text]),
  );
}

describe.skipIf(!motoBinary)('bucket sources against moto', () => {
  let world: World;
  let sourceId: string;
  let webhookSecret: string;

  beforeAll(async () => {
    const moto = await startS3TestServer(motoBinary as string, { withDeniedUser: true });
    const app = await createGroundwork(
      loadConfig({
        dataDir: 'memory://',
        embedder: 'none',
        llm: { model: 'none' },
        ingest: { maxItemAttempts: 1, allowedUrlHosts: ['127.0.0.1'] },
      }),
      { db: await backend.open() },
    );
    world = { app, http: createHttpApp(app), moto };
    await s3(moto, 'PUT', 'kb/returns.md', '# Returns\n\nThermostats can be returned within 30 days.');
    await s3(moto, 'PUT', 'kb/shipping.md', '# Shipping\n\nOrders ship within two business days.');
    await s3(
      moto,
      'PUT',
      'kb/guides/setup guide.txt',
      'Pair the thermostat by holding the dial for five seconds.',
    );
    await s3(moto, 'PUT', 'kb/firmware.bin', randomBytes(2048).toString('latin1'));
    await s3(moto, 'PUT', 'other/outside.md', '# Outside\n\nNot part of the source.');
  }, 60_000);
  afterAll(async () => {
    await world?.app.close();
    await world?.moto.close();
  });

  it('creates a bucket source whose credentials are stored encrypted and never answered', async () => {
    const { status, body, text } = await call(world, 'POST', '/v1/sources', {
      kind: 's3',
      name: 'kb bucket',
      bucket: world.moto.bucket,
      prefix: 'kb/',
      region: world.moto.region,
      endpoint: world.moto.endpoint,
      credentials: world.moto.credentials,
      acl: ['support'],
      metadata: { team: 'care' },
    });
    expect(status).toBe(201);
    sourceId = body.source.id;
    webhookSecret = body.webhookSecret;
    expect(body.source).toMatchObject({ kind: 's3', hasCredentials: true, lastSync: null, acl: ['support'] });
    expect(text).not.toContain(world.moto.credentials.secretAccessKey);
    const listed = await call(world, 'GET', '/v1/sources');
    expect(listed.text).not.toContain(world.moto.credentials.secretAccessKey);
    const { rows } = await world.app.db.query<{ credentials: Uint8Array }>(
      'SELECT credentials FROM content_sources WHERE id = $1',
      [sourceId],
    );
    expect(Buffer.from(rows[0]!.credentials).toString('latin1')).not.toContain(
      world.moto.credentials.secretAccessKey,
    );
  });

  it('syncs the prefix: documents for each document object, a per-item failure for the rest', async () => {
    const { status, body } = await call(world, 'POST', `/v1/sources/${sourceId}/sync`);
    expect(status).toBe(202);
    expect(await itemsOf(world, body.job.id)).toEqual({
      'kb/returns.md': 'done',
      'kb/shipping.md': 'done',
      'kb/guides/setup guide.txt': 'done',
      'kb/firmware.bin': 'failed:unsupported_type',
    });
    const texts = await documentTexts(world, sourceId);
    expect(Object.keys(texts).sort()).toEqual([
      'kb/guides/setup guide.txt',
      'kb/returns.md',
      'kb/shipping.md',
    ]);
    const source = (await call(world, 'GET', `/v1/sources/${sourceId}`)).body.source;
    expect(source.lastSync).toMatchObject({ status: 'done', jobId: body.job.id, code: null });
    const { rows } = await world.app.db.query<{ acl: string[]; metadata: Record<string, unknown> }>(
      `SELECT a.principals AS acl, d.metadata FROM documents d JOIN acl_sets a ON a.id = d.acl_set_id
       WHERE d.origin_uri LIKE $1 LIMIT 1`,
      [`source://${sourceId}/%`],
    );
    expect(rows[0]).toMatchObject({ acl: ['support'], metadata: { team: 'care', sourceId } });
  });

  it('fetches only changed objects next time (ETags), updates changed ones and removes deleted ones', async () => {
    await s3(world.moto, 'PUT', 'kb/returns.md', '# Returns\n\nThermostats can be returned within 60 days.');
    await s3(world.moto, 'DELETE', 'kb/shipping.md');
    const { body } = await call(world, 'POST', `/v1/sources/${sourceId}/sync`);
    expect(await itemsOf(world, body.job.id)).toEqual({
      // Rewritten in place (`updated` is for ACL or metadata changes alone).
      'kb/returns.md': 'done',
      'kb/shipping.md': 'removed',
      // Never ingested, so tried again; the documents already stored are untouched by its failure.
      'kb/firmware.bin': 'failed:unsupported_type',
    });
    const texts = await documentTexts(world, sourceId);
    expect(Object.keys(texts).sort()).toEqual(['kb/guides/setup guide.txt', 'kb/returns.md']);
    expect(texts['kb/returns.md']).toContain('60 days');
    expect(texts['kb/returns.md']).not.toContain('30 days');
  });

  it('syncs just the keys a signed notification names, and refuses unsigned, stale or malformed ones', async () => {
    await s3(world.moto, 'PUT', 'kb/warranty.md', '# Warranty\n\nTwo years on every thermostat.');
    await s3(world.moto, 'DELETE', 'kb/returns.md');
    const event = JSON.stringify({
      Records: [
        {
          eventName: 'ObjectCreated:Put',
          s3: { bucket: { name: world.moto.bucket }, object: { key: 'kb/warranty.md' } },
        },
        {
          eventName: 'ObjectRemoved:Delete',
          s3: { bucket: { name: world.moto.bucket }, object: { key: 'kb/returns.md' } },
        },
        {
          eventName: 'ObjectCreated:Put',
          s3: { bucket: { name: world.moto.bucket }, object: { key: 'other/outside.md' } },
        },
      ],
    });
    const now = Math.floor(Date.now() / 1000);
    const signed = (body: string, at = now, secret = webhookSecret) => ({
      'x-groundwork-timestamp': String(at),
      'x-groundwork-signature': signEvent(secret, at, body),
    });
    const path = `/v1/sources/${sourceId}/events`;
    expect((await call(world, 'POST', path, event)).body.error.code).toBe('invalid_signature');
    const forged = await call(world, 'POST', path, event, signed(event, now, 'not-the-secret'));
    expect([forged.status, forged.body.error.code]).toEqual([401, 'invalid_signature']);
    const stale = await call(world, 'POST', path, event, signed(event, now - 3600));
    expect([stale.status, stale.body.error.code]).toEqual([401, 'invalid_signature']);
    const junk = '{"hello": 1}';
    const malformed = await call(world, 'POST', path, junk, signed(junk));
    expect([malformed.status, malformed.body.error.code]).toEqual([400, 'invalid_event']);

    const { status, body } = await call(world, 'POST', path, event, signed(event));
    expect(status).toBe(202);
    // Only the two keys under the prefix; nothing else is listed or fetched.
    expect(await itemsOf(world, body.job.id)).toEqual({
      'kb/warranty.md': 'done',
      'kb/returns.md': 'removed',
    });
    expect(Object.keys(await documentTexts(world, sourceId)).sort()).toEqual([
      'kb/guides/setup guide.txt',
      'kb/warranty.md',
    ]);
  });

  it('runs a scheduled sync in exactly one of several pollers', async () => {
    const patched = await call(world, 'PATCH', `/v1/sources/${sourceId}`, { syncEvery: '15m' });
    expect(patched.body.source.syncEvery).toBe('15m');
    expect(Date.parse(patched.body.source.nextSyncAt)).toBeGreaterThan(Date.now() + 14 * 60_000);
    await s3(world.moto, 'PUT', 'kb/faq.md', '# FAQ\n\nThe display dims after ten seconds.');
    await world.app.db.query(
      `UPDATE content_sources SET next_sync_at = now() - interval '1 second' WHERE id = $1`,
      [sourceId],
    );
    const started = await Promise.all([
      runDueSyncs(world.app.db, world.app.sources),
      runDueSyncs(world.app.db, world.app.sources),
    ]);
    expect(started.reduce((sum, n) => sum + n, 0)).toBe(1);
    const source = (await call(world, 'GET', `/v1/sources/${sourceId}`)).body.source;
    expect(Date.parse(source.nextSyncAt)).toBeGreaterThan(Date.now() + 14 * 60_000);
    const items = await itemsOf(world, source.lastSync.jobId);
    expect(items['kb/faq.md']).toBe('done');
    expect(Object.keys(await documentTexts(world, sourceId))).toContain('kb/faq.md');
  });

  it('reports wrong credentials and a missing bucket on the source, keeping what is stored', async () => {
    const before = await documentTexts(world, sourceId);
    const wrong = await call(world, 'PATCH', `/v1/sources/${sourceId}`, {
      credentials: { accessKeyId: world.moto.credentials.accessKeyId, secretAccessKey: 'wrong-secret-key' },
    });
    expect(wrong.status).toBe(200);
    const sync = await call(world, 'POST', `/v1/sources/${sourceId}/sync`);
    expect(sync.status).toBe(202);
    expect(sync.body.job).toBeNull();
    expect(sync.body.source.lastSync).toMatchObject({ status: 'failed', code: 'source_credentials_invalid' });
    expect(sync.text).not.toContain('wrong-secret-key');
    await call(world, 'PATCH', `/v1/sources/${sourceId}`, {
      credentials: world.moto.credentials,
      bucket: 'no-such-bucket-here',
    });
    const missing = await call(world, 'POST', `/v1/sources/${sourceId}/sync`);
    expect(missing.body.source.lastSync).toMatchObject({ status: 'failed', code: 'source_not_found' });
    expect(await documentTexts(world, sourceId)).toEqual(before);
  });

  it('refuses endpoints, URLs and folders a source may not reach, and fields of another kind', async () => {
    const base = { kind: 's3', name: 'metadata', bucket: 'b-1', credentials: world.moto.credentials };
    const internal = await call(world, 'POST', '/v1/sources', {
      ...base,
      endpoint: 'http://169.254.169.254/',
    });
    expect([internal.status, internal.body.error.code]).toEqual([400, 'url_not_allowed']);
    const urls = await call(world, 'POST', '/v1/sources', {
      kind: 'urls',
      name: 'u',
      urls: ['http://10.0.0.1/a'],
    });
    expect([urls.status, urls.body.error.code]).toEqual([400, 'url_not_allowed']);
    const folder = await call(world, 'POST', '/v1/sources', { kind: 'folder', name: 'f', path: '/etc' });
    expect([folder.status, folder.body.error.code]).toEqual([400, 'path_not_allowed']);
    const kindless = await call(world, 'PATCH', `/v1/sources/${sourceId}`, {
      urls: ['https://example.com/'],
    });
    expect([kindless.status, kindless.body.error.code]).toEqual([400, 'invalid_source']);
    const bad = await call(world, 'POST', '/v1/sources', { ...base, syncEvery: '5s' });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'invalid_source']);
    const clash = await call(world, 'POST', '/v1/sources', { ...base, name: 'kb bucket' });
    expect([clash.status, clash.body.error.code]).toEqual([409, 'source_exists']);
    const unknown = await call(world, 'POST', '/v1/sources/00000000-0000-4000-8000-000000000000/sync');
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'source_not_found']);
    const direct = await call(world, 'POST', '/v1/ingest', {
      sources: [{ kind: 'object', sourceId, key: 'kb/faq.md' }],
    });
    expect([direct.status, direct.body.error.code]).toEqual([400, 'invalid_ingest_request']);
  });

  it('lists every page of a large prefix', async () => {
    for (let n = 0; n < 7; n++) await s3(world.moto, 'PUT', `paged/doc-${n}.md`, `# Doc ${n}\n\nText ${n}.`);
    const keys: string[] = [];
    for await (const object of listBucket(
      {
        bucket: world.moto.bucket,
        prefix: 'paged/',
        region: world.moto.region,
        endpoint: world.moto.endpoint,
      },
      {
        credentials: world.moto.credentials,
        allowList: { hosts: new Set(['127.0.0.1']), suffixes: [], networks: [] },
        resolveHost: async () => [],
        pageSize: 2,
      },
    )) {
      expect(object.etag).toMatch(/^"[0-9a-f]{32}"$/);
      keys.push(object.key);
    }
    expect(keys.sort()).toEqual([0, 1, 2, 3, 4, 5, 6].map((n) => `paged/doc-${n}.md`));
  });

  it('reports a bucket that denies the credentials as access denied', async () => {
    const created = await call(world, 'POST', '/v1/sources', {
      kind: 's3',
      name: 'denied',
      bucket: world.moto.bucket,
      endpoint: world.moto.endpoint,
      credentials: world.moto.deniedCredentials,
    });
    const sync = await call(world, 'POST', `/v1/sources/${created.body.source.id}/sync`);
    expect(sync.status).toBe(202);
    expect(sync.body.job).toBeNull();
    expect(sync.body.source.lastSync).toMatchObject({ status: 'failed', code: 'source_access_denied' });
    expect(sync.body.source.lastSync.error).toMatch(/denied/i);
  });

  it('deletes a source with its documents when asked', async () => {
    const { status, body } = await call(world, 'DELETE', `/v1/sources/${sourceId}?removeDocuments=true`);
    expect(status).toBe(200);
    await world.app.ingestion.drain();
    expect(await documentTexts(world, sourceId)).toEqual({});
    expect((await call(world, 'GET', `/v1/jobs/${body.job.id}`)).body.job.status).toBe('done');
    expect((await call(world, 'GET', `/v1/sources/${sourceId}`)).status).toBe(404);
  });
});
