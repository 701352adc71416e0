import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSupportStore } from './store/seed.ts';
import { openSupportApp } from './testing.ts';
import type { SupportTurnResult } from './turn-result.ts';

// Held-out conversations in the routed (no-model) mode, written the way customers write: lower case,
// no dash, split over messages, follow-ups, closings, anger and four languages.
const TENANT = 'demo';
const MAYA = 'maya.patel@example.com';
let opened: Awaited<ReturnType<typeof openSupportApp>>;
let clock = Date.parse('2026-12-07T12:00:00Z');

beforeAll(async () => {
  opened = await openSupportApp({ verification: { now: () => clock } });
  await seedSupportStore(opened.app.db, { tenantId: TENANT });
}, 120_000);
afterAll(async () => opened?.close());

/** Says each message in one new conversation and returns every turn. */
async function converse(...messages: string[]): Promise<SupportTurnResult[]> {
  const turns: SupportTurnResult[] = [];
  for (const message of messages) {
    const conversationId = turns.at(-1)?.conversationId;
    turns.push(
      await opened.support.turn({ tenantId: TENANT, message, ...(conversationId ? { conversationId } : {}) }),
    );
  }
  return turns;
}

const names = (turn: SupportTurnResult | undefined) => turn?.toolCalls.map((call) => call.name) ?? [];
const inputOf = (turn: SupportTurnResult | undefined, tool: string) =>
  turn?.toolCalls.find((call) => call.name === tool)?.input as Record<string, unknown> | undefined;
const searchOf = (turn: SupportTurnResult | undefined) =>
  String((inputOf(turn, 'search_manuals') ?? inputOf(turn, 'search_faq'))?.query ?? '');
const escalationOf = async (conversationId: string) =>
  (await opened.app.inbox.list(TENANT)).find((entry) => entry.conversationId === conversationId);

describe('slots across turns', () => {
  it.each([
    ['hi where is my order gw 10004', `${MAYA}.`],
    ['wheres my parcel, order no 10004', `its ${MAYA}`],
    ['Order GW10004 hasnt arrived', `<${MAYA}>`],
  ])(
    'keeps the order number of "%s" for the email in the next message',
    async (first, second) => {
      const [asked, answered] = await converse(first, second);
      expect(asked?.reply).toMatch(/email/i);
      expect(names(answered)).toEqual(['verify_customer', 'shipment_status']);
      expect(inputOf(answered, 'verify_customer')).toEqual({ orderNumber: 'GW-10004', email: MAYA });
      expect(answered?.reply).toMatch(/in transit/i);
    },
    60_000,
  );

  it.each([
    [`my email is (${MAYA})`, 'order 10004'],
    [`${MAYA}`, 'the order number is gw-10004'],
  ])(
    'keeps the email of "%s" for the order number in the next message',
    async (first, second) => {
      const [asked, answered] = await converse(first, second);
      expect(asked?.reply).toMatch(/order number/i);
      expect(asked?.reply).not.toMatch(/help centre/i);
      expect(inputOf(answered, 'verify_customer')).toEqual({ orderNumber: 'GW-10004', email: MAYA });
      expect(answered?.reply).toMatch(/GW-10004/);
    },
    60_000,
  );

  it('resolves a product name with a typo for a troubleshooting question', async () => {
    const [turn] = await converse('my lumen thermostst shows error E4, what do i do');
    expect(searchOf(turn)).toMatch(/thermostat/i);
  }, 60_000);
});

describe('follow-ups', () => {
  it('answers "when will it arrive" about the order under discussion, not with the order list', async () => {
    const turns = await converse(`gw10004 ${MAYA}`, 'ok and when will it arrive?');
    expect(names(turns[1])).toEqual(['shipment_status']);
    expect(inputOf(turns[1], 'shipment_status')).toEqual({ orderNumber: 'GW-10004' });
  }, 60_000);

  it('resolves "the other one" to the order discussed before', async () => {
    const turns = await converse(
      `status of GW-10001 please, ${MAYA}`,
      'and gw 10004?',
      'what about the other one',
    );
    expect(inputOf(turns[1], 'shipment_status')).toEqual({ orderNumber: 'GW-10004' });
    expect(inputOf(turns[2], 'shipment_status')).toEqual({ orderNumber: 'GW-10001' });
  }, 60_000);

  it('lists the orders when asked for them after a status answer', async () => {
    const turns = await converse(`gw-10004 ${MAYA}`, 'can you show me all my orders');
    expect(names(turns[1])).toEqual(['find_orders']);
  }, 60_000);

  it('keeps the product under discussion for a follow-up question', async () => {
    const turns = await converse('my nova r7 router keeps dropping wifi', 'how do i reset it?');
    expect(searchOf(turns[1])).toMatch(/nova/i);
  }, 60_000);
});

describe('closings', () => {
  it.each([
    ['thanks', /welcome|glad/i],
    ['thats all, thank you!!', /welcome|glad/i],
    ['ok bye', /welcome|glad|bye/i],
    ['muchas gracias, adiós', /de nada|gracias|adiós/i],
    ['merci beaucoup, au revoir', /merci|au revoir|plaisir/i],
    ['danke, tschüss', /gern|danke|wiedersehen/i],
  ])(
    'closes "%s" politely instead of greeting',
    async (closing, expected) => {
      const turns = await converse('what is your return policy?', closing);
      const last = turns.at(-1);
      expect(last?.reply).toMatch(expected);
      expect(last?.reply).not.toMatch(/what can I do for you/i);
      expect(last).toMatchObject({ escalated: false, refused: false });
    },
    60_000,
  );
});

describe('escalation policy', () => {
  it.each([
    ['this is RIDICULOUS, third time i ask, you useless bot!!!', /frustrat/i],
    ['you are all idiots and scammers', /frustrat|abus/i],
    ['I demand a refund of $1,450 today', /high-value|amount/i],
    ['i will report you to consumer protection and take legal action', /legal|safety|sensitive/i],
    ['je veux parler à quelqu’un s’il vous plaît', /person/i],
    ['quiero hablar con una persona', /person/i],
    ['kann ich bitte mit einem mitarbeiter sprechen', /person/i],
    ['can i talk to a real human', /person/i],
  ])(
    'escalates "%s" with the reason shown to the operator',
    async (message, reason) => {
      const [turn] = await converse(message);
      expect(turn).toMatchObject({ escalated: true, mode: 'human' });
      const parked = await escalationOf(turn!.conversationId);
      expect(`${parked?.reason} ${JSON.stringify(parked?.notes)}`).toMatch(reason);
    },
    60_000,
  );

  it('escalates after repeated turns it could not answer', async () => {
    const turns = await converse('blorf the quux', 'zzzz qqqq', 'xkcd wibble frob');
    expect(turns.at(-1)).toMatchObject({ escalated: true });
    expect((await escalationOf(turns.at(-1)!.conversationId))?.trigger).toBe('repeated-failure');
  }, 60_000);

  it('replies in the language of a request for a person', async () => {
    const [fr] = await converse('je voudrais parler à un conseiller');
    expect(fr?.reply).toMatch(/équipe|conseill|personne/i);
    const [es] = await converse('necesito hablar con un agente humano');
    expect(es?.reply).toMatch(/equipo|persona/i);
  }, 60_000);
});

describe('language', () => {
  it('answers a Spanish order question in Spanish, across turns', async () => {
    const [asked, answered] = await converse('hola, ¿dónde está mi pedido gw10004?', MAYA);
    expect(asked?.reply).toMatch(/pedido|correo/i);
    expect(answered?.reply).toMatch(/GW-10004/);
    expect(answered?.reply).toMatch(/pedido|en camino|tránsito/i);
  }, 60_000);

  it.each([
    ['¿cuánto tarda el envío a Canarias?', /persona|equipo/i],
    ['Combien de temps faut-il pour la livraison ?', /personne|équipe/i],
    ['Wie lange dauert der Versand nach Österreich?', /Person|Team|Mitarbeiter/i],
  ])(
    'says so and offers a person when it has no answer in the language of "%s"',
    async (message, offer) => {
      const [turn] = await converse(message);
      expect(turn?.reply).toMatch(offer);
      expect(turn?.reply).not.toMatch(/could not find that in our help centre/i);
    },
    60_000,
  );

  it('hands over to a person when the customer accepts the offer', async () => {
    const turns = await converse('¿tienen garantía los routers?', 'sí, por favor');
    expect(turns[0]?.escalated).toBe(false);
    expect(turns[1]).toMatchObject({ escalated: true, mode: 'human' });
    expect(turns[1]?.reply).toMatch(/persona/);
    expect((await escalationOf(turns[1]!.conversationId))?.trigger).toBe('customer-request');
  }, 60_000);

  it('greets in German', async () => {
    const [turn] = await converse('Hallo, guten Tag');
    expect(turn?.reply).toMatch(/Hallo|Guten Tag/);
  }, 60_000);
});

describe('verification lockouts', () => {
  it('counts failures against the target customer across new conversations, until a cool-down', async () => {
    // Liam's customer allows six failures back to back, then waits: new conversations do not reset it.
    for (let attempt = 0; attempt < 6; attempt++) {
      const [turn] = await converse(`GW-10006 guess${attempt}@example.com`);
      expect(turn?.toolCalls[0]?.output).toMatchObject({ code: 'verification_failed' });
    }
    const [fresh] = await converse('GW-10006 liam.chen@example.com');
    expect(fresh?.toolCalls[0]?.output).toMatchObject({ ok: false });
    // After the cool-down the right details verify again.
    clock += 25 * 60 * 60 * 1000;
    const [later] = await converse('gw10006 liam.chen@example.com');
    expect(later?.toolCalls[0]?.output).toMatchObject({ ok: true });
  }, 60_000);
});
