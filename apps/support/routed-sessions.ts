/**
 * @module support/routed-sessions
 * The no-LLM policy's state between turns, one row per conversation in `support_routed_sessions`:
 * what the customer asked before we asked them to verify, the failure count and the last agent. A new
 * process over the same database carries the conversation on where it stopped. The verified customer
 * is not part of it: that is `ConversationCustomers`, shared with the agents' mode.
 */
import { z } from 'zod';
import type { ConversationRef } from '../../src/spec/agent-services.ts';
import type { SqlExecutor } from '../../src/store/database.ts';
import { dialogueStateSchema } from './dialogue/state.ts';
import type { SupportSession } from './policy.ts';

/** Bumped when the stored shape changes; older rows are read by their own schema. */
const STATE_VERSION = 1;

const AGENTS = ['triage', 'faq', 'orders', 'returns', 'troubleshooting', 'human'] as const;

const storedState = z.object({
  schemaVersion: z.literal(STATE_VERSION),
  pending: z.object({ intent: z.string(), orderNumber: z.string().optional(), text: z.string() }).optional(),
  failures: z.number().int().min(0),
  lastAgent: z.enum(AGENTS).optional(),
  // Optional, so rows written before it existed read as they were.
  dialogue: dialogueStateSchema.optional(),
});

/** The state of a routed conversation, without its customer. */
export type RoutedState = Pick<SupportSession, 'pending' | 'failures' | 'lastAgent' | 'dialogue'>;

/** Per-conversation policy state on Postgres; every statement filters by tenant. */
export class RoutedSessions {
  constructor(private readonly db: SqlExecutor) {}

  /**
   * The stored state, or undefined for a conversation without one. A row this version cannot read
   * (written by a newer release, or damaged) is treated as a fresh start rather than failing the turn:
   * the state only saves the customer from repeating themselves.
   */
  async load(ref: ConversationRef): Promise<RoutedState | undefined> {
    const { rows } = await this.db.query<{ state: unknown }>(
      'SELECT state FROM support_routed_sessions WHERE tenant_id = $1 AND conversation_id = $2',
      [ref.tenantId, ref.conversationId],
    );
    const raw = rows[0]?.state;
    if (raw === undefined) return undefined;
    const parsed = storedState.safeParse(typeof raw === 'string' ? JSON.parse(raw) : raw);
    if (!parsed.success) return undefined;
    const { pending, failures, lastAgent, dialogue } = parsed.data;
    return {
      failures,
      ...(pending ? { pending } : {}),
      ...(lastAgent ? { lastAgent } : {}),
      ...(dialogue ? { dialogue } : {}),
    };
  }

  /** Stores (or replaces) the conversation's state. */
  async save(ref: ConversationRef, state: RoutedState): Promise<void> {
    const stored: z.infer<typeof storedState> = {
      schemaVersion: STATE_VERSION,
      failures: state.failures,
      ...(state.pending ? { pending: state.pending } : {}),
      ...(state.lastAgent ? { lastAgent: state.lastAgent } : {}),
      ...(state.dialogue ? { dialogue: state.dialogue } : {}),
    };
    await this.db.query(
      `INSERT INTO support_routed_sessions (tenant_id, conversation_id, state)
       VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (tenant_id, conversation_id) DO UPDATE SET state = EXCLUDED.state, updated_at = now()`,
      [ref.tenantId, ref.conversationId, JSON.stringify(stored)],
    );
  }
}
