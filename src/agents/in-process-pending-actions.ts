/**
 * @module agents/in-process-pending-actions
 * The in-memory sibling of the Postgres pending-action store, for tests and apps without a database.
 * A pending action is lost when the process ends.
 */
import type { PendingAction, PendingActionStore } from '../spec/agents.ts';

/** Pending actions in a map, copied in and out. */
export class InProcessPendingActionStore implements PendingActionStore {
  readonly #actions = new Map<string, PendingAction>();

  async propose(action: PendingAction): Promise<void> {
    this.#actions.set(key(action.tenantId, action.conversationId), structuredClone(action));
  }

  async get(tenantId: string, conversationId: string): Promise<PendingAction | undefined> {
    const action = this.#actions.get(key(tenantId, conversationId));
    return action && structuredClone(action);
  }

  async take(tenantId: string, conversationId: string): Promise<PendingAction | undefined> {
    const action = await this.get(tenantId, conversationId);
    this.#actions.delete(key(tenantId, conversationId));
    return action;
  }
}

function key(tenantId: string, conversationId: string): string {
  return JSON.stringify([tenantId, conversationId]);
}
