/**
 * @module models/local/llama-prompt
 * Turns an AI SDK prompt into node-llama-cpp chat history, which the model's own chat wrapper
 * (resolved from the GGUF's template) renders into tokens. Only text travels: files, images and
 * reasoning parts are dropped with a warning, as the AI SDK expects of a provider that lacks them.
 * Tool calls and results are written as the JSON text the local tool protocol uses (llama-tools.ts),
 * so the model sees its earlier calls in the form it is asked to reply in.
 */
import type {
  LanguageModelV3Prompt,
  LanguageModelV3ToolResultOutput,
  SharedV3Warning,
} from '@ai-sdk/provider';
import type { ChatHistoryItem } from 'node-llama-cpp';

/** The history to generate from, ending with the empty model turn the reply fills. */
export function toChatHistory(prompt: LanguageModelV3Prompt): {
  history: ChatHistoryItem[];
  warnings: SharedV3Warning[];
} {
  const history: ChatHistoryItem[] = [];
  const dropped = new Set<string>();
  for (const message of prompt) {
    switch (message.role) {
      case 'system':
        history.push({ type: 'system', text: message.content });
        break;
      case 'user': {
        history.push({ type: 'user', text: textOf(message.content, dropped) });
        break;
      }
      case 'assistant': {
        const calls = message.content.flatMap((part) =>
          part.type === 'tool-call' ? [JSON.stringify({ tool: part.toolName, arguments: part.input })] : [],
        );
        const text = textOf(
          message.content.filter((part) => part.type !== 'tool-call'),
          dropped,
        );
        history.push({ type: 'model', response: [[text, ...calls].filter(Boolean).join('\n')] });
        break;
      }
      case 'tool': {
        const results = message.content.flatMap((part) =>
          part.type === 'tool-result' ? [`${part.toolName}: ${resultText(part.output)}`] : [],
        );
        history.push({ type: 'user', text: `Tool results:\n${results.join('\n')}` });
        break;
      }
    }
  }
  history.push({ type: 'model', response: [] });
  const warnings: SharedV3Warning[] = [...dropped].map((type) => ({
    type: 'unsupported',
    feature: `${type} prompt parts`,
    details: 'The local runtime passes only text to the model; this part was left out.',
  }));
  return { history, warnings };
}

/** The text parts joined; the types of the other parts are added to `dropped`. */
function textOf(parts: readonly { type: string; text?: string }[], dropped: Set<string>): string {
  let text = '';
  for (const part of parts) {
    if (part.type === 'text') text += part.text ?? '';
    else dropped.add(part.type);
  }
  return text;
}

/** A tool result as the model reads it. */
function resultText(output: LanguageModelV3ToolResultOutput): string {
  switch (output.type) {
    case 'text':
    case 'error-text':
      return output.type === 'error-text' ? `error: ${output.value}` : output.value;
    case 'json':
    case 'error-json':
      return JSON.stringify(output.value);
    case 'execution-denied':
      return `denied${output.reason ? `: ${output.reason}` : ''}`;
    default:
      return JSON.stringify(output);
  }
}
