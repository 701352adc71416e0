/**
 * @module spec/answer-log
 * The port through which services read the answer log. Answers are written in batches
 * (observability/answer-log.ts), so a reader that went straight to the table could miss the answer
 * just given; every read goes through `read`, which first writes what is queued. Types only.
 */

/** Reads of the answer log that see every answer recorded before the read began. */
export interface AnswerLogReader {
  /** Runs `query` once every answer recorded so far is stored, and returns its result. */
  read<T>(query: () => Promise<T>): Promise<T>;
}

/** For a log written synchronously (or none): reads run at once. */
export const UNBATCHED_ANSWER_LOG: AnswerLogReader = { read: (query) => query() };
