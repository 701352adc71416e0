/**
 * @module server/routes/experiments
 * `/v1/experiments`: prompt experiments of the caller's tenant, for admins: start one (traffic split
 * between prompt versions by weight), list, read, stop, and read per-arm results with significance
 * tests against the control arm.
 */
import { z } from 'zod';
import type { ExperimentService } from '../../prompts/experiments.ts';
import { LABEL_NAME } from '../../prompts/registry.ts';
import {
  experimentBodySchema,
  experimentListSchema,
  experimentResultsSchema,
} from '../openapi/llmops-responses.ts';
import { declareRoutes, ok, type RouteSpec } from '../route-spec.ts';
import { readJson } from '../validate.ts';

/** `POST /v1/experiments`. */
export const createExperimentRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    /** The prompt whose versions compete; the answerer experiments on `rag.system`. */
    promptName: z.string().min(1).max(100).default('rag.system'),
    /** The first arm is the control. */
    arms: z
      .array(
        z
          .object({
            name: z.string().regex(LABEL_NAME).max(50),
            version: z.number().int().min(1),
            weight: z.number().positive().max(1000).default(1),
          })
          .strict(),
      )
      .min(2)
      .max(10),
  })
  .strict();

/** The routes, as they declare themselves (server/route-spec.ts). */
const EXPERIMENT_ROUTES: readonly RouteSpec[] = [
  {
    method: 'post',
    path: '/v1/experiments',
    tag: 'experiments',
    summary:
      'Start an experiment: traffic on a prompt split between versions by weight, sticky per user (else conversation).',
    access: 'admin',
    request: { json: createExperimentRequestSchema },
    responses: { 201: ok(experimentBodySchema, 'Started.') },
  },
  {
    method: 'get',
    path: '/v1/experiments',
    tag: 'experiments',
    summary: 'The tenant’s experiments, newest first.',
    access: 'admin',
    responses: {
      200: ok(experimentListSchema),
    },
  },
  {
    method: 'get',
    path: '/v1/experiments/:id',
    tag: 'experiments',
    summary: 'One experiment.',
    access: 'admin',
    responses: { 200: ok(experimentBodySchema) },
  },
  {
    method: 'post',
    path: '/v1/experiments/:id/stop',
    tag: 'experiments',
    summary: 'Stop an experiment; its results stay.',
    access: 'admin',
    responses: {
      200: ok(experimentBodySchema),
    },
  },
  {
    method: 'get',
    path: '/v1/experiments/:id/results',
    tag: 'experiments',
    summary:
      'Per-arm outcomes (positive-feedback, feedback and grounded-answer rates, latency, tokens, cost) with significance tests against the control arm.',
    access: 'admin',
    responses: { 200: ok(experimentResultsSchema) },
  },
];

/** Routes. */
export function experimentRoutes(experiments: ExperimentService) {
  return declareRoutes(EXPERIMENT_ROUTES)
    .post('/v1/experiments', async (context) => {
      const body = await readJson(context, createExperimentRequestSchema);
      const experiment = await experiments.create(context.get('identity').tenantId, body);
      return context.json({ experiment }, 201);
    })
    .get('/v1/experiments', async (context) =>
      context.json({ experiments: await experiments.list(context.get('identity').tenantId) }),
    )
    .get('/v1/experiments/:id', async (context) =>
      context.json({
        experiment: await experiments.get(context.get('identity').tenantId, context.req.param('id')),
      }),
    )
    .post('/v1/experiments/:id/stop', async (context) =>
      context.json({
        experiment: await experiments.stop(context.get('identity').tenantId, context.req.param('id')),
      }),
    )
    .get('/v1/experiments/:id/results', async (context) =>
      context.json(await experiments.results(context.get('identity').tenantId, context.req.param('id'))),
    );
}
