/**
 * @module answer/notes
 * The fixed texts an answer can carry, in one place so the API, the CLI and tests agree on them.
 */

/** The whole answer when no passage matches the question. */
export const NOT_FOUND_ANSWER = 'I could not find this in the knowledge base.';

/** Notes (`AskResult.notes`). */
export const NOTES = {
  noModel:
    'No language model is configured, so this answer quotes the best-matching passages; set GROUNDWORK_LLM to enable generated answers.',
  uncited:
    'The generated answer cited none of the passages, so it was replaced by the best-matching passages, quoted.',
  echoed:
    'The generated answer repeated its instructions or the passages instead of answering, so it was replaced by the best-matching passages, quoted.',
  nothingRetrieved: 'No passage in the knowledge base matched the question.',
  nothingRelevant: 'The retrieved passages did not contain sentences that match the question.',
} as const;
