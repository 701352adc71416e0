/**
 * @module models/redacting-language-model
 * A language model wrapper that keeps personal data away from a hosted provider: every text the
 * provider would receive (system prompt with its passages, the conversation, tool calls and tool
 * results) has emails, phone numbers, card numbers, IBANs, national ids, IP and street addresses and
 * secrets replaced with typed placeholders (`[EMAIL_1]`), and the placeholders in what the model writes
 * (text, and tool-call arguments, so a tool still gets the real address) are put back.
 *
 * Re-hydration is safe because a placeholder is only ever restored to a value that was in the same
 * call's prompt, which the caller already sent or was allowed to read (passages are filtered by ACL
 * before the prompt is built); a placeholder the model invents stays as written. The restored answer
 * still goes through the output guardrails (piiLeak) like any other. ADR 0032.
 *
 * @example
 * const model = redactingLanguageModel(createOpenAI({ apiKey }).chat('gpt-4o-mini'));
 */
import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3Content,
  LanguageModelV3Message,
  LanguageModelV3Prompt,
  LanguageModelV3StreamPart,
  LanguageModelV3ToolResultOutput,
} from '@ai-sdk/provider';
import { PiiVault, redactPii } from '../guardrails/pii.ts';

/** Text still open at the end of a streamed delta that may be the start of a placeholder. */
const PLACEHOLDER_PREFIX = /\[[A-Z_]*\d*$/;
/** Longest placeholder prefix held back (`[NATIONAL_ID_12` is 15). */
const MAX_HELD = 24;

/** Wraps `model` so its provider never receives personal data (see the module comment). */
export function redactingLanguageModel(model: LanguageModelV3): LanguageModelV3 {
  return {
    specificationVersion: 'v3',
    provider: model.provider,
    modelId: model.modelId,
    get supportedUrls() {
      return model.supportedUrls;
    },
    async doGenerate(options) {
      const vault = new PiiVault();
      const result = await model.doGenerate(redactCall(options, vault));
      return { ...result, content: result.content.map((part) => restoreContent(part, vault)) };
    },
    async doStream(options) {
      const vault = new PiiVault();
      const result = await model.doStream(redactCall(options, vault));
      return { ...result, stream: result.stream.pipeThrough(restoringStream(vault)) };
    },
  };
}

function redactCall(options: LanguageModelV3CallOptions, vault: PiiVault): LanguageModelV3CallOptions {
  return { ...options, prompt: redactPrompt(options.prompt, vault) };
}

/** The prompt with personal data in every text replaced by placeholders from `vault`. */
export function redactPrompt(prompt: LanguageModelV3Prompt, vault: PiiVault): LanguageModelV3Prompt {
  const text = (value: string) => redactPii(value, vault).text;
  return prompt.map((message): LanguageModelV3Message => {
    switch (message.role) {
      case 'system':
        return { ...message, content: text(message.content) };
      case 'user':
        return {
          ...message,
          content: message.content.map((part) =>
            part.type === 'text' ? { ...part, text: text(part.text) } : part,
          ),
        };
      case 'assistant':
        return {
          ...message,
          content: message.content.map((part) => {
            if (part.type === 'text' || part.type === 'reasoning') return { ...part, text: text(part.text) };
            if (part.type === 'tool-call') return { ...part, input: redactJson(part.input, text) };
            if (part.type === 'tool-result') return { ...part, output: redactOutput(part.output, text) };
            return part;
          }),
        };
      case 'tool':
        return {
          ...message,
          content: message.content.map((part) =>
            part.type === 'tool-result' ? { ...part, output: redactOutput(part.output, text) } : part,
          ),
        };
      default:
        return message;
    }
  });
}

function redactOutput(
  output: LanguageModelV3ToolResultOutput,
  text: (value: string) => string,
): LanguageModelV3ToolResultOutput {
  switch (output.type) {
    case 'text':
    case 'error-text':
      return { ...output, value: text(output.value) };
    case 'json':
    case 'error-json':
      return { ...output, value: redactJson(output.value, text) as typeof output.value };
    case 'execution-denied':
      return output.reason === undefined ? output : { ...output, reason: text(output.reason) };
    default:
      return output;
  }
}

/** Every string inside a JSON value (keys stay) redacted. */
function redactJson(value: unknown, text: (value: string) => string): unknown {
  if (typeof value === 'string') return text(value);
  if (Array.isArray(value)) return value.map((item) => redactJson(item, text));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactJson(item, text)]));
  }
  return value;
}

/** Placeholders in JSON text put back, each value escaped as a JSON string's content. */
function restoreJsonText(json: string, vault: PiiVault): string {
  return json.replace(/\[[A-Z_]+_\d+\]/g, (placeholder) => {
    const restored = vault.restore(placeholder);
    return restored === placeholder ? placeholder : JSON.stringify(restored).slice(1, -1);
  });
}

function restoreContent(part: LanguageModelV3Content, vault: PiiVault): LanguageModelV3Content {
  if (part.type === 'text' || part.type === 'reasoning') return { ...part, text: vault.restore(part.text) };
  if (part.type === 'tool-call') return { ...part, input: restoreJsonText(part.input, vault) };
  return part;
}

/**
 * Restores placeholders in streamed text and tool input. A delta may end inside a placeholder
 * (`…write to [EMA`), so a possible placeholder start is held back until the next delta or the end.
 */
function restoringStream(
  vault: PiiVault,
): TransformStream<LanguageModelV3StreamPart, LanguageModelV3StreamPart> {
  const held = new Map<string, string>();
  const release = (id: string, text: string, json: boolean) => {
    const restore = (value: string) => (json ? restoreJsonText(value, vault) : vault.restore(value));
    const pending = (held.get(id) ?? '') + text;
    const open = PLACEHOLDER_PREFIX.exec(pending);
    const keep = open && pending.length - open.index <= MAX_HELD ? pending.slice(open.index) : '';
    held.set(id, keep);
    return restore(pending.slice(0, pending.length - keep.length));
  };
  const flush = (id: string, json: boolean) => {
    const rest = held.get(id) ?? '';
    held.delete(id);
    return json ? restoreJsonText(rest, vault) : vault.restore(rest);
  };
  return new TransformStream({
    transform(part, controller) {
      switch (part.type) {
        case 'text-delta':
        case 'reasoning-delta': {
          const delta = release(part.id, part.delta, false);
          if (delta) controller.enqueue({ ...part, delta });
          return;
        }
        case 'tool-input-delta': {
          const delta = release(part.id, part.delta, true);
          if (delta) controller.enqueue({ ...part, delta });
          return;
        }
        case 'text-end':
        case 'reasoning-end':
        case 'tool-input-end': {
          const rest = flush(part.id, part.type === 'tool-input-end');
          if (rest) {
            const type =
              part.type === 'text-end'
                ? 'text-delta'
                : part.type === 'reasoning-end'
                  ? 'reasoning-delta'
                  : 'tool-input-delta';
            controller.enqueue({ type, id: part.id, delta: rest } as LanguageModelV3StreamPart);
          }
          controller.enqueue(part);
          return;
        }
        case 'tool-call':
          controller.enqueue({ ...part, input: restoreJsonText(part.input, vault) });
          return;
        default:
          controller.enqueue(part);
      }
    },
    flush(controller) {
      // A provider that ends the stream without `text-end` still gets its held text out.
      for (const id of [...held.keys()]) {
        const rest = flush(id, false);
        if (rest) controller.enqueue({ type: 'text-delta', id, delta: rest });
      }
    },
  });
}
