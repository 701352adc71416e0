/**
 * @module server/routes/jobs
 * Ingestion jobs: queue one (`POST /v1/ingest`), list, read one with its per-file outcomes, follow
 * its progress as server-sent events, cancel.
 */
import { z } from 'zod';
import { ingestRequestSchema } from '../../ingest/request.ts';
import type { IngestionService } from '../../ingest/service.ts';
import { notFound } from '../http-error.ts';
import { streamWhileValid } from '../live-stream.ts';
import { jobBodySchema, jobDetailSchema, jobListSchema } from '../openapi/responses.ts';
import { declareRoutes, ok, type RouteSpec } from '../route-spec.ts';
import { parseWith, readJson } from '../validate.ts';

/** Query of `GET /v1/jobs`. */
export const jobListQuerySchema = z
  .object({ limit: z.coerce.number().int().min(1).max(200).default(20) })
  .strict();
/** Query of `GET /v1/jobs/:id`: filter the per-file outcomes. */
export const jobItemsQuerySchema = z
  .object({ status: z.enum(['pending', 'done', 'updated', 'unchanged', 'failed', 'removed']).optional() })
  .strict();

/** The routes, as they declare themselves (server/route-spec.ts). */
const JOB_ROUTES: readonly RouteSpec[] = [
  {
    method: 'post',
    path: '/v1/ingest',
    tag: 'ingestion',
    summary: 'Queue an ingestion job.',
    access: 'admin',
    request: { json: ingestRequestSchema },
    responses: { 202: ok(jobBodySchema, 'Queued.') },
  },
  {
    method: 'get',
    path: '/v1/jobs',
    tag: 'ingestion',
    summary: 'Recent jobs.',
    access: 'operator',
    request: { query: jobListQuerySchema },
    responses: { 200: ok(jobListSchema) },
  },
  {
    method: 'get',
    path: '/v1/jobs/:id',
    tag: 'ingestion',
    summary: 'One job with its per-file outcomes.',
    access: 'operator',
    request: { query: jobItemsQuerySchema },
    responses: { 200: ok(jobDetailSchema) },
  },
  {
    method: 'delete',
    path: '/v1/jobs/:id',
    tag: 'ingestion',
    summary: 'Cancel a job.',
    access: 'admin',
    responses: { 200: ok(jobBodySchema) },
  },
  {
    method: 'get',
    path: '/v1/jobs/:id/events',
    tag: 'ingestion',
    summary: 'Live job progress.',
    access: 'operator',
    responses: {
      200: {
        description: 'Server-sent events.',
        stream: 'Events `job-progress` (data: the job), then `job-end`.',
      },
    },
    timeout: false,
  },
];

/** Routes. */
export function jobRoutes(ingestion: IngestionService) {
  return declareRoutes(JOB_ROUTES)
    .post('/v1/ingest', async (context) => {
      const body = await readJson(context, ingestRequestSchema);
      const job = await ingestion.submit(context.get('identity').tenantId, body);
      return context.json({ job }, 202);
    })
    .get('/v1/jobs', async (context) => {
      const query = parseWith(jobListQuerySchema, context.req.query(), 'invalid_query');
      return context.json({ jobs: await ingestion.listJobs(context.get('identity').tenantId, query.limit) });
    })
    .get('/v1/jobs/:id', async (context) => {
      const job = await ingestion.getJob(context.get('identity').tenantId, context.req.param('id'));
      if (!job) return notFound(context, 'The job');
      const query = parseWith(jobItemsQuerySchema, context.req.query(), 'invalid_query');
      return context.json({ job, items: await ingestion.listItems(job.id, query.status) });
    })
    .delete('/v1/jobs/:id', async (context) => {
      const tenantId = context.get('identity').tenantId;
      const job = await ingestion.getJob(tenantId, context.req.param('id'));
      if (!job) return notFound(context, 'The job');
      await ingestion.cancel(tenantId, job.id);
      return context.json({ job: await ingestion.getJob(tenantId, job.id) });
    })
    .get('/v1/jobs/:id/events', async (context) => {
      const tenantId = context.get('identity').tenantId;
      const first = await ingestion.getJob(tenantId, context.req.param('id'));
      if (!first) return notFound(context, 'The job');
      // Polling the row (not in-process events) works wherever the worker runs.
      return streamWhileValid(context, async (stream) => {
        let last = '';
        for (;;) {
          const job = await ingestion.getJob(tenantId, first.id);
          if (!job) return;
          const snapshot = JSON.stringify(job);
          if (snapshot !== last) {
            last = snapshot;
            await stream.writeSSE({ event: 'job-progress', data: snapshot });
          }
          if (['done', 'failed', 'cancelled'].includes(job.status)) {
            await stream.writeSSE({ event: 'job-end', data: snapshot });
            return;
          }
          if (stream.aborted) return;
          await stream.sleep(500);
        }
      });
    });
}
