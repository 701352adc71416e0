/**
 * @module models/local/llama-tools
 * Tool calling for local GGUF models, which have no native tool protocol we can rely on: the reply is
 * grammar-constrained to `{"tool": <name>, "arguments": {…}}` or `{"answer": "…"}`, and mapped back to
 * AI SDK tool-call or text content. Even a small or weak model then emits a well-formed call; whether
 * it picks the right tool is up to the model.
 */
import type {
  JSONSchema7,
  LanguageModelV3CallOptions,
  LanguageModelV3Content,
  LanguageModelV3FunctionTool,
} from '@ai-sdk/provider';

/** The function tools the model may call under the call's `toolChoice`; empty means answer in text. */
export function offeredTools(call: LanguageModelV3CallOptions): LanguageModelV3FunctionTool[] {
  const tools = (call.tools ?? []).filter(
    (tool): tool is LanguageModelV3FunctionTool => tool.type === 'function',
  );
  const choice = call.toolChoice;
  if (choice?.type === 'none') return [];
  if (choice?.type === 'tool') return tools.filter((tool) => tool.name === choice.toolName);
  return tools;
}

/** The reply schema: one branch per tool, plus a text answer unless a tool call is required. */
export function toolReplySchema(
  tools: readonly LanguageModelV3FunctionTool[],
  answerAllowed: boolean,
): JSONSchema7 {
  const branches: JSONSchema7[] = tools.map((tool) => ({
    type: 'object',
    properties: { tool: { const: tool.name }, arguments: grammarFriendly(tool.inputSchema) },
    required: ['tool', 'arguments'],
    additionalProperties: false,
  }));
  if (answerAllowed) {
    branches.push({
      type: 'object',
      properties: { answer: { type: 'string' } },
      required: ['answer'],
      additionalProperties: false,
    });
  }
  return branches.length === 1 ? (branches[0] as JSONSchema7) : { oneOf: branches };
}

/** The same schema with free-form arguments, for tool schemas the grammar compiler cannot take. */
export function looseToolReplySchema(tools: readonly LanguageModelV3FunctionTool[], answerAllowed: boolean) {
  const loose = tools.map((tool) => ({
    ...tool,
    inputSchema: { type: 'object', additionalProperties: true } as const,
  }));
  return toolReplySchema(loose, answerAllowed);
}

/** What the model is told: the tools, their arguments, and the reply format. */
export function toolInstructions(
  tools: readonly LanguageModelV3FunctionTool[],
  answerAllowed: boolean,
): string {
  const lines = tools.map(
    (tool) =>
      `- ${tool.name}: ${tool.description ?? ''} Arguments: ${JSON.stringify(grammarFriendly(tool.inputSchema))}`,
  );
  const answer = answerAllowed ? ' or {"answer": "<your reply to the user>"} when no tool is needed' : '';
  return `You can call these tools:\n${lines.join('\n')}\nReply with JSON only: {"tool": "<name>", "arguments": {...}} to call a tool${answer}.`;
}

/** Maps the constrained reply to content: a tool call, or the answer as text. */
export function parseToolReply(
  text: string,
  tools: readonly LanguageModelV3FunctionTool[],
  newId: () => string,
): { content: LanguageModelV3Content[]; calledTool: boolean } {
  let reply: unknown;
  try {
    reply = JSON.parse(text);
  } catch {
    return { content: text ? [{ type: 'text', text }] : [], calledTool: false };
  }
  const record = (typeof reply === 'object' && reply !== null ? reply : {}) as Record<string, unknown>;
  if (typeof record.tool === 'string' && tools.some((tool) => tool.name === record.tool)) {
    const input = JSON.stringify(record.arguments ?? {});
    return {
      content: [{ type: 'tool-call', toolCallId: newId(), toolName: record.tool, input }],
      calledTool: true,
    };
  }
  const answer = typeof record.answer === 'string' ? record.answer : text;
  return { content: answer ? [{ type: 'text', text: answer }] : [], calledTool: false };
}

/** JSON Schema 7 as node-llama-cpp's grammar compiler reads it: `oneOf` for `anyOf`, no meta keys. */
export function grammarFriendly(schema: JSONSchema7): JSONSchema7 {
  const convert = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(convert);
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (key === '$schema') continue;
      out[key === 'anyOf' ? 'oneOf' : key] = convert(item);
    }
    return out;
  };
  return convert(schema) as JSONSchema7;
}
