/**
 * @module server/routes/openai-compatible
 * An OpenAI-compatible door to the grounded assistant, so existing chat clients and SDKs can use it:
 * `GET /v1/models` lists the one model, `groundwork`, and `POST /v1/chat/completions` answers the last
 * user message with the earlier turns as history, as JSON or as `chat.completion.chunk` events.
 */
import { DATABASE_UNAVAILABLE_MESSAGE, findDatabaseUnavailable } from '../../errors.ts';
import type { Answerer, AskEvent, AskRequest } from '../../spec/answer.ts';
import { clientSignal } from '../answer-events.ts';
import { statusFor } from '../http-error.ts';
import { streamWhileValid } from '../live-stream.ts';
import { errorFromEvent, handleOpenAIError, openAIErrorBody } from '../openai-error.ts';
import {
  completionHeader,
  completionId,
  sourcesText,
  toChunk,
  toCompletion,
  toQuestion,
} from '../openai-format.ts';
import { chatCompletionSchema, modelListSchema } from '../openapi/responses.ts';
import { declareRoutes, ok, type RouteSpec } from '../route-spec.ts';
import { parseWith, readJson } from '../validate.ts';
import { askRequestSchema } from './ask-schema.ts';
import { chatCompletionRequestSchema, GROUNDWORK_MODEL_ID } from './openai-schema.ts';

/** When the model list says the model was made; fixed so the list is stable. */
const MODEL_CREATED = 1_767_225_600;

/** The routes, as they declare themselves (server/route-spec.ts). */
const OPENAI_ROUTES: readonly RouteSpec[] = [
  {
    method: 'get',
    path: '/v1/models',
    tag: 'openai',
    summary: 'OpenAI-compatible: the one model, `groundwork`.',
    access: 'customer',
    responses: {
      200: ok(modelListSchema),
    },
    errors: 'openai',
  },
  {
    method: 'post',
    path: '/v1/chat/completions',
    tag: 'openai',
    summary: 'OpenAI-compatible chat completion over the grounded assistant.',
    access: 'customer',
    request: { json: chatCompletionRequestSchema },
    responses: {
      200: {
        ...ok(chatCompletionSchema),
        stream:
          'With `stream: true`: `data:` lines of `chat.completion.chunk`; the last chunk carries `citations`, `mode` and `usage`; then `data: [DONE]`.',
      },
    },
    errors: 'openai',
    spendsTokens: true,
  },
];

/** Routes. */
export function openAICompatibleRoutes(answerer: Answerer) {
  return declareRoutes(OPENAI_ROUTES)
    .onError(handleOpenAIError)
    .get('/v1/models', (context) =>
      context.json({
        object: 'list',
        data: [{ id: GROUNDWORK_MODEL_ID, object: 'model', created: MODEL_CREATED, owned_by: 'groundwork' }],
      }),
    )
    .post('/v1/chat/completions', async (context) => {
      const body = await readJson(context, chatCompletionRequestSchema);
      if (body.model !== GROUNDWORK_MODEL_ID) {
        const message = `The model '${body.model}' does not exist; use '${GROUNDWORK_MODEL_ID}'.`;
        return context.json(openAIErrorBody(404, 'model_not_found', message, 'model'), 404);
      }
      // The same limits as /v1/ask apply to the question and the turns.
      const { question, history } = parseWith(askRequestSchema, toQuestion(body.messages), 'invalid_request');
      const identity = context.get('identity');
      const request: AskRequest = {
        question,
        history,
        tenantId: identity.tenantId,
        principals: identity.principals,
        userId: identity.keyId ?? undefined,
      };
      const controller = clientSignal(context);
      if (!body.stream)
        return context.json(toCompletion(await answerer.ask({ ...request, signal: controller.signal })));

      // Read up to the first text before answering, so failures before any text (most model
      // failures) still get their HTTP status rather than an error inside a 200 stream.
      const events = answerer.stream({ ...request, signal: controller.signal })[Symbol.asyncIterator]();
      const buffered: AskEvent[] = [];
      for (;;) {
        const next = await events.next();
        if (next.done) break;
        if (next.value.type === 'error') throw errorFromEvent(next.value);
        buffered.push(next.value);
        if (next.value.type !== 'retrieval-done') break;
      }
      const header = completionHeader(completionId());
      return streamWhileValid(
        context,
        async (stream, signal) => {
          // The answer started before the stream: the stream's end (client gone, key revoked) cancels it.
          signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
          const send = (data: unknown) => stream.writeSSE({ data: JSON.stringify(data) });
          await send(toChunk(header, { role: 'assistant', content: '' }));
          const rest = { [Symbol.asyncIterator]: () => events };
          for await (const event of chain(buffered, rest)) {
            if (stream.aborted) return;
            if (event.type === 'text-delta') await send(toChunk(header, { content: event.delta }));
            else if (event.type === 'error') {
              await send(openAIErrorBody(statusFor(errorFromEvent(event)), event.code, event.message));
              return;
            } else if (event.type === 'done') {
              const sources = sourcesText(event.result.citations);
              if (sources) await send(toChunk(header, { content: sources }));
              await send(toChunk(header, {}, { finishReason: 'stop', result: event.result }));
            }
          }
          await stream.writeSSE({ data: '[DONE]' });
        },
        {
          // OpenAI's error shape. A credential's end has no `[DONE]` after it (the completion did not
          // finish); a shutdown closes the stream as OpenAI clients expect, so they stop reading and retry.
          endEvent: (end) =>
            end.code === 'server_shutting_down'
              ? [{ data: JSON.stringify(openAIErrorBody(503, end.code, end.message)) }, { data: '[DONE]' }]
              : { data: JSON.stringify(openAIErrorBody(401, end.code, end.message)) },
          failureEvent: (error) => ({
            data: JSON.stringify(
              findDatabaseUnavailable(error)
                ? openAIErrorBody(503, 'database_unavailable', DATABASE_UNAVAILABLE_MESSAGE)
                : openAIErrorBody(500, 'internal_error', 'The stream failed.'),
            ),
          }),
        },
      );
    });
}

async function* chain<T>(first: readonly T[], rest: AsyncIterable<T>): AsyncIterable<T> {
  yield* first;
  yield* rest;
}
