/**
 * @module agents/tool-input
 * A tool's input schema in the two forms the runtime needs: JSON Schema for the model, and a
 * validator for the arguments the model sends back. zod schemas are converted once; JSON schemas
 * (MCP tools) become zod validators once, so both kinds of tool are validated the same way.
 */
import type { JSONSchema7 } from '@ai-sdk/provider';
import { z } from 'zod';
import type { ToolInputSchema } from '../spec/agents.ts';
import { AgentError } from './errors.ts';

/** A compiled input schema. */
export interface CompiledToolInput {
  readonly jsonSchema: JSONSchema7;
  /** The parsed input, or the validation problem in words the model can act on. */
  parse(input: unknown): { success: true; value: unknown } | { success: false; error: string };
}

const compiled = new WeakMap<object, CompiledToolInput>();

/** Compiles (once per schema object) or throws `invalid_tool` naming the tool. */
export function compileToolInput(toolName: string, schema: ToolInputSchema<unknown>): CompiledToolInput {
  const cached = compiled.get(schema);
  if (cached) return cached;
  let validator: z.ZodType;
  let jsonSchema: JSONSchema7;
  try {
    if (schema instanceof z.ZodType) {
      validator = schema;
      jsonSchema = z.toJSONSchema(schema, { target: 'draft-7', io: 'input' }) as JSONSchema7;
    } else {
      jsonSchema = schema.jsonSchema;
      validator = z.fromJSONSchema(schema.jsonSchema as Parameters<typeof z.fromJSONSchema>[0]);
    }
  } catch (error) {
    throw new AgentError(
      'invalid_tool',
      `The input schema of tool "${toolName}" cannot be used: ${String(error)}`,
    );
  }
  const result: CompiledToolInput = {
    jsonSchema,
    parse(input) {
      const parsed = validator.safeParse(input);
      if (parsed.success) return { success: true, value: parsed.data };
      return { success: false, error: z.prettifyError(parsed.error) };
    },
  };
  compiled.set(schema, result);
  return result;
}
