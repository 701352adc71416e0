/**
 * @module evals/answers/lexical-scorer
 * The deterministic scorer: no model, the same numbers on every machine, so it runs in CI.
 *
 * - `faithfulness`: share of the answer's sentences whose content terms (analysed: stemmed, stop
 *   words out) are covered, to at least {@link SUPPORT_COVERAGE}, by the passages the sentence cites
 *   (or by all cited passages when the sentence cites none). An uncited answer supports nothing.
 * - `relevance`: share of the question's topic terms the answer contains.
 * - `exact_match`, `f1`, `reference_recall`: against the references, SQuAD-normalised.
 * - `citation_precision`, `citation_recall`: cited passage keys against the expected ones.
 * - `abstained`, `correct_abstention` (unanswerable questions only), `false_abstention` (answerable only).
 *
 * Metrics that do not apply are null: faithfulness and relevance of an abstention, correctness
 * without references, citations without expected passages.
 */
import { questionTerms } from '../../answer/topic-terms.ts';
import type { LexicalAnalyzer } from '../../spec/lexical.ts';
import type { AnswerScorer, ScoreOutcome, ScoringSample } from '../../spec/scoring.ts';
import { splitSentences } from '../../text/sentences.ts';
import { exactMatch, markersOf, stripMarkers, tokenF1 } from './text.ts';

/** A sentence is supported when at least this share of its content terms occurs in its passages. */
export const SUPPORT_COVERAGE = 0.8;

/** The metrics of the lexical scorer, in report order. */
export const LEXICAL_METRICS = [
  'faithfulness',
  'relevance',
  'exact_match',
  'f1',
  'reference_recall',
  'citation_precision',
  'citation_recall',
  'abstained',
  'correct_abstention',
  'false_abstention',
] as const;

/** Creates the deterministic scorer over the analyzer retrieval uses. */
export function createLexicalScorer(analyzer: LexicalAnalyzer): AnswerScorer {
  return {
    name: 'lexical',
    kind: 'deterministic',
    metrics: LEXICAL_METRICS,
    async score(sample: ScoringSample): Promise<ScoreOutcome> {
      const faithful = sample.abstained ? undefined : faithfulness(sample, analyzer);
      const references = sample.references.filter((reference) => reference.trim() !== '');
      const answerText = stripMarkers(sample.answer);
      const correctness =
        references.length === 0 || sample.answerable === false
          ? undefined
          : sample.abstained
            ? { em: 0, f1: 0, recall: 0 }
            : { em: exactMatch(answerText, references), ...tokenF1(answerText, references) };
      const expected = sample.expectedPassages ?? [];
      const citations =
        expected.length === 0 || sample.answerable === false || sample.abstained
          ? undefined
          : citationScores(sample, expected);
      return {
        metrics: {
          faithfulness: faithful?.score ?? null,
          relevance: sample.abstained ? null : relevance(sample.question, answerText, analyzer),
          exact_match: correctness?.em ?? null,
          f1: correctness ? correctness.f1 : null,
          reference_recall: correctness ? correctness.recall : null,
          citation_precision: citations?.precision ?? null,
          citation_recall: citations?.recall ?? null,
          abstained: sample.abstained ? 1 : 0,
          correct_abstention: sample.answerable === false ? (sample.abstained ? 1 : 0) : null,
          false_abstention: sample.answerable === true ? (sample.abstained ? 1 : 0) : null,
        },
        ...(faithful?.unsupported ? { reason: `unsupported: ${faithful.unsupported}` } : {}),
      };
    },
  };
}

/** Share of sentences supported by their cited passages, and the first one that is not. */
export function faithfulness(
  sample: Pick<ScoringSample, 'answer' | 'cited'>,
  analyzer: LexicalAnalyzer,
): { score: number; unsupported?: string } | undefined {
  const passageTerms = new Map(
    sample.cited.map((passage) => [passage.n, new Set(analyzer.terms(passage.text))]),
  );
  const allCited = [...passageTerms.keys()];
  let claims = 0;
  let supported = 0;
  let unsupported: string | undefined;
  for (const sentence of splitSentences(sample.answer.trim())) {
    const terms = new Set(analyzer.terms(stripMarkers(sentence)));
    if (terms.size === 0) continue;
    claims++;
    const cites = markersOf(sentence).filter((n) => passageTerms.has(n));
    const sources = (cites.length > 0 ? cites : allCited).map((n) => passageTerms.get(n)!);
    let covered = 0;
    for (const term of terms) if (sources.some((source) => source.has(term))) covered++;
    if (covered / terms.size >= SUPPORT_COVERAGE) supported++;
    else unsupported ??= stripMarkers(sentence).slice(0, 160);
  }
  if (claims === 0) return undefined;
  return { score: supported / claims, ...(unsupported ? { unsupported } : {}) };
}

/** Share of the question's topic terms found in the answer. */
export function relevance(question: string, answer: string, analyzer: LexicalAnalyzer): number | null {
  const asked = questionTerms(question, analyzer);
  if (asked.length === 0) return null;
  const said = new Set(analyzer.terms(answer));
  return asked.filter((term) => said.has(term)).length / asked.length;
}

function citationScores(
  sample: ScoringSample,
  expected: readonly string[],
): { precision: number | null; recall: number } {
  const wanted = new Set(expected);
  const marked = markersOf(sample.answer);
  const cited = new Set(
    sample.cited
      .filter((passage) => marked.length === 0 || marked.includes(passage.n))
      .map((passage) => passage.key)
      .filter((key): key is string => !!key),
  );
  const hits = [...cited].filter((key) => wanted.has(key)).length;
  return {
    precision: cited.size === 0 ? null : hits / cited.size,
    recall: [...wanted].filter((key) => cited.has(key)).length / wanted.size,
  };
}
