/**
 * @module server/routes/admin-keys
 * Key management for a tenant's admins: create (the secret is in this one response and never again),
 * list (with each key's quota use), revoke, rotate, set a quota. Platform keys cannot be made here:
 * the create schema has no such field, so only the CLI operator makes them. Everything is confined to the caller's tenant, so another tenant's key id is a
 * 404 that reveals nothing, and every change is audited with the calling key as actor.
 */
import { z } from 'zod';
import { QUOTA_PERIODS } from '../../identity/key-quotas.ts';
import type { ApiKeyService } from '../../identity/keys.ts';
import { ROLES } from '../../identity/roles.ts';
import type { ServerEnv } from '../authenticate.ts';
import { issuedKeySchema, keyBodySchema, keyListSchema } from '../openapi/responses.ts';
import { declareRoutes, ok, type RouteSpec } from '../route-spec.ts';
import { readJson } from '../validate.ts';

const principal = z.string().min(1).max(200);
const limit = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

/** A key's quota: requests and/or answer tokens per UTC day or calendar month. */
export const keyQuotaSchema = z
  .object({ period: z.enum(QUOTA_PERIODS), requests: limit.optional(), tokens: limit.optional() })
  .strict()
  .refine((quota) => quota.requests !== undefined || quota.tokens !== undefined, {
    message: 'a quota limits requests, tokens or both',
  });

/** `POST /v1/admin/keys`. */
export const createKeyRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    role: z.enum(ROLES),
    principals: z.array(principal).max(100).optional(),
    /** Seconds until the key stops working; omit for a key that does not expire. */
    expiresInSeconds: z
      .number()
      .int()
      .min(60)
      .max(10 * 365 * 86_400)
      .optional(),
    /** Requests and/or answer tokens per day or month; over it, 429 `quota_exceeded`. */
    quota: keyQuotaSchema.optional(),
  })
  .strict();

/** `POST /v1/admin/keys/:id/quota`: set a quota, or remove it with null. */
export const keyQuotaRequestSchema = z.object({ quota: keyQuotaSchema.nullable() }).strict();

/** `POST /v1/admin/keys/:id/rotate`. */
export const rotateKeyRequestSchema = z
  .object({
    /** How long the old secret keeps working; 0 (the default) revokes it at once. */
    graceSeconds: z
      .number()
      .int()
      .min(0)
      .max(30 * 86_400)
      .optional(),
  })
  .strict();

/** The routes, as they declare themselves (server/route-spec.ts). */
const ADMIN_KEY_ROUTES: readonly RouteSpec[] = [
  {
    method: 'post',
    path: '/v1/admin/keys',
    tag: 'admin',
    summary: 'Create an API key in the caller’s tenant; the secret is in this response only.',
    access: 'admin',
    request: { json: createKeyRequestSchema },
    responses: { 201: ok(issuedKeySchema, 'Created.') },
  },
  {
    method: 'get',
    path: '/v1/admin/keys',
    tag: 'admin',
    summary: 'The tenant’s API keys (never their secrets).',
    access: 'admin',
    responses: {
      200: ok(keyListSchema),
    },
  },
  {
    method: 'post',
    path: '/v1/admin/keys/:id/revoke',
    tag: 'admin',
    summary: 'Revoke a key now.',
    access: 'admin',
    responses: { 200: ok(keyBodySchema) },
  },
  {
    method: 'post',
    path: '/v1/admin/keys/:id/quota',
    tag: 'admin',
    summary:
      'Set a key’s quota (requests and/or answer tokens per day or month), or remove it with `{quota: null}`.',
    access: 'admin',
    request: { json: keyQuotaRequestSchema },
    responses: { 200: ok(keyBodySchema) },
  },
  {
    method: 'post',
    path: '/v1/admin/keys/:id/rotate',
    tag: 'admin',
    summary: 'A new secret for the key; the old one is revoked now or after `graceSeconds`.',
    access: 'admin',
    request: { json: rotateKeyRequestSchema, bodyRequired: false },
    responses: { 200: ok(issuedKeySchema) },
  },
];

/** Routes. */
export function adminKeyRoutes(keys: ApiKeyService) {
  const scopeOf = (identity: ServerEnv['Variables']['identity']) => ({
    actor: identity.keyId ?? 'anonymous',
    tenantId: identity.tenantId,
  });
  return declareRoutes(ADMIN_KEY_ROUTES)
    .post('/v1/admin/keys', async (context) => {
      const body = await readJson(context, createKeyRequestSchema);
      const identity = context.get('identity');
      const issued = await keys.create({ ...body, tenantId: identity.tenantId }, scopeOf(identity));
      return context.json(issued, 201);
    })
    .get('/v1/admin/keys', async (context) =>
      context.json({ keys: await keys.list(context.get('identity').tenantId) }),
    )
    .post('/v1/admin/keys/:id/revoke', async (context) => {
      const key = await keys.revoke(context.req.param('id'), scopeOf(context.get('identity')));
      return context.json({ key });
    })
    .post('/v1/admin/keys/:id/quota', async (context) => {
      const { quota } = await readJson(context, keyQuotaRequestSchema);
      const key = await keys.setQuota(context.req.param('id'), quota, scopeOf(context.get('identity')));
      return context.json({ key });
    })
    .post('/v1/admin/keys/:id/rotate', async (context) => {
      // No body means "no grace period".
      const body = context.req.header('content-type') ? await readJson(context, rotateKeyRequestSchema) : {};
      const issued = await keys.rotate(context.req.param('id'), scopeOf(context.get('identity')), body);
      return context.json(issued);
    });
}
