/**
 * @module testing/quoting-language-model
 * An instant scripted model that writes a grounded answer from its own prompt: the first sentence of
 * each of the first passages, cited. It stands in for a well-behaved model where a fixed reply would
 * cite passages that say something else (and be removed by the grounding check).
 */
import type { LanguageModelV3CallOptions } from '@ai-sdk/provider';
import { createScriptedLanguageModel, type ScriptedLanguageModel } from './scripted-language-model.ts';

/** The passages (`n`, text) quoted in a grounded prompt. */
export function passagesInPrompt(call: LanguageModelV3CallOptions): { n: number; text: string }[] {
  const user = call.prompt
    .filter((message) => message.role === 'user')
    .flatMap((message) => message.content)
    .map((part) => (part.type === 'text' ? part.text : ''))
    .join('\n');
  return [...user.matchAll(/<passage n="(\d+)"[^>]*>\n([\s\S]*?)\n<\/passage>/g)].map((match) => ({
    n: Number(match[1]),
    text: match[2] ?? '',
  }));
}

/** The quoted answer for one call: the first sentence of up to `sentences` passages. */
export function quotingReply(call: LanguageModelV3CallOptions, sentences = 2): string {
  const quoted = passagesInPrompt(call)
    .slice(0, sentences)
    .map((passage) => {
      const first =
        /[^\n]*?[a-z][^\n]*?[.!?](?=\s|$)/.exec(passage.text)?.[0] ?? passage.text.split('\n')[0] ?? '';
      return `${first.trim().replace(/[.!?]+$/, '')} [${passage.n}].`;
    });
  return quoted.length > 0 ? quoted.join(' ') : 'The knowledge base does not say.';
}

/** A model that always answers by quoting its passages, at once. */
export function createQuotingLanguageModel(
  usage = { inputTokens: 900, outputTokens: 20 },
): ScriptedLanguageModel {
  return createScriptedLanguageModel([(call) => ({ text: quotingReply(call), usage })], {
    repeat: true,
    modelId: 'quoting',
  });
}
