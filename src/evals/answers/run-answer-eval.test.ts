import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroundwork, type Groundwork } from '../../app.ts';
import { loadConfig } from '../../config/config.ts';
import { createAnalyzer } from '../../retrieval/lexical/analyzer.ts';
import { passagesInPrompt } from '../../testing/quoting-language-model.ts';
import { createScriptedLanguageModel, type ScriptedReply } from '../../testing/scripted-language-model.ts';
import { createJudgeScorer } from './judge.ts';
import { createLexicalScorer } from './lexical-scorer.ts';
import { type AnswerEvalReport, runAnswerEval } from './run-answer-eval.ts';

const MINI = path.resolve(import.meta.dirname, '__fixtures__/mini');
/** What a careful model says for each question of the mini set: the sentence that answers, or nothing. */
const ANSWERS: Record<string, string | undefined> = {
  'How long do refunds take?': 'within 5 business days',
  'Do you ship to Canada?': 'United States and Canada',
  'How long does the outdoor camera battery take to charge?': 'about 4 hours',
  'Is water damage covered by the warranty?': 'Water damage is not covered',
};

function questionOf(prompt: string): string {
  return /Question: ([^"\\]*)/.exec(prompt)?.[1]?.trim() ?? '';
}

/** Quotes the passage sentence holding the answer, cited; says the knowledge base does not say otherwise. */
const good: ScriptedReply = (call) => {
  const wanted = ANSWERS[questionOf(JSON.stringify(call.prompt))];
  for (const passage of passagesInPrompt(call)) {
    const sentence = wanted && passage.text.split(/(?<=\.)\s+/).find((part) => part.includes(wanted));
    if (sentence) return { text: `${sentence.replace(/\.$/, '')} [${passage.n}].` };
  }
  return { text: 'The knowledge base does not say.' };
};
/** Confident, cited, and wrong: claims no passage makes. */
const bad: ScriptedReply = () => ({
  text: 'Everything ships by drone within 90 minutes and refunds need a notarised letter [1].',
});

/** One product for every run (booting one is the slow part); each run scripts its replies and tenant. */
let replies: { answer: ScriptedReply } = { answer: good };
let app: Groundwork;

beforeAll(async () => {
  const model = createScriptedLanguageModel([() => replies.answer], { repeat: true });
  app = await createGroundwork(
    // Guardrails off: the output grounding check would replace the bad model's answer with quotes,
    // and this test is about the scorers seeing what a model wrote.
    loadConfig({
      dataDir: 'memory://',
      cache: { answers: { enabled: false } },
      guardrails: { enabled: false },
    }),
    { languageModel: { model, name: 'test:scripted' } },
  );
}, 300_000);

afterAll(async () => {
  await app?.close();
});

async function evaluate(
  tenantId: string,
  answer: ScriptedReply,
  judge?: ScriptedReply[],
): Promise<AnswerEvalReport> {
  replies = { answer };
  const scorers = [createLexicalScorer(createAnalyzer())];
  if (judge) scorers.push(createJudgeScorer({ model: createScriptedLanguageModel(judge) }));
  return runAnswerEval(app, { dataset: MINI, tenantId, scorers });
}

describe('eval answers', () => {
  it('tells good answers from wrong and unsupported ones, through the real answer path', async () => {
    const [goodReport, badReport] = [await evaluate('good', good), await evaluate('bad', bad)];
    const mean = (report: AnswerEvalReport, metric: string) => report.aggregate[metric]?.mean ?? Number.NaN;
    expect(goodReport.documents).toBe(6);
    expect(goodReport.questions).toBe(9);
    for (const metric of [
      'faithfulness',
      'f1',
      'reference_recall',

      'correct_abstention',
    ]) {
      expect(mean(goodReport, metric), metric).toBeGreaterThan(mean(badReport, metric));
    }
    expect(mean(goodReport, 'faithfulness')).toBe(1);
    expect(mean(goodReport, 'reference_recall')).toBeGreaterThan(0.9);
    expect(mean(goodReport, 'correct_abstention')).toBe(1);
    expect(mean(goodReport, 'false_abstention')).toBe(0);
    expect(mean(badReport, 'faithfulness')).toBe(0);
    expect(mean(badReport, 'correct_abstention')).toBe(0);
    // The careful model's abstention is its answer, not replaced by quoted passages.
    const paris = goodReport.items.find((item) => item.id === 'q5')!;
    expect(paris).toMatchObject({
      answer: 'The knowledge base does not say.',
      mode: 'generative',
      cited: [],
    });
    expect(goodReport.items.find((item) => item.id === 'q1')).toMatchObject({ cited: ['refunds'] });
  }, 300_000);

  it('reports unreadable questions and a judge that replies garbage per question, and goes on', async () => {
    const judge: ScriptedReply[] = [
      { text: '{"faithful": 1, "relevant": 1, "correct": 1}' },
      { text: 'As an AI language model I find this answer delightful.' },
      { text: '{"faithful": 1, "relevant": 1, "correct": 1}' },
      { text: '{"faithful": 1, "relevant": 1, "correct": 0, "reason": "says yes, the reference says no"}' },
    ];
    const report = await evaluate('judged', good, judge);
    expect(report.scored).toBe(4);
    expect(report.failed).toBe(5);
    expect(report.items.map((item) => [item.id, item.errors.map((error) => error.code)])).toEqual([
      ['q1', []],
      ['q2', ['judge_unparseable']],
      ['q3', []],
      ['q4', []],
      ['q5', []],
      ['q6', ['dataset_field_missing']],
      ['q7', ['dataset_passage_unknown']],
      ['line-8', ['dataset_line_invalid']],
      ['q1', ['dataset_id_duplicate']],
    ]);
    // The question the judge failed on keeps its deterministic scores.
    expect(report.items.find((item) => item.id === 'q2')!.metrics.faithfulness).toBe(1);
    expect(report.aggregate['judge.faithfulness']).toEqual({ mean: 1, n: 3 });
    expect(report.aggregate['judge.correctness']).toEqual({ mean: 2 / 3, n: 3 });
    expect(report.items.find((item) => item.id === 'q4')!.reasons.judge).toBe(
      'says yes, the reference says no',
    );
  }, 300_000);
});
