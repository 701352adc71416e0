/**
 * @module agents/inbox/inbox
 * The operator inbox. The assistant escalates a conversation (why, its notes, the customer); it waits
 * until an operator claims it (one operator wins), the operator reads the transcript (audited),
 * replies as a person (the customer sees that a person joined), then hands the conversation back to
 * the assistant or closes it. Every query is confined to the caller's tenant, so another tenant's
 * escalation is `escalation_not_found`.
 */
import { InvalidRequestError } from '../../errors.ts';
import { AuditLog } from '../../identity/audit.ts';
import type { ConversationRef, EscalationRequest, Escalator } from '../../spec/agent-services.ts';
import { appendMessage, listTranscript, type TranscriptMessage } from '../../store/conversations.ts';
import type { CustomerMemoryRow } from '../../store/customer-memories.ts';
import type { Database, SqlExecutor } from '../../store/database.ts';
import {
  type Escalation,
  type EscalationOrder,
  type EscalationStatus,
  listEscalations,
  openEscalationOf,
  setEscalationStatus,
} from '../../store/escalations.ts';
import type { CustomerMemory } from '../memory/customer.ts';
import { type InboxSummary, latestEscalationOf, summarizeInbox, unansweredOrdinals } from './case-state.ts';
import { readCustomerView } from './customer-view.ts';
import { insertEscalation } from './escalate.ts';
import { type InboxEvent, InboxEvents } from './events.ts';
import {
  conflict,
  type OperatorScope,
  requireEscalation,
  requireHolder,
  requireNoNewerOpen,
} from './guards.ts';

/** An escalation with everything an operator needs to take over. */
export interface EscalationTranscript {
  readonly escalation: Escalation;
  /** Every message, agent tool calls (role `tool`) and events included, oldest first. */
  readonly messages: TranscriptMessage[];
  /** The customer's long-term memories (facts, preferences, past issues), newest first. */
  readonly customerMemories: CustomerMemoryRow[];
  /** Ordinals of the customer's messages nobody has answered yet (written while a person held it). */
  readonly unanswered: number[];
}

/** Optional collaborators of the inbox. */
export interface InboxOptions {
  /** Where a closed escalation's resolution is remembered, and what the operator sees of the customer. */
  readonly customerMemory?: Pick<CustomerMemory, 'remember' | 'list'>;
  /** Hears each new escalation (the app counts them in its metrics). */
  readonly onEscalated?: (escalation: Escalation) => void;
}

/** Statuses nobody holds, which any operator may close. */
const UNHELD: readonly EscalationStatus[] = ['waiting', 'returned'];

/** Event lines the customer sees in the conversation. */
export const INBOX_NOTICES = {
  joined: 'A person has joined the conversation.',
  returned: 'The assistant is back in the conversation.',
  closed: 'The conversation was closed.',
} as const;

export type { InboxSummary } from './case-state.ts';
export type { CustomerConversationView } from './customer-view.ts';
export type { OperatorScope } from './guards.ts';

/** The inbox service; also the runner's `Escalator`. */
export class InboxService implements Escalator {
  /** Subscribe here to stream inbox changes (SSE). */
  readonly events = new InboxEvents();
  private readonly audit: AuditLog;

  constructor(
    private readonly db: Database,
    private readonly options: InboxOptions = {},
  ) {
    this.audit = new AuditLog(db);
  }

  /**
   * Parks a conversation for a person.
   *
   * @example
   * await inbox.escalate({ tenantId, conversationId, trigger: 'customer-request', reason: 'Asked for a person',
   *   notes: [{ agent: 'billing', text: 'Refund above the limit.' }], customer: context.customer });
   */
  async escalate(request: EscalationRequest): Promise<Escalation> {
    const { escalation, created } = await this.db.transaction((tx) => insertEscalation(tx, request));
    if (created) {
      this.emit('escalation-created', escalation);
      this.options.onEscalated?.(escalation);
    }
    return escalation;
  }

  /** Whether a person holds the conversation (waiting or claimed). */
  async isWithPerson(ref: ConversationRef): Promise<boolean> {
    return (await openEscalationOf(this.db, ref.tenantId, ref.conversationId)) !== undefined;
  }

  /**
   * The customer's view of a conversation: questions, answers, a person's replies and events, never
   * tool calls or the operator's key; `after` returns only newer messages (polling).
   */
  customerView(ref: ConversationRef, options: { after?: number; limit?: number } = {}) {
    return readCustomerView(this.db, ref, options);
  }

  /** The tenant's escalations, longest waiting first (`order: 'newest'`: most recent first). */
  list(
    tenantId: string,
    options: { status?: EscalationStatus; limit?: number; order?: EscalationOrder } = {},
  ): Promise<Escalation[]> {
    return listEscalations(this.db, tenantId, options);
  }

  /** How many cases the tenant has per status. */
  summary(tenantId: string): Promise<InboxSummary> {
    return summarizeInbox(this.db, tenantId);
  }

  /** Ordinals of the customer's messages nobody has answered yet, oldest first. */
  unanswered(ref: ConversationRef): Promise<number[]> {
    return unansweredOrdinals(this.db, ref);
  }

  /**
   * Tells operators that a message was stored in a conversation that was ever escalated (the open
   * case then reloads live); other conversations are nobody's case and stay quiet.
   */
  async messageAdded(ref: ConversationRef, role: 'user' | 'assistant'): Promise<void> {
    const escalation = await latestEscalationOf(this.db, ref);
    if (escalation) this.emit('message-created', escalation, undefined, role);
  }

  /** One escalation with its transcript; the read is written to the audit log. */
  async transcript(scope: OperatorScope, id: string): Promise<EscalationTranscript> {
    const escalation = await requireEscalation(this.db, scope.tenantId, id);
    const messages = await listTranscript(this.db, scope.tenantId, escalation.conversationId);
    const unanswered = await unansweredOrdinals(this.db, {
      tenantId: scope.tenantId,
      conversationId: escalation.conversationId,
    });
    const memory = this.options.customerMemory;
    const customerMemories =
      memory && escalation.customerId
        ? await memory.list({ tenantId: scope.tenantId, customerId: escalation.customerId }, 20)
        : [];
    await this.audit.record({
      tenantId: scope.tenantId,
      actor: scope.actor,
      action: 'inbox.transcript.read',
      target: escalation.id,
      details: { conversationId: escalation.conversationId, messages: messages.length },
    });
    return { escalation, messages, customerMemories, unanswered };
  }

  /**
   * Claims a waiting escalation, or takes a handed-back one again (`escalation_superseded` when its
   * conversation was escalated again since); claiming one held by another operator is `already_claimed`.
   */
  async claim(scope: OperatorScope, id: string): Promise<Escalation> {
    const { escalation, changed } = await this.db.transaction(async (tx) => {
      const current = await requireEscalation(tx, scope.tenantId, id, true);
      if (current.status === 'claimed' && current.claimedBy === scope.actor) {
        return { escalation: current, changed: false };
      }
      if (current.status === 'claimed') {
        throw conflict('already_claimed', `Escalation ${id} is already claimed by another operator.`);
      }
      if (current.status === 'closed') {
        throw conflict('escalation_not_open', `Escalation ${id} is ${current.status}.`);
      }
      if (current.status === 'returned') await requireNoNewerOpen(tx, current);
      const claimed = await setEscalationStatus(tx, current.id, 'claimed', scope.actor);
      await this.notice(tx, claimed, INBOX_NOTICES.joined);
      await this.record(tx, scope, 'inbox.claim', claimed);
      return { escalation: claimed, changed: true };
    });
    if (changed) this.emit('escalation-claimed', escalation, scope.actor);
    return escalation;
  }

  /** Replies to the customer as a person; only the operator holding the escalation may. */
  async reply(scope: OperatorScope, id: string, text: string): Promise<TranscriptMessage> {
    const content = text.trim();
    if (!content) throw new InvalidRequestError('empty_reply', 'A reply needs some text.');
    const { escalation, ordinal } = await this.db.transaction(async (tx) => {
      const current = await requireHolder(tx, scope, id);
      const ordinal = await appendMessage(tx, scope.tenantId, current.conversationId, {
        role: 'operator',
        content,
        author: scope.actor,
      });
      await this.record(tx, scope, 'inbox.reply', current);
      return { escalation: current, ordinal: ordinal! };
    });
    this.emit('operator-replied', escalation, scope.actor);
    const [message] = await listTranscript(this.db, scope.tenantId, escalation.conversationId, {
      after: ordinal - 1,
      limit: 1,
    });
    return message!;
  }

  /** Hands the conversation back to the assistant. */
  async handBack(scope: OperatorScope, id: string): Promise<Escalation> {
    const escalation = await this.db.transaction(async (tx) => {
      const current = await requireHolder(tx, scope, id);
      const returned = await setEscalationStatus(tx, current.id, 'returned');
      await this.notice(tx, returned, INBOX_NOTICES.returned);
      await this.record(tx, scope, 'inbox.handback', returned);
      return returned;
    });
    this.emit('escalation-returned', escalation, scope.actor);
    return escalation;
  }

  /**
   * Closes an escalation that is waiting or handed back (nobody holds either), or held by this operator. With a `resolution`, the issue
   * and how it was resolved become a long-term memory of the customer (when the escalation has one),
   * stored before the close so a failed embedding leaves the escalation open to retry.
   */
  async close(scope: OperatorScope, id: string, options: { resolution?: string } = {}): Promise<Escalation> {
    const resolution = options.resolution?.trim();
    const before = await requireEscalation(this.db, scope.tenantId, id);
    if (!UNHELD.includes(before.status)) await requireHolder(this.db, scope, id);
    if (resolution && before.customerId && this.options.customerMemory) {
      await this.options.customerMemory.remember(
        { tenantId: scope.tenantId, customerId: before.customerId },
        { kind: 'issue', text: before.reason, resolution, sourceConversation: before.conversationId },
      );
    }
    const escalation = await this.db.transaction(async (tx) => {
      const current = await requireEscalation(tx, scope.tenantId, id, true);
      if (!UNHELD.includes(current.status)) await requireHolder(tx, scope, id);
      const closed = await setEscalationStatus(tx, current.id, 'closed');
      await this.notice(tx, closed, INBOX_NOTICES.closed);
      await this.audit.record(
        {
          tenantId: scope.tenantId,
          actor: scope.actor,
          action: 'inbox.close',
          target: closed.id,
          ...(resolution ? { details: { resolution } } : {}),
        },
        tx,
      );
      return closed;
    });
    this.emit('escalation-closed', escalation, scope.actor);
    return escalation;
  }

  private async notice(tx: SqlExecutor, escalation: Escalation, content: string): Promise<void> {
    await appendMessage(tx, escalation.tenantId, escalation.conversationId, { role: 'system', content });
  }

  private record(tx: SqlExecutor, scope: OperatorScope, action: string, escalation: Escalation) {
    return this.audit.record(
      { tenantId: scope.tenantId, actor: scope.actor, action, target: escalation.id },
      tx,
    );
  }

  private emit(
    type: Parameters<InboxEvents['emit']>[0]['type'],
    escalation: Escalation,
    actor?: string,
    role?: InboxEvent['role'],
  ) {
    this.events.emit({
      type,
      tenantId: escalation.tenantId,
      escalationId: escalation.id,
      conversationId: escalation.conversationId,
      ...(actor ? { actor } : {}),
      ...(role ? { role } : {}),
    });
  }
}
