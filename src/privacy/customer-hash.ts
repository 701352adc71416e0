/**
 * @module privacy/customer-hash
 * How privacy audit records name a customer: a SHA-256 of tenant and customer id, never the id itself,
 * so the audit log (which outlives the erase) holds nothing that names the person, while an operator
 * asked "was customer C-1001 erased?" can compute the hash and find the record (ADR 0054).
 */
import { createHash } from 'node:crypto';

/** `sha256:<hex>` of `tenant \0 customer`. */
export function customerHash(tenantId: string, customerId: string): string {
  return `sha256:${createHash('sha256').update(`${tenantId}\0${customerId}`).digest('hex')}`;
}
