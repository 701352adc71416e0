/**
 * @module server/routes/ask
 * `POST /v1/ask`: a grounded answer with citations, as JSON or as server-sent events.
 */
import { Hono } from 'hono';
import type { Answerer, AskRequest } from '../../spec/answer.ts';
import { clientSignal, streamAnswerEvents, wantsEventStream } from '../answer-events.ts';
import type { ServerEnv } from '../identity.ts';
import { readJson } from '../validate.ts';
import { askRequestSchema } from './ask-schema.ts';

/** Routes. */
export function askRoutes(answerer: Answerer) {
  return new Hono<ServerEnv>().post('/v1/ask', async (context) => {
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
