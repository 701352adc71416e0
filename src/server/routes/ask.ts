/**
 * @module server/routes/ask
 * `POST /v1/ask`: a grounded answer with citations, as JSON or as server-sent events.
 */
import type { Answerer, AskRequest } from '../../spec/answer.ts';
import { clientSignal, streamAnswerEvents, wantsEventStream } from '../answer-events.ts';
import { ANSWER_EVENTS, askResultSchema } from '../openapi/responses.ts';
import { declareRoutes, ok, type RouteSpec } from '../route-spec.ts';
import { readJson } from '../validate.ts';
import { askRequestSchema } from './ask-schema.ts';

/** The routes, as they declare themselves (server/route-spec.ts). */
const ASK_ROUTES: readonly RouteSpec[] = [
  {
    method: 'post',
    path: '/v1/ask',
    tag: 'answers',
    summary: 'A grounded answer with citations.',
    access: 'customer',
    request: { json: askRequestSchema },
    responses: { 200: { ...ok(askResultSchema), stream: ANSWER_EVENTS } },
    spendsTokens: true,
  },
];

/** Routes. */
export function askRoutes(answerer: Answerer) {
  return declareRoutes(ASK_ROUTES).post('/v1/ask', async (context) => {
    const { stream, ...body } = await readJson(context, askRequestSchema);
    const identity = context.get('identity');
    const request: AskRequest = {
      ...body,
      tenantId: identity.tenantId,
      principals: identity.principals,
      userId: identity.keyId ?? undefined,
    };
    if (wantsEventStream(context, stream)) {
      return streamAnswerEvents(context, (signal) => answerer.stream({ ...request, signal }));
    }
    return context.json(await answerer.ask({ ...request, signal: clientSignal(context).signal }));
  });
}
