/**
 * @module server/routes/sessions
 * `POST /v1/sessions` issues a signed customer session: an operator or admin key (a tenant's backend)
 * vouches for a signed-in customer by `customerId` or `email`; a customer key (a public widget key)
 * gets an anonymous session, which the customer can verify later in the conversation. Sessions cannot
 * issue sessions. A session issued by an API key is charged to that key's quota and ends with it.
 * `DELETE /v1/sessions/:id` revokes one of the caller's tenant (another tenant's id is a 404);
 * `DELETE /v1/sessions?keyId=` revokes every live session a key issued. The token is in the creation
 * response only.
 */
import { z } from 'zod';
import { GroundworkError, InvalidRequestError, NotFoundError } from '../../errors.ts';
import { roleAllows } from '../../identity/roles.ts';
import type { SessionCustomer, SessionService } from '../../identity/sessions.ts';
import type { CustomerDirectory } from '../../spec/customer-directory.ts';
import { callerOf, type RequestIdentity } from '../authenticate.ts';
import { issuedSessionSchema, revokedSessionsSchema, sessionBodySchema } from '../openapi/responses.ts';
import { declareRoutes, ok, type RouteSpec } from '../route-spec.ts';
import { parseWith, readJson } from '../validate.ts';

/** `POST /v1/sessions`. */
export const createSessionRequestSchema = z
  .object({
    /** The tenant's own id of the signed-in customer (operator or admin keys only). */
    customerId: z.string().trim().min(1).max(200).optional(),
    /** The signed-in customer's email, instead of or besides `customerId` (operator or admin keys only). */
    email: z.string().trim().email().max(320).optional(),
    /** Lifetime in seconds; the configured default when absent. */
    ttlSeconds: z
      .number()
      .int()
      .min(60)
      .max(30 * 86_400)
      .optional(),
  })
  .strict();

/** Query of `DELETE /v1/sessions`: whose sessions to revoke. */
export const revokeSessionsQuerySchema = z
  .object({
    /** The API key whose issued sessions all end (the key itself keeps working). */
    keyId: z.string().uuid(),
  })
  .strict();

/** The routes, as they declare themselves (server/route-spec.ts). */
const SESSION_ROUTES: readonly RouteSpec[] = [
  {
    method: 'post',
    path: '/v1/sessions',
    tag: 'sessions',
    summary:
      'Issue a signed customer session: for a customer vouched for by an operator or admin key (customerId or email), or anonymous for a customer key. Use the token as the bearer credential; it is shown once.',
    access: 'customer',
    request: { json: createSessionRequestSchema, bodyRequired: false },
    responses: { 201: ok(issuedSessionSchema, 'Created.') },
  },
  {
    method: 'delete',
    path: '/v1/sessions',
    tag: 'sessions',
    summary:
      'Revoke every live session an API key issued (the key keeps working); 404 `key_not_found` for a key of another tenant.',
    access: 'operator',
    request: { query: revokeSessionsQuerySchema },
    responses: { 200: ok(revokedSessionsSchema) },
  },
  {
    method: 'delete',
    path: '/v1/sessions/:id',
    tag: 'sessions',
    summary: 'Revoke a customer session now.',
    access: 'operator',
    responses: {
      200: ok(sessionBodySchema),
    },
  },
];

/** Routes; `directory` resolves customers when an app keeps them (the support app). */
export function sessionRoutes(sessions: SessionService, directory?: CustomerDirectory) {
  return declareRoutes(SESSION_ROUTES)
    .post('/v1/sessions', async (context) => {
      const identity = context.get('identity');
      if (identity.session) throw forbidden('sessions_cannot_issue', 'A session cannot issue sessions.');
      // A widget asking for an anonymous session may send no body at all, with or without a type.
      const empty = (await context.req.text()).trim() === '';
      const body = empty ? {} : await readJson(context, createSessionRequestSchema);
      const vouches = body.customerId !== undefined || body.email !== undefined;
      if (vouches && !roleAllows(identity.role, 'operator')) {
        throw forbidden(
          'forbidden_role',
          'Only an operator or admin key may vouch for a customer; a customer key gets an anonymous session.',
        );
      }
      const customer = vouches ? await resolveCustomer(identity.tenantId, body, directory) : undefined;
      // A session issued by a key is charged to it and ends with it; OIDC callers have no key.
      const issuedByKey = identity.keyId && !identity.keyId.includes(':') ? identity.keyId : undefined;
      const issued = await sessions.create(
        {
          tenantId: identity.tenantId,
          ...(issuedByKey ? { issuedByKey } : {}),
          ...(customer ? { customer } : {}),
          ...(body.ttlSeconds !== undefined ? { ttlSeconds: body.ttlSeconds } : {}),
        },
        { actor: actorOf(identity) },
      );
      const { session } = issued;
      return context.json(
        {
          token: issued.token,
          sessionId: session.id,
          expiresAt: session.expiresAt,
          ...(session.customerId
            ? { customer: { customerId: session.customerId, email: session.customerEmail } }
            : {}),
        },
        201,
      );
    })
    .delete('/v1/sessions', async (context) => {
      const identity = context.get('identity');
      const { keyId } = parseWith(revokeSessionsQuerySchema, context.req.query(), 'invalid_query');
      return context.json(
        await sessions.revokeIssuedBy(identity.tenantId, keyId, { actor: actorOf(identity) }),
      );
    })
    .delete('/v1/sessions/:id', async (context) => {
      const identity = context.get('identity');
      const session = await sessions.revoke(identity.tenantId, context.req.param('id'), {
        actor: actorOf(identity),
      });
      return context.json({ session });
    });
}

function actorOf(identity: RequestIdentity): string {
  return identity.keyId ?? callerOf(identity) ?? 'anonymous';
}

/**
 * The customer named by `customerId` and/or `email`. With a directory the customer must exist (and
 * both must name the same one); without, the id is taken as the tenant's own and an email alone
 * cannot be turned into one.
 */
async function resolveCustomer(
  tenantId: string,
  body: { customerId?: string; email?: string },
  directory: CustomerDirectory | undefined,
): Promise<SessionCustomer> {
  if (!directory) {
    if (body.customerId === undefined) {
      throw new InvalidRequestError(
        'customer_id_required',
        'This server keeps no customer directory, so name the customer by customerId.',
      );
    }
    return { customerId: body.customerId, ...(body.email ? { email: body.email } : {}) };
  }
  const found =
    body.customerId !== undefined
      ? await directory.byId(tenantId, body.customerId)
      : await directory.byEmail(tenantId, body.email!);
  if (!found) throw new NotFoundError('customer_not_found', 'There is no such customer.');
  if (body.email !== undefined && found.email.toLowerCase() !== body.email.toLowerCase()) {
    throw new InvalidRequestError(
      'customer_mismatch',
      'The customerId and the email name different customers.',
    );
  }
  return { customerId: found.customerId, email: found.email };
}

function forbidden(code: string, message: string): GroundworkError {
  return new GroundworkError({ code, message, category: 'user', kind: 'forbidden' });
}
