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

/** Sampling settings of a prompt version; every field optional. */
export interface GenerationSettings {
  /** 0 (greedy) to 2; providers differ above 1. */
  readonly temperature?: number;
  /** Nucleus sampling, in (0, 1]. */
  readonly topP?: number;
  /** Most tokens an answer may have. */
  readonly maxOutputTokens?: number;
  /** Up to four strings at which the model stops (the most OpenAI accepts). */
  readonly stopSequences?: readonly string[];
}

/** The grounded prompt chosen for one request. */
export interface GroundedPromptSelection {
  /** Which version produced it (and the experiment arm that chose it), for the answer's record. */
  readonly ref: PromptVersionRef;
  /** Sampling settings stored with the chosen version (unset fields take the defaults). */
  readonly generation?: GenerationSettings;
  render(values: GroundedPromptValues): { readonly system: string; readonly user: string };
}

/** Chooses the grounded prompt of a request. */
export interface GroundedPromptSource {
  select(
    request: Pick<AskRequest, 'tenantId' | 'userId' | 'conversationId'>,
  ): Promise<GroundedPromptSelection>;
}
