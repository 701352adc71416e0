/**
 * @module server/routes/privacy
 * Data-subject rights for a tenant's admins: `GET /v1/admin/privacy/customers/:id/export` returns
 * every row the product (and the mounted app) holds about the customer, table by table;
 * `DELETE /v1/admin/privacy/customers/:id` erases them and returns what was removed per table. Both
 * act on the caller's tenant and are audited with the calling key as actor and the customer hashed.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { PrivacyService } from '../../privacy/privacy-service.ts';
import type { ServerEnv } from '../identity.ts';

/** The export of one customer. */
export const customerExportSchema = z.object({
  tenantId: z.string(),
  customerId: z.string(),
  exportedAt: z.string(),
  tables: z.record(z.string(), z.array(z.unknown())),
  counts: z.record(z.string(), z.number()),
});

/** What an erase removed. */
export const erasureReportSchema = z.object({
  tenantId: z.string(),
  customerHash: z.string(),
  erasedAt: z.string(),
  removed: z.record(z.string(), z.number()),
  total: z.number(),
  audit: z.object({ action: z.string(), actor: z.string(), target: z.string() }),
});

/** Routes. */
export function privacyRoutes(privacy: PrivacyService) {
  return new Hono<ServerEnv>()
    .get('/v1/admin/privacy/customers/:id/export', async (context) => {
      const identity = context.get('identity');
      const data = await privacy.exportCustomer(identity.tenantId, context.req.param('id'), {
        actor: identity.keyId ?? 'anonymous',
      });
      return context.json(data);
    })
    .delete('/v1/admin/privacy/customers/:id', async (context) => {
      const identity = context.get('identity');
      const report = await privacy.eraseCustomer(identity.tenantId, context.req.param('id'), {
        actor: identity.keyId ?? 'anonymous',
      });
      return context.json(report);
    });
}
