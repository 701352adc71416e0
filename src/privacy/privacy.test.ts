import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationCustomers } from '../../apps/support/conversation-customers.ts';
import { supportPrivacySection } from '../../apps/support/privacy-section.ts';
import { migrateSupportStore } from '../../apps/support/store/migrations.ts';
import { seedSupportStore } from '../../apps/support/store/seed.ts';
import { createGroundwork, type Groundwork } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import { createHttpApp } from '../server/app.ts';
import type { Database } from '../store/database.ts';
import { testBackends } from '../testing/databases.ts';
import { customerHash } from './customer-hash.ts';

type Http = ReturnType<typeof createHttpApp>;

const SECRET = 'session-secret-for-privacy-tests-0123456789';
const VICTIM = { id: 'cust-0001', email: 'maya.patel@example.com', phone: '+1 415 555 0101' };
const BYSTANDER = { id: 'cust-0002', email: 'liam.chen@example.com' };

const json = (body: unknown, method = 'POST'): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

function call(http: Http, secret: string, path: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${secret}`);
  return http.request(path, { ...init, headers });
}

/** Every table of the database whose rows, as text, contain `needle` (case-insensitive), with counts. */
async function tablesMentioning(db: Database, needle: string): Promise<Record<string, number>> {
  const { rows: tables } = await db.query<{ name: string }>(
    `SELECT quote_ident(table_name) AS name FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
  );
  const found: Record<string, number> = {};
  for (const { name } of tables) {
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${name} t WHERE t::text ILIKE '%' || $1 || '%'`,
      [needle],
    );
    if ((rows[0]?.n ?? 0) > 0) found[name] = rows[0]?.n ?? 0;
  }
  return found;
}

for (const backend of testBackends()) {
  describe(`data-subject rights on ${backend.name}`, () => {
    let db: Database;
    let app: Groundwork;
    let http: Http;
    const keys = {} as Record<'admin' | 'operator' | 'otherAdmin' | 'customer', string>;
    const sessions = {} as Record<'victim' | 'bystander', { token: string; sessionId: string }>;
    let victimConversation = '';
    let supportConversation = '';

    /** One customer's footprint: a session, an ask, a chat, feedback, a memory, an escalation. */
    async function actAs(customer: { id: string; email: string }) {
      const issued = await call(
        http,
        keys.operator,
        '/v1/sessions',
        json({ customerId: customer.id, email: customer.email }),
      );
      expect(issued.status).toBe(201);
      const session = (await issued.json()) as { token: string; sessionId: string };
      const asked = await call(
        http,
        session.token,
        '/v1/ask',
        json({ question: `My email is ${customer.email}: how do returns work?` }),
      );
      expect(asked.status).toBe(200);
      const { traceId } = (await asked.json()) as { traceId: string };
      const rated = await call(
        http,
        session.token,
        '/v1/feedback',
        json({ traceId, rating: 'down', comment: `Reach me at ${customer.email}` }),
      );
      expect(rated.status).toBeLessThan(300);
      const chatted = await call(
        http,
        session.token,
        '/v1/chat',
        json({ question: `I am ${customer.email}, where is my parcel?` }),
      );
      expect(chatted.status).toBe(200);
      const { conversationId } = (await chatted.json()) as { conversationId: string };
      await app.memory.customers.remember(
        { tenantId: 'acme', customerId: customer.id },
        {
          kind: 'preference',
          text: `Prefers email to ${customer.email}.`,
          sourceConversation: conversationId,
        },
      );
      await app.inbox.escalate({
        tenantId: 'acme',
        conversationId,
        trigger: 'customer-request',
        reason: 'Asked for a person',
        customer: { customerId: customer.id, name: 'x', email: customer.email, verifiedBy: 'session' },
      });
      return { session, conversationId };
    }

    beforeAll(async () => {
      db = await backend.open();
      await migrateSupportStore(db);
      await seedSupportStore(db, { tenantId: 'acme' });
      const config = loadConfig({
        dataDir: 'memory://',
        embedder: 'none',
        llm: { model: 'none' },
        auth: 'required',
        sessions: { secret: SECRET },
      });
      app = await createGroundwork(config, { db });
      app.privacy.register(supportPrivacySection);
      http = createHttpApp(app, { webRoot: null });
      for (const role of ['admin', 'operator', 'customer'] as const) {
        keys[role] = (await app.keys.create({ tenantId: 'acme', name: role, role }, { actor: 'cli' })).secret;
      }
      keys.otherAdmin = (
        await app.keys.create({ tenantId: 'globex', name: 'a', role: 'admin' }, { actor: 'cli' })
      ).secret;
      const victim = await actAs(VICTIM);
      const bystander = await actAs(BYSTANDER);
      sessions.victim = victim.session;
      sessions.bystander = bystander.session;
      victimConversation = victim.conversationId;
      // A support conversation started anonymously and verified as the victim by order and email.
      const anonymous = (await (
        await call(http, keys.customer, '/v1/sessions', { method: 'POST' })
      ).json()) as {
        token: string;
      };
      const support = await call(
        http,
        anonymous.token,
        '/v1/chat',
        json({ question: `Order GW-10001, ${VICTIM.email}` }),
      );
      supportConversation = ((await support.json()) as { conversationId: string }).conversationId;
      await new ConversationCustomers(db).save(
        { tenantId: 'acme', conversationId: supportConversation },
        { customerId: VICTIM.id, name: 'Maya Patel', email: VICTIM.email, verifiedBy: 'order-and-email' },
      );
      await db.query(
        `INSERT INTO support_verification_failures (tenant_id, customer_id, outcome, conversation_id, order_number, at)
         VALUES ('acme', $1, 'mismatch', 'attacker-conversation', 'GW-10001', now())`,
        [VICTIM.id],
      );
      await db.query(
        `INSERT INTO support_verification_limits (tenant_id, dimension, subject, failures) VALUES ('acme', 'customer', $1, 1)`,
        [VICTIM.id],
      );
      await app.answerLog.flush();
      await app.observability.flush();
    }, 180_000);

    afterAll(async () => {
      await app?.close();
      await db?.close();
    });

    it('exports every covered table, with the customer’s rows and nobody else’s', async () => {
      const response = await call(http, keys.admin, `/v1/admin/privacy/customers/${VICTIM.id}/export`);
      expect(response.status).toBe(200);
      const data = (await response.json()) as {
        tables: Record<string, unknown[]>;
        counts: Record<string, number>;
      };
      expect(Object.keys(data.tables).sort()).toEqual([...app.privacy.tables].sort());
      for (const table of [
        'customer_sessions',
        'conversations',
        'conversation_messages',
        'escalations',
        'customer_memories',
        'answers',
        'feedback',
        'traces',
        'trace_spans',
        'audit_log',
        'support_customers',
        'support_orders',
        'support_order_lines',
        'support_conversation_customers',
        'support_verification_failures',
        'support_verification_limits',
      ]) {
        expect(data.counts[table], table).toBeGreaterThan(0);
      }
      const text = JSON.stringify(data);
      expect(text).toContain(VICTIM.email);
      expect(text).not.toContain(BYSTANDER.email);
      // Both the victim's own chat and the support conversation verified as them are there.
      const conversations = data.tables.conversations as { id: string }[];
      expect(conversations.map((row) => row.id).sort()).toEqual(
        [victimConversation, supportConversation].sort(),
      );
    });

    it('refuses callers that are not the tenant’s admin, and bad ids with a 400', async () => {
      const asOperator = await call(http, keys.operator, `/v1/admin/privacy/customers/${VICTIM.id}/export`);
      expect(asOperator.status).toBe(403);
      const asSession = await call(http, sessions.victim.token, `/v1/admin/privacy/customers/${VICTIM.id}`, {
        method: 'DELETE',
      });
      expect(asSession.status).toBe(403);
      // Another tenant's admin sees (and erases) nothing of this tenant.
      const other = await call(http, keys.otherAdmin, `/v1/admin/privacy/customers/${VICTIM.id}/export`);
      const otherData = (await other.json()) as { counts: Record<string, number> };
      expect(Object.values(otherData.counts).every((n) => n === 0)).toBe(true);
      const nul = await call(http, keys.admin, '/v1/admin/privacy/customers/a%00b/export');
      expect(nul.status).toBe(400);
      expect(((await nul.json()) as { error: { code: string } }).error.code).toBe('invalid_text');
      const surrogate = await call(http, keys.admin, '/v1/admin/privacy/customers/%ED%A0%80/export');
      expect(surrogate.status).toBeLessThan(500);
    });

    it('erases everything about the customer, audits it by hash, and is idempotent', async () => {
      const response = await call(http, keys.admin, `/v1/admin/privacy/customers/${VICTIM.id}`, {
        method: 'DELETE',
      });
      expect(response.status).toBe(200);
      const report = (await response.json()) as {
        removed: Record<string, number>;
        total: number;
        customerHash: string;
      };
      expect(report.customerHash).toBe(customerHash('acme', VICTIM.id));
      expect(report.removed.conversations).toBe(2);
      expect(report.removed.customer_sessions).toBe(1);
      expect(report.removed.support_customers).toBe(1);
      expect(report.removed.answers).toBeGreaterThanOrEqual(2);
      expect(report.removed.feedback).toBe(1);
      expect(report.total).toBeGreaterThan(20);

      // No table in the database mentions the customer's id, email or phone any more.
      for (const needle of [VICTIM.id, VICTIM.email, VICTIM.phone]) {
        expect(await tablesMentioning(db, needle), needle).toEqual({});
      }
      // The bystander's data is all there.
      const kept = await tablesMentioning(db, BYSTANDER.email);
      for (const table of ['answers', 'conversation_messages', 'customer_memories', 'customer_sessions']) {
        expect(kept[table], table).toBeGreaterThan(0);
      }
      const { rows: rated } = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM feedback WHERE user_id = $1',
        [`session:${sessions.bystander.sessionId}`],
      );
      expect(rated[0]?.n).toBe(1);

      // The victim's session token is dead; the bystander's still works.
      expect((await call(http, sessions.victim.token, '/v1/me')).status).toBe(401);
      expect((await call(http, sessions.bystander.token, '/v1/me')).status).toBe(200);

      // No route a staff key can read shows the customer.
      for (const path of [
        '/v1/feedback',
        '/v1/feedback/export',
        '/v1/traces?limit=200',
        '/v1/inbox',
        `/v1/conversations/${victimConversation}/messages`,
        `/v1/admin/privacy/customers/${VICTIM.id}/export`,
      ]) {
        const body = await (await call(http, keys.admin, path)).text();
        expect(body, path).not.toContain(VICTIM.email);
      }
      const again = (await (
        await call(http, keys.admin, `/v1/admin/privacy/customers/${VICTIM.id}/export`)
      ).json()) as { counts: Record<string, number> };
      expect(Object.values(again.counts).every((n) => n === 0)).toBe(true);

      // The audit record: who, when, what counts; the customer only as a hash.
      const entries = await app.keys.audit.list({ tenantId: 'acme', limit: 200 });
      const erase = entries.find((entry) => entry.action === 'privacy.erase');
      expect(erase).toMatchObject({
        target: report.customerHash,
        details: { complete: true, total: report.total },
      });
      expect(erase?.actor).toMatch(/^key:|^[0-9a-f-]{36}$/);
      expect(JSON.stringify(entries)).not.toContain(VICTIM.id);

      // A second erase removes nothing, succeeds, and is audited too.
      const second = await call(http, keys.admin, `/v1/admin/privacy/customers/${VICTIM.id}`, {
        method: 'DELETE',
      });
      expect(second.status).toBe(200);
      expect(((await second.json()) as { total: number }).total).toBe(0);
    });
  });
}
