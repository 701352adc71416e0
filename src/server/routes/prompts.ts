/**
 * @module server/routes/prompts
 * `/v1/prompts`: the caller's tenant's prompt registry for admins: list, show, read a version, create a
 * version, promote a version to a label, roll a label back, and render a version with values (to try a
 * template before promoting it). Unknown prompts, versions and labels are 404s with a code; templates
 * and values that disagree with the declared variables are 400s with a code.
 */
import { z } from 'zod';
import { generationSettingsSchema } from '../../prompts/generation-settings.ts';
import { LABEL_NAME, PRODUCTION_LABEL, type PromptRegistry } from '../../prompts/registry.ts';
import { renderTemplate, VARIABLE_NAME, VARIABLE_TYPES } from '../../prompts/template.ts';
import type { ServerEnv } from '../authenticate.ts';
import {
  labelMoveSchema,
  promptDetailSchema,
  promptListSchema,
  promptVersionBodySchema,
  renderedPromptSchema,
} from '../openapi/llmops-responses.ts';
import { declareRoutes, ok, type RouteSpec } from '../route-spec.ts';
import { parseWith, readJson } from '../validate.ts';

const label = z.string().regex(LABEL_NAME).max(50);
const version = z.number().int().min(1);

/** `POST /v1/prompts`: the next version of a prompt (the prompt is created with its first version). */
export const createPromptRequestSchema = z
  .object({
    name: z.string().min(1).max(100),
    template: z.string().min(1).max(100_000),
    variables: z
      .array(
        z
          .object({
            name: z.string().regex(VARIABLE_NAME).max(100),
            type: z.enum(VARIABLE_TYPES),
            description: z.string().max(1000).optional(),
          })
          .strict(),
      )
      .max(50)
      .optional(),
    description: z.string().max(1000).optional(),
    note: z.string().max(1000).optional(),
    /** Sampling settings stored with the version; unset fields take the grounded-answer defaults. */
    generation: generationSettingsSchema.optional(),
  })
  .strict();

/** `POST /v1/prompts/:name/promote`. */
export const promoteRequestSchema = z.object({ version, label: label.default(PRODUCTION_LABEL) }).strict();

/** `POST /v1/prompts/:name/rollback`. */
export const rollbackRequestSchema = z.object({ label: label.default(PRODUCTION_LABEL) }).strict();

/** `POST /v1/prompts/:name/render`: a version (default: the `production` label's) with values. */
export const renderRequestSchema = z
  .object({
    version: version.optional(),
    label: label.optional(),
    values: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  })
  .strict();

const versionParam = z.coerce.number().int().min(1).max(1_000_000_000);

/** The routes, as they declare themselves (server/route-spec.ts). */
const PROMPT_ROUTES: readonly RouteSpec[] = [
  {
    method: 'get',
    path: '/v1/prompts',
    tag: 'prompts',
    summary: 'The tenant’s prompts with their newest version and labels.',
    access: 'admin',
    responses: {
      200: ok(promptListSchema),
    },
  },
  {
    method: 'post',
    path: '/v1/prompts',
    tag: 'prompts',
    summary: 'Add the next immutable version of a prompt (creating the prompt with its first).',
    access: 'admin',
    request: { json: createPromptRequestSchema },
    responses: { 201: ok(promptVersionBodySchema, 'Created.') },
  },
  {
    method: 'get',
    path: '/v1/prompts/:name',
    tag: 'prompts',
    summary: 'One prompt with its versions and labels.',
    access: 'admin',
    responses: {
      200: ok(promptDetailSchema),
    },
  },
  {
    method: 'get',
    path: '/v1/prompts/:name/versions/:version',
    tag: 'prompts',
    summary: 'One version of a prompt.',
    access: 'admin',
    responses: {
      200: ok(promptVersionBodySchema),
    },
  },
  {
    method: 'post',
    path: '/v1/prompts/:name/promote',
    tag: 'prompts',
    summary: 'Point a label (default `production`) at a version.',
    access: 'admin',
    request: { json: promoteRequestSchema },
    responses: { 200: ok(labelMoveSchema) },
  },
  {
    method: 'post',
    path: '/v1/prompts/:name/rollback',
    tag: 'prompts',
    summary: 'Move a label (default `production`) back to the version it pointed at before its last move.',
    access: 'admin',
    request: { json: rollbackRequestSchema, bodyRequired: false },
    responses: { 200: ok(labelMoveSchema) },
  },
  {
    method: 'post',
    path: '/v1/prompts/:name/render',
    tag: 'prompts',
    summary: 'Render a version (or a label’s, default `production`) with values, to try it.',
    access: 'admin',
    request: { json: renderRequestSchema },
    responses: { 200: ok(renderedPromptSchema) },
  },
];

/** Routes. */
export function promptRoutes(registry: PromptRegistry) {
  const actorOf = (identity: ServerEnv['Variables']['identity']) => identity.keyId ?? 'anonymous';
  return declareRoutes(PROMPT_ROUTES)
    .get('/v1/prompts', async (context) =>
      context.json({ prompts: await registry.list(context.get('identity').tenantId) }),
    )
    .post('/v1/prompts', async (context) => {
      const body = await readJson(context, createPromptRequestSchema);
      const identity = context.get('identity');
      const created = await registry.create(identity.tenantId, body, actorOf(identity));
      return context.json({ version: created }, 201);
    })
    .get('/v1/prompts/:name', async (context) =>
      context.json({
        prompt: await registry.show(context.get('identity').tenantId, context.req.param('name')),
      }),
    )
    .get('/v1/prompts/:name/versions/:version', async (context) => {
      const number = parseWith(versionParam, context.req.param('version'), 'invalid_request');
      const row = await registry.version(context.get('identity').tenantId, context.req.param('name'), number);
      return context.json({ version: row });
    })
    .post('/v1/prompts/:name/promote', async (context) => {
      const body = await readJson(context, promoteRequestSchema);
      const identity = context.get('identity');
      const moved = await registry.promote(
        identity.tenantId,
        context.req.param('name'),
        body.version,
        body.label,
        actorOf(identity),
      );
      return context.json(moved);
    })
    .post('/v1/prompts/:name/rollback', async (context) => {
      const body = context.req.header('content-type')
        ? await readJson(context, rollbackRequestSchema)
        : { label: PRODUCTION_LABEL };
      const identity = context.get('identity');
      const moved = await registry.rollback(
        identity.tenantId,
        context.req.param('name'),
        body.label,
        actorOf(identity),
      );
      return context.json(moved);
    })
    .post('/v1/prompts/:name/render', async (context) => {
      const body = await readJson(context, renderRequestSchema);
      const tenantId = context.get('identity').tenantId;
      const name = context.req.param('name');
      const row =
        body.version !== undefined
          ? await registry.version(tenantId, name, body.version)
          : await registry.resolve(tenantId, name, body.label ?? PRODUCTION_LABEL);
      return context.json({
        name,
        version: row.version,
        text: renderTemplate(row.template, row.variables, body.values),
      });
    });
}
