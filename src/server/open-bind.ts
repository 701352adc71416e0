/**
 * @module server/open-bind
 * Whether a server may listen where it was asked to. Without auth every caller is an anonymous member
 * of the default tenant that may ingest files and read answers, so listening on a non-loopback
 * address without auth puts that in reach of the whole network: `serve` and `support` refuse to, and
 * start only when forced (`--insecure-open`, or `GROUNDWORK_INSECURE_OPEN=1`), then with a loud
 * warning. See ADR 0065.
 */
import { GroundworkError } from '../errors.ts';
import { isLoopbackName } from './browser-guard.ts';

/** What the server is about to do. */
export interface BindPlan {
  /** The address to listen on (`--host`). */
  readonly host: string;
  /** Whether callers need a credential now (auth `required`, or `auto` once a key exists, or OIDC). */
  readonly authRequired: boolean;
  /** `--insecure-open` or `GROUNDWORK_INSECURE_OPEN=1`. */
  readonly forced: boolean;
}

/** The warning to print when an open bind was forced, or undefined when the bind is safe. */
export function openBindWarning(plan: BindPlan): string | undefined {
  if (isLoopbackName(plan.host) || plan.authRequired) return undefined;
  const message =
    `listening on ${plan.host} with auth off: anyone who can reach this address can ingest files, ` +
    'read every document shared with everyone and spend model tokens.';
  if (!plan.forced) {
    throw new GroundworkError({
      code: 'insecure_bind',
      message:
        `refusing to start: ${message} Create an API key first (groundwork keys create --role admin --name ops), ` +
        'set GROUNDWORK_AUTH=required, listen on 127.0.0.1, or pass --insecure-open (GROUNDWORK_INSECURE_OPEN=1) if this network is trusted.',
    });
  }
  const rule = '!'.repeat(78);
  return `${rule}\n!! WARNING: ${message}\n!! (forced with --insecure-open; create an API key to close it)\n${rule}\n`;
}

/** Whether the environment forces an open bind. */
export function insecureOpenFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.GROUNDWORK_INSECURE_OPEN === '1' || env.GROUNDWORK_INSECURE_OPEN === 'true';
}
