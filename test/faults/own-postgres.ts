/**
 * @module test/faults/own-postgres
 * A Postgres server that a fault test starts, restarts and stops itself (its own data directory and
 * port, through scripts/postgres-server.sh), so killing it never disturbs a server other tests share.
 * Outside CI the tests skip when the server binaries (PyPI `pgserver`, installed by .ci/run) are
 * absent; on CI their absence is a failure.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = path.resolve(import.meta.dirname, '../../scripts/postgres-server.sh');

/** Where the script keeps its binaries (the same rule as the script). */
function cacheDir(): string {
  if (process.env.GROUNDWORK_CACHE) return process.env.GROUNDWORK_CACHE;
  return process.getuid?.() === 0 ? '/var/cache/groundwork' : path.join(homedir(), '.cache/groundwork');
}

/** True when the Postgres binaries are installed; on CI, their absence throws. */
export function postgresBinariesPresent(): boolean {
  const lib = path.join(cacheDir(), 'pgserver-venv/lib');
  const present =
    existsSync(lib) &&
    readdirSync(lib).some((python) =>
      existsSync(path.join(lib, python, 'site-packages/pgserver/pginstall/bin/postgres')),
    );
  if (!present && process.env.CI === 'true') {
    throw new Error(
      'CI must run the fault suite: the pgserver binaries are missing (.ci/run installs them).',
    );
  }
  return present;
}

/** A running server of our own. */
export interface OwnPostgres {
  readonly url: string;
  restart(mode: 'fast' | 'immediate'): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and removes its data directory. */
  destroy(): Promise<void>;
}

/** Initialises and starts a server on `port` in a fresh data directory. */
export async function startOwnPostgres(port: number): Promise<OwnPostgres> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'gw-faults-pg-'));
  const env = { ...process.env, GROUNDWORK_PGDATA: dataDir, GROUNDWORK_PG_PORT: String(port) };
  const script = (...args: string[]) => run('bash', [SCRIPT, ...args], { env, timeout: 120_000 });
  const { stdout } = await script('start');
  const url = stdout.trim().split('\n').at(-1) as string;
  return {
    url,
    restart: async (mode) => {
      await script('restart', mode);
    },
    stop: async () => {
      await script('stop');
    },
    start: async () => {
      await script('start');
    },
    destroy: async () => {
      await script('stop').catch(() => {});
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
