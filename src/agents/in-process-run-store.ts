/**
 * @module agents/in-process-run-store
 * The in-memory sibling of the Postgres run store: for tests and for apps without a database. Paused
 * runs are lost when the process ends.
 */
import type { AgentRunStore, StoredAgentRun } from '../spec/agents.ts';

/** Runs kept in a map, copied in and out so callers cannot change what is stored. */
export class InProcessRunStore implements AgentRunStore {
  readonly #runs = new Map<string, StoredAgentRun>();

  async save(run: StoredAgentRun): Promise<void> {
    this.#runs.set(run.id, structuredClone(run));
  }

  async load(tenantId: string, runId: string): Promise<StoredAgentRun | undefined> {
    const run = this.#runs.get(runId);
    return run && run.tenantId === tenantId ? structuredClone(run) : undefined;
  }

  async claimPaused(tenantId: string, runId: string): Promise<StoredAgentRun | undefined> {
    const run = this.#runs.get(runId);
    if (!run || run.tenantId !== tenantId || run.status !== 'paused') return undefined;
    const claimed = { ...run, status: 'running' as const };
    this.#runs.set(runId, claimed);
    return structuredClone(claimed);
  }
}
