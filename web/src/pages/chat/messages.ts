/** The chat transcript as the page holds it. */
import type { AnswerMode, Citation } from '../../api/answers.ts';

/** A question the user sent. */
export interface UserMessage {
  readonly id: string;
  readonly role: 'user';
  readonly text: string;
}

/** Where an answer is: `retrying` after a dropped stream, `interrupted` when retrying failed too. */
export type AnswerStatus = 'searching' | 'writing' | 'retrying' | 'done' | 'error' | 'interrupted';

/** An answer, filled in as its stream arrives. */
export interface AssistantMessage {
  readonly id: string;
  readonly role: 'assistant';
  /** The question it answers (to ask again after an interruption). */
  readonly question: string;
  readonly text: string;
  readonly citations: readonly Citation[];
  readonly status: AnswerStatus;
  readonly mode?: AnswerMode;
  readonly traceId?: string;
  readonly error?: string;
}

/** A reply written by a person (an operator who took the conversation over). */
export interface PersonMessage {
  readonly id: string;
  readonly role: 'person';
  readonly text: string;
}

/** An event line such as "a person has joined the conversation". */
export interface NoticeMessage {
  readonly id: string;
  readonly role: 'notice';
  readonly text: string;
}

export type Message = UserMessage | AssistantMessage | PersonMessage | NoticeMessage;

/** A fresh answer slot. */
export function emptyAnswer(id: string, question: string): AssistantMessage {
  return { id, role: 'assistant', question, text: '', citations: [], status: 'searching' };
}

let counter = 0;
/** An id unique within the page. */
export function messageId(): string {
  counter += 1;
  return `m${Date.now().toString(36)}${counter}`;
}
