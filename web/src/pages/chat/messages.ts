/** The chat transcript as the page holds it. */
import type { AnswerMode, Citation } from '../../api/answers.ts';
import type { SupportCitation, SupportMode } from '../../api/support.ts';

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

/** Where a request that needs a person's approval is. */
export interface ApprovalState {
  readonly state: 'pending' | 'decided';
  /** What waits, in the customer's words ("this refund"). */
  readonly what: string;
}

/** A reply of the support app (`POST /v1/support/messages`), or one that followed a decision. */
export interface SupportAnswerMessage {
  readonly id: string;
  readonly role: 'support';
  /** The question it answers (to ask again); null when it arrived later (after an approval). */
  readonly question: string | null;
  readonly text: string;
  readonly status: 'sending' | 'done' | 'error';
  readonly mode?: SupportMode;
  /** The agents the turn went through. */
  readonly route?: readonly string[];
  readonly citations: readonly SupportCitation[];
  readonly approval?: ApprovalState;
  readonly error?: string;
}

export type Message = UserMessage | AssistantMessage | SupportAnswerMessage | PersonMessage | NoticeMessage;

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
