/**
 * Verification guessing (issue 15) and conversations locked for good (issue 20), over HTTP as
 * `groundwork support` serves it, in the no-LLM mode. Order numbers are sequential, so an attacker who
 * knows a victim's email only has to walk the numbers: the limits must hold across conversations and
 * sessions (per target customer, in the database), tell the attacker nothing, and let operators see
 * and clear what they lock. A conversation locked by wrong details is released when an operator
 * closes the case or hands it back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Groundwork } from '../../src/app.ts';
import { createHttpApp } from '../../src/server/app.ts';
import type { Database } from '../../src/store/database.ts';
import { testBackends } from '../../src/testing/databases.ts';
import {
  createScriptedLanguageModel,
  type ScriptedReply,
} from '../../src/testing/scripted-language-model.ts';
import { seedSupportStore } from './store/seed.ts';
import { openSupportApp } from './testing.ts';

const TENANT = 'demo';
const MAYA_EMAIL = 'maya.patel@example.com';
const MINUTE = 60_000;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

interface Turn {
  conversationId: string;
  reply: string;
  escalated: boolean;
  toolCalls: { name: string; output?: { ok?: boolean; code?: string; message?: string } }[];
  error?: { code: string };
}

interface Lockout {
  id: string;
  dimension: string;
  subject: string;
  failures: number;
  state: string;
}

/** The support server over `db` in routed mode, with a clock the test moves. */
async function serve(db: Database) {
  const dir = mkdtempSync(path.join(tmpdir(), 'gw-support-guessing-'));
  closers.push(async () => rmSync(dir, { recursive: true, force: true }));
  let now = Date.parse('2026-11-20T12:00:00Z');
  const clock = {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
  const {
    app,
    http: supportHttp,
    close,
  } = await openSupportApp({
    db,
    dataDir: dir,
    verification: { now: () => clock.now() },
  });
  closers.push(close);
  await seedSupportStore(app.db, { tenantId: TENANT });
  const http = createHttpApp(app, { ...supportHttp, webRoot: null });
  const request = (token: string, route: string, init: { method?: string; body?: unknown } = {}) =>
    http.request(route, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${token}`,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
  const key = async (role: 'customer' | 'operator') =>
    (await app.keys.create({ tenantId: TENANT, name: role, role }, { actor: 'cli' })).secret;
  const keys = { widget: await key('customer'), operator: await key('operator') };
  const session = async () => {
    const response = await request(keys.widget, '/v1/sessions', { method: 'POST' });
    expect(response.status).toBe(201);
    return (await response.json()) as { token: string; sessionId: string };
  };
  const say = async (token: string, message: string, conversationId?: string) => {
    const response = await request(token, '/v1/support/messages', {
      method: 'POST',
      body: { message, ...(conversationId ? { conversationId } : {}) },
    });
    expect(response.status).toBe(200);
    return (await response.json()) as Turn;
  };
  const lockouts = async () => {
    const response = await request(keys.operator, '/v1/support/lockouts');
    expect(response.status).toBe(200);
    return ((await response.json()) as { lockouts: Lockout[] }).lockouts;
  };
  return { app, http, clock, keys, request, session, say, lockouts };
}

const verifyOutput = (turn: Turn) => turn.toolCalls.find((call) => call.name === 'verify_customer')?.output;

/** How many guesses against a customer reached the comparison (not refused by a limit). */
async function comparedGuesses(app: Groundwork, customerId: string): Promise<number> {
  const { rows } = await app.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM support_verification_failures
     WHERE tenant_id = $1 AND customer_id = $2 AND outcome = 'mismatch'`,
    [TENANT, customerId],
  );
  return rows[0]?.n ?? 0;
}

describe.each(testBackends())('verification guessing on $name', (backend) => {
  const open = async () => {
    const db = await backend.open();
    closers.push(() => db.close());
    return serve(db);
  };

  it('stops an attacker who knows the email from walking sequential order numbers across sessions and conversations', async () => {
    const { app, clock, session, say, lockouts } = await open();
    // Maya's orders are GW-10001…GW-10005; the attacker walks down from a recent number, with a new
    // conversation for every guess and a new anonymous session every two, and waits out any delay.
    let attacker = await session();
    const sessions = [attacker.sessionId];
    const replies = new Set<string>();
    for (let number = 10030; number >= 10001; number--) {
      if ((10030 - number) % 2 === 0 && number !== 10030) {
        attacker = await session();
        sessions.push(attacker.sessionId);
      }
      const turn = await say(attacker.token, `My order is GW-${number}, email ${MAYA_EMAIL}`);
      expect(turn.reply).not.toContain('Maya');
      expect(verifyOutput(turn)?.ok).not.toBe(true);
      replies.add(turn.reply);
      clock.advance(30 * MINUTE);
    }
    // Never verified: no session of the attacker acts for Maya.
    for (const id of sessions) expect((await app.sessions.get(TENANT, id))?.customerId).toBeNull();
    // At most ten guesses were ever compared; every other one was refused unseen.
    expect(await comparedGuesses(app, 'cust-0001')).toBeLessThanOrEqual(10);
    expect((await lockouts()).find((lockout) => lockout.subject === 'cust-0001')).toMatchObject({
      dimension: 'customer',
      state: 'locked',
    });
    // One message for every refusal the attacker saw.
    expect(replies.size).toBe(1);
  }, 120_000);

  it('tells a locked customer nothing, and lets them in once an operator clears the lockout', async () => {
    const { app, clock, keys, request, session, say, lockouts } = await open();
    for (let guess = 0; guess < 10; guess++) {
      await say((await session()).token, `GW-${10100 + guess}, ${MAYA_EMAIL}`);
      clock.advance(30 * MINUTE);
    }
    // The real Maya, with the right details, gets exactly what a wrong guess gets.
    const maya = await session();
    const refused = await say(maya.token, `GW-10001, ${MAYA_EMAIL}`);
    const wrongOrder = await say((await session()).token, `GW-10006, ${MAYA_EMAIL}`);
    const wrongEmail = await say((await session()).token, 'GW-10006, nobody@example.com');
    const unknownBoth = await say((await session()).token, 'GW-99999, nobody@example.com');
    expect(refused.reply).toBe(wrongOrder.reply);
    for (const turn of [wrongOrder, wrongEmail, unknownBoth]) {
      expect(verifyOutput(turn)).toEqual(verifyOutput(refused));
      expect(turn.reply).toBe(refused.reply);
    }
    expect(verifyOutput(refused)).toMatchObject({ ok: false, code: 'verification_failed' });
    expect(refused.reply).not.toMatch(/lock|too many|exist/i);

    // Operators see the lockout and clear it; a customer key may not.
    const locked = (await lockouts()).find((lockout) => lockout.subject === 'cust-0001');
    expect(locked).toMatchObject({ dimension: 'customer', state: 'locked' });
    const forbidden = await request(keys.widget, `/v1/support/lockouts/${locked!.id}`, { method: 'DELETE' });
    expect(forbidden.status).toBe(403);
    const cleared = await request(keys.operator, `/v1/support/lockouts/${locked!.id}`, { method: 'DELETE' });
    expect(cleared.status).toBe(200);
    const again = await request(keys.operator, `/v1/support/lockouts/${locked!.id}`, { method: 'DELETE' });
    expect(again.status).toBe(404);
    expect((await lockouts()).find((lockout) => lockout.subject === 'cust-0001')).toBeUndefined();
    const verified = await say(maya.token, `GW-10001, ${MAYA_EMAIL}`);
    expect(verifyOutput(verified)).toMatchObject({ ok: true });
    expect(verified.reply).toContain('Maya');
    const audit = await app.keys.audit.list({ tenantId: TENANT, limit: 200 });
    expect(audit.some((entry) => entry.action === 'support.lockout.clear')).toBe(true);
  }, 120_000);

  it('raises the alarm when one customer is guessed at from several sessions', async () => {
    const { app, clock, session, say } = await open();
    for (let guess = 0; guess < 7; guess++) {
      await say((await session()).token, `GW-${10200 + guess}, ${MAYA_EMAIL}`);
      clock.advance(30 * MINUTE);
    }
    const metrics = app.observability.metrics.registry;
    const failures = await metrics.getSingleMetricAsString('groundwork_verification_failures_total');
    expect(failures).toMatch(/groundwork_verification_failures_total\{dimension="customer"\} 7/);
    expect(failures).toMatch(/groundwork_verification_failures_total\{dimension="session"\} 7/);
    const audit = await app.keys.audit.list({ tenantId: TENANT, limit: 200 });
    const alert = audit.find((entry) => entry.action === 'support.verification.guessing');
    expect(alert).toMatchObject({ target: 'cust-0001' });
    expect((alert?.details as { sessions?: number } | undefined)?.sessions).toBeGreaterThanOrEqual(2);
    // The alarm is for operators only: escalating the guesser's conversation would tell them the
    // email belongs to someone, so no conversation of theirs is parked for it.
    expect(await app.inbox.list(TENANT)).toEqual([]);
    const metric = await metrics.getSingleMetricAsString('groundwork_verification_guessing_alerts_total');
    expect(metric).toMatch(/groundwork_verification_guessing_alerts_total 1/);
    // Three more guesses lock the customer: counted by dimension.
    for (let guess = 7; guess < 10; guess++) {
      await say((await session()).token, `GW-${10200 + guess}, ${MAYA_EMAIL}`);
      clock.advance(30 * MINUTE);
    }
    const locks = await metrics.getSingleMetricAsString('groundwork_verification_lockouts_total');
    expect(locks).toMatch(/groundwork_verification_lockouts_total\{dimension="customer"\} 1/);
  }, 120_000);

  it('never lets a burst of attempts from many sessions exceed a customer’s allowance', async () => {
    const { app, session, say } = await open();
    const attackers = await Promise.all(Array.from({ length: 12 }, () => session()));
    await Promise.all(
      attackers.map((attacker, index) => say(attacker.token, `GW-${10300 + index}, ${MAYA_EMAIL}`)),
    );
    // Without waiting, only the six free attempts are compared; the rest were refused as they came.
    expect(await comparedGuesses(app, 'cust-0001')).toBe(6);
  }, 120_000);

  it('releases a conversation locked by wrong emails when an operator closes the case or hands it back', async () => {
    const { keys, request, session, say } = await open();
    for (const action of ['close', 'handback'] as const) {
      const customer = await session();
      let conversationId: string | undefined;
      let last: Turn | undefined;
      for (const wrong of ['a', 'b', 'c']) {
        last = await say(customer.token, `GW-10001, ${wrong}@example.com`, conversationId);
        conversationId = last.conversationId;
      }
      expect(last?.escalated).toBe(true);
      const inbox = (await (await request(keys.operator, '/v1/inbox?status=waiting')).json()) as {
        escalations: { id: string; conversationId: string }[];
      };
      const escalation = inbox.escalations.find((entry) => entry.conversationId === conversationId);
      expect(escalation).toBeDefined();
      expect(
        (await request(keys.operator, `/v1/inbox/${escalation!.id}/claim`, { method: 'POST' })).status,
      ).toBe(200);
      const done = await request(keys.operator, `/v1/inbox/${escalation!.id}/${action}`, { method: 'POST' });
      expect(done.status).toBe(200);
      // The same conversation verifies with the right details.
      const verified = await say(customer.token, `GW-10001, ${MAYA_EMAIL}`, conversationId);
      expect(verified.escalated).toBe(false);
      expect(verifyOutput(verified)).toMatchObject({ ok: true });
    }
  }, 120_000);

  it('parks an agents-mode conversation with a person when it runs out of attempts, and releases it on close', async () => {
    const verify = (email: string): ScriptedReply[] => [
      { toolCalls: [{ toolName: 'transfer_to_orders', input: { reason: 'Orders.' } }] },
      { toolCalls: [{ toolName: 'verify_customer', input: { orderNumber: 'GW-10001', email } }] },
      { text: 'Done.' },
    ];
    const model = createScriptedLanguageModel([
      ...verify('a@example.com'),
      ...verify('b@example.com'),
      ...verify('c@example.com'),
      ...verify(MAYA_EMAIL),
    ]);
    const db = await backend.open();
    closers.push(() => db.close());
    const { app, support, close } = await openSupportApp({ db, model });
    closers.push(close);
    await seedSupportStore(app.db, { tenantId: TENANT });
    let conversationId: string | undefined;
    const turn = async (message: string) => {
      const result = await support.turn({
        tenantId: TENANT,
        message,
        ...(conversationId ? { conversationId } : {}),
      });
      conversationId = result.conversationId;
      return result;
    };
    for (const wrong of ['a', 'b']) await turn(`GW-10001, ${wrong}@example.com`);
    expect(await app.inbox.list(TENANT)).toEqual([]);
    const third = await turn('GW-10001, c@example.com');
    expect(third.toolCalls[0]?.output).toMatchObject({ code: 'too_many_attempts' });
    const [parked] = await app.inbox.list(TENANT);
    expect(parked).toMatchObject({ conversationId, trigger: 'repeated-failure', status: 'waiting' });
    const operator = { tenantId: TENANT, actor: 'op-key' };
    await app.inbox.claim(operator, parked!.id);
    await app.inbox.close(operator, parked!.id);
    const fourth = await turn(`GW-10001, ${MAYA_EMAIL}`);
    expect(fourth.toolCalls.find((call) => call.name === 'verify_customer')?.output).toMatchObject({
      ok: true,
    });
    model.assertComplete();
  }, 120_000);
});
