/**
 * @module models/local/llama-prompt
 * Turns an AI SDK prompt into node-llama-cpp chat history, which the model's own chat wrapper
 * (resolved from the GGUF's template) renders into tokens. Only text travels: files, images and
 * reasoning parts are dropped with a warning, as the AI SDK expects of a provider that lacks them.
 */
import type { LanguageModelV3Prompt, SharedV3Warning } from '@ai-sdk/provider';
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
        history.push({ type: 'model', response: [textOf(message.content, dropped)] });
        break;
      }
      case 'tool':
        dropped.add('tool-result');
        break;
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
