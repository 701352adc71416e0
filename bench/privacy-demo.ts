/**
 * Data-subject rights, end to end: seeds the support shop and one customer's footprint (a session,
 * questions with their answers and traces, a rating, a conversation escalated to the inbox, a memory,
 * a support conversation verified by order and email, a failed verification against them), exports
 * the customer, erases them, and prints what each table held and lost and the audit record. Then it
 * checks that no table of the database still mentions the customer's id, email or phone.
 *
 *   npx tsx bench/privacy-demo.ts [--database-url postgres://…]   (default: embedded PGlite in memory)
 */
import { parseArgs } from 'node:util';
import { ConversationCustomers } from '../apps/support/conversation-customers.ts';
import { supportPrivacySection } from '../apps/support/privacy-section.ts';
import { migrateSupportStore } from '../apps/support/store/migrations.ts';
import { seedSupportStore } from '../apps/support/store/seed.ts';
import { createGroundwork } from '../src/app.ts';
import { formatErasure } from '../src/cli/commands/privacy.ts';
import { loadConfig } from '../src/config/config.ts';
import { createHttpApp } from '../src/server/app.ts';
import { openDatabase } from '../src/store/open.ts';

const { values } = parseArgs({ options: { 'database-url': { type: 'string' } } });
const CUSTOMER = { id: 'cust-0001', email: 'maya.patel@example.com', phone: '+1 415 555 0101' };

const db = await openDatabase(
  values['database-url'] ? { databaseUrl: values['database-url'] } : { dataDir: 'memory://' },
);
await migrateSupportStore(db);
await seedSupportStore(db, { tenantId: 'acme' });
const config = loadConfig({
  dataDir: 'memory://',
  embedder: 'none',
  llm: { model: 'none' },
  auth: 'required',
  sessions: { secret: 'privacy-demo-session-secret-0123456789abcdef' },
});
const app = await createGroundwork(config, { db });
app.privacy.register(supportPrivacySection);
const http = createHttpApp(app, { webRoot: null });
const admin = (await app.keys.create({ tenantId: 'acme', name: 'admin', role: 'admin' }, { actor: 'cli' }))
  .secret;
const operator = (
  await app.keys.create({ tenantId: 'acme', name: 'desk', role: 'operator' }, { actor: 'cli' })
).secret;
const widget = (
  await app.keys.create({ tenantId: 'acme', name: 'widget', role: 'customer' }, { actor: 'cli' })
).secret;
const call = async (
  secret: string,
  path: string,
  body?: unknown,
  method = body === undefined ? 'GET' : 'POST',
) => {
  const response = await http.request(path, {
    method,
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status >= 300)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
};

// The customer's footprint.
const session = (await call(operator, '/v1/sessions', {
  customerId: CUSTOMER.id,
  email: CUSTOMER.email,
})) as {
  token: string;
};
for (const question of [`I'm ${CUSTOMER.email}: how long do returns take?`, 'Do you ship to Canada?']) {
  const asked = (await call(session.token, '/v1/ask', { question })) as { traceId: string };
  await call(session.token, '/v1/feedback', { traceId: asked.traceId, rating: 'down', comment: 'too slow' });
}
const chat = (await call(session.token, '/v1/chat', {
  question: `Call me on ${CUSTOMER.phone}, please.`,
})) as {
  conversationId: string;
};
await app.inbox.escalate({
  tenantId: 'acme',
  conversationId: chat.conversationId,
  trigger: 'customer-request',
  reason: 'Asked for a call back',
  customer: { customerId: CUSTOMER.id, name: 'Maya Patel', email: CUSTOMER.email, verifiedBy: 'session' },
});
await app.memory.customers.remember(
  { tenantId: 'acme', customerId: CUSTOMER.id },
  {
    kind: 'preference',
    text: `Prefers a phone call on ${CUSTOMER.phone}.`,
    sourceConversation: chat.conversationId,
  },
);
const anonymous = (await call(widget, '/v1/sessions', {})) as { token: string };
const support = (await call(anonymous.token, '/v1/chat', {
  question: `Order GW-10001, my email is ${CUSTOMER.email}`,
})) as {
  conversationId: string;
};
await new ConversationCustomers(db).save(
  { tenantId: 'acme', conversationId: support.conversationId },
  { customerId: CUSTOMER.id, name: 'Maya Patel', email: CUSTOMER.email, verifiedBy: 'order-and-email' },
);
await db.query(
  `INSERT INTO support_verification_failures (tenant_id, customer_id, outcome, conversation_id, order_number, at)
   VALUES ('acme', $1, 'mismatch', 'someone-elses-conversation', 'GW-10001', now())`,
  [CUSTOMER.id],
);
await app.answerLog.flush();
await app.observability.flush();

// Export.
const exported = (await call(admin, `/v1/admin/privacy/customers/${CUSTOMER.id}/export`)) as {
  counts: Record<string, number>;
};
process.stdout.write(`Export of ${CUSTOMER.id} (GET /v1/admin/privacy/customers/${CUSTOMER.id}/export):\n`);
for (const [table, count] of Object.entries(exported.counts))
  process.stdout.write(`  ${table.padEnd(32)} ${count}\n`);

// Erase, twice.
const erased = await call(admin, `/v1/admin/privacy/customers/${CUSTOMER.id}`, undefined, 'DELETE');
process.stdout.write(`\nDELETE /v1/admin/privacy/customers/${CUSTOMER.id}:\n`);
process.stdout.write(formatErasure(erased as unknown as Parameters<typeof formatErasure>[0]));
const again = await call(admin, `/v1/admin/privacy/customers/${CUSTOMER.id}`, undefined, 'DELETE');
process.stdout.write(`\nSecond erase (idempotent): total ${again.total}\n`);

const audit = (await app.keys.audit.list({ tenantId: 'acme', limit: 20 })).filter((entry) =>
  entry.action.startsWith('privacy.'),
);
process.stdout.write('\nAudit log (privacy entries, newest first):\n');
for (const entry of audit) process.stdout.write(`  ${JSON.stringify(entry)}\n`);

// Nothing left that names them.
const { rows: tables } = await db.query<{ name: string }>(
  `SELECT quote_ident(table_name) AS name FROM information_schema.tables
   WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`,
);
const left: string[] = [];
for (const needle of [CUSTOMER.id, CUSTOMER.email, CUSTOMER.phone]) {
  for (const { name } of tables) {
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${name} t WHERE t::text ILIKE '%' || $1 || '%'`,
      [needle],
    );
    if ((rows[0]?.n ?? 0) > 0) left.push(`${name} (${needle}: ${rows[0]?.n})`);
  }
}
process.stdout.write(
  `\nTables still mentioning the customer's id, email or phone (of ${tables.length}): ${left.length === 0 ? 'none' : left.join(', ')}\n`,
);
const me = await http.request('/v1/me', { headers: { authorization: `Bearer ${session.token}` } });
process.stdout.write(`Their session token now: ${me.status}\n`);
await app.close();
await db.close();
