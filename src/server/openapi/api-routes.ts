/**
 * @module server/openapi/api-routes
 * The route → schema registry the OpenAPI document is built from. Request schemas are the very ones
 * the routes validate with; a test checks that every route registered on the HTTP app is listed here,
 * so a new route cannot be left out of the document silently.
 */
import type { z } from 'zod';
import type { Role } from '../../identity/roles.ts';
import { ingestRequestSchema } from '../../ingest/request.ts';
import { createKeyRequestSchema, rotateKeyRequestSchema } from '../routes/admin-keys.ts';
import { askRequestSchema, chatRequestSchema } from '../routes/ask-schema.ts';
import { documentListQuerySchema } from '../routes/documents.ts';
import { jobItemsQuerySchema, jobListQuerySchema } from '../routes/jobs.ts';
import { chatCompletionRequestSchema } from '../routes/openai-schema.ts';
import { searchRequestSchema } from '../routes/search.ts';
import {
  askResultSchema,
  chatCompletionSchema,
  chatResultSchema,
  documentDetailSchema,
  documentListSchema,
  healthSchema,
  issuedKeySchema,
  jobBodySchema,
  jobDetailSchema,
  jobListSchema,
  keyBodySchema,
  keyListSchema,
  meSchema,
  modelListSchema,
  searchResultSchema,
  uploadFormSchema,
} from './responses.ts';

/** One documented response; `stream` adds a `text/event-stream` variant described in words. */
export interface ApiResponse {
  readonly description: string;
  readonly schema?: z.ZodType;
  readonly stream?: string;
}

/** One route as the document shows it. `path` is written as Hono writes it (`/v1/jobs/:id`). */
export interface ApiRoute {
  readonly method: 'get' | 'post' | 'delete';
  readonly path: string;
  readonly tag: string;
  readonly summary: string;
  readonly json?: z.ZodType;
  readonly multipart?: z.ZodType;
  readonly query?: z.ZodObject;
  /** False when the JSON body may be left out. */
  readonly bodyRequired?: boolean;
  readonly responses: Readonly<Record<number, ApiResponse>>;
  /** Which error body the route answers with: ours, or OpenAI's. */
  readonly errors: 'groundwork' | 'openai';
  /** The least role that may call the route, or `public` (no key needed, ever). */
  readonly access: RouteAccess;
}

/** Who may call a route. */
export type RouteAccess = 'public' | Role;

/**
 * The role matrix. Customers ask (search, ask, chat, the OpenAI-compatible door) and may read who
 * they are (`/v1/me`); operators also read
 * jobs (and, as they land, conversations); admins also ingest, manage documents, cancel jobs and
 * manage keys. Health and this document are public.
 */
export function accessFor(tag: string, method: ApiRoute['method']): RouteAccess {
  if (tag === 'health') return 'public';
  if (tag === 'retrieval' || tag === 'answers' || tag === 'openai' || tag === 'identity') return 'customer';
  if ((tag === 'ingestion' || tag === 'conversations') && method === 'get') return 'operator';
  return 'admin';
}

const ANSWER_EVENTS =
  'With `stream: true` or `Accept: text/event-stream`: events `retrieval-done`, `text-delta`…, `citations`, then `done` (data: the event as JSON, `done.result` is the full answer) or `error` `{code, message}`.';

/** Every route of the HTTP API. */
export const API_ROUTES: readonly ApiRoute[] = [
  route('get', '/healthz', 'health', 'Liveness: the process answers.', { 200: ok(healthSchema) }),
  route('get', '/readyz', 'health', 'Readiness: the database answers (503 when not).', {
    200: ok(healthSchema),
  }),
  route('get', '/openapi.json', 'health', 'This document.', { 200: { description: 'OpenAPI 3.1.' } }),
  route(
    'post',
    '/v1/search',
    'retrieval',
    'Hybrid retrieval.',
    { 200: ok(searchResultSchema) },
    { json: searchRequestSchema },
  ),
  route(
    'post',
    '/v1/ask',
    'answers',
    'A grounded answer with citations.',
    { 200: { ...ok(askResultSchema), stream: ANSWER_EVENTS } },
    { json: askRequestSchema },
  ),
  route(
    'post',
    '/v1/chat',
    'answers',
    'One turn of a stored conversation (id also in the `Groundwork-Conversation-Id` header).',
    { 200: { ...ok(chatResultSchema), stream: ANSWER_EVENTS } },
    { json: chatRequestSchema },
  ),
  route(
    'post',
    '/v1/ingest',
    'ingestion',
    'Queue an ingestion job.',
    { 202: ok(jobBodySchema, 'Queued.') },
    { json: ingestRequestSchema },
  ),
  route(
    'get',
    '/v1/jobs',
    'ingestion',
    'Recent jobs.',
    { 200: ok(jobListSchema) },
    { query: jobListQuerySchema },
  ),
  route(
    'get',
    '/v1/jobs/:id',
    'ingestion',
    'One job with its per-file outcomes.',
    { 200: ok(jobDetailSchema) },
    { query: jobItemsQuerySchema },
  ),
  route('delete', '/v1/jobs/:id', 'ingestion', 'Cancel a job.', { 200: ok(jobBodySchema) }),
  route('get', '/v1/jobs/:id/events', 'ingestion', 'Live job progress.', {
    200: {
      description: 'Server-sent events.',
      stream: 'Events `job-progress` (data: the job), then `job-end`.',
    },
  }),
  route(
    'post',
    '/v1/documents',
    'documents',
    'Upload files; each becomes an item of one ingestion job.',
    { 202: ok(jobBodySchema, 'Queued.') },
    { multipart: uploadFormSchema },
  ),
  route(
    'get',
    '/v1/documents',
    'documents',
    'List documents.',
    { 200: ok(documentListSchema) },
    { query: documentListQuerySchema },
  ),
  route('get', '/v1/documents/:id', 'documents', 'One document with its chunks.', {
    200: ok(documentDetailSchema),
  }),
  route('delete', '/v1/documents/:id', 'documents', 'Delete a document.', {
    204: { description: 'Deleted.' },
  }),
  route('get', '/v1/models', 'openai', 'OpenAI-compatible: the one model, `groundwork`.', {
    200: ok(modelListSchema),
  }),
  route(
    'post',
    '/v1/chat/completions',
    'openai',
    'OpenAI-compatible chat completion over the grounded assistant.',
    {
      200: {
        ...ok(chatCompletionSchema),
        stream:
          'With `stream: true`: `data:` lines of `chat.completion.chunk`; the last chunk carries `citations`, `mode` and `usage`; then `data: [DONE]`.',
      },
    },
    { json: chatCompletionRequestSchema },
  ),
  route(
    'post',
    '/v1/admin/keys',
    'admin',
    'Create an API key in the caller’s tenant; the secret is in this response only.',
    { 201: ok(issuedKeySchema, 'Created.') },
    { json: createKeyRequestSchema },
  ),
  route('get', '/v1/admin/keys', 'admin', 'The tenant’s API keys (never their secrets).', {
    200: ok(keyListSchema),
  }),
  route('post', '/v1/admin/keys/:id/revoke', 'admin', 'Revoke a key now.', { 200: ok(keyBodySchema) }),
  route(
    'post',
    '/v1/admin/keys/:id/rotate',
    'admin',
    'A new secret for the key; the old one is revoked now or after `graceSeconds`.',
    { 200: ok(issuedKeySchema) },
    { json: rotateKeyRequestSchema, bodyRequired: false },
  ),
  route(
    'get',
    '/v1/me',
    'identity',
    'The caller: tenant, role and key prefix (the web UI reads its role here).',
    {
      200: ok(meSchema),
    },
  ),
];

function ok(schema: z.ZodType, description = 'OK.'): ApiResponse {
  return { description, schema };
}

function route(
  method: ApiRoute['method'],
  path: string,
  tag: string,
  summary: string,
  responses: ApiRoute['responses'],
  request: Pick<ApiRoute, 'json' | 'multipart' | 'query' | 'bodyRequired'> = {},
): ApiRoute {
  return {
    method,
    path,
    tag,
    summary,
    responses,
    ...request,
    errors: tag === 'openai' ? 'openai' : 'groundwork',
    access: accessFor(tag, method),
  };
}
