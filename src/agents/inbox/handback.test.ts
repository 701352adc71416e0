import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendMessage, createConversation } from '../../store/conversations.ts';
import type { Database } from '../../store/database.ts';
import { ensureTenant } from '../../store/documents.ts';
import { testBackends } from '../../testing/databases.ts';
import type { InboxEvent } from './events.ts';
import { INBOX_NOTICES, InboxService } from './inbox.ts';

const ann = { tenantId: 'acme', actor: 'key-ann' };
const ben = { tenantId: 'acme', actor: 'key-ben' };

// What happens to a case after a person hands it back: it can be taken again or closed, what the
// customer wrote while a person held it is visible as unanswered, and closed cases stay listed.
describe.each(testBackends())('the inbox after hand-back on $name', (backend) => {
  let db: Database;
  let inbox: InboxService;
  const events: InboxEvent[] = [];

  beforeAll(async () => {
    db = await backend.open();
    await ensureTenant(db, 'acme');
    await ensureTenant(db, 'other');
    inbox = new InboxService(db);
    inbox.events.subscribe((event) => events.push(event));
  }, 120_000);
  afterAll(async () => db?.close());

  async function say(conversationId: string, role: 'user' | 'assistant', content: string) {
    return (await db.transaction((tx) => appendMessage(tx, 'acme', conversationId, { role, content })))!;
  }

  async function escalated(tenantId = 'acme') {
    const conversation = await createConversation(db, tenantId, 'Parcel');
    await db.transaction(async (tx) => {
      await appendMessage(tx, tenantId, conversation.id, { role: 'user', content: 'Where is my parcel?' });
      await appendMessage(tx, tenantId, conversation.id, {
        role: 'assistant',
        content: 'A person will help.',
      });
    });
    const escalation = await inbox.escalate({
      tenantId,
      conversationId: conversation.id,
      trigger: 'customer-request',
      reason: 'Wants a person',
    });
    return { conversationId: conversation.id, id: escalation.id };
  }

  it('re-claims a handed-back case, by the same or another operator, and the customer is told', async () => {
    const { conversationId, id } = await escalated();
    await inbox.claim(ann, id);
    await inbox.handBack(ann, id);
    const again = await inbox.claim(ben, id);
    expect(again).toMatchObject({ status: 'claimed', claimedBy: ben.actor });
    expect(await inbox.isWithPerson({ tenantId: 'acme', conversationId })).toBe(true);
    const view = await inbox.customerView({ tenantId: 'acme', conversationId });
    expect(view.withPerson).toBe(true);
    expect(view.messages.filter((message) => message.role === 'system').map((m) => m.content)).toEqual([
      INBOX_NOTICES.joined,
      INBOX_NOTICES.returned,
      INBOX_NOTICES.joined,
    ]);
    // Ben holds it now: Ann may not reply or hand back, Ben may.
    await expect(inbox.reply(ann, id, 'Hi')).rejects.toMatchObject({ code: 'already_claimed' });
    expect((await inbox.reply(ben, id, 'Ben here.')).author).toBe(ben.actor);
    expect((await inbox.handBack(ben, id)).status).toBe('returned');
  });

  it('refuses to re-claim a handed-back case whose conversation was escalated again', async () => {
    const { conversationId, id } = await escalated();
    await inbox.claim(ann, id);
    await inbox.handBack(ann, id);
    const newer = await inbox.escalate({
      tenantId: 'acme',
      conversationId,
      trigger: 'repeated-failure',
      reason: 'Stuck again',
    });
    expect(newer.id).not.toBe(id);
    await expect(inbox.claim(ben, id)).rejects.toMatchObject({
      code: 'escalation_superseded',
      kind: 'conflict',
    });
    // The newer one is the one to take; the older stays returned.
    expect((await inbox.claim(ben, newer.id)).status).toBe('claimed');
    expect((await inbox.list('acme', { status: 'returned' })).map((row) => row.id)).toContain(id);
  });

  it('closes a handed-back case by any operator; a closed case is neither re-claimed nor re-closed', async () => {
    const { id } = await escalated();
    await inbox.claim(ann, id);
    await inbox.handBack(ann, id);
    const closed = await inbox.close(ben, id);
    expect(closed).toMatchObject({ status: 'closed' });
    expect(closed.closedAt).not.toBeNull();
    await expect(inbox.claim(ann, id)).rejects.toMatchObject({ code: 'escalation_not_open' });
    await expect(inbox.close(ann, id)).rejects.toMatchObject({ kind: 'conflict' });
    // Closed cases remain viewable, newest closed first when asked.
    const { escalation } = await inbox.transcript(ann, id);
    expect(escalation.status).toBe('closed');
    const newest = await inbox.list('acme', { status: 'closed', order: 'newest' });
    expect(newest[0]!.id).toBe(id);
  });

  it('marks the customer messages nobody answered yet, and an operator reply answers them', async () => {
    const { conversationId, id } = await escalated();
    expect((await inbox.transcript(ann, id)).unanswered).toEqual([]);
    await inbox.claim(ann, id);
    const first = await say(conversationId, 'user', 'Hello?');
    const second = await say(conversationId, 'user', 'It was due Monday.');
    expect((await inbox.transcript(ann, id)).unanswered).toEqual([first, second]);
    await inbox.reply(ann, id, 'Looking at it now.');
    expect((await inbox.transcript(ann, id)).unanswered).toEqual([]);
    const third = await say(conversationId, 'user', 'Thanks, and the invoice?');
    await inbox.handBack(ann, id);
    // The hand-back notice is not an answer.
    expect((await inbox.transcript(ann, id)).unanswered).toEqual([third]);
    await say(conversationId, 'assistant', 'Here is your invoice.');
    expect((await inbox.transcript(ann, id)).unanswered).toEqual([]);
    expect(await inbox.unanswered({ tenantId: 'acme', conversationId })).toEqual([]);
    expect(await inbox.unanswered({ tenantId: 'other', conversationId })).toEqual([]);
  });

  it('tells operators about new messages of an escalated conversation, never of others', async () => {
    const { conversationId, id } = await escalated();
    await inbox.claim(ann, id);
    await inbox.handBack(ann, id);
    events.length = 0;
    await inbox.messageAdded({ tenantId: 'acme', conversationId }, 'user');
    const plain = await createConversation(db, 'acme', 'No escalation');
    await inbox.messageAdded({ tenantId: 'acme', conversationId: plain.id }, 'user');
    await inbox.messageAdded({ tenantId: 'other', conversationId }, 'user');
    await inbox.messageAdded({ tenantId: 'acme', conversationId: 'not-a-uuid' }, 'assistant');
    expect(events).toEqual([
      expect.objectContaining({ type: 'message-created', escalationId: id, conversationId, role: 'user' }),
    ]);
    expect(JSON.stringify(events)).not.toContain('Where is my parcel');
  });

  it('counts the cases per status, confined to the tenant', async () => {
    const before = await inbox.summary('acme');
    await escalated();
    await escalated('other');
    const after = await inbox.summary('acme');
    expect(after.waiting).toBe(before.waiting + 1);
    expect(after).toEqual({ ...before, waiting: before.waiting + 1 });
    expect(Object.keys(after).sort()).toEqual(['claimed', 'closed', 'returned', 'waiting']);
    expect((await inbox.summary('other')).waiting).toBe(1);
    expect(await inbox.summary('nobody')).toEqual({ waiting: 0, claimed: 0, returned: 0, closed: 0 });
  });
});
