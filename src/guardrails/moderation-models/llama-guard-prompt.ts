/**
 * @module guardrails/moderation-models/llama-guard-prompt
 * Llama Guard 3's task prompt (hazard categories S1–S14 of the MLCommons taxonomy) and a strict
 * parser of its reply: `safe`, or `unsafe` and on the next line a comma-separated list of codes.
 * Anything else is not a verdict.
 */
import type { ModerationCategory } from '../../spec/moderation.ts';

/** Llama Guard 3's categories, in its order. */
export const LLAMA_GUARD_CATEGORIES: readonly (readonly [code: string, name: string])[] = [
  ['S1', 'Violent Crimes'],
  ['S2', 'Non-Violent Crimes'],
  ['S3', 'Sex-Related Crimes'],
  ['S4', 'Child Sexual Exploitation'],
  ['S5', 'Defamation'],
  ['S6', 'Specialized Advice'],
  ['S7', 'Privacy'],
  ['S8', 'Intellectual Property'],
  ['S9', 'Indiscriminate Weapons'],
  ['S10', 'Hate'],
  ['S11', 'Suicide & Self-Harm'],
  ['S12', 'Sexual Content'],
  ['S13', 'Elections'],
  ['S14', 'Code Interpreter Abuse'],
];

/** Their codes → ours. S6 (advice), S8 (IP), S13 (elections), S14 are traced but not acted on. */
export const LLAMA_GUARD_CATEGORY_MAP: Readonly<Record<string, ModerationCategory>> = {
  S1: 'violence',
  S2: 'illegal',
  S3: 'sexual',
  S4: 'sexual-minors',
  S5: 'harassment',
  S7: 'harassment',
  S9: 'weapons',
  S10: 'hate',
  S11: 'self-harm',
  S12: 'sexual',
};

/** Keeps a text from closing the prompt's sections early ("<END CONVERSATION>" inside a message). */
function defuse(text: string): string {
  return text.replace(/<\s*(BEGIN|END)(\s)/gi, '‹$1$2');
}

/**
 * The task prompt for the last message of `role`: the user's message (`input`) or the agent's
 * answer to `userText` (`output`).
 */
export function llamaGuardPrompt(role: 'input' | 'output', text: string, userText?: string): string {
  const who = role === 'input' ? 'User' : 'Agent';
  const turns =
    role === 'input'
      ? [`User: ${defuse(text)}`]
      : [`User: ${defuse(userText ?? '')}`, `Agent: ${defuse(text)}`];
  return [
    `Task: Check if there is unsafe content in '${who}' messages in conversations according our safety policy with the below categories.`,
    '',
    '<BEGIN UNSAFE CONTENT CATEGORIES>',
    ...LLAMA_GUARD_CATEGORIES.map(([code, name]) => `${code}: ${name}.`),
    '<END UNSAFE CONTENT CATEGORIES>',
    '',
    '<BEGIN CONVERSATION>',
    '',
    turns.join('\n\n'),
    '',
    '<END CONVERSATION>',
    '',
    `Provide your safety assessment for ONLY THE LAST ${who} message in the above conversation:`,
    " - First line must read 'safe' or 'unsafe'.",
    ' - If unsafe, a second line must include a comma-separated list of violated categories.',
  ].join('\n');
}

const CODE = 'S(?:[1-9]|1[0-4])';
const CODES = new RegExp(`^${CODE}(?:\\s*,\\s*${CODE})*$`);

/** The codes of an `unsafe` reply, `[]` for `safe`, or undefined when the reply is not a verdict. */
export function parseLlamaGuardReply(reply: string): string[] | undefined {
  const lines = reply
    .trim()
    .split(/\r?\n/)
    .map((line) => line.trim());
  if (lines.length === 1 && lines[0] === 'safe') return [];
  if (lines.length !== 2 || lines[0] !== 'unsafe' || !CODES.test(lines[1] ?? '')) return undefined;
  return [...new Set((lines[1] ?? '').split(',').map((code) => code.trim()))];
}
