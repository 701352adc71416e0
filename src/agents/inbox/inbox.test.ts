import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../identity/audit.ts';
import { createAnalyzer } from '../../retrieval/lexical/analyzer.ts';
import { appendMessage, createConversation, listMessages } from '../../store/conversations.ts';
import type { Database } from '../../store/database.ts';
import { ensureTenant } from '../../store/documents.ts';
import { testBackends } from '../../testing/databases.ts';
import { CustomerMemory } from '../memory/customer.ts';
import type { InboxEvent } from './events.ts';
import { INBOX_NOTICES, InboxService } from './inbox.ts';

const alice = { tenantId: 'acme', actor: 'key-alice' };
const bob = { tenantId: 'acme', actor: 'key-bob' };

describe.each(testBackends())('InboxService on $name', (backend) => {
  let db: Database;
  let inbox: InboxService;
  let memory: CustomerMemory;
  const events: InboxEvent[] = [];

  beforeAll(async () => {
    db = await backend.open();
    await ensureTenant(db, 'acme');
    await ensureTenant(db, 'other');
    memory = new CustomerMemory({ db, analyzer: createAnalyzer() });
    inbox = new InboxService(db, { customerMemory: memory });
    inbox.events.subscribe((event) => events.push(event));
  }, 120_000);
  afterAll(async () => db?.close());

  async function escalatedConversation() {
    const conversation = await createConversation(db, 'acme', 'Refund');
    await db.transaction(async (tx) => {
      await appendMessage(tx, 'acme', conversation.id, { role: 'user', content: 'I want my money back.' });
      await appendMessage(tx, 'acme', conversation.id, {
        role: 'tool',
        content: 'order_lookup',
        details: { toolName: 'order_lookup', input: { orderNumber: 'A-1' }, output: { total: 900 } },
      });
    });
    const escalation = await inbox.escalate({
      tenantId: 'acme',
      conversationId: conversation.id,
      trigger: 'sensitive-request',
      reason: 'Refund above the automatic limit',
      notes: [{ agent: 'billing', text: 'Order A-1 is 900 EUR.' }],
      customer: { customerId: 'cust-1', email: 'c@example.com', verifiedBy: 'session' },
      customerContext: { plan: 'pro' },
    });
    return { conversation, escalation };
  }

  it('parks a conversation, and a second escalation adds notes to the open one', async () => {
    const { conversation, escalation } = await escalatedConversation();
    expect(escalation).toMatchObject({
      status: 'waiting',
      customerId: 'cust-1',
      trigger: 'sensitive-request',
      customerContext: { plan: 'pro', customer: { customerId: 'cust-1' } },
    });
    const again = await inbox.escalate({
      tenantId: 'acme',
      conversationId: conversation.id,
      trigger: 'customer-request',
      reason: 'Asked again',
      notes: [{ agent: 'triage', text: 'Customer insists.' }],
    });
    expect(again.id).toBe(escalation.id);
    expect(again.notes.map((note) => note.agent)).toEqual(['billing', 'triage']);
    expect(await inbox.isWithPerson({ tenantId: 'acme', conversationId: conversation.id })).toBe(true);
    expect(await inbox.isWithPerson({ tenantId: 'other', conversationId: conversation.id })).toBe(false);
    const waiting = await inbox.list('acme', { status: 'waiting' });
    expect(waiting.map((row) => row.id)).toContain(escalation.id);
    expect(waiting[0]!.waitingSeconds).toBeGreaterThanOrEqual(0);
    expect(await inbox.list('other')).toEqual([]);
  });

  it('refuses an unknown trigger and a conversation of another tenant', async () => {
    const { conversation } = await escalatedConversation();
    await expect(
      inbox.escalate({
        tenantId: 'other',
        conversationId: conversation.id,
        trigger: 'agent-decision',
        reason: 'x',
      }),
    ).rejects.toMatchObject({ code: 'conversation_not_found' });
    await expect(
      inbox.escalate({ tenantId: 'acme', conversationId: 'nope', trigger: 'agent-decision', reason: 'x' }),
    ).rejects.toMatchObject({ code: 'conversation_not_found' });
    await expect(
      inbox.escalate({
        tenantId: 'acme',
        conversationId: conversation.id,
        trigger: 'whim' as never,
        reason: 'x',
      }),
    ).rejects.toMatchObject({ code: 'invalid_trigger' });
  });

  it('lets one operator claim, reply as a person, hand back; the customer sees the person', async () => {
    const { conversation, escalation } = await escalatedConversation();
    const claims = await Promise.allSettled([
      inbox.claim(alice, escalation.id),
      inbox.claim(bob, escalation.id),
    ]);
    const winners = claims.filter((claim) => claim.status === 'fulfilled');
    expect(winners).toHaveLength(1);
    const loser = claims.find((claim) => claim.status === 'rejected') as PromiseRejectedResult;
    expect(loser.reason).toMatchObject({ code: 'already_claimed' });
    const holder = (winners[0] as PromiseFulfilledResult<{ claimedBy: string }>).value.claimedBy;
    const [me, other] = holder === alice.actor ? [alice, bob] : [bob, alice];

    await expect(inbox.reply(other, escalation.id, 'Hi')).rejects.toMatchObject({ code: 'already_claimed' });
    const reply = await inbox.reply(me, escalation.id, '  Hello, I am Sam from billing.  ');
    expect(reply).toMatchObject({
      role: 'operator',
      author: me.actor,
      content: 'Hello, I am Sam from billing.',
    });
    await expect(inbox.reply(me, escalation.id, '   ')).rejects.toMatchObject({ code: 'empty_reply' });

    const { messages } = await inbox.transcript(me, escalation.id);
    expect(messages.map((message) => message.role)).toEqual(['user', 'tool', 'system', 'operator']);
    expect(messages[1]!.details).toMatchObject({ toolName: 'order_lookup' });
    expect(messages[2]!.content).toBe(INBOX_NOTICES.joined);

    const returned = await inbox.handBack(me, escalation.id);
    expect(returned.status).toBe('returned');
    expect(await inbox.isWithPerson({ tenantId: 'acme', conversationId: conversation.id })).toBe(false);
    // Handed back, nobody holds it: replies wait for a new claim (handback.test.ts covers re-claims).
    await expect(inbox.reply(me, escalation.id, 'Hi')).rejects.toMatchObject({
      code: 'escalation_not_claimed',
    });
    // The answerer's history stays questions and answers only.
    expect((await listMessages(db, 'acme', conversation.id)).map((message) => message.role)).toEqual([
      'user',
    ]);

    const types = events.filter((event) => event.escalationId === escalation.id).map((event) => event.type);
    expect(types).toEqual([
      'escalation-created',
      'escalation-claimed',
      'operator-replied',
      'escalation-returned',
    ]);
  });

  it('audits every transcript read and hides other tenants', async () => {
    const { escalation } = await escalatedConversation();
    await inbox.transcript(alice, escalation.id);
    const audit = await new AuditLog(db).list({ tenantId: 'acme', limit: 5 });
    expect(audit[0]).toMatchObject({
      actor: alice.actor,
      action: 'inbox.transcript.read',
      target: escalation.id,
    });
    const outsider = { tenantId: 'other', actor: 'key-eve' };
    for (const attempt of [
      () => inbox.transcript(outsider, escalation.id),
      () => inbox.claim(outsider, escalation.id),
      () => inbox.close(outsider, escalation.id),
      () => inbox.claim(alice, 'not-a-uuid'),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ code: 'escalation_not_found' });
    }
  });

  it('closes a waiting escalation, and refuses to close one held by someone else', async () => {
    const first = await escalatedConversation();
    expect((await inbox.close(alice, first.escalation.id)).status).toBe('closed');
    const second = await escalatedConversation();
    await inbox.claim(alice, second.escalation.id);
    await expect(inbox.close(bob, second.escalation.id)).rejects.toMatchObject({ code: 'already_claimed' });
    const closed = await inbox.close(alice, second.escalation.id, {
      resolution: 'Refund of 900 EUR approved.',
    });
    expect(closed).toMatchObject({ status: 'closed', claimedBy: alice.actor });
    expect(closed.closedAt).not.toBeNull();
    // The resolution is remembered for the customer, as a past issue of that conversation.
    const remembered = await memory.recall({ tenantId: 'acme', customerId: 'cust-1' }, 'refund approved');
    expect(remembered[0]).toMatchObject({
      kind: 'issue',
      text: 'Refund above the automatic limit',
      resolution: 'Refund of 900 EUR approved.',
      sourceConversation: second.conversation.id,
    });
    await expect(inbox.close(alice, second.escalation.id)).rejects.toMatchObject({
      code: 'escalation_not_claimed',
    });
    // The next operator to take this customer sees the past issue.
    const third = await escalatedConversation();
    const { customerMemories } = await inbox.transcript(alice, third.escalation.id);
    expect(customerMemories.map((row) => row.resolution)).toContain('Refund of 900 EUR approved.');
  });
});
