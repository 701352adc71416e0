import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listTranscript } from '../../src/store/conversations.ts';
import { createScriptedLanguageModel } from '../../src/testing/scripted-language-model.ts';
import { seedSupportStore } from './store/seed.ts';
import { openSupportApp, promptText } from './testing.ts';

const TENANT = 'demo';
const operator = { tenantId: TENANT, actor: 'op-1' };

// In agents mode, what the customer wrote while a person held the conversation reaches the model
// once the person hands it back: one model call, which sees every held message, and one stored answer.
describe('hand-back in agents mode', () => {
  const model = createScriptedLanguageModel([
    { toolCalls: [{ toolName: 'transfer_to_escalation', input: { reason: 'Wants a person.' } }] },
    {
      toolCalls: [
        {
          toolName: 'escalate_to_human',
          input: { reason: 'Customer asks for a person.', trigger: 'customer-request' },
        },
      ],
    },
    { text: 'Sorry for the wait. Your parcel GW-10004 is in transit.' },
  ]);
  let opened: Awaited<ReturnType<typeof openSupportApp>>;

  beforeAll(async () => {
    opened = await openSupportApp({ model });
    await seedSupportStore(opened.app.db, { tenantId: TENANT });
  }, 120_000);
  afterAll(async () => opened?.close());

  it('answers the held messages with one model call after hand-back, and nothing after a re-claim', async () => {
    const { app, support } = opened;
    // A message the agents decide to escalate (a plain request for a person is escalated by the guard
    // before any model call, apps/support/dialogue).
    const escalated = await support.turn({
      tenantId: TENANT,
      message: 'My parcel is late and I do not know what to do',
    });
    const ref = { tenantId: TENANT, conversationId: escalated.conversationId };
    const [waiting] = await app.inbox.list(TENANT, { status: 'waiting' });
    await app.inbox.claim(operator, waiting!.id);
    await support.turn({ ...ref, message: 'Hello? Anyone there?' });
    await support.turn({ ...ref, message: 'It is about order GW-10004.' });
    expect(model.calls).toHaveLength(2);

    await app.inbox.handBack(operator, waiting!.id);
    await support.idle();
    expect(model.calls).toHaveLength(3);
    const prompt = promptText(model.calls[2]!);
    expect(prompt).toContain('Hello? Anyone there?');
    expect(prompt).toContain('It is about order GW-10004.');
    model.assertComplete();
    const transcript = await listTranscript(app.db, TENANT, ref.conversationId, {
      roles: ['user', 'assistant', 'system'],
    });
    expect(transcript.at(-1)).toMatchObject({
      role: 'assistant',
      content: expect.stringContaining('in transit'),
    });
    expect(await app.inbox.unanswered(ref)).toEqual([]);

    // Taken over again and handed back with nothing new: the model is not called.
    await app.inbox.claim(operator, waiting!.id);
    await app.inbox.handBack(operator, waiting!.id);
    await support.idle();
    expect(model.calls).toHaveLength(3);
  });
});
