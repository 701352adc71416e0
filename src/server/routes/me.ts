/**
 * @module server/routes/me
 * `GET /v1/me`: who the caller is (tenant, role, key id and prefix). The web UI reads its role here rather
 * than guessing from failures, and learns that auth is off when this answers without a key.
 */
import type { ApiKeyService } from '../../identity/keys.ts';
import { meSchema } from '../openapi/responses.ts';
import { declareRoutes, ok, type RouteSpec } from '../route-spec.ts';

/** The routes, as they declare themselves (server/route-spec.ts). */
const ME_ROUTES: readonly RouteSpec[] = [
  {
    method: 'get',
    path: '/v1/me',
    tag: 'identity',
    summary: 'The caller: tenant, role and key prefix (the web UI reads its role here).',
    access: 'customer',
    responses: {
      200: ok(meSchema),
    },
  },
];

/** Routes. */
export function meRoutes(keys: Pick<ApiKeyService, 'get'>) {
  return declareRoutes(ME_ROUTES).get('/v1/me', async (context) => {
    const identity = context.get('identity');
    // A bearer JWT's caller (`oidc:<sub>`) and a customer session (`session:<id>`) have no key row.
    const keyId = identity.keyId && /^(oidc|session):/.test(identity.keyId) ? null : identity.keyId;
    const key = keyId ? await keys.get(keyId, { tenantId: identity.tenantId }) : null;
    return context.json({
      tenantId: identity.tenantId,
      role: identity.role,
      // The inbox compares it with an escalation's `claimedBy` to show who holds a conversation.
      keyId: identity.keyId,
      keyPrefix: key?.prefix ?? null,
      keyName: key?.name ?? null,
      expiresAt: key?.expiresAt ?? null,
      authenticated: identity.keyId !== null,
    });
  });
}
