/**
 * @module support/knowledge-answers/manual-reply
 * The routed policy's manual answer: recognise the product the question names, search only its
 * manual (the `product` argument of `search_manuals`, a metadata filter), and compose the reply from
 * the part that answers. When the question fits products of several manuals, answer from the one
 * manual whose light, code or section it names, or else ask which product; when it
 * names none, answer from the best-matching manual only, never a mix of manuals.
 */
import type { ToolContext } from '../../../src/spec/agents.ts';
import type { LexicalAnalyzer } from '../../../src/spec/lexical.ts';
import type { CitedPassage } from '../tools/knowledge-tools.ts';
import { type CatalogueProduct, defaultCatalogue } from './catalogue.ts';
import { composeManualAnswer } from './compose-answer.ts';
import { recogniseProduct } from './recognise-product.ts';

/** The part of `search_manuals` the reply needs. */
export interface ManualSearchTool {
  readonly name: string;
  execute(
    input: { query: string; product?: string },
    context: ToolContext,
  ): Promise<{ passages: CitedPassage[]; product?: string; note?: string }>;
}

/** A tool call, as the policy records it. */
export interface RecordedCall {
  readonly name: string;
  readonly input: Record<string, unknown>;
  readonly output: unknown;
}

/** Answers a troubleshooting question from the right manual, or asks which product; undefined when nothing answers. */
export async function manualReply(options: {
  readonly text: string;
  readonly tool: ManualSearchTool;
  readonly context: ToolContext;
  readonly analyzer: LexicalAnalyzer;
  readonly calls: RecordedCall[];
  readonly catalogue?: readonly CatalogueProduct[];
  /**
   * A general question (routed to the FAQ) gets a manual answer only when it names a product with a
   * manual and a row or section of that manual answers it squarely; otherwise undefined.
   */
  readonly onlyWhenNamed?: boolean;
}): Promise<string | undefined> {
  const { text, onlyWhenNamed } = options;
  const catalogue = options.catalogue ?? (await defaultCatalogue());
  const match = recogniseProduct(text, catalogue);
  if (onlyWhenNamed && (match.kind !== 'product' || !match.product.manual)) return undefined;
  if (match.kind === 'ambiguous') {
    // The symptom may settle it: a light, code or section that only one of the manuals has. A light
    // colour or code the question names that more than one manual lists ("red light": a row in
    // each) leaves it a question, whichever manual matched better.
    const manuals = new Map(
      match.candidates.flatMap((candidate) =>
        candidate.manual ? [[candidate.manual, candidate] as const] : [],
      ),
    );
    const marks = symptomMarks(text);
    const strong: string[] = [];
    let listing = 0;
    for (const candidate of manuals.values()) {
      const answered = await answerFrom(options, candidate);
      if (answered?.strong) strong.push(answered.reply);
      if (marks.length > 0 && answered && marks.some((mark) => mark.test(answered.searched))) listing++;
    }
    return strong.length === 1 && listing <= 1 ? strong[0] : clarifyingQuestion(match.candidates);
  }
  const answered = await answerFrom(options, match.kind === 'product' ? match.product : undefined);
  if (!answered || (onlyWhenNamed && !answered.strong)) return undefined;
  return answered.reply;
}

/** Searches one product's manual (or, without a product, the best-matching manual) and composes. */
async function answerFrom(
  options: Parameters<typeof manualReply>[0],
  product: CatalogueProduct | undefined,
): Promise<{ reply: string; strong: boolean; searched: string } | undefined> {
  const { text, tool, context, analyzer, calls } = options;
  const input = product ? { query: text, product: product.model } : { query: text };
  const output = await tool.execute(input, context);
  calls.push({ name: tool.name, input, output });
  if (output.note) {
    return {
      reply: `${output.note} A member of our team can help with it: just ask for a person.`,
      strong: false,
      searched: '',
    };
  }
  // Without a named product, the best passage's manual answers alone.
  const source = output.passages[0]?.source;
  const passages = output.passages.filter((passage) => passage.source === source);
  const ignore = product
    ? `${product.name} ${product.model} ${product.manualTitle ?? ''} ${product.words.join(' ')}`
    : '';
  const answer = composeManualAnswer(text, passages, analyzer, ignore);
  if (!answer) return undefined;
  const cited = passages[answer.passage]!;
  const where = `${cited.title ?? cited.source}${cited.page ? `, page ${cited.page}` : ''}`;
  return {
    reply: `${answer.heading} (${cited.title ?? 'manual'}):\n\n${answer.text}\n\nSources: [1] ${where}`,
    strong: answer.strong,
    searched: passages.map((passage) => passage.text).join('\n'),
  };
}

/** "Which one is it: A, B or C?", one entry per manual (or per product without one). */
export function clarifyingQuestion(candidates: readonly CatalogueProduct[]): string {
  const groups = new Map<string, CatalogueProduct[]>();
  for (const candidate of candidates) {
    const key = candidate.manual ?? candidate.model;
    groups.set(key, [...(groups.get(key) ?? []), candidate]);
  }
  const options = [...groups.values()].map(
    (group) => `the ${group[0]!.name} (${group.map((item) => item.model).join(', ')})`,
  );
  const listed = options.length > 1 ? `${options.slice(0, -1).join(', ')} or ${options.at(-1)}` : options[0];
  return `Which one is it: ${listed}? Then I can look in the right manual.`;
}

const COLOURS = ['red', 'orange', 'amber', 'yellow', 'green', 'blue', 'white', 'purple', 'pink'];

/** The light colours and error codes a question names, as whole-word patterns. */
function symptomMarks(text: string): RegExp[] {
  const lower = text.toLowerCase();
  const colours = COLOURS.filter((colour) => new RegExp(`\\b${colour}\\b`).test(lower));
  const codes = text.match(/\b[A-Z]\d{1,3}\b/g) ?? [];
  return [
    ...colours.map((colour) => new RegExp(`\\b${colour}\\b`, 'i')),
    ...codes.map((code) => new RegExp(`\\b${code}\\b`)),
  ];
}
