/**
 * @module answer/question
 * The checks every question passes, whichever door it came in by (HTTP, CLI, chat).
 */
import { InvalidRequestError } from '../errors.ts';

/** Longest question accepted, in characters. */
export const MAX_QUESTION_CHARACTERS = 8000;

/** The trimmed question; empty or overlong questions are `invalid_question` / `question_too_long`. */
export function checkQuestion(question: string): string {
  const trimmed = question.trim();
  if (!trimmed) throw new InvalidRequestError('invalid_question', 'The question must not be empty.');
  if (trimmed.length > MAX_QUESTION_CHARACTERS) {
    throw new InvalidRequestError(
      'question_too_long',
      `The question is longer than ${MAX_QUESTION_CHARACTERS} characters.`,
    );
  }
  return trimmed;
}
