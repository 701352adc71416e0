/**
 * @module server/openapi/document
 * Builds the OpenAPI 3.1 document from the declarations of the mounted routes (server/route-spec.ts)
 * with `z.toJSONSchema`: request bodies and query parameters from the schemas that validate them
 * (their input side, so defaulted fields are optional), responses as each route declares them, and
 * each route's error shape.
 */
import { z } from 'zod';
import type { RouteSpec } from '../route-spec.ts';
import { errorBodySchema, openAIErrorBodySchema } from './responses.ts';

type JsonSchema = Record<string, unknown>;

/** Version of the `/v1` API the document describes (not the product's release). */
const API_VERSION = '1.0.0';

/**
 * The document of `routes`: those a server mounts, so a route of an app that is not mounted (the
 * support app outside `groundwork support`) is not offered to clients.
 */
export function createOpenAPIDocument(routes: readonly RouteSpec[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = toOpenAPIPath(route.path);
    paths[path] = { ...paths[path], [route.method]: operation(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'groundwork',
      version: API_VERSION,
      description:
        'Grounded answers with citations over your documents, and an OpenAI-compatible door to them.',
    },
    paths,
    components: {
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description:
            'An API key `gw_<prefix>_<secret>` (also accepted in `x-api-key`). Not needed while auth is off.',
        },
      },
      schemas: {
        Error: schemaOf(errorBodySchema, 'output'),
        OpenAIError: schemaOf(openAIErrorBodySchema, 'output'),
      },
    },
  };
}

/** `/v1/jobs/:id` → `/v1/jobs/{id}`. */
export function toOpenAPIPath(honoPath: string): string {
  return honoPath.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

/** A zod schema as an embeddable JSON Schema (without its `$schema` line). */
export function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function operation(route: RouteSpec) {
  const parameters = [
    ...[...route.path.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => ({
      name: match[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    })),
    ...queryParameters(route.request?.query),
  ];
  const { json, multipart, bodyRequired } = route.request ?? {};
  const body = json
    ? { 'application/json': { schema: schemaOf(json, 'input') } }
    : multipart
      ? { 'multipart/form-data': { schema: schemaOf(multipart, 'input') } }
      : undefined;
  const responses: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(route.responses)) {
    const content: Record<string, unknown> = {};
    if (response.schema) content['application/json'] = { schema: schemaOf(response.schema, 'output') };
    if (response.stream) content['text/event-stream'] = { schema: { type: 'string' } };
    const description = response.stream ? `${response.description} ${response.stream}` : response.description;
    responses[status] = Object.keys(content).length > 0 ? { description, content } : { description };
  }
  const error = route.errors === 'openai' ? 'OpenAIError' : 'Error';
  responses.default = {
    description: 'An error: 4xx for the caller’s mistakes, 502/503/504 for language-model failures.',
    content: { 'application/json': { schema: { $ref: `#/components/schemas/${error}` } } },
  };
  return {
    tags: [route.tag],
    summary: route.summary,
    // The least role that may call the route (see identity/roles.ts); `public` needs no key.
    'x-groundwork-role': route.access,
    ...(route.access === 'public' ? {} : { security: [{ apiKey: [] }] }),
    operationId: `${route.method}${toOpenAPIPath(route.path).replace(/[^A-Za-z0-9]+(.)?/g, (_, next?: string) => (next ?? '').toUpperCase())}`,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(body ? { requestBody: { required: bodyRequired ?? true, content: body } } : {}),
    responses,
  };
}

function queryParameters(query: z.ZodObject | undefined) {
  if (!query) return [];
  const schema = schemaOf(query, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: schema.required?.includes(name) ?? false,
    schema: property,
  }));
}
