/**
 * @module server/routes/sources
 * Server-side sources (sources/service.ts, ADR 0093): create, list, read, change and delete them,
 * sync one now, and take a bucket's signed event notifications, which sync just the keys they name.
 */
import { z } from 'zod';
import { createSourceSchema, sourceBodySchema, updateSourceSchema } from '../../sources/schema.ts';
import type { SourceService } from '../../sources/service.ts';
import { assertValidText } from '../../text/valid-text.ts';
import { jobBodySchema } from '../openapi/responses.ts';
import { declareRoutes, ok, type RouteSpec } from '../route-spec.ts';
import { parseWith, readJson } from '../validate.ts';

const job = jobBodySchema.shape.job;
/** A sync's answer: the source with its last sync, and the job queued (none when nothing changed or it failed). */
const syncSchema = z.object({ source: sourceBodySchema, job: job.nullable() });
/** Query of `DELETE /v1/sources/{id}`. */
export const deleteSourceQuerySchema = z
  .object({ removeDocuments: z.enum(['true', 'false']).default('false') })
  .strict();
/** The S3 event notification body (its records are checked by the service). */
const bucketEventSchema = z.object({ Records: z.array(z.record(z.string(), z.unknown())) });

const SOURCE_ROUTES: readonly RouteSpec[] = [
  {
    method: 'post',
    path: '/v1/sources',
    tag: 'sources',
    summary: 'Create a source (a folder, a list of URLs, or an S3-compatible bucket prefix).',
    access: 'admin',
    request: { json: createSourceSchema },
    responses: {
      201: ok(
        z.object({ source: sourceBodySchema, webhookSecret: z.string() }),
        'Created; the webhook secret for signing bucket notifications is shown this once.',
      ),
    },
  },
  {
    method: 'get',
    path: '/v1/sources',
    tag: 'sources',
    summary: "The tenant's sources.",
    access: 'admin',
    responses: { 200: ok(z.object({ sources: z.array(sourceBodySchema) })) },
  },
  {
    method: 'get',
    path: '/v1/sources/:id',
    tag: 'sources',
    summary: 'One source with its last sync.',
    access: 'admin',
    responses: { 200: ok(z.object({ source: sourceBodySchema })) },
  },
  {
    method: 'patch',
    path: '/v1/sources/:id',
    tag: 'sources',
    summary: "Change a source's settings, credentials or schedule.",
    access: 'admin',
    request: { json: updateSourceSchema },
    responses: { 200: ok(z.object({ source: sourceBodySchema })) },
  },
  {
    method: 'delete',
    path: '/v1/sources/:id',
    tag: 'sources',
    summary: 'Delete a source; with removeDocuments=true a job removes its documents.',
    access: 'admin',
    request: { query: deleteSourceQuerySchema },
    responses: { 200: ok(z.object({ deleted: z.literal(true), job: job.nullable() })) },
  },
  {
    method: 'post',
    path: '/v1/sources/:id/sync',
    tag: 'sources',
    summary: 'Sync a source now (an ingestion job adds, updates and removes its documents).',
    access: 'admin',
    request: { bodyRequired: false },
    responses: { 202: ok(syncSchema, 'Started, or the reason the source could not be read on the source.') },
  },
  {
    method: 'post',
    path: '/v1/sources/:id/events',
    tag: 'sources',
    summary:
      'A bucket event notification (S3 event JSON) signed with the source webhook secret: X-Groundwork-Timestamp and X-Groundwork-Signature: sha256=HMAC(secret, "<timestamp>.<body>").',
    access: 'customer',
    request: { json: bucketEventSchema },
    responses: { 202: ok(syncSchema, 'The changed keys are being synced.') },
  },
];

/** Routes. */
export function sourceRoutes(sources: SourceService) {
  return declareRoutes(SOURCE_ROUTES)
    .post('/v1/sources', async (context) => {
      const body = await readJson(context, z.unknown());
      const created = await sources.create(context.get('identity').tenantId, body as never);
      return context.json(created, 201);
    })
    .get('/v1/sources', async (context) =>
      context.json({ sources: await sources.list(context.get('identity').tenantId) }),
    )
    .get('/v1/sources/:id', async (context) =>
      context.json({ source: await sources.get(context.get('identity').tenantId, context.req.param('id')) }),
    )
    .patch('/v1/sources/:id', async (context) => {
      const body = await readJson(context, z.unknown());
      const source = await sources.update(context.get('identity').tenantId, context.req.param('id'), body);
      return context.json({ source });
    })
    .delete('/v1/sources/:id', async (context) => {
      const query = parseWith(deleteSourceQuerySchema, context.req.query(), 'invalid_query');
      const { job } = await sources.remove(
        context.get('identity').tenantId,
        context.req.param('id'),
        query.removeDocuments === 'true',
      );
      return context.json({ deleted: true as const, job });
    })
    .post('/v1/sources/:id/sync', async (context) => {
      const outcome = await sources.sync(context.get('identity').tenantId, context.req.param('id'));
      return context.json(outcome, 202);
    })
    .post('/v1/sources/:id/events', async (context) => {
      const body = await context.req.text();
      // Invalid text is refused as on every route, before the source is looked up.
      assertValidText(body, 'body');
      assertValidText(parsedOrUndefined(body), 'body');
      const outcome = await sources.notify(context.get('identity').tenantId, context.req.param('id'), body, {
        timestamp: context.req.header('x-groundwork-timestamp'),
        signature: context.req.header('x-groundwork-signature'),
      });
      return context.json(outcome, 202);
    });
}

/** The JSON value of `text`, or undefined when it is not JSON (the service says why). */
function parsedOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
