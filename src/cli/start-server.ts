/**
 * @module cli/start-server
 * The one way a server process starts, shared by `serve`, `start` and `support`: check the role
 * against the database, decide once whether callers need a credential (API keys, OIDC bearer tokens)
 * and refuse an open bind without one, run the caller's preparation, start the ingestion worker,
 * mount the HTTP app with the caller's routes, listen, print the banner and drain gracefully on
 * SIGTERM or SIGINT (ADR 0058). What differs between the commands is passed in: extra routes, the
 * preparation and the banner's own lines.
 */
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import type { Groundwork } from '../app.ts';
import { findDatabaseUnavailable } from '../errors.ts';
import { logger } from '../observability/logger.ts';
import { createHttpApp, type HttpAppOptions } from '../server/app.ts';
import { authRequired } from '../server/authenticate.ts';
import { ServerDrain } from '../server/drain.ts';
import { openBindWarning } from '../server/open-bind.ts';
import { checkRoleForDatabase, installGracefulShutdown, type ServerRole } from './commands/serve-process.ts';

/** Idle kept-alive connections stay open this long, beyond a proxy's 60 s idle timeout. */
export const KEEP_ALIVE_TIMEOUT_MS = 75_000;
/** Whether callers need a credential, and the banner line that says so. */
export interface AuthSummary {
  readonly required: boolean;
  /** The banner's `auth:` line, after `auth: `. */
  readonly line: string;
}

/**
 * Decides whether /v1 needs a credential now, with the same rule the middleware applies (an OIDC
 * issuer makes `auto` required even before the first API key exists), and describes it.
 */
export async function describeAuth(app: Pick<Groundwork, 'config' | 'keys'>): Promise<AuthSummary> {
  const mode = app.config.auth;
  const issuer = app.config.oidc?.issuer;
  const required = await authRequired(mode, app.keys, issuer !== undefined);
  const oidc = issuer ? `; bearer JWTs from ${issuer} accepted` : '';
  if (mode === 'off')
    return { required, line: 'off (every caller is an anonymous member of the default tenant)' };
  if (mode === 'required') return { required, line: `required (API key on every /v1 request)${oidc}` };
  if (issuer)
    return {
      required,
      line: `required (auto: OIDC is configured; send a bearer JWT from ${issuer} or an API key)`,
    };
  return {
    required,
    line: required
      ? 'required (auto: API keys exist; send Authorization: Bearer gw_…)'
      : 'off until the first API key exists (auto); create one: groundwork keys create --role admin --name ops',
  };
}

/** What the banner may say about the running server. */
export interface BannerContext {
  /** `http://host:port` */
  readonly url: string;
  readonly auth: AuthSummary;
  /** `embedded Postgres in <dir>` or `Postgres server`. */
  readonly storage: string;
}

/** How a server process starts. */
export interface StartServerOptions {
  readonly host: string;
  readonly port: string;
  /** Listen on a non-loopback address without auth anyway (server/open-bind.ts). */
  readonly insecureOpen: boolean;
  /** Default `all`. */
  readonly role?: ServerRole;
  /** How long a graceful shutdown may take (`shutdownGraceMs()`, read before the app was built). */
  readonly graceMs: number;
  /** Extra HTTP options: an app's routes and customer directory (see createSupportApp). */
  readonly http?: Pick<HttpAppOptions, 'routes' | 'customers'>;
  /**
   * Runs once the bind is known to be allowed and before the worker starts: ingest the demo or the
   * app's knowledge, build the web UI, mount an app. Its result is handed to `banner`.
   */
  readonly prepare?: () => Promise<Pick<HttpAppOptions, 'routes' | 'customers'> | undefined>;
  /** Runs right after the worker started (background tasks of a worker process). */
  readonly afterWorkerStart?: (signal: AbortSignal) => void;
  /** The banner printed once the server listens. */
  readonly banner: (context: BannerContext) => string;
  /** Where lines go; default stdout and stderr. */
  readonly out?: (text: string) => void;
  readonly err?: (text: string) => void;
}

/** A started server. */
export interface StartedServer {
  readonly server: Server;
  readonly auth: AuthSummary;
}

/**
 * Starts serving `app` and drains it on SIGTERM or SIGINT. On any failure before it listens the app
 * is closed and the error thrown (the CLI prints it and exits 2).
 */
export async function startServer(app: Groundwork, options: StartServerOptions): Promise<StartedServer> {
  const role = options.role ?? 'all';
  const out = options.out ?? ((text: string) => process.stdout.write(text));
  const err = options.err ?? ((text: string) => process.stderr.write(text));
  let auth: AuthSummary;
  let extraHttp: Pick<HttpAppOptions, 'routes' | 'customers'> | undefined;
  try {
    checkRoleForDatabase(role, app.health.dialect);
    // Before anything is ingested or listens: a non-loopback bind without auth is refused unless forced.
    auth = await describeAuth(app);
    const warning = openBindWarning({
      host: options.host,
      authRequired: auth.required,
      forced: options.insecureOpen,
    });
    if (warning) err(warning);
    extraHttp = await options.prepare?.();
  } catch (error) {
    await app.close();
    throw error;
  }
  const runsWorker = role !== 'api';
  const background = new AbortController();
  if (runsWorker) {
    app.ingestion.events.on('worker-error', (error) => {
      // An outage is one line per poll, not a stack trace; the worker resumes by itself. Anything
      // else goes through the logger, which scrubs personal data from the error it quotes.
      if (findDatabaseUnavailable(error)) err(`ingestion worker: ${(error as Error).message}\n`);
      else logger.error({ err: error }, 'The ingestion worker failed.');
    });
    app.ingestion.start();
    app.sources.startSchedule({
      onError: (error) => logger.warn({ err: error }, 'Starting scheduled source syncs failed.'),
    });
    options.afterWorkerStart?.(background.signal);
  }
  const drain = new ServerDrain();
  const http = createHttpApp(app, {
    ...options.http,
    ...extraHttp,
    drain,
    surface: role === 'worker' ? 'probes' : 'api',
    bindHost: options.host,
  });
  const server = serve({ fetch: http.fetch, port: Number(options.port), hostname: options.host }) as Server;
  // Behind a proxy or load balancer, the side that closes an idle kept-alive connection must be the
  // proxy: if this server closed first (Node's default is after 5 s), a request the proxy sends on the
  // connection at that moment is reset, and a proxy does not retry a POST. Proxies keep idle upstream
  // connections for 60 s (nginx, cloud load balancers), so this server keeps them longer.
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1000;
  server.on('listening', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    const storage =
      app.health.dialect === 'pglite' ? `embedded Postgres in ${app.config.dataDir}` : 'Postgres server';
    out(options.banner({ url: `http://${options.host}:${port}`, auth, storage }));
  });
  server.on('error', async (error) => {
    err(`groundwork: cannot listen on ${options.host}:${options.port}: ${error.message}\n`);
    await app.close();
    process.exit(1);
  });
  installGracefulShutdown({
    server,
    drain,
    ingestion: runsWorker ? app.ingestion : undefined,
    beforeDrain: () => background.abort(),
    close: () => app.close(),
    graceMs: options.graceMs,
  });
  return { server, auth };
}
