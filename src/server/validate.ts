/**
 * @module server/validate
 * Reads and validates request bodies with the same zod schemas that document the API.
 */
import type { Context } from 'hono';
import type { z } from 'zod';
import { InvalidRequestError } from '../errors.ts';

/** Parses the JSON body with `schema`; bad JSON and schema violations are 400s with a code. */
export async function readJson<Schema extends z.ZodType>(
  context: Context,
  schema: Schema,
): Promise<z.infer<Schema>> {
  const type = context.req.header('content-type') ?? '';
  if (!type.includes('application/json')) {
    throw new InvalidRequestError('unsupported_media_type', 'Send the body as application/json.');
  }
  let body: unknown;
  try {
    body = await context.req.json();
  } catch {
    throw new InvalidRequestError('invalid_json', 'The request body is not valid JSON.');
  }
  return parseWith(schema, body, 'invalid_request');
}

/** Validates any value (query strings, path parameters) with a schema. */
export function parseWith<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  code: string,
): z.infer<Schema> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => ({
      path: issue.path.join('.'),
      message: issue.message,
    }));
    const first = issues[0];
    throw new InvalidRequestError(
      code,
      first ? `${first.path || 'body'}: ${first.message}` : 'Invalid request.',
      {
        issues,
      },
    );
  }
  return result.data;
}
