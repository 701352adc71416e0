/**
 * @module os/instance-registry
 * Server processes sharing one Postgres database announce themselves (host, pid, role, version and a
 * fingerprint of their session secret) and keep a heartbeat. A process that would sign or verify
 * customer sessions with a different secret than the live ones refuses to start: otherwise a session
 * issued by one process is rejected by the next, intermittently and with nothing in the logs.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { ConfigError } from '../errors.ts';
import type { SqlExecutor } from '../store/database.ts';
import { type InstanceRow, liveInstances, removeInstance, upsertInstance } from '../store/instances.ts';
import { startPeriodic } from './periodic.ts';

/** A process is live while its heartbeat is younger than this. */
export const INSTANCE_FRESH_SECONDS = 30;
const HEARTBEAT_MS = 10_000;

/** What a process says about itself. */
export interface InstanceDescription {
  readonly role: string;
  readonly version: string;
  readonly secretFingerprint: string;
}

/** Live processes signing sessions with another secret than `fingerprint`. */
export async function disagreeingInstances(
  db: SqlExecutor,
  fingerprint: string,
  exceptId?: string,
): Promise<InstanceRow[]> {
  const live = await liveInstances(db, INSTANCE_FRESH_SECONDS, exceptId);
  return live.filter((instance) => instance.secretFingerprint !== fingerprint);
}

/** The message that explains a disagreement and what to do about it. */
export function disagreementMessage(others: readonly InstanceRow[]): string {
  const names = others.map((other) => `${other.role} process ${other.pid} on ${other.hostname}`).join(', ');
  return (
    `Another groundwork process on this database signs customer sessions with a different secret (${names}), ` +
    'so sessions would fail on one process or the other. Give every process the same GROUNDWORK_SESSION_SECRET, ' +
    'or unset it everywhere (the database then holds one shared secret); to change the secret, stop the others first.'
  );
}

/** This process's registration: refuses to join a disagreeing deployment, then keeps its heartbeat. */
export class InstanceRegistry {
  readonly id = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private stopHeartbeat: (() => Promise<void>) | undefined;

  constructor(
    private readonly db: SqlExecutor,
    private readonly self: InstanceDescription,
  ) {}

  /** Registers and starts the heartbeat; throws a ConfigError when live processes disagree. */
  async join(onError: (error: unknown) => void = () => {}): Promise<void> {
    const others = await disagreeingInstances(this.db, this.self.secretFingerprint, this.id);
    if (others.length > 0) throw new ConfigError(disagreementMessage(others));
    const row = { id: this.id, hostname: hostname(), pid: process.pid, ...this.self };
    await upsertInstance(this.db, row);
    this.stopHeartbeat = startPeriodic(() => upsertInstance(this.db, row), {
      intervalMs: HEARTBEAT_MS,
      onError,
    });
  }

  /** Stops the heartbeat and removes the row. */
  async leave(): Promise<void> {
    await this.stopHeartbeat?.();
    this.stopHeartbeat = undefined;
    await removeInstance(this.db, this.id).catch(() => {});
  }
}
