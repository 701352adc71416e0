/**
 * @module server/routes/admin-guardrails
 * `/v1/admin/guardrails`: the caller's tenant's guardrail actions for its admins. `GET` shows the
 * configured defaults, the tenant's overrides and what applies; `PUT` replaces the overrides (`{}`
 * returns to the defaults). Changes apply without a restart: at once in this process, within
 * `guardrails.settingsCacheSeconds` in others. Every change is audited with the calling key as actor.
 */
import { z } from 'zod';
import {
  type GuardrailSettingsService,
  guardrailOverridesSchema,
} from '../../guardrails/guardrail-settings.ts';
import { MODERATION_ACTIONS, MODERATION_CATEGORIES } from '../../spec/moderation.ts';
import { declareRoutes, ok, type RouteSpec } from '../route-spec.ts';
import { readJson } from '../validate.ts';

/** `PUT /v1/admin/guardrails`: per-category moderation actions and the stereotyping action. */
export const guardrailSettingsRequestSchema = guardrailOverridesSchema;

const action = z.enum(MODERATION_ACTIONS);
const actions = z.object({
  moderation: z.object(Object.fromEntries(MODERATION_CATEGORIES.map((category) => [category, action]))),
  stereotyping: action,
});

/** The tenant's guardrail settings. */
export const guardrailSettingsSchema = z.object({
  tenantId: z.string(),
  defaults: actions,
  overrides: guardrailOverridesSchema,
  effective: actions,
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});

/** The routes, as they declare themselves (server/route-spec.ts). */
const ADMIN_GUARDRAIL_ROUTES: readonly RouteSpec[] = [
  {
    method: 'get',
    path: '/v1/admin/guardrails',
    tag: 'admin',
    summary: 'The tenant’s guardrail actions: configured defaults, its overrides, and what applies.',
    access: 'admin',
    responses: { 200: ok(guardrailSettingsSchema) },
  },
  {
    method: 'put',
    path: '/v1/admin/guardrails',
    tag: 'admin',
    summary:
      'Replace the tenant’s guardrail overrides (per moderation category and for stereotyping answers: `block`, `escalate` or `log`; `sexual-minors` is always `block`); `{}` returns to the defaults. Applies without a restart.',
    access: 'admin',
    request: { json: guardrailSettingsRequestSchema },
    responses: { 200: ok(guardrailSettingsSchema) },
  },
];

/** Routes. */
export function adminGuardrailRoutes(settings: GuardrailSettingsService) {
  return declareRoutes(ADMIN_GUARDRAIL_ROUTES)
    .get('/v1/admin/guardrails', async (context) =>
      context.json(await settings.get(context.get('identity').tenantId)),
    )
    .put('/v1/admin/guardrails', async (context) => {
      // The service validates, so the error names what is wrong with the settings themselves.
      const body = await readJson(context, z.unknown());
      const identity = context.get('identity');
      return context.json(await settings.set(identity.tenantId, body, identity.keyId ?? 'anonymous'));
    });
}
