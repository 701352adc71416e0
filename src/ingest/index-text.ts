/**
 * @module ingest/index-text
 * The text that is indexed (lexically and as a vector) for a chunk: the document title and the
 * heading path, then the chunk itself. Chunks of one long section then still match questions that
 * name the section or the document ("PostgreSQL CREATE INDEX options").
 */

/** Builds the indexed text of a chunk. */
export function indexText(title: string | undefined, headingPath: readonly string[], text: string): string {
  const context: string[] = [];
  for (const part of [title, ...headingPath]) {
    if (part && context.at(-1) !== part && !text.startsWith(part)) context.push(part);
  }
  return context.length > 0 ? `${context.join(' › ')}\n${text}` : text;
}
