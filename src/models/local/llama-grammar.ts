/**
 * @module models/local/llama-grammar
 * Grammars that constrain a local model's output: to a caller's JSON schema, or to the tool protocol
 * (llama-tools.ts). Compiled grammars are cached per schema, since compiling is the slow part.
 */
import type { JSONSchema7, LanguageModelV3FunctionTool, SharedV3Warning } from '@ai-sdk/provider';
import type { LlamaGrammar } from 'node-llama-cpp';
import type { LlamaRuntime } from './llama-runtime.ts';
import { looseToolReplySchema, toolReplySchema } from './llama-tools.ts';

/** A grammar for the requested schema, cached per schema; plain JSON when the schema is unusable. */
export async function jsonGrammar(
  runtime: LlamaRuntime,
  schema: JSONSchema7 | undefined,
  cache: Map<string, Promise<LlamaGrammar>>,
  warnings: SharedV3Warning[],
): Promise<LlamaGrammar> {
  if (!schema) return runtime.llama.getGrammarFor('json');
  const grammar = await schemaGrammar(runtime, schema, cache);
  if (grammar instanceof Error) {
    warnings.push({
      type: 'compatibility',
      feature: 'responseFormat.schema',
      details: `The schema could not be turned into a grammar (${grammar.message}); the output is any JSON.`,
    });
    return runtime.llama.getGrammarFor('json');
  }
  return grammar;
}

/**
 * The tool-reply grammar. A tool schema the grammar compiler cannot take loosens to free-form
 * arguments (the runtime still validates them), so one exotic tool does not cost the others.
 */
export async function toolGrammar(
  runtime: LlamaRuntime,
  tools: readonly LanguageModelV3FunctionTool[],
  answerAllowed: boolean,
  cache: Map<string, Promise<LlamaGrammar>>,
  warnings: SharedV3Warning[],
): Promise<LlamaGrammar> {
  const strict = await schemaGrammar(runtime, toolReplySchema(tools, answerAllowed), cache);
  if (!(strict instanceof Error)) return strict;
  warnings.push({
    type: 'compatibility',
    feature: 'tools',
    details: `The tool schemas could not be turned into a grammar (${strict.message}); arguments are free-form JSON.`,
  });
  return jsonGrammar(runtime, looseToolReplySchema(tools, answerAllowed), cache, warnings);
}

/** Compiles a schema once per distinct schema; a failure is returned, not cached. */
async function schemaGrammar(
  runtime: LlamaRuntime,
  schema: JSONSchema7,
  cache: Map<string, Promise<LlamaGrammar>>,
): Promise<LlamaGrammar | Error> {
  const key = JSON.stringify(schema);
  let grammar = cache.get(key);
  if (!grammar) {
    // The AI SDK hands over JSON Schema 7; node-llama-cpp's typed subset is checked at run time.
    const create = runtime.llama.createGrammarForJsonSchema.bind(runtime.llama) as (
      schema: unknown,
    ) => Promise<LlamaGrammar>;
    grammar = create(schema);
    cache.set(key, grammar);
  }
  try {
    return await grammar;
  } catch (error) {
    cache.delete(key);
    return error instanceof Error ? error : new Error(String(error));
  }
}
