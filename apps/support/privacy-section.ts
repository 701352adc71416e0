/**
 * @module support/privacy-section
 * The support app's tables as a privacy section (privacy/section.ts): the customer record and their
 * orders (lines, shipments, returns), the conversations verified as them and the routed policy's state
 * of those conversations, and the verification limits and failures about them, their sessions and
 * their conversations. The link table (`support_conversation_customers`) is erased last in the
 * section's transaction, and the section runs before the product's conversations are looked up again,
 * so an erase that stops halfway finds the same conversations when run again.
 *
 * The demo shop deletes orders with the customer; a real shop that must keep invoices would replace
 * this section's order statements with ones that keep the order and drop the personal fields.
 */
import type { PrivacySection, PrivacySubject } from '../../src/privacy/section.ts';
import { deleteWhere, rowsWhere } from '../../src/privacy/sql-rows.ts';
import type { SqlExecutor } from '../../src/store/database.ts';

const BY_CUSTOMER = 't.tenant_id = $1 AND t.customer_id = $2';
const ORDER_OF_CUSTOMER = `t.tenant_id = $1 AND t.order_number IN
  (SELECT o.order_number FROM support_orders o WHERE o.tenant_id = $1 AND o.customer_id = $2)`;
const BY_CONVERSATION = 't.tenant_id = $1 AND t.conversation_id = ANY($2::text[])';
const LIMIT_MATCH = `t.tenant_id = $1 AND (
  (t.dimension = 'customer' AND t.subject = $2)
  OR (t.dimension = 'conversation' AND t.subject = ANY($3::text[]))
  OR (t.dimension = 'session' AND t.subject = ANY($4::text[])))`;
const FAILURE_MATCH = `t.tenant_id = $1 AND (t.customer_id = $2 OR t.conversation_id = ANY($3::text[])
  OR t.session_id = ANY($4::text[]))`;

const customerParams = (subject: PrivacySubject) => [subject.tenantId, subject.customerId];
const conversationParams = (subject: PrivacySubject) => [subject.tenantId, subject.conversationIds];
const everyParam = (subject: PrivacySubject) => [
  subject.tenantId,
  subject.customerId,
  subject.conversationIds,
  subject.sessionIds,
];

/** Tables in the order rows are deleted (children before parents, the link table last). */
const TABLES = [
  'support_order_lines',
  'support_shipments',
  'support_returns',
  'support_orders',
  'support_customers',
  'support_routed_sessions',
  'support_verification_failures',
  'support_verification_limits',
  'support_conversation_customers',
] as const;

type Table = (typeof TABLES)[number];

function matchOf(table: Table, subject: PrivacySubject): [string, unknown[]] {
  switch (table) {
    case 'support_order_lines':
    case 'support_shipments':
    case 'support_returns':
      return [ORDER_OF_CUSTOMER, customerParams(subject)];
    case 'support_orders':
    case 'support_conversation_customers':
      return [BY_CUSTOMER, customerParams(subject)];
    case 'support_customers':
      return ['t.tenant_id = $1 AND t.id = $2', customerParams(subject)];
    case 'support_routed_sessions':
      return [BY_CONVERSATION, conversationParams(subject)];
    case 'support_verification_failures':
      return [FAILURE_MATCH, everyParam(subject)];
    case 'support_verification_limits':
      return [LIMIT_MATCH, everyParam(subject)];
  }
}

/** The support app's privacy section. */
export const supportPrivacySection: PrivacySection = {
  name: 'support',
  tables: TABLES,
  async links(db: SqlExecutor, subject: PrivacySubject) {
    const { rows } = await db.query<{ id: string }>(
      `SELECT t.conversation_id AS id FROM support_conversation_customers t WHERE ${BY_CUSTOMER}`,
      customerParams(subject),
    );
    return { conversationIds: rows.map((row) => row.id) };
  },
  async export(db, subject) {
    const tables: Record<string, unknown[]> = {};
    for (const table of TABLES) {
      const [where, params] = matchOf(table, subject);
      tables[table] = await rowsWhere(db, table, where, params);
    }
    return tables;
  },
  async erase(tx, subject) {
    const removed: Record<string, number> = {};
    for (const table of TABLES) {
      const [where, params] = matchOf(table, subject);
      removed[table] = await deleteWhere(tx, table, where, params);
    }
    return removed;
  },
};
