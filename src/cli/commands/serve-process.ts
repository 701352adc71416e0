/**
 * @module cli/commands/serve-process
 * What a `serve` process is and how it ends: its role (`api` serves HTTP and never claims jobs,
 * `worker` claims jobs and serves only probes and metrics, `all` does both) and its graceful drain on
 * SIGTERM or SIGINT (ADR 0058): stop accepting, let requests in flight finish and open streams end
 * with a final event, stop the worker, close the database, exit 0 before the grace period ends.
 */
import type { Server } from 'node:http';
import { Server as NetServer } from 'node:net';
import { ConfigError } from '../../errors.ts';
import type { IngestionService } from '../../ingest/service.ts';
import { sleep } from '../../os/abortable.ts';
import type { ServerDrain } from '../../server/drain.ts';

/** The roles of a server process. */
export const SERVER_ROLES = ['api', 'worker', 'all'] as const;

/** What one server process does. */
export type ServerRole = (typeof SERVER_ROLES)[number];

/** Default grace period of a shutdown: Kubernetes waits 30 s before SIGKILL, systemd 90 s. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

/** Checks `--role` (or GROUNDWORK_ROLE); throws a ConfigError that says what to set. */
export function parseRole(value: string | undefined): ServerRole {
  const role = (value ?? 'all').trim().toLowerCase();
  if ((SERVER_ROLES as readonly string[]).includes(role)) return role as ServerRole;
  throw new ConfigError(
    `Unknown role "${value}": set --role (or GROUNDWORK_ROLE) to api (HTTP API, never claims jobs), ` +
      'worker (claims ingestion jobs; serves only /healthz, /readyz and /metrics) or all (both; the default).',
  );
}

/** Refuses split roles on the embedded database: one process owns it, so it must also run the jobs. */
export function checkRoleForDatabase(role: ServerRole, dialect: 'pglite' | 'postgres'): void {
  if (role === 'all' || dialect === 'postgres') return;
  throw new ConfigError(
    `--role ${role} needs a Postgres server (DATABASE_URL): the embedded database belongs to one process, ` +
      'which must serve the API and run the ingestion jobs alike. Use --role all, or set DATABASE_URL.',
  );
}

/** GROUNDWORK_SHUTDOWN_GRACE_MS: how long a shutdown may take, in milliseconds (default 10 s). */
export function shutdownGraceMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.GROUNDWORK_SHUTDOWN_GRACE_MS?.trim();
  if (!raw) return DEFAULT_SHUTDOWN_GRACE_MS;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 100 || value > 3_600_000) {
    throw new ConfigError(
      `GROUNDWORK_SHUTDOWN_GRACE_MS is "${raw}": set it to whole milliseconds from 100 to 3600000 ` +
        '(keep it below the orchestrator’s kill timeout, e.g. 10000 under a 30 s terminationGracePeriodSeconds).',
    );
  }
  return value;
}

/** Share of the grace period kept for stopping the worker's bookkeeping and closing the database. */
const CLOSE_RESERVE_SHARE = 0.2;
const CLOSE_RESERVE_MAX_MS = 2000;
/** How often idle keep-alive connections are closed while the drain waits for streams to end. */
const IDLE_SWEEP_MS = 100;
/** How long connections idle at the start of a drain stay open to answer a request already sent. */
const IDLE_LINGER_MS = 1000;

/** What a drain stops. */
export interface DrainTargets {
  /** The listening server (absent for a process that serves nothing). */
  readonly server?: Server;
  /** The HTTP side of the drain; ends streams, answers `/readyz` 503. */
  readonly drain: ServerDrain;
  /** The ingestion service when this process runs the worker. */
  readonly ingestion?: IngestionService;
  /** Closes everything else (the app, with its database); runs last. */
  readonly close: () => Promise<void>;
  /** Runs first (stop background tasks such as the vector backfill). */
  readonly beforeDrain?: () => void;
  readonly graceMs: number;
  readonly log?: (line: string) => void;
  /** Ends the process; tests of this module pass their own. */
  readonly exit?: (code: number) => void;
}

/**
 * Drains on the first SIGTERM or SIGINT; a second one exits at once with code 1. The process exits 0
 * when everything closed within the grace period, 1 when the grace period ran out first.
 */
export function installGracefulShutdown(targets: DrainTargets): {
  shutdown: (signal: string) => Promise<void>;
} {
  let started = false;
  const exit = targets.exit ?? ((code: number) => process.exit(code));
  const log = targets.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const shutdown = async (signal: string): Promise<void> => {
    if (started) {
      log(`groundwork: ${signal} again; exiting now`);
      exit(1);
      return;
    }
    started = true;
    const hardStop = setTimeout(() => {
      log(`groundwork: the shutdown took longer than ${targets.graceMs} ms; exiting without finishing it`);
      exit(1);
    }, targets.graceMs);
    hardStop.unref();
    log(`groundwork: ${signal} received; draining (grace period ${targets.graceMs} ms)`);
    try {
      await drainWithin(targets);
      clearTimeout(hardStop);
      exit(0);
    } catch (error) {
      clearTimeout(hardStop);
      log(`groundwork: the shutdown failed: ${(error as Error).message}`);
      exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  return { shutdown };
}

/** The drain itself: everything but the signal handling and the exit. */
export async function drainWithin(targets: DrainTargets): Promise<void> {
  const started = Date.now();
  const reserve = Math.min(CLOSE_RESERVE_MAX_MS, Math.floor(targets.graceMs * CLOSE_RESERVE_SHARE));
  const workBudget = Math.max(0, targets.graceMs - reserve);
  targets.beforeDrain?.();
  // Streams that end by themselves get until the work budget; subscriptions end now.
  targets.drain.begin({ streamDeadlineMs: workBudget });
  const server = targets.server;
  const serverClosed = server
    ? new Promise<void>((resolve) => {
        // Stop accepting, but not `server.close()`: since Node 19 it also closes idle connections at
        // once, which is what the linger below avoids. Resolves when the last connection has ended.
        NetServer.prototype.close.call(server, () => resolve());
      })
    : Promise.resolve();
  // Idle keep-alive connections would hold `close` open; busy ones are closed after their response
  // (drain responses carry `Connection: close`). A connection idle when the drain begins may carry a
  // request already on its way: closing it at once resets that request, which the client cannot tell
  // from a failure. For a moment such requests are answered instead (503 server_shutting_down, retry
  // elsewhere); then what is still idle is closed, and swept until the server is closed.
  let sweep: NodeJS.Timeout | undefined;
  const linger = server
    ? setTimeout(
        () => {
          server.closeIdleConnections();
          sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
        },
        Math.min(IDLE_LINGER_MS, Math.floor(workBudget / 4)),
      )
    : undefined;
  const worker = stopWorker(targets.ingestion, workBudget);
  const httpDone = Promise.race([
    Promise.all([serverClosed, targets.drain.idle()]),
    sleep(workBudget, { unref: true }).then(() => {
      // Out of time: end what still streams, give the final events a moment to go out, then cut.
      targets.drain.endStreams();
      return sleep(Math.min(250, reserve / 2), { unref: true }).then(() => server?.closeAllConnections());
    }),
  ]);
  await Promise.all([httpDone, worker]);
  clearTimeout(linger);
  clearInterval(sweep);
  server?.closeAllConnections();
  await targets.close();
  targets.log?.(`groundwork: drained in ${Date.now() - started} ms`);
}

/**
 * Stops this process's ingestion worker within `ms` (ADR 0034): it stops claiming at once, lets the
 * current items finish within the grace and hands their jobs back to the queue, bumping the fencing
 * token of any still busy so their late writes are refused; another worker resumes them at once.
 */
async function stopWorker(ingestion: IngestionService | undefined, ms: number): Promise<void> {
  if (!ingestion) return;
  await ingestion.worker.drain(ms);
}
