/**
 * @module server/openapi/api-routes
 * The route → schema registry the OpenAPI document is built from. Request schemas are the very ones
 * the routes validate with; a test checks that every route registered on the HTTP app is listed here,
 * so a new route cannot be left out of the document silently.
 */
import type { z } from 'zod';
import type { Role } from '../../identity/roles.ts';
import { ingestRequestSchema } from '../../ingest/request.ts';
import { guardrailSettingsRequestSchema, guardrailSettingsSchema } from '../routes/admin-guardrails.ts';
import {
  createKeyRequestSchema,
  keyQuotaRequestSchema,
  rotateKeyRequestSchema,
} from '../routes/admin-keys.ts';
import { askRequestSchema, chatRequestSchema } from '../routes/ask-schema.ts';
import { conversationMessagesQuerySchema } from '../routes/conversation-messages.ts';
import { documentListQuerySchema } from '../routes/documents.ts';
import { createExperimentRequestSchema } from '../routes/experiments.ts';
import {
  feedbackExportQuerySchema,
  feedbackListQuerySchema,
  feedbackRequestSchema,
} from '../routes/feedback.ts';
import {
  inboxCloseRequestSchema,
  inboxEventsQuerySchema,
  inboxListQuerySchema,
  inboxReplyRequestSchema,
} from '../routes/inbox.ts';
import { jobItemsQuerySchema, jobListQuerySchema } from '../routes/jobs.ts';
import { chatCompletionRequestSchema } from '../routes/openai-schema.ts';
import { customerExportSchema, erasureReportSchema } from '../routes/privacy.ts';
import {
  createPromptRequestSchema,
  promoteRequestSchema,
  renderRequestSchema,
  rollbackRequestSchema,
} from '../routes/prompts.ts';
import { searchRequestSchema } from '../routes/search.ts';
import { createSessionRequestSchema, revokeSessionsQuerySchema } from '../routes/sessions.ts';
import {
  supportApprovalsQuerySchema,
  supportApprovalsSchema,
  supportDecisionRequestSchema,
  supportLockoutBodySchema,
  supportLockoutsQuerySchema,
  supportLockoutsSchema,
  supportMessageRequestSchema,
  supportTurnSchema,
} from '../routes/support-schema.ts';
import { traceDetailSchema, traceListQuerySchema, traceListSchema } from '../routes/traces-schema.ts';
import { usageQuerySchema } from '../routes/usage.ts';
import {
  customerConversationSchema,
  escalationBodySchema,
  escalationListSchema,
  escalationTranscriptSchema,
  operatorReplySchema,
} from './inbox-responses.ts';
import {
  experimentBodySchema,
  experimentListSchema,
  experimentResultsSchema,
  feedbackBodySchema,
  feedbackListSchema,
  labelMoveSchema,
  promptDetailSchema,
  promptListSchema,
  promptVersionBodySchema,
  renderedPromptSchema,
  usageReportSchema,
} from './llmops-responses.ts';
import {
  askResultSchema,
  chatCompletionSchema,
  chatResultSchema,
  documentDetailSchema,
  documentListSchema,
  healthSchema,
  issuedKeySchema,
  issuedSessionSchema,
  jobBodySchema,
  jobDetailSchema,
  jobListSchema,
  keyBodySchema,
  keyListSchema,
  meSchema,
  modelListSchema,
  revokedSessionsSchema,
  searchResultSchema,
  sessionBodySchema,
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
  readonly method: 'get' | 'post' | 'put' | 'delete';
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
 * they are (`/v1/me`); operators also read jobs, conversations, traces and the operator inbox; admins
 * also ingest, manage documents, cancel jobs, manage keys, scrape metrics, and read usage, prompts and
 * experiments. Feedback is sent by customers on their answers and read by operators. Support messages
 * are sent by customers; operators decide the support runs waiting for approval. Customer sessions
 * are issued to any key (a customer key gets an anonymous one) and revoked by operators. Health and
 * this document are public.
 */
export function accessFor(tag: string, method: ApiRoute['method']): RouteAccess {
  if (tag === 'health') return 'public';
  if (tag === 'inbox' || tag === 'support-approvals' || tag === 'support-lockouts') return 'operator';
  if (tag === 'support') return 'customer';
  // A customer (widget) key issues anonymous sessions; revoking one is the tenant's staff's.
  if (tag === 'sessions') return method === 'post' ? 'customer' : 'operator';
  if (tag === 'retrieval' || tag === 'answers' || tag === 'openai' || tag === 'identity') return 'customer';
  if (tag === 'feedback') return method === 'post' ? 'customer' : 'operator';
  if ((tag === 'ingestion' || tag === 'conversations') && method === 'get') return 'operator';
  if (tag === 'traces' && method === 'get') return 'operator';
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
    'One turn of a stored conversation (id also in the `Groundwork-Conversation-Id` header); 409 `conversation_with_person` while it is escalated to the operator inbox.',
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
  route(
    'get',
    '/v1/documents/:id/original',
    'documents',
    'The file an uploaded document was made from (400 `original_not_kept` for documents read from a path or URL).',
    { 200: { description: 'The original file, as uploaded.' } },
  ),
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
    '/v1/admin/keys/:id/quota',
    'admin',
    'Set a key’s quota (requests and/or answer tokens per day or month), or remove it with `{quota: null}`.',
    { 200: ok(keyBodySchema) },
    { json: keyQuotaRequestSchema },
  ),
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
    '/v1/admin/guardrails',
    'admin',
    'The tenant’s guardrail actions: configured defaults, its overrides, and what applies.',
    { 200: ok(guardrailSettingsSchema) },
  ),
  route(
    'put',
    '/v1/admin/guardrails',
    'admin',
    'Replace the tenant’s guardrail overrides (per moderation category and for stereotyping answers: `block`, `escalate` or `log`; `sexual-minors` is always `block`); `{}` returns to the defaults. Applies without a restart.',
    { 200: ok(guardrailSettingsSchema) },
    { json: guardrailSettingsRequestSchema },
  ),
  route(
    'get',
    '/v1/traces',
    'traces',
    'Recent traces of the caller’s tenant, newest first (`invalid_trace_query` for a bad filter).',
    { 200: ok(traceListSchema) },
    { query: traceListQuerySchema },
  ),
  route('get', '/v1/traces/:id', 'traces', 'One trace with its span tree (`trace_not_found`).', {
    200: ok(traceDetailSchema),
  }),
  route(
    'get',
    '/metrics',
    'metrics',
    'Prometheus metrics of every tenant (text format). Needs the platform scope: `GROUNDWORK_METRICS_TOKEN`, a platform key, or the default tenant’s admin while it is the only tenant (else 403 `platform_scope_required`).',
    {
      200: { description: 'Prometheus text exposition format 0.0.4.' },
    },
  ),
  route(
    'get',
    '/v1/usage',
    'usage',
    'Tokens and cost from the answer log over a time range, grouped by tenant, user, conversation, model or prompt version.',
    { 200: ok(usageReportSchema) },
    { query: usageQuerySchema },
  ),
  route('get', '/v1/prompts', 'prompts', 'The tenant’s prompts with their newest version and labels.', {
    200: ok(promptListSchema),
  }),
  route(
    'post',
    '/v1/prompts',
    'prompts',
    'Add the next immutable version of a prompt (creating the prompt with its first).',
    { 201: ok(promptVersionBodySchema, 'Created.') },
    { json: createPromptRequestSchema },
  ),
  route('get', '/v1/prompts/:name', 'prompts', 'One prompt with its versions and labels.', {
    200: ok(promptDetailSchema),
  }),
  route('get', '/v1/prompts/:name/versions/:version', 'prompts', 'One version of a prompt.', {
    200: ok(promptVersionBodySchema),
  }),
  route(
    'post',
    '/v1/prompts/:name/promote',
    'prompts',
    'Point a label (default `production`) at a version.',
    { 200: ok(labelMoveSchema) },
    { json: promoteRequestSchema },
  ),
  route(
    'post',
    '/v1/prompts/:name/rollback',
    'prompts',
    'Move a label (default `production`) back to the version it pointed at before its last move.',
    { 200: ok(labelMoveSchema) },
    { json: rollbackRequestSchema, bodyRequired: false },
  ),
  route(
    'post',
    '/v1/prompts/:name/render',
    'prompts',
    'Render a version (or a label’s, default `production`) with values, to try it.',
    { 200: ok(renderedPromptSchema) },
    { json: renderRequestSchema },
  ),
  route(
    'post',
    '/v1/experiments',
    'experiments',
    'Start an experiment: traffic on a prompt split between versions by weight, sticky per user (else conversation).',
    { 201: ok(experimentBodySchema, 'Started.') },
    { json: createExperimentRequestSchema },
  ),
  route('get', '/v1/experiments', 'experiments', 'The tenant’s experiments, newest first.', {
    200: ok(experimentListSchema),
  }),
  route('get', '/v1/experiments/:id', 'experiments', 'One experiment.', { 200: ok(experimentBodySchema) }),
  route('post', '/v1/experiments/:id/stop', 'experiments', 'Stop an experiment; its results stay.', {
    200: ok(experimentBodySchema),
  }),
  route(
    'get',
    '/v1/experiments/:id/results',
    'experiments',
    'Per-arm outcomes (positive-feedback, feedback and grounded-answer rates, latency, tokens, cost) with significance tests against the control arm.',
    { 200: ok(experimentResultsSchema) },
  ),
  route(
    'post',
    '/v1/feedback',
    'feedback',
    'Rate an answer by its trace id (a second rating by the same caller replaces theirs; other users keep their own).',
    { 201: ok(feedbackBodySchema, 'Stored.') },
    { json: feedbackRequestSchema },
  ),
  route(
    'get',
    '/v1/feedback',
    'feedback',
    'Ratings with their answers, newest first, filtered by rating, category and time (questions PII-scrubbed; passages the caller may not read withheld).',
    { 200: ok(feedbackListSchema) },
    { query: feedbackListQuerySchema },
  ),
  route(
    'get',
    '/v1/feedback/export',
    'feedback',
    'Negative feedback as JSON lines (`application/x-ndjson`): question, answer, cited passages, prompt version.',
    { 200: { description: 'One JSON object per line.' } },
    { query: feedbackExportQuerySchema },
  ),
  // The operator inbox and the customer's view of a conversation (agent services).
  route(
    'get',
    '/v1/inbox',
    'inbox',
    'Escalated conversations, longest waiting first.',
    { 200: ok(escalationListSchema) },
    { query: inboxListQuerySchema },
  ),
  route(
    'get',
    '/v1/inbox/events',
    'inbox',
    'Live inbox changes of the caller’s tenant.',
    {
      200: {
        description: 'Server-sent events.',
        stream:
          'First `inbox-ready`, then `escalation-created`, `escalation-claimed`, `operator-replied`, `escalation-returned`, `escalation-closed` (data: `{type, escalationId, conversationId, actor?, at}`).',
      },
    },
    { query: inboxEventsQuerySchema },
  ),
  route('get', '/v1/inbox/:id', 'inbox', 'One escalation with its transcript (the read is audited).', {
    200: ok(escalationTranscriptSchema),
  }),
  route(
    'post',
    '/v1/inbox/:id/claim',
    'inbox',
    'Claim it; 409 `already_claimed` when another operator did.',
    {
      200: ok(escalationBodySchema),
    },
  ),
  route(
    'post',
    '/v1/inbox/:id/reply',
    'inbox',
    'Reply to the customer as a person (claim first).',
    { 201: ok(operatorReplySchema, 'Stored.') },
    { json: inboxReplyRequestSchema },
  ),
  route('post', '/v1/inbox/:id/handback', 'inbox', 'Hand the conversation back to the assistant.', {
    200: ok(escalationBodySchema),
  }),
  route(
    'post',
    '/v1/inbox/:id/close',
    'inbox',
    'Close the escalation; a `resolution` is remembered for the customer as a past issue.',
    { 200: ok(escalationBodySchema) },
    { json: inboxCloseRequestSchema, bodyRequired: false },
  ),
  route(
    'get',
    '/v1/conversations/:id/messages',
    'answers',
    'A conversation as its customer sees it, a person’s replies included (`after` for newer ones).',
    { 200: ok(customerConversationSchema) },
    { query: conversationMessagesQuerySchema },
  ),
  // The support app (apps/support), mounted by `groundwork support`.
  route(
    'post',
    '/v1/support/messages',
    'support',
    'One customer message to the support assistant (agents with a model, the no-LLM policy without).',
    { 200: ok(supportTurnSchema) },
    { json: supportMessageRequestSchema },
  ),
  route(
    'get',
    '/v1/support/approvals',
    'support-approvals',
    'Support runs waiting for an operator (refunds above the limit), oldest first.',
    { 200: ok(supportApprovalsSchema) },
    { query: supportApprovalsQuerySchema },
  ),
  route(
    'post',
    '/v1/support/approvals/:runId/approve',
    'support-approvals',
    'Approve the waiting calls; the run continues. 409 `run_not_paused` when already decided.',
    { 200: ok(supportTurnSchema) },
    { json: supportDecisionRequestSchema, bodyRequired: false },
  ),
  route(
    'post',
    '/v1/support/approvals/:runId/reject',
    'support-approvals',
    'Reject the waiting calls; the model hears why and the run continues.',
    { 200: ok(supportTurnSchema) },
    { json: supportDecisionRequestSchema, bodyRequired: false },
  ),
  route(
    'get',
    '/v1/support/lockouts',
    'support-lockouts',
    'Verification lockouts of the tenant: conversations, sessions, keys and customers refusing verification now (locked, or waiting out a delay); `all=true` adds every subject with failures on record.',
    { 200: ok(supportLockoutsSchema) },
    { query: supportLockoutsQuerySchema },
  ),
  route(
    'delete',
    '/v1/support/lockouts/:id',
    'support-lockouts',
    'Clear a verification lockout (its failures are forgotten; audited). 404 `lockout_not_found` when already cleared or of another tenant.',
    { 200: ok(supportLockoutBodySchema) },
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
  route(
    'post',
    '/v1/sessions',
    'sessions',
    'Issue a signed customer session: for a customer vouched for by an operator or admin key (customerId or email), or anonymous for a customer key. Use the token as the bearer credential; it is shown once.',
    { 201: ok(issuedSessionSchema, 'Created.') },
    { json: createSessionRequestSchema, bodyRequired: false },
  ),
  route(
    'delete',
    '/v1/sessions',
    'sessions',
    'Revoke every live session an API key issued (the key keeps working); 404 `key_not_found` for a key of another tenant.',
    { 200: ok(revokedSessionsSchema) },
    { query: revokeSessionsQuerySchema },
  ),
  route('delete', '/v1/sessions/:id', 'sessions', 'Revoke a customer session now.', {
    200: ok(sessionBodySchema),
  }),
  route(
    'get',
    '/v1/admin/privacy/customers/:id/export',
    'privacy',
    'Everything stored about one customer of the caller’s tenant, table by table (every covered table listed); audited with the customer hashed.',
    { 200: ok(customerExportSchema) },
  ),
  route(
    'delete',
    '/v1/admin/privacy/customers/:id',
    'privacy',
    'Erase one customer’s data (conversations, memories, feedback, answer log, traces, cached answers, sessions, app tables), one transaction per store; idempotent; returns rows removed per table and writes an audit record holding only a hash of the customer id.',
    { 200: ok(erasureReportSchema) },
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
