/**
 * @module identity/tenants
 * The tenants table: created on first use (the default tenant at start-up, a tenant on its first
 * upload), looked up when an OIDC token names one, counted for the platform-wide metrics scope.
 */
import type { SqlExecutor } from '../spec/database.ts';
import { ensureTenant, tenantCount, tenantExists } from '../store/documents.ts';

/** Tenants by id. */
export class TenantService {
  constructor(private readonly db: SqlExecutor) {}

  /** Makes sure the tenant exists (named after its id when new). */
  ensure(tenantId: string): Promise<void> {
    return ensureTenant(this.db, tenantId);
  }

  /** Whether the tenant exists. */
  exists(tenantId: string): Promise<boolean> {
    return tenantExists(this.db, tenantId);
  }

  /** How many tenants exist. */
  count(): Promise<number> {
    return tenantCount(this.db);
  }
}
