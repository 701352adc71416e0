/**
 * @module spec/prompts
 * What the answerer needs from the prompt registry: the grounded prompt chosen for one request (the
 * production version, or an experiment arm's) that renders the system and user messages.
 */
import type { AskRequest, PromptVersionRef } from './answer.ts';

/** Values the grounded prompt is rendered with; `passages` is already formatted as quoted data. */
export interface GroundedPromptValues {
  readonly question: string;
  readonly passages: string;
}

/** The grounded prompt chosen for one request. */
export interface GroundedPromptSelection {
  /** Which version produced it (and the experiment arm that chose it), for the answer's record. */
  readonly ref: PromptVersionRef;
  render(values: GroundedPromptValues): { readonly system: string; readonly user: string };
}

/** Chooses the grounded prompt of a request. */
export interface GroundedPromptSource {
  select(
    request: Pick<AskRequest, 'tenantId' | 'userId' | 'conversationId'>,
  ): Promise<GroundedPromptSelection>;
}
