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
import type { Context } from 'hono';
import type { SessionService } from '../../src/identity/sessions.ts';
import { callerOf, type RequestIdentity, type ServerEnv } from '../../src/server/authenticate.ts';
import { declareRoutes, ok, type RouteSpec } from '../../src/server/route-spec.ts';
import { parseWith, readJson } from '../../src/server/validate.ts';
import type { VerifiedCustomer } from '../../src/spec/agents.ts';
import type { CustomerDirectory } from '../../src/spec/customer-directory.ts';
import {
  supportApprovalsQuerySchema,
  supportApprovalsSchema,
  supportDecisionRequestSchema,
  supportLockoutBodySchema,
  supportLockoutsQuerySchema,
  supportLockoutsSchema,
  supportMessageRequestSchema,
  supportTurnSchema,
} from './http-schema.ts';
import type { SupportService } from './service.ts';

/** What the routes need to honour customer sessions; without it a session is an anonymous customer. */
export interface SupportSessionOptions {
  readonly sessions: Pick<SessionService, 'bindCustomer'>;
  readonly customers: CustomerDirectory;
}

/** The routes, as they declare themselves (server/route-spec.ts). */
const SUPPORT_ROUTES: readonly RouteSpec[] = [
  {
    method: 'post',
    path: '/v1/support/messages',
    tag: 'support',
    summary:
      'One customer message to the support assistant (agents with a model, the no-LLM policy without).',
    access: 'customer',
    request: { json: supportMessageRequestSchema },
    responses: { 200: ok(supportTurnSchema) },
  },
  {
    method: 'get',
    path: '/v1/support/approvals',
    tag: 'support-approvals',
    summary: 'Support runs waiting for an operator (refunds above the limit), oldest first.',
    access: 'operator',
    request: { query: supportApprovalsQuerySchema },
    responses: { 200: ok(supportApprovalsSchema) },
  },
  {
    method: 'post',
    path: '/v1/support/approvals/:runId/approve',
    tag: 'support-approvals',
    summary: 'Approve the waiting calls; the run continues. 409 `run_not_paused` when already decided.',
    access: 'operator',
    request: { json: supportDecisionRequestSchema, bodyRequired: false },
    responses: { 200: ok(supportTurnSchema) },
  },
  {
    method: 'post',
    path: '/v1/support/approvals/:runId/reject',
    tag: 'support-approvals',
    summary: 'Reject the waiting calls; the model hears why and the run continues.',
    access: 'operator',
    request: { json: supportDecisionRequestSchema, bodyRequired: false },
    responses: { 200: ok(supportTurnSchema) },
  },
  {
    method: 'get',
    path: '/v1/support/lockouts',
    tag: 'support-lockouts',
    summary:
      'Verification lockouts of the tenant: conversations, sessions, keys and customers refusing verification now (locked, or waiting out a delay); `all=true` adds every subject with failures on record.',
    access: 'operator',
    request: { query: supportLockoutsQuerySchema },
    responses: { 200: ok(supportLockoutsSchema) },
  },
  {
    method: 'delete',
    path: '/v1/support/lockouts/:id',
    tag: 'support-lockouts',
    summary:
      'Clear a verification lockout (its failures are forgotten; audited). 404 `lockout_not_found` when already cleared or of another tenant.',
    access: 'operator',
    responses: { 200: ok(supportLockoutBodySchema) },
  },
];

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
  return declareRoutes(SUPPORT_ROUTES)
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
