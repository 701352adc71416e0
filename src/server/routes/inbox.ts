/**
 * @module server/routes/inbox
 * The operator inbox over HTTP (operator and admin keys): list escalations, read one with its
 * transcript (audited), claim, reply as a person, hand back to the assistant, close, and follow
 * changes as server-sent events (until the client leaves or its key is revoked). Everything is confined to the caller's tenant, so another tenant's
 * escalation id is a 404.
 */
import { z } from 'zod';
import type { InboxEvent } from '../../agents/inbox/events.ts';
import type { InboxService, OperatorScope } from '../../agents/inbox/inbox.ts';
import { ESCALATION_ORDERS, ESCALATION_STATUSES } from '../../store/escalations.ts';
import type { RequestIdentity } from '../authenticate.ts';
import { streamWhileValid } from '../live-stream.ts';
import {
  escalationBodySchema,
  escalationListSchema,
  escalationTranscriptSchema,
  inboxSummarySchema,
  operatorReplySchema,
} from '../openapi/inbox-responses.ts';
import { declareRoutes, ok, type RouteSpec } from '../route-spec.ts';
import { parseWith, readJson } from '../validate.ts';

/** Query of `GET /v1/inbox`. */
export const inboxListQuerySchema = z
  .object({
    status: z.enum(ESCALATION_STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    /** `oldest` escalated first (default, the longest wait on top) or `newest` first (closed cases). */
    order: z.enum(ESCALATION_ORDERS).default('oldest'),
  })
  .strict();

/** Query of `GET /v1/inbox/events`. */
export const inboxEventsQuerySchema = z
  .object({
    /** Close the stream after this many events (`inbox-ready` counts), for polling clients and tests. */
    limit: z.coerce.number().int().min(1).max(100_000).optional(),
  })
  .strict();

/** `POST /v1/inbox/:id/reply`. */
export const inboxReplyRequestSchema = z.object({ text: z.string().trim().min(1).max(8000) }).strict();

/** `POST /v1/inbox/:id/close`. */
export const inboxCloseRequestSchema = z
  .object({
    /** How the issue was resolved; remembered for the customer as a past issue. */
    resolution: z.string().trim().min(1).max(2000).optional(),
  })
  .strict();

/** Milliseconds between SSE comments that keep idle proxies from closing the stream. */
const KEEP_ALIVE_MS = 25_000;

/** The operator acting: their key, or `anonymous` while auth is off. */
export function operatorScope(identity: RequestIdentity): OperatorScope {
  return { tenantId: identity.tenantId, actor: identity.keyId ?? 'anonymous' };
}

/** The routes, as they declare themselves (server/route-spec.ts). */
const INBOX_ROUTES: readonly RouteSpec[] = [
  {
    method: 'get',
    path: '/v1/inbox',
    tag: 'inbox',
    summary: 'Escalated conversations, longest waiting first.',
    access: 'operator',
    request: { query: inboxListQuerySchema },
    responses: { 200: ok(escalationListSchema) },
  },
  {
    method: 'get',
    path: '/v1/inbox/summary',
    tag: 'inbox',
    summary: 'How many cases the tenant has per status (the navigation shows the waiting count).',
    access: 'operator',
    responses: { 200: ok(inboxSummarySchema) },
  },
  {
    method: 'get',
    path: '/v1/inbox/events',
    tag: 'inbox',
    summary: 'Live inbox changes of the caller’s tenant.',
    access: 'operator',
    request: { query: inboxEventsQuerySchema },
    responses: {
      200: {
        description: 'Server-sent events.',
        stream:
          'First `inbox-ready`, then `escalation-created`, `escalation-claimed`, `operator-replied`, `escalation-returned`, `escalation-closed`, and `message-created` when the customer or the assistant writes in an escalated conversation (data: `{type, escalationId, conversationId, actor?, role?, at}`, never message text).',
      },
    },
    timeout: false,
  },
  {
    method: 'get',
    path: '/v1/inbox/:id',
    tag: 'inbox',
    summary: 'One escalation with its transcript (the read is audited).',
    access: 'operator',
    responses: {
      200: ok(escalationTranscriptSchema),
    },
  },
  {
    method: 'post',
    path: '/v1/inbox/:id/claim',
    tag: 'inbox',
    summary:
      'Claim a waiting case, or take a handed-back one again; 409 `already_claimed` when another operator did, `escalation_superseded` when the conversation was escalated again since, `escalation_not_open` when closed.',
    access: 'operator',
    responses: {
      200: ok(escalationBodySchema),
    },
  },
  {
    method: 'post',
    path: '/v1/inbox/:id/reply',
    tag: 'inbox',
    summary: 'Reply to the customer as a person (claim first).',
    access: 'operator',
    request: { json: inboxReplyRequestSchema },
    responses: { 201: ok(operatorReplySchema, 'Stored.') },
  },
  {
    method: 'post',
    path: '/v1/inbox/:id/handback',
    tag: 'inbox',
    summary: 'Hand the conversation back to the assistant.',
    access: 'operator',
    responses: {
      200: ok(escalationBodySchema),
    },
  },
  {
    method: 'post',
    path: '/v1/inbox/:id/close',
    tag: 'inbox',
    summary:
      'Close a waiting or handed-back case, or one you hold; a `resolution` is remembered for the customer as a past issue.',
    access: 'operator',
    request: { json: inboxCloseRequestSchema, bodyRequired: false },
    responses: { 200: ok(escalationBodySchema) },
  },
];

/** Routes. */
export function inboxRoutes(inbox: InboxService) {
  return declareRoutes(INBOX_ROUTES)
    .get('/v1/inbox', async (context) => {
      const query = parseWith(inboxListQuerySchema, context.req.query(), 'invalid_query');
      return context.json({ escalations: await inbox.list(context.get('identity').tenantId, query) });
    })
    .get('/v1/inbox/summary', async (context) => {
      return context.json(await inbox.summary(context.get('identity').tenantId));
    })
    .get('/v1/inbox/events', (context) => {
      const tenantId = context.get('identity').tenantId;
      const { limit } = parseWith(inboxEventsQuerySchema, context.req.query(), 'invalid_query');
      let left = limit ?? Number.POSITIVE_INFINITY;
      return streamWhileValid(context, async (stream) => {
        const queue: InboxEvent[] = [];
        let wake: (() => void) | undefined;
        const unsubscribe = inbox.events.subscribe((event) => {
          if (event.tenantId !== tenantId) return;
          queue.push(event);
          wake?.();
        });
        stream.onAbort(() => wake?.());
        try {
          await stream.writeSSE({ event: 'inbox-ready', data: '{}' });
          left--;
          while (!stream.aborted && left > 0) {
            const event = queue.shift();
            if (event) {
              await stream.writeSSE({ event: event.type, data: JSON.stringify(event) });
              left--;
              continue;
            }
            let timer: NodeJS.Timeout | undefined;
            await new Promise<void>((resolve) => {
              wake = resolve;
              timer = setTimeout(resolve, KEEP_ALIVE_MS);
            });
            clearTimeout(timer);
            wake = undefined;
            if (queue.length === 0 && !stream.aborted) await stream.write(': keep-alive\n\n');
          }
        } finally {
          unsubscribe();
        }
      });
    })
    .get('/v1/inbox/:id', async (context) => {
      const scope = operatorScope(context.get('identity'));
      return context.json(await inbox.transcript(scope, context.req.param('id')));
    })
    .post('/v1/inbox/:id/claim', async (context) => {
      const scope = operatorScope(context.get('identity'));
      return context.json({ escalation: await inbox.claim(scope, context.req.param('id')) });
    })
    .post('/v1/inbox/:id/reply', async (context) => {
      const { text } = await readJson(context, inboxReplyRequestSchema);
      const scope = operatorScope(context.get('identity'));
      return context.json({ message: await inbox.reply(scope, context.req.param('id'), text) }, 201);
    })
    .post('/v1/inbox/:id/handback', async (context) => {
      const scope = operatorScope(context.get('identity'));
      return context.json({ escalation: await inbox.handBack(scope, context.req.param('id')) });
    })
    .post('/v1/inbox/:id/close', async (context) => {
      // No body means "closed without a resolution to remember".
      const body = context.req.header('content-type') ? await readJson(context, inboxCloseRequestSchema) : {};
      const scope = operatorScope(context.get('identity'));
      return context.json({ escalation: await inbox.close(scope, context.req.param('id'), body) });
    });
}
