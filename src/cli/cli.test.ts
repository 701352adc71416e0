import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateSupportStore } from '../../apps/support/store/migrations.ts';
import { ApiKeyService } from '../identity/keys.ts';
import { resolveSessionSecret } from '../identity/session-secret.ts';
import { SessionService } from '../identity/sessions.ts';
import { openDatabase } from '../store/open.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/groundwork');
/** The JSON document in a CLI run's output (stdout and stderr are captured together). */
function jsonOf<T>(output: string): T {
  const start = output.search(/^[[{]/m);
  return JSON.parse(output.slice(start)) as T;
}

// Each CLI run compiles the sources with tsx and boots PGlite; on a busy two-core machine that takes a while.
const CLI_TEST_TIMEOUT_MS = 300_000;

interface Running {
  child: ChildProcess;
  output: () => string;
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<void>;
  exit: Promise<number | null>;
}

function run(args: string[], dataDir: string): Running {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, GROUNDWORK_DATA_DIR: dataDir, CI: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  const onData = (data: Buffer) => {
    output += data.toString();
    for (const waiter of [...waiters]) {
      if (waiter.pattern.test(output)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  return {
    child,
    output: () => output,
    exit: new Promise((resolve) => child.on('exit', resolve)),
    waitFor: (pattern, timeoutMs = 120_000) =>
      new Promise<void>((resolve, reject) => {
        if (pattern.test(output)) return resolve();
        const timer = setTimeout(
          () => reject(new Error(`timed out waiting for ${pattern}; output:\n${output}`)),
          timeoutMs,
        );
        waiters.push({
          pattern,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      }),
  };
}

describe('groundwork CLI (embedded database)', () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'gw-cli-'));
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it(
    'watches a folder and ingests files as they appear and change',
    async () => {
      const folder = path.join(scratch, 'watched');
      const dataDir = path.join(scratch, 'watch-data');
      const { mkdir } = await import('node:fs/promises');
      await mkdir(folder);
      await writeFile(path.join(folder, 'a.md'), '# Alpha\n\nThe first page.');
      const watcher = run(['ingest', folder, '--watch'], dataDir);
      try {
        // The summary goes to stdout and "watching" to stderr: two pipes, read in either order.
        await watcher.waitFor(/watching/);
        await watcher.waitFor(/1 ingested/);
        await writeFile(path.join(folder, 'b.md'), '# Beta\n\nA page added while watching.');
        await watcher.waitFor(/1 ingested, 1 unchanged/);
        await rm(path.join(folder, 'a.md'));
        await watcher.waitFor(/1 removed/);
      } finally {
        watcher.child.kill('SIGINT');
        await watcher.exit;
      }
      const db = await openDatabase({ dataDir });
      const { rows } = await db.query<{ uri: string }>('SELECT uri FROM documents ORDER BY uri');
      await db.close();
      expect(rows.map((row) => path.basename(row.uri))).toEqual(['b.md']);
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'answers a question with numbered sources and the mode',
    async () => {
      const dataDir = path.join(scratch, 'ask-data');
      const knowledge = path.resolve(import.meta.dirname, '../../apps/support/knowledge/policies');
      expect(await run(['ingest', knowledge], dataDir).exit).toBe(0);
      const ask = run(['ask', 'How long do I have to return a thermostat?', '--mode', 'lexical'], dataDir);
      expect(await ask.exit).toBe(0);
      expect(ask.output()).toMatch(/returned within 30 days[^\n]*\[1\]/);
      expect(ask.output()).toMatch(/Sources:\n\[1\] Returns and refunds — .*\n {4}.*returns\.md/);
      expect(ask.output()).toMatch(/mode: extractive/);
      expect(ask.output()).toContain('GROUNDWORK_LLM');

      // Each CLI answer is a stored trace its traceId leads to.
      const asked = run(['ask', 'Do you ship to P.O. boxes?', '--mode', 'lexical', '--json'], dataDir);
      expect(await asked.exit).toBe(0);
      const json = asked.output();
      const { traceId } = JSON.parse(json.slice(json.indexOf('{'), json.lastIndexOf('}') + 1)) as {
        traceId: string;
      };
      const listed = run(['traces', 'list', '--limit', '5'], dataDir);
      expect(await listed.exit).toBe(0);
      expect(listed.output()).toContain(traceId);
      const shown = run(['traces', 'show', traceId], dataDir);
      expect(await shown.exit).toBe(0);
      expect(shown.output()).toMatch(/^[0-9a-f]{32} .* cli ask/m);
      expect(shown.output()).toMatch(/[├└]─ retrieve +[\d.]+ ms +results=\d+/);
      expect(shown.output()).toMatch(/[├└]─ lexical_search/);
      expect(shown.output()).toMatch(/[├└]─ cite .* mode=extractive/);
      const missing = run(['traces', 'show', 'f'.repeat(32)], dataDir);
      expect(await missing.exit).not.toBe(0);
      expect(missing.output()).toContain('trace_not_found');
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'manages API keys: the secret is printed once, never stored, rotation revokes, all audited; serve requires keys',
    async () => {
      const dataDir = path.join(scratch, 'keys-data');
      type Issued = {
        key: { id: string; tenantId: string; role: string; principals: string[] };
        secret: string;
      };
      const create = run(
        [
          'keys',
          'create',
          '--tenant',
          'acme',
          '--role',
          'admin',
          '--name',
          'ops',
          '--principal',
          'user:alice',
          'group:support',
          '--expires-in',
          '30d',
          '--json',
        ],
        dataDir,
      );
      expect(await create.exit).toBe(0);
      const admin = jsonOf<Issued>(create.output());
      expect(admin.key).toMatchObject({
        tenantId: 'acme',
        role: 'admin',
        principals: ['group:support', 'user:alice'],
      });
      expect(admin.secret).toMatch(/^gw_/);

      const plain = run(['keys', 'create', '--tenant', 'acme', '--name', 'widget'], dataDir);
      expect(await plain.exit).toBe(0);
      expect(plain.output()).toMatch(/customer +widget/);
      expect(plain.output()).toMatch(/\n {2}gw_[0-9a-f]{12}_\S{43}\n/);
      expect(plain.output()).toContain('shown only once');

      const list = run(['keys', 'list', '--json'], dataDir);
      expect(await list.exit).toBe(0);
      expect(list.output()).not.toContain(admin.secret.split('_').slice(2).join('_'));
      expect(jsonOf<{ name: string }[]>(list.output()).map((key) => key.name)).toEqual(['ops', 'widget']);

      const rotate = run(['keys', 'rotate', admin.key.id, '--json'], dataDir);
      expect(await rotate.exit).toBe(0);
      const rotated = jsonOf<Issued>(rotate.output());
      expect(rotated.secret).not.toBe(admin.secret);

      const audit = run(['audit', '--tenant', 'acme', '--json'], dataDir);
      expect(await audit.exit).toBe(0);
      const entries = jsonOf<{ actor: string; action: string }[]>(audit.output());
      expect(entries.map((entry) => `${entry.actor} ${entry.action}`)).toEqual([
        'cli key.rotate',
        'cli key.create',
        'cli key.create',
      ]);

      const db = await openDatabase({ dataDir });
      try {
        const keys = new ApiKeyService(db);
        expect(await keys.authenticate(admin.secret)).toEqual({ ok: false, reason: 'revoked' });
        expect(await keys.authenticate(rotated.secret)).toMatchObject({
          ok: true,
          identity: { tenantId: 'acme' },
        });
        const { rows } = await db.query('SELECT * FROM api_keys');
        expect(JSON.stringify(rows)).not.toContain(rotated.secret.split('_').slice(2).join('_'));
      } finally {
        await db.close();
      }

      const port = String(20_000 + Math.floor(Math.random() * 20_000));
      const server = run(['serve', '--port', port], dataDir);
      try {
        await server.waitFor(/auth: required/);
        const url = `http://127.0.0.1:${port}/v1/models`;
        expect((await fetch(url)).status).toBe(401);
        expect((await fetch(url, { headers: { authorization: `Bearer ${rotated.secret}` } })).status).toBe(
          200,
        );
      } finally {
        server.child.kill('SIGINT');
        await server.exit;
      }

      const revoke = run(['keys', 'revoke', rotated.key.id], dataDir);
      expect(await revoke.exit).toBe(0);
      expect(revoke.output()).toMatch(/revoked .* \(revoked /);
      const missing = run(['keys', 'revoke', '00000000-0000-0000-0000-000000000000'], dataDir);
      expect(await missing.exit).toBe(2);
      expect(missing.output()).toContain('[key_not_found]');

      // Quotas: set at creation, changed later, shown with their use in the list.
      const metered = run(
        [
          'keys',
          'create',
          '--tenant',
          'acme',
          '--name',
          'metered',
          '--quota-requests',
          '5',
          '--quota-period',
          'day',
          '--json',
        ],
        dataDir,
      );
      expect(await metered.exit).toBe(0);
      const meteredKey = jsonOf<Issued & { key: { quota: unknown } }>(metered.output()).key;
      expect(meteredKey.quota).toEqual({ period: 'day', requests: 5 });
      const quota = run(['keys', 'quota', meteredKey.id, '--quota-tokens', '1000'], dataDir);
      expect(await quota.exit).toBe(0);
      expect(quota.output()).toContain('quota: 0/1000 tokens per month, resets');
      // Platform keys are admin keys.
      const platform = run(
        ['keys', 'create', '--tenant', 'acme', '--name', 'scraper', '--platform'],
        dataDir,
      );
      expect(await platform.exit).toBe(2);
      expect(platform.output()).toContain('[invalid_platform_key]');
    },
    CLI_TEST_TIMEOUT_MS * 2,
  );

  it(
    'issues and revokes customer sessions: the token is printed once and refused after revocation',
    async () => {
      const dataDir = path.join(scratch, 'sessions-data');
      type Issued = { token: string; session: { id: string; tenantId: string; customerId: string | null } };
      const create = run(['sessions', 'create', '--customer', 'C-1', '--ttl', '15m', '--json'], dataDir);
      expect(await create.exit).toBe(0);
      const issued = jsonOf<Issued>(create.output());
      expect(issued.token).toMatch(/^gws_/);
      expect(issued.session).toMatchObject({ tenantId: 'default', customerId: 'C-1' });
      const anonymous = run(['sessions', 'create'], dataDir);
      expect(await anonymous.exit).toBe(0);
      expect(anonymous.output()).toMatch(/default {2}anonymous {2}\(expires /);
      expect(anonymous.output()).toMatch(/\n {2}gws_\S+\n/);
      const revoke = run(['sessions', 'revoke', issued.session.id], dataDir);
      expect(await revoke.exit).toBe(0);
      expect(revoke.output()).toMatch(/revoked .* customer C-1 {2}\(revoked /);
      const missing = run(['sessions', 'revoke', '00000000-0000-4000-8000-000000000000'], dataDir);
      expect(await missing.exit).toBe(2);
      expect(missing.output()).toContain('[session_not_found]');
      const db = await openDatabase({ dataDir });
      try {
        const { rows } = await db.query<{ action: string }>(
          `SELECT action FROM audit_log WHERE actor = 'cli' AND target = $1 ORDER BY id`,
          [issued.session.id],
        );
        expect(rows.map((row) => row.action)).toEqual(['session.create', 'session.revoke']);
        // The CLI kept its signing secret in the data dir; the revoked session is refused as such.
        const sessions = new SessionService(db, {
          secret: resolveSessionSecret({ dataDir }),
          settings: { defaultTtlSeconds: 3600, maxTtlSeconds: 86_400 },
        });
        expect(await sessions.authenticate(issued.token)).toEqual({ ok: false, reason: 'revoked' });
        const { rows: stored } = await db.query('SELECT * FROM customer_sessions');
        expect(JSON.stringify(stored)).not.toContain(issued.token.split('.')[1]!);
      } finally {
        await db.close();
      }
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'revokes every session a key issued, and lists and clears verification lockouts',
    async () => {
      const dataDir = path.join(scratch, 'key-sessions-data');
      const db = await openDatabase({ dataDir });
      let keyId: string;
      let lockoutId: string;
      try {
        const keys = new ApiKeyService(db);
        keyId = (
          await keys.create({ tenantId: 'default', name: 'widget', role: 'customer' }, { actor: 'cli' })
        ).key.id;
        const sessions = new SessionService(db, {
          secret: resolveSessionSecret({ dataDir }),
          settings: { defaultTtlSeconds: 3600, maxTtlSeconds: 86_400 },
        });
        for (let index = 0; index < 2; index++)
          await sessions.create({ tenantId: 'default', issuedByKey: keyId }, { actor: keyId });
        await migrateSupportStore(db);
        const { rows } = await db.query<{ id: string }>(
          `INSERT INTO support_verification_limits (tenant_id, dimension, subject, failures, locked_at, locked_until)
           VALUES ('default', 'customer', 'cust-0001', 10, now(), now() + interval '1 day') RETURNING id::text AS id`,
        );
        lockoutId = rows[0]!.id;
      } finally {
        await db.close();
      }
      const revoke = run(['sessions', 'revoke', '--key', keyId, '--json'], dataDir);
      expect(await revoke.exit).toBe(0);
      expect(jsonOf(revoke.output())).toEqual({ keyId, revoked: 2 });
      const neither = run(['sessions', 'revoke'], dataDir);
      expect(await neither.exit).toBe(2);
      expect(neither.output()).toContain('[invalid_arguments]');
      const list = run(['support', 'lockouts', 'list'], dataDir);
      expect(await list.exit).toBe(0);
      expect(list.output()).toMatch(
        new RegExp(`${lockoutId} {2}default {2}customer cust-0001 {2}10 failure\\(s\\), locked until `),
      );
      const clear = run(['support', 'lockouts', 'clear', lockoutId, '--json'], dataDir);
      expect(await clear.exit).toBe(0);
      expect(jsonOf(clear.output())).toMatchObject({ id: lockoutId, subject: 'cust-0001', state: 'locked' });
      const check = await openDatabase({ dataDir });
      try {
        const { rows } = await check.query<{ action: string }>(
          `SELECT action FROM audit_log WHERE actor = 'cli' ORDER BY id`,
        );
        expect(rows.map((row) => row.action)).toEqual(
          expect.arrayContaining(['session.revoke-key', 'support.lockout.clear']),
        );
        const left = await check.query('SELECT 1 FROM support_verification_limits');
        expect(left.rows).toEqual([]);
      } finally {
        await check.close();
      }
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'survives being killed mid-job: the next run resumes the job and nothing is half-written',
    async () => {
      const folder = path.join(scratch, 'many');
      const dataDir = path.join(scratch, 'kill-data');
      const { mkdir } = await import('node:fs/promises');
      await mkdir(folder);
      const paragraph = 'Routers forward packets between networks and keep a table of routes. '.repeat(40);
      for (let index = 0; index < 300; index++) {
        await writeFile(
          path.join(folder, `page-${String(index).padStart(3, '0')}.md`),
          `# Page ${index}\n\n${paragraph}\n\n## Part two\n\n${paragraph}`,
        );
      }
      const first = run(['ingest', folder], dataDir);
      await first.waitFor(/ingest .* [1-9]\d*\/300/);
      first.child.kill('SIGKILL');
      await first.exit;

      const second = run(['ingest', folder, '--json'], dataDir);
      expect(await second.exit).toBe(0);
      const db = await openDatabase({ dataDir });
      try {
        const jobs = await db.query<{ status: string; attempts: number; total: number; failed: number }>(
          'SELECT status, attempts, total, failed FROM ingest_jobs ORDER BY created_at',
        );
        // The re-run resumes the interrupted job instead of queueing a second one (ADR 0034).
        expect(jobs.rows.map((job) => job.status)).toEqual(['done']);
        expect(jobs.rows[0]!.attempts).toBe(2);
        expect(jobs.rows.every((job) => job.failed === 0)).toBe(true);
        const documents = await db.query<{ n: number; bad: number }>(
          `SELECT count(*)::int AS n,
                count(*) FILTER (WHERE chunk_count <> (SELECT count(*) FROM chunks c WHERE c.document_id = d.id))::int AS bad
         FROM documents d`,
        );
        expect(documents.rows[0]).toEqual({ n: 300, bad: 0 });
        const stats = await db.query<{ stored: number; actual: number }>(
          `SELECT (SELECT sum(chunk_count) FROM lexical_set_stats WHERE tenant_id = 'default')::int AS stored,
                (SELECT count(*) FROM chunks WHERE lexical_length > 0)::int AS actual`,
        );
        expect(stats.rows[0]!.stored).toBe(stats.rows[0]!.actual);
      } finally {
        await db.close();
      }
    },
    CLI_TEST_TIMEOUT_MS,
  );
});
