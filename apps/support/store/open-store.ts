/**
 * @module support/store/open-store
 * The support app's own tables (orders, customers, verification lockouts) over the product's
 * database: the one place the app's commands get them from, so commands hold no SQL and never see
 * the database themselves. Opening migrates the tables; on a database the support server never ran
 * on, creating them is harmless.
 */
import type { Database } from '../../../src/spec/database.ts';
import { SupportCustomerDirectory } from '../customer-directory.ts';
import { resolveLimits } from '../verification/limits.ts';
import { VerificationLockouts } from '../verification/lockouts.ts';
import { migrateSupportStore } from './migrations.ts';
import { seedSupportStore } from './seed.ts';

/** The support app's stores. */
export interface SupportStore {
  /** Customers and their verification records, for sessions bound to a customer. */
  readonly customers: SupportCustomerDirectory;
  /** Verification lockouts (ADR 0030), with the limits of the environment. */
  readonly lockouts: VerificationLockouts;
  /** Seeds the demo orders when the tenant has none (dates relative to `now`); true when it did. */
  seedIfEmpty(tenantId: string, now?: Date): Promise<boolean>;
}

/** Migrates the support tables of `app`'s database and returns its stores. */
export async function openSupportStore(app: { readonly db: Database }): Promise<SupportStore> {
  const { db } = app;
  await migrateSupportStore(db);
  return {
    customers: new SupportCustomerDirectory(db),
    lockouts: new VerificationLockouts(db, resolveLimits()),
    async seedIfEmpty(tenantId, now = new Date()) {
      const { rows } = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM support_orders WHERE tenant_id = $1',
        [tenantId],
      );
      if ((rows[0]?.n ?? 0) > 0) return false;
      await seedSupportStore(db, { tenantId, now });
      return true;
    },
  };
}
