/**
 * @module support/knowledge-answers/compose-answer
 * A manual answer composed from the part of a section that answers, not the whole passage: the
 * section whose heading and text best match the question (words the product name supplies do not
 * count, nor do question words), then, in it, the table row the question names (`E3`, `blinking orange`) as a Markdown table
 * with its header, or the steps as a numbered Markdown list, or the section's paragraphs.
 */
import { questionTerms } from '../../../src/answer/topic-terms.ts';
import type { LexicalAnalyzer } from '../../../src/spec/lexical.ts';
import { type ManualSection, manualSections } from './manual-sections.ts';

/** The composed answer and the rank of the passage it quotes. */
export interface ComposedAnswer {
  readonly heading: string;
  readonly text: string;
  readonly passage: number;
  /**
   * The question names a row of a table (`E3`, `solid red`) or more than half of its words are in the section's
   * heading: the manual answers it even when it was asked as a general question.
   */
  readonly strong: boolean;
}

/** Words that ask rather than say what about ("what does E4 mean"). */
const FILLER = 'the and for with mean means meaning this that';
const HEADING_WEIGHT = 2;
const ROW_WEIGHT = 3;

/** Composes the answer to `question` from `passages` (best first); `ignore` is text whose words do not count. */
export function composeManualAnswer(
  question: string,
  passages: readonly { text: string; headingPath: readonly string[] }[],
  analyzer: LexicalAnalyzer,
  ignore = '',
): ComposedAnswer | undefined {
  const ignored = new Set([...analyzer.terms(ignore), ...analyzer.terms(FILLER)]);
  const terms = questionTerms(question, analyzer).filter(
    (term) => !ignored.has(term) && !/^\p{L}{1,2}$/u.test(term),
  );
  const sections = manualSections(passages);
  if (sections.length === 0) return undefined;
  const termsOf = (text: string) => new Set(analyzer.terms(text));
  const analysed = sections.map((section) => ({
    section,
    heading: termsOf(section.heading),
    body: termsOf([...section.paragraphs, ...section.steps].join(' ')),
    rows: section.rows.map((row) => ({ key: termsOf(row[0] ?? ''), all: termsOf(row.join(' ')) })),
  }));
  const idf = (term: string) => {
    const having = analysed.filter(
      (entry) =>
        entry.heading.has(term) || entry.body.has(term) || entry.rows.some((row) => row.all.has(term)),
    ).length;
    return Math.log(1 + (analysed.length + 1) / (having + 0.5));
  };
  const weights = new Map(terms.map((term) => [term, idf(term)]));
  // A row answers when the question names its whole key (`blinking orange`, not just `orange`).
  const rowScore = (row: { key: Set<string>; all: Set<string> }) =>
    row.key.size > 0 && [...row.key].every((term) => terms.includes(term))
      ? [...row.key].reduce((sum, term) => sum + (weights.get(term) ?? 0), 0)
      : 0;
  let best: { entry: (typeof analysed)[number]; score: number; row: number } | undefined;
  for (const entry of analysed) {
    let score = 0;
    for (const term of terms) {
      const weight = weights.get(term) ?? 0;
      if (entry.heading.has(term)) score += HEADING_WEIGHT * weight;
      if (entry.body.has(term)) score += weight;
    }
    // The header row names the columns; a matching data row is what a code or light question asks for.
    const rowScores = entry.rows.map((row, index) => (index === 0 ? 0 : rowScore(row)));
    const bestRow = Math.max(0, ...rowScores);
    score += ROW_WEIGHT * bestRow;
    score -= entry.section.passage * 0.01;
    if (!best || score > best.score)
      best = { entry, score, row: bestRow > 0 ? rowScores.indexOf(bestRow) : -1 };
  }
  if (!best || best.score <= 0) return undefined;
  const { section, heading } = best.entry;
  const inHeading = terms.filter((term) => heading.has(term)).length;
  const strong = best.row > 0 || (terms.length > 0 && inHeading / terms.length > 0.5);
  let text = render(section, best.row);
  if (best.row > 0) {
    // The row says what a light or code means; a section named after it says what to do about it.
    const key = [...best.entry.rows[best.row]!.key];
    const related = analysed.find(
      (entry) => entry !== best!.entry && key.length > 0 && key.every((term) => entry.heading.has(term)),
    );
    if (related) text += `\n\n${related.section.heading}:\n\n${render(related.section, -1)}`;
  }
  return { heading: section.heading, text, passage: section.passage, strong };
}

function render(section: ManualSection, row: number): string {
  const parts: string[] = [];
  if (section.rows.length > 0) {
    const [header, ...data] = section.rows;
    const chosen = row > 0 ? [section.rows[row]!] : data;
    const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
    parts.push([line(header!), line(header!.map(() => '---')), ...chosen.map(line)].join('\n'));
    if (row > 0) return parts.join('\n\n');
  }
  if (section.paragraphs.length > 0 && section.steps.length === 0)
    parts.push(section.paragraphs.join('\n\n'));
  if (section.steps.length > 0) {
    parts.push(...section.paragraphs.slice(0, 1));
    parts.push(section.steps.map((step, index) => `${index + 1}. ${step}`).join('\n'));
    parts.push(...section.paragraphs.slice(1));
  }
  return parts.join('\n\n');
}
