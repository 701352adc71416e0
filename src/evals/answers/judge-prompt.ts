/**
 * @module evals/answers/judge-prompt
 * Version 1 of the judge prompt (`eval.judge` in the prompt registry). New versions are made in the
 * registry like any prompt; a report names the version that judged it.
 */
import type { PromptVariable } from '../../prompts/template.ts';

/** The values the judge prompt is rendered with. */
export const ANSWER_JUDGE_VARIABLES: readonly PromptVariable[] = [
  { name: 'question', type: 'string', description: 'The question as the user asked it.' },
  {
    name: 'passages',
    type: 'string',
    description: 'The passages the answer cites, numbered as in the answer.',
  },
  { name: 'answer', type: 'string', description: 'The answer to judge, with its citation markers.' },
  { name: 'reference', type: 'string', description: 'A reference answer, or "(none)".' },
];

/** The judge's instructions and the material, in one user message. */
export const ANSWER_JUDGE_TEMPLATE = [
  'You grade one answer of a question-answering assistant. Judge only what is written below.',
  '',
  'faithful: 1 if every statement in the answer is stated in or directly follows from the cited passages; 0 if any statement is missing from them or contradicts them.',
  'relevant: 1 if the answer addresses the question that was asked; 0 if it talks about something else.',
  'correct: 1 if the answer gives the same facts as the reference answer (wording may differ, extra true context is fine); 0 if it gives other facts or misses them; null if the reference is "(none)".',
  '',
  'Reply with one JSON object and nothing else, for example:',
  '{"faithful": 1, "relevant": 1, "correct": 0, "reason": "states 30 days; the reference says 5 business days"}',
  '',
  '<question>',
  '{{question}}',
  '</question>',
  '',
  '<passages>',
  '{{passages}}',
  '</passages>',
  '',
  '<answer>',
  '{{answer}}',
  '</answer>',
  '',
  '<reference>',
  '{{reference}}',
  '</reference>',
].join('\n');
