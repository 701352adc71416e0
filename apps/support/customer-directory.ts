/**
 * @module support/customer-directory
 * The support app's customers (`support_customers`) as the product's customer directory, so a session
 * issued for a customer id or an email names a customer the orders tools know.
 */
import type { CustomerDirectory, DirectoryCustomer } from '../../src/spec/customer-directory.ts';
import type { SqlExecutor } from '../../src/store/database.ts';

/** Looks customers up in the orders store. */
export class SupportCustomerDirectory implements CustomerDirectory {
  constructor(private readonly db: SqlExecutor) {}

  /** The customer with this id in the tenant. */
  async byId(tenantId: string, customerId: string): Promise<DirectoryCustomer | undefined> {
    const { rows } = await this.db.query<DirectoryCustomer>(
      `SELECT id AS "customerId", email, name FROM support_customers WHERE tenant_id = $1 AND id = $2`,
      [tenantId, customerId],
    );
    return rows[0];
  }

  /** The customer with this email in the tenant, ignoring case. */
  async byEmail(tenantId: string, email: string): Promise<DirectoryCustomer | undefined> {
    const { rows } = await this.db.query<DirectoryCustomer>(
      `SELECT id AS "customerId", email, name FROM support_customers
       WHERE tenant_id = $1 AND lower(email) = lower($2)`,
      [tenantId, email.trim()],
    );
    return rows[0];
  }
}
