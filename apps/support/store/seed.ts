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
    for (const customer of customers) {
      await tx.query(
        'INSERT INTO support_customers (tenant_id, id, name, email, phone) VALUES ($1, $2, $3, $4, $5)',
        [tenant, customer.id, customer.name, customer.email, customer.phone],
      );
    }
    for (const order of orders) {
      const total = order.lines.reduce(
        (sum, line) => sum + productByModel(line.model).price * line.quantity,
        0,
      );
      await tx.query(
        `INSERT INTO support_orders (tenant_id, order_number, customer_id, status, placed_at, delivered_at, total)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          tenant,
          order.orderNumber,
          order.customerId,
          order.status,
          order.placedAt,
          order.deliveredAt ?? null,
          total,
        ],
      );
      for (const [index, line] of order.lines.entries()) {
        const product = productByModel(line.model);
        await tx.query(
          `INSERT INTO support_order_lines (tenant_id, order_number, line, model, product, quantity, unit_price, clearance)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [
            tenant,
            order.orderNumber,
            index + 1,
            product.model,
            product.name,
            line.quantity,
            product.price,
            line.clearance ?? false,
          ],
        );
      }
      if (order.shipment) {
        shipments++;
        await tx.query(
          `INSERT INTO support_shipments (tenant_id, order_number, carrier, tracking_number, status, eta, events)
           VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)`,
          [
            tenant,
            order.orderNumber,
            order.shipment.carrier,
            order.shipment.trackingNumber,
            order.shipment.status,
            order.shipment.eta.toISOString().slice(0, 10),
            JSON.stringify(order.shipment.events),
          ],
        );
      }
      if (order.refund) {
        returns++;
        await tx.query(
          `INSERT INTO support_returns (tenant_id, order_number, status, reason, refund_amount, created_at)
           VALUES ($1, $2, 'refunded', $3, $4, $5)`,
          [
            tenant,
            order.orderNumber,
            order.refund.reason,
            order.refund.amount,
            order.deliveredAt ?? order.placedAt,
          ],
        );
      }
    }
  });
  return { customers: customers.length, orders: orders.length, shipments, returns };
}
