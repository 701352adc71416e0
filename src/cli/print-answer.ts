/**
 * @module cli/print-answer
 * How the CLI shows an answer: the text, numbered sources (title, page or heading, URI), the mode.
 */
import type { AskResult, Citation } from '../spec/answer.ts';

/** The sources block: one entry per citation, numbered as in the answer. */
export function formatSources(citations: readonly Citation[]): string {
  if (citations.length === 0) return '';
  const lines = citations.map((citation) => {
    const where = [citation.headingPath.join(' › '), citation.page !== null ? `p. ${citation.page}` : '']
      .filter(Boolean)
      .join(', ');
    return `[${citation.n}] ${citation.title ?? citation.source}${where ? ` — ${where}` : ''}\n    ${citation.source}`;
  });
  return `\nSources:\n${lines.join('\n')}\n`;
}

/** The mode line and any notes. */
export function formatFooter(result: AskResult): string {
  const mode =
    result.mode === 'generative' ? `generative (${result.model})` : 'extractive (quoted from the passages)';
  const notes = result.notes.map((note) => `note: ${note}\n`).join('');
  return `\nmode: ${mode}\n${notes}`;
}

/** The whole answer as the CLI prints it. */
export function formatAnswer(result: AskResult): string {
  return `${result.answer}\n${formatSources(result.citations)}${formatFooter(result)}`;
}
