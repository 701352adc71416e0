import { describe, expect, it } from 'vitest';
import { testBackends } from '../../../src/testing/databases.ts';
import { migrateSupportStore } from './migrations.ts';
import { seedSupportStore } from './seed.ts';
import { generateSeedData } from './seed-data.ts';

describe('support seed data', () => {
  it('is deterministic and realistic', () => {
    const first = generateSeedData();
    expect(generateSeedData()).toEqual(first);
    expect(first.customers).toHaveLength(40);
    expect(first.orders).toHaveLength(120);
    const statuses = new Set(first.orders.map((order) => order.status));
    expect(statuses).toEqual(new Set(['placed', 'paid', 'shipped', 'delivered', 'cancelled', 'returned']));
    expect(new Set(first.orders.map((order) => order.orderNumber)).size).toBe(120);
  });
});

describe.each(testBackends())('support store on $name', (backend) => {
  it('migrates once and seeds each tenant separately, replacing on re-seed', async () => {
    const db = await backend.open();
    try {
      expect(await migrateSupportStore(db)).toEqual([1, 2, 3, 4, 5]);
      expect(await migrateSupportStore(db)).toEqual([]);
      const summary = await seedSupportStore(db, { tenantId: 'a' });
      expect(summary).toMatchObject({ customers: 40, orders: 120 });
      await seedSupportStore(db, { tenantId: 'b' });
      await seedSupportStore(db, { tenantId: 'a' });
      const { rows } = await db.query<{ tenant_id: string; count: number }>(
        'SELECT tenant_id, count(*)::int AS count FROM support_orders GROUP BY tenant_id ORDER BY tenant_id',
      );
      expect(rows).toEqual([
        { tenant_id: 'a', count: 120 },
        { tenant_id: 'b', count: 120 },
      ]);
      const product = await db.query('SELECT version FROM schema_migrations');
      expect(product.rows.length).toBeGreaterThan(0);
    } finally {
      await db.close();
    }
  });
});
