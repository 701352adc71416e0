/**
 * @module spec/customer-directory
 * Port: who a tenant's customers are. The product does not keep customers itself; an app that does
 * (the support app's orders store) implements this so a session issued for an email or a customer id
 * names a customer that exists, and so tools get the customer's name and email. Types only.
 */

/** A customer of a tenant. */
export interface DirectoryCustomer {
  readonly customerId: string;
  readonly email: string;
  readonly name?: string;
}

/** Finds customers by id or email within one tenant. */
export interface CustomerDirectory {
  /** The customer with this id, or undefined. */
  byId(tenantId: string, customerId: string): Promise<DirectoryCustomer | undefined>;
  /** The customer with this email (case-insensitive), or undefined. */
  byEmail(tenantId: string, email: string): Promise<DirectoryCustomer | undefined>;
}
