/**
 * @module prompts/builtin
 * The prompts the product uses, with version 1 seeded from the text in answer/prompt.ts so the first
 * registry version answers exactly as the code did. Each names the values its caller supplies: a new
 * version may declare only those variables, or no caller could ever render it.
 */
import { GROUNDED_SYSTEM_PROMPT, GROUNDED_USER_TEMPLATE } from '../answer/prompt.ts';
import { ANSWER_JUDGE_TEMPLATE, ANSWER_JUDGE_VARIABLES } from '../evals/answers/judge-prompt.ts';
import type { PromptVariable } from './template.ts';

/** A prompt the product renders itself. */
export interface BuiltinPrompt {
  readonly name: string;
  readonly description: string;
  readonly template: string;
  readonly variables: readonly PromptVariable[];
  /** Variables the caller can supply; versions may declare any subset. */
  readonly available: readonly PromptVariable[];
}

const QUESTION: PromptVariable = {
  name: 'question',
  type: 'string',
  description: 'The standalone question (condensed when there was history).',
};
const PASSAGES: PromptVariable = {
  name: 'passages',
  type: 'string',
  description: 'The retrieved passages, numbered and quoted as <passage> elements.',
};

/** The grounded answer's system prompt; experiments vary this one. */
export const RAG_SYSTEM = 'rag.system';
/** The grounded answer's user message. */
export const RAG_USER = 'rag.user';

/** The answer-quality judge of `eval answers` (evals/answers/judge.ts). */
export const EVAL_JUDGE = 'eval.judge';

/** Every built-in prompt. */
export const BUILTIN_PROMPTS: readonly BuiltinPrompt[] = [
  {
    name: RAG_SYSTEM,
    description: 'System prompt of grounded answers: answer only from the numbered passages, cite them.',
    template: GROUNDED_SYSTEM_PROMPT,
    variables: [],
    available: [QUESTION, PASSAGES],
  },
  {
    name: RAG_USER,
    description: 'User message of grounded answers: the quoted passages, then the question.',
    template: GROUNDED_USER_TEMPLATE,
    variables: [PASSAGES, QUESTION],
    available: [QUESTION, PASSAGES],
  },
  {
    name: EVAL_JUDGE,
    description:
      'Judge of answer quality: is the answer supported by its cited passages, relevant, and correct against the reference? Replies in JSON.',
    template: ANSWER_JUDGE_TEMPLATE,
    variables: ANSWER_JUDGE_VARIABLES,
    available: ANSWER_JUDGE_VARIABLES,
  },
];

/** The built-in prompt called `name`, if any. */
export function builtinPrompt(name: string): BuiltinPrompt | undefined {
  return BUILTIN_PROMPTS.find((prompt) => prompt.name === name);
}
