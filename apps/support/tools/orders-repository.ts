/**
 * @module support/tools/orders-repository
 * The SQL behind the order tools. Every statement filters by tenant AND customer, so an order of
 * another customer is exactly as invisible as one that does not exist.
 */
import type { SqlExecutor } from '../../../src/store/database.ts';

/** An order as the tools show it. */
export interface OrderSummary {
  readonly orderNumber: string;
  readonly status: string;
  readonly placedAt: string;
  readonly deliveredAt: string | null;
  readonly total: number;
}

/** One line of an order. */
export interface OrderLine {
  readonly model: string;
  readonly product: string;
  readonly quantity: number;
  readonly unitPrice: number;
  readonly clearance: boolean;
}

/** A shipment with its tracking events. */
export interface Shipment {
  readonly carrier: string;
  readonly trackingNumber: string;
  readonly status: string;
  readonly eta: string | null;
  readonly events: readonly { at: string; status: string; location: string }[];
}

/** Who owns the rows a query may read. */
export interface Owner {
  readonly tenantId: string;
  readonly customerId: string;
}

const SUMMARY = `o.order_number AS "orderNumber", o.status, to_char(o.placed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS "placedAt",
  to_char(o.delivered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "deliveredAt", o.total::float8 AS total`;

/** The customer's orders, newest first. */
export async function listOrders(db: SqlExecutor, owner: Owner, limit = 10): Promise<OrderSummary[]> {
  const { rows } = await db.query<OrderSummary>(
    `SELECT ${SUMMARY} FROM support_orders o WHERE o.tenant_id = $1 AND o.customer_id = $2
     ORDER BY o.placed_at DESC LIMIT $3`,
    [owner.tenantId, owner.customerId, limit],
  );
  return rows;
}

/** One order of the customer, or undefined (also when it belongs to someone else). */
export async function findOrder(
  db: SqlExecutor,
  owner: Owner,
  orderNumber: string,
): Promise<OrderSummary | undefined> {
  const { rows } = await db.query<OrderSummary>(
    `SELECT ${SUMMARY} FROM support_orders o WHERE o.tenant_id = $1 AND o.customer_id = $2 AND o.order_number = $3`,
    [owner.tenantId, owner.customerId, orderNumber],
  );
  return rows[0];
}

/** The lines of an order of the customer. */
export async function orderLines(db: SqlExecutor, owner: Owner, orderNumber: string): Promise<OrderLine[]> {
  const { rows } = await db.query<OrderLine>(
    `SELECT l.model, l.product, l.quantity, l.unit_price::float8 AS "unitPrice", l.clearance
     FROM support_order_lines l JOIN support_orders o ON o.tenant_id = l.tenant_id AND o.order_number = l.order_number
     WHERE o.tenant_id = $1 AND o.customer_id = $2 AND o.order_number = $3 ORDER BY l.line`,
    [owner.tenantId, owner.customerId, orderNumber],
  );
  return rows;
}

/** The shipments of an order of the customer. */
export async function orderShipments(
  db: SqlExecutor,
  owner: Owner,
  orderNumber: string,
): Promise<Shipment[]> {
  const { rows } = await db.query<Shipment>(
    `SELECT s.carrier, s.tracking_number AS "trackingNumber", s.status, to_char(s.eta, 'YYYY-MM-DD') AS eta, s.events
     FROM support_shipments s JOIN support_orders o ON o.tenant_id = s.tenant_id AND o.order_number = s.order_number
     WHERE o.tenant_id = $1 AND o.customer_id = $2 AND o.order_number = $3 ORDER BY s.id`,
    [owner.tenantId, owner.customerId, orderNumber],
  );
  return rows;
}

/** Returns already opened for an order of the customer. */
export async function existingReturns(
  db: SqlExecutor,
  owner: Owner,
  orderNumber: string,
): Promise<{ status: string }[]> {
  const { rows } = await db.query<{ status: string }>(
    `SELECT r.status FROM support_returns r JOIN support_orders o ON o.tenant_id = r.tenant_id AND o.order_number = r.order_number
     WHERE o.tenant_id = $1 AND o.customer_id = $2 AND o.order_number = $3 AND r.status <> 'rejected'`,
    [owner.tenantId, owner.customerId, orderNumber],
  );
  return rows;
}

/** Records a return of an order of the customer; the insert re-checks ownership. */
export async function insertReturn(
  db: SqlExecutor,
  owner: Owner,
  orderNumber: string,
  values: { status: 'requested' | 'awaiting_approval'; reason: string; refundAmount: number },
): Promise<number | undefined> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO support_returns (tenant_id, order_number, status, reason, refund_amount)
     SELECT o.tenant_id, o.order_number, $4, $5, $6 FROM support_orders o
     WHERE o.tenant_id = $1 AND o.customer_id = $2 AND o.order_number = $3 RETURNING id`,
    [owner.tenantId, owner.customerId, orderNumber, values.status, values.reason, values.refundAmount],
  );
  return rows[0]?.id;
}
