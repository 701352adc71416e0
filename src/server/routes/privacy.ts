/**
 * @module server/routes/privacy
 * Data-subject rights for a tenant's admins: `GET /v1/admin/privacy/customers/:id/export` returns
 * every row the product (and the mounted app) holds about the customer, table by table;
 * `DELETE /v1/admin/privacy/customers/:id` erases them and returns what was removed per table. Both
 * act on the caller's tenant and are audited with the calling key as actor and the customer hashed.
 */
import { z } from 'zod';
import type { PrivacyService } from '../../privacy/privacy-service.ts';
import { declareRoutes, ok, type RouteSpec } from '../route-spec.ts';

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

/** The routes, as they declare themselves (server/route-spec.ts). */
const PRIVACY_ROUTES: readonly RouteSpec[] = [
  {
    method: 'get',
    path: '/v1/admin/privacy/customers/:id/export',
    tag: 'privacy',
    summary:
      'Everything stored about one customer of the caller’s tenant, table by table (every covered table listed); audited with the customer hashed.',
    access: 'admin',
    responses: { 200: ok(customerExportSchema) },
  },
  {
    method: 'delete',
    path: '/v1/admin/privacy/customers/:id',
    tag: 'privacy',
    summary:
      'Erase one customer’s data (conversations, memories, feedback, answer log, traces, cached answers, sessions, app tables), one transaction per store; idempotent; returns rows removed per table and writes an audit record holding only a hash of the customer id.',
    access: 'admin',
    responses: { 200: ok(erasureReportSchema) },
  },
];

/** Routes. */
export function privacyRoutes(privacy: PrivacyService) {
  return declareRoutes(PRIVACY_ROUTES)
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
