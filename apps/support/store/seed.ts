/**
 * @module support/store/seed
 * Loads the demo customers and orders into a tenant, replacing what the tenant had, in one
 * transaction. Run it from the command line with `npx tsx apps/support/store/seed-cli.ts`.
 */
import type { Database } from '../../../src/store/database.ts';
import { productByModel } from './catalogue.ts';
import { migrateSupportStore } from './migrations.ts';
import { generateSeedData, SEED_NOW } from './seed-data.ts';

/** What was loaded. */
export interface SeedSummary {
  readonly customers: number;
  readonly orders: number;
  readonly shipments: number;
  readonly returns: number;
}

/** Migrates the support tables and replaces the tenant's orders data with the seed. */
export async function seedSupportStore(
  db: Database,
  options: { tenantId: string; seed?: number; now?: Date },
): Promise<SeedSummary> {
  await migrateSupportStore(db);
  const { customers, orders } = generateSeedData(options.seed, options.now ?? SEED_NOW);
  const tenant = options.tenantId;
  let shipments = 0;
  let returns = 0;
  await db.transaction(async (tx) => {
    for (const table of [
      'support_returns',
      'support_shipments',
      'support_order_lines',
      'support_orders',
      'support_customers',
    ]) {
      await tx.query(`DELETE FROM ${table} WHERE tenant_id = $1`, [tenant]);
    }
    // One statement per table (unnest of arrays): row-by-row inserts took tens of seconds on PGlite.
    await tx.query(
      `INSERT INTO support_customers (tenant_id, id, name, email, phone)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[])`,
      [tenant, ...columns(customers, ['id', 'name', 'email', 'phone'])],
    );
    const orderRows = orders.map((order) => ({
      ...order,
      deliveredAt: order.deliveredAt ?? null,
      total: order.lines.reduce((sum, line) => sum + productByModel(line.model).price * line.quantity, 0),
    }));
    await tx.query(
      `INSERT INTO support_orders (tenant_id, order_number, customer_id, status, placed_at, delivered_at, total)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[], $7::numeric[])`,
      [
        tenant,
        ...columns(orderRows, ['orderNumber', 'customerId', 'status', 'placedAt', 'deliveredAt', 'total']),
      ],
    );
    const lines = orders.flatMap((order) =>
      order.lines.map((line, index) => {
        const product = productByModel(line.model);
        return {
          orderNumber: order.orderNumber,
          line: index + 1,
          model: product.model,
          product: product.name,
          quantity: line.quantity,
          price: product.price,
          clearance: line.clearance ?? false,
        };
      }),
    );
    await tx.query(
      `INSERT INTO support_order_lines (tenant_id, order_number, line, model, product, quantity, unit_price, clearance)
       SELECT $1, * FROM unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::int[], $7::numeric[], $8::boolean[])`,
      [
        tenant,
        ...columns(lines, ['orderNumber', 'line', 'model', 'product', 'quantity', 'price', 'clearance']),
      ],
    );
    const shipped = orders.flatMap((order) =>
      order.shipment
        ? [
            {
              orderNumber: order.orderNumber,
              ...order.shipment,
              eta: order.shipment.eta.toISOString().slice(0, 10),
              events: JSON.stringify(order.shipment.events),
            },
          ]
        : [],
    );
    shipments = shipped.length;
    await tx.query(
      `INSERT INTO support_shipments (tenant_id, order_number, carrier, tracking_number, status, eta, events)
       SELECT $1, o, c, t, s, e, ev::jsonb FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::date[], $7::text[])
         AS u(o, c, t, s, e, ev)`,
      [tenant, ...columns(shipped, ['orderNumber', 'carrier', 'trackingNumber', 'status', 'eta', 'events'])],
    );
    const refunds = orders.flatMap((order) =>
      order.refund
        ? [{ orderNumber: order.orderNumber, ...order.refund, at: order.deliveredAt ?? order.placedAt }]
        : [],
    );
    returns = refunds.length;
    await tx.query(
      `INSERT INTO support_returns (tenant_id, order_number, status, reason, refund_amount, created_at)
       SELECT $1, o, 'refunded', r, a, t FROM unnest($2::text[], $3::text[], $4::numeric[], $5::timestamptz[]) AS u(o, r, a, t)`,
      [tenant, ...columns(refunds, ['orderNumber', 'reason', 'amount', 'at'])],
    );
  });
  return { customers: customers.length, orders: orders.length, shipments, returns };
}

/** The named fields of the rows as parallel arrays, for `unnest`. */
function columns<T>(rows: readonly T[], keys: readonly (keyof T)[]): unknown[][] {
  return keys.map((key) => rows.map((row) => row[key]));
}
