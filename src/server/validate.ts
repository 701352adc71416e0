/**
 * @module server/validate
 * Reads and validates request bodies with the same zod schemas that document the API.
 */
import type { Context } from 'hono';
import type { z } from 'zod';
import { InvalidRequestError, UnsupportedMediaError } from '../errors.ts';
import { findInvalidText, invalidTextError } from '../text/valid-text.ts';

/**
 * Parses the JSON body with `schema`; bad JSON, invalid text (a NUL or an unpaired surrogate in any
 * string or key, `invalid_text`) and schema violations are 400s with a code.
 */
export async function readJson<Schema extends z.ZodType>(
  context: Context,
  schema: Schema,
): Promise<z.infer<Schema>> {
  const type = context.req.header('content-type') ?? '';
  if (!type.includes('application/json')) {
    throw new UnsupportedMediaError('unsupported_media_type', 'Send the body as application/json.');
  }
  let body: unknown;
  try {
    body = await context.req.json();
  } catch {
    throw new InvalidRequestError('invalid_json', 'The request body is not valid JSON.');
  }
  return parseWith(schema, body, 'invalid_request', 'body');
}

/**
 * Validates any value (query strings, path parameters) with a schema. Invalid text anywhere in it is
 * refused first, as `invalid_text`, whatever the schema says (ADR 0029).
 */
export function parseWith<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  code: string,
  where = code.includes('query') ? 'query' : 'value',
): z.infer<Schema> {
  const invalid = findInvalidText(value);
  if (invalid) throw invalidTextError(invalid.path ? `${where}.${invalid.path}` : where, invalid.reason);
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
