/**
 * @module support/http
 * The support app over HTTP: customers send messages; operators list the runs waiting for approval
 * (a refund above the limit) and approve or reject them, and list and clear verification lockouts. Everything is confined to the caller's
 * tenant, so another tenant's run id is a 404. Mount with `createHttpApp(app, { routes: [...] })`.
 *
 * A signed customer session that carries a verified customer acts for that customer without asking
 * for an order number and email; an anonymous session that verifies in the conversation is bound to
 * the customer it proved (stored, so later turns, new conversations and a restart keep it). A customer
 * continues only conversations they started.
 */
import { type Context, Hono } from 'hono';
import type { SessionService } from '../../src/identity/sessions.ts';
import { callerOf, type RequestIdentity, type ServerEnv } from '../../src/server/identity.ts';
import {
  supportApprovalsQuerySchema,
  supportDecisionRequestSchema,
  supportLockoutsQuerySchema,
  supportMessageRequestSchema,
} from '../../src/server/routes/support-schema.ts';
import { parseWith, readJson } from '../../src/server/validate.ts';
import type { VerifiedCustomer } from '../../src/spec/agents.ts';
import type { CustomerDirectory } from '../../src/spec/customer-directory.ts';
import type { SupportService } from './service.ts';

/** What the routes need to honour customer sessions; without it a session is an anonymous customer. */
export interface SupportSessionOptions {
  readonly sessions: Pick<SessionService, 'bindCustomer'>;
  readonly customers: CustomerDirectory;
}

/** The support routes. */
export function supportRoutes(support: SupportService, options?: SupportSessionOptions) {
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
      const customer = await sessionCustomer(identity, options);
      const result = await support.turn({
        tenantId: identity.tenantId,
        message: body.message,
        ...(body.conversationId ? { conversationId: body.conversationId } : {}),
        ...(customer ? { customer } : {}),
        caller: { owner: callerOf(identity), role: identity.role },
        signal: context.req.raw.signal,
      });
      if (options && identity.session && !identity.session.customerId) {
        // Verified by order number and email in this turn: the session now acts for that customer.
        const verified = await support.customers.get({
          tenantId: identity.tenantId,
          conversationId: result.conversationId,
        });
        if (verified) {
          await options.sessions.bindCustomer(identity.tenantId, identity.session.id, {
            customerId: verified.customerId,
            ...(verified.email ? { email: verified.email } : {}),
          });
        }
      }
      return context.json(result);
    })
    .get('/v1/support/approvals', async (context) => {
      const { limit } = parseWith(supportApprovalsQuerySchema, context.req.query(), 'invalid_query');
      return context.json({
        approvals: await support.pendingApprovals(context.get('identity').tenantId, limit),
      });
    })
    .post('/v1/support/approvals/:runId/approve', decide(true))
    .post('/v1/support/approvals/:runId/reject', decide(false))
    .get('/v1/support/lockouts', async (context) => {
      const { all, limit } = parseWith(supportLockoutsQuerySchema, context.req.query(), 'invalid_query');
      const tenantId = context.get('identity').tenantId;
      return context.json({
        lockouts: await support.lockouts.list(tenantId, { all: all === 'true', limit }),
      });
    })
    .delete('/v1/support/lockouts/:id', async (context) => {
      const identity = context.get('identity');
      const lockout = await support.lockouts.clear(identity.tenantId, context.req.param('id'), {
        actor: identity.keyId ?? 'anonymous',
      });
      return context.json({ lockout });
    });
}

/** The verified customer of a session (read fresh from the directory), if it has one. */
async function sessionCustomer(
  identity: RequestIdentity,
  options: SupportSessionOptions | undefined,
): Promise<VerifiedCustomer | undefined> {
  const customerId = identity.session?.customerId;
  if (!options || !customerId) return undefined;
  const found = await options.customers.byId(identity.tenantId, customerId);
  if (!found) return undefined;
  return {
    customerId: found.customerId,
    email: found.email,
    ...(found.name ? { name: found.name } : {}),
    verifiedBy: 'session',
  };
}
