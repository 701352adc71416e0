/**
 * Processes on one Postgres server agree on the session secret: without a configured one they share
 * the database's, and a process that would sign with another secret than the live ones refuses to
 * start instead of failing sessions intermittently.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroundwork, type Groundwork } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import { ConfigError } from '../errors.ts';
import { SESSION_SECRET_FILE } from '../identity/session-secret.ts';
import type { Database } from '../store/database.ts';
import { liveInstances } from '../store/instances.ts';
import { testBackends } from '../testing/databases.ts';

const server = testBackends().find((backend) => backend.name === 'postgres');
const SECRET_A = 'a'.repeat(40);
const SECRET_B = 'b'.repeat(40);

describe.runIf(server)('session secret agreement on a Postgres server', () => {
  let db: Database;
  const open: Groundwork[] = [];
  const start = async (secret: string | undefined, instance = true, dataDir = 'memory://') => {
    const app = await createGroundwork(loadConfig({ dataDir, ...(secret ? { sessions: { secret } } : {}) }), {
      db,
      ...(instance ? { instance: { role: 'api' } } : {}),
    });
    open.push(app);
    return app;
  };
  beforeAll(async () => {
    db = await (server as NonNullable<typeof server>).open();
  });
  afterAll(async () => {
    for (const app of open) await app.close();
    await db?.close();
  });

  it('shares one generated secret between processes that configured none', async () => {
    const first = await start(undefined);
    const second = await start(undefined);
    const issued = await first.sessions.create({ tenantId: 'default' }, { actor: 'test' });
    expect((await second.sessions.authenticate(issued.token)).ok).toBe(true);
    expect((await liveInstances(db, 30)).map((instance) => instance.role)).toEqual(['api', 'api']);
    await first.close();
    await second.close();
    expect(await liveInstances(db, 30)).toEqual([]);
  });

  it('refuses to start a server whose secret differs from a live process’s, and says which', async () => {
    const a = await start(SECRET_A);
    const error = await start(SECRET_B).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(`api process ${process.pid}`);
    expect((error as Error).message).toContain('GROUNDWORK_SESSION_SECRET');
    // A CLI command is not refused (it only warns); a server with the same secret joins.
    await start(SECRET_B, false);
    await start(SECRET_A);
    await a.close();
  });

  it('lets a new secret in once the processes holding the old one are gone or silent', async () => {
    await db.query('DELETE FROM instances');
    const a = await start(SECRET_A);
    await db.query(`UPDATE instances SET seen_at = now() - interval '5 minutes'`);
    const b = await start(SECRET_B);
    expect((await liveInstances(db, 30)).length).toBe(1);
    await a.close();
    await b.close();
  });

  it('seeds the shared secret from the data dir of an embedded install moved to the server', async () => {
    await db.query('DELETE FROM cluster_settings');
    await db.query('DELETE FROM instances');
    const dataDir = mkdtempSync(path.join(tmpdir(), 'gw-secret-'));
    writeFileSync(path.join(dataDir, SESSION_SECRET_FILE), `${Buffer.alloc(32, 7).toString('base64url')}\n`);
    const moved = await start(undefined, true, dataDir);
    const fresh = await start(undefined);
    const issued = await moved.sessions.create({ tenantId: 'default' }, { actor: 'test' });
    expect((await fresh.sessions.authenticate(issued.token)).ok).toBe(true);
    const { rows } = await db.query<{ value: string }>(
      `SELECT value FROM cluster_settings WHERE name = 'session-secret'`,
    );
    expect(rows[0]?.value).toBe(Buffer.alloc(32, 7).toString('base64url'));
  });
});
