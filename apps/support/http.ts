/**
 * @module support/http
 * The support app over HTTP: customers send messages; operators list the runs waiting for approval
 * (a refund above the limit) and approve or reject them. Everything is confined to the caller's
 * tenant, so another tenant's run id is a 404, and a customer continues only their own conversations. Mount with `createHttpApp(app, { routes: [...] })`.
 */
import { type Context, Hono } from 'hono';
import { callerOf, type ServerEnv } from '../../src/server/identity.ts';
import {
  supportApprovalsQuerySchema,
  supportDecisionRequestSchema,
  supportMessageRequestSchema,
} from '../../src/server/routes/support-schema.ts';
import { parseWith, readJson } from '../../src/server/validate.ts';
import type { SupportService } from './service.ts';

/** The support routes. */
export function supportRoutes(support: SupportService) {
  const decide = (approved: boolean) => async (context: Context<ServerEnv>) => {
    const identity = context.get('identity');
    const hasBody =
      (context.req.header('content-length') ?? '0') !== '0' || context.req.header('content-type');
    const body = hasBody ? await readJson(context, supportDecisionRequestSchema) : {};
    const result = await support.decide(identity.tenantId, context.req.param('runId') ?? '', {
      approved,
      by: identity.keyId ?? 'anonymous',
      ...(body.reason ? { reason: body.reason } : {}),
    });
    return context.json(result);
  };
  return new Hono<ServerEnv>()
    .post('/v1/support/messages', async (context) => {
      const body = await readJson(context, supportMessageRequestSchema);
      const identity = context.get('identity');
      const result = await support.turn({
        tenantId: identity.tenantId,
        caller: { owner: callerOf(identity), role: identity.role },
        message: body.message,
        ...(body.conversationId ? { conversationId: body.conversationId } : {}),
        signal: context.req.raw.signal,
      });
      return context.json(result);
    })
    .get('/v1/support/approvals', async (context) => {
      const { limit } = parseWith(supportApprovalsQuerySchema, context.req.query(), 'invalid_query');
      return context.json({
        approvals: await support.pendingApprovals(context.get('identity').tenantId, limit),
      });
    })
    .post('/v1/support/approvals/:runId/approve', decide(true))
    .post('/v1/support/approvals/:runId/reject', decide(false));
}
