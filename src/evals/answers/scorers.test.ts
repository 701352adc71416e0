import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../retrieval/lexical/analyzer.ts';
import type { ScoringSample } from '../../spec/scoring.ts';
import { createScriptedLanguageModel } from '../../testing/scripted-language-model.ts';
import { compareWithBaseline } from './baseline.ts';
import { createJudgeScorer, parseVerdict } from './judge.ts';
import { createLexicalScorer } from './lexical-scorer.ts';
import { scoreWithTimeout } from './run-answer-eval.ts';
import { exactMatch, isAbstention, tokenF1 } from './text.ts';

const lexical = createLexicalScorer(createAnalyzer());
const REFUNDS =
  'Refunds go back to the original payment method within 5 business days after the returned item reaches our warehouse. Store credit is issued the same day.';
const RETURNS = 'Opened smart thermostats can be returned within 30 days of delivery.';

function sample(overrides: Partial<ScoringSample>): ScoringSample {
  return {
    id: 's',
    question: 'How long do refunds take?',
    answer: '',
    abstained: false,
    cited: [
      { n: 1, text: REFUNDS, key: 'refunds' },
      { n: 2, text: RETURNS, key: 'returns' },
    ],
    references: ['within 5 business days'],
    expectedPassages: ['refunds'],
    answerable: true,
    ...overrides,
  };
}

describe('the deterministic scorer', () => {
  it('scores a right, supported answer above a wrong one and above an unsupported one', async () => {
    const good = await lexical.score(
      sample({ answer: 'Refunds go back to the original payment method within 5 business days [1].' }),
    );
    const wrong = await lexical.score(
      sample({ answer: 'Opened smart thermostats can be returned within 30 days of delivery [2].' }),
    );
    const invented = await lexical.score(
      sample({ answer: 'Refunds take 90 days and need a notarised letter from your bank [1].' }),
    );
    expect(good.metrics).toMatchObject({
      faithfulness: 1,
      citation_precision: 1,
      citation_recall: 1,
      reference_recall: 1,
      abstained: 0,
      false_abstention: 0,
      correct_abstention: null,
    });
    expect(wrong.metrics.faithfulness).toBe(1); // supported by what it cites, but not the answer
    expect(wrong.metrics.f1!).toBeLessThan(good.metrics.f1!);
    expect(wrong.metrics.citation_precision).toBe(0);
    expect(wrong.metrics.relevance!).toBeLessThan(good.metrics.relevance!);
    expect(invented.metrics.faithfulness).toBe(0);
    expect(invented.reason).toContain('90 days');
  });

  it('checks each sentence against the passage it cites, not against every passage', async () => {
    const misattributed = await lexical.score(
      sample({ answer: 'Refunds go back to the original payment method within 5 business days [2].' }),
    );
    expect(misattributed.metrics.faithfulness).toBe(0);
    const half = await lexical.score(
      sample({
        answer:
          'Refunds go back to the original payment method within 5 business days [1]. Shipping to Mars is free [1].',
      }),
    );
    expect(half.metrics.faithfulness).toBe(0.5);
  });

  it('counts abstentions: right on unanswerable questions, false on answerable ones', async () => {
    const abstainedUnanswerable = await lexical.score(
      sample({
        answer: 'I could not find this in the knowledge base.',
        abstained: true,
        cited: [],
        answerable: false,
        references: [],
        expectedPassages: undefined,
      }),
    );
    expect(abstainedUnanswerable.metrics).toMatchObject({
      abstained: 1,
      correct_abstention: 1,
      false_abstention: null,
      faithfulness: null,
      f1: null,
    });
    const abstainedAnswerable = await lexical.score(
      sample({ answer: 'The knowledge base does not say.', abstained: true, cited: [] }),
    );
    expect(abstainedAnswerable.metrics).toMatchObject({ false_abstention: 1, f1: 0, citation_recall: null });
    const answeredUnanswerable = await lexical.score(
      sample({ answer: 'Refunds take 5 business days [1].', answerable: false, references: [] }),
    );
    expect(answeredUnanswerable.metrics.correct_abstention).toBe(0);
  });

  it('normalises answers as SQuAD does and recognises the ways an answer abstains', () => {
    expect(exactMatch('The Normans [1].', ['Normans'])).toBe(1);
    expect(tokenF1('in the 10th century', ['10th and 11th centuries']).f1).toBeCloseTo(2 / 7, 5);
    expect(isAbstention('I could not find this in the knowledge base.')).toBe(true);
    expect(isAbstention('The passages do not mention a Paris office.')).toBe(true);
    expect(isAbstention('The provided context does not contain that information [1].')).toBe(true);
    expect(isAbstention('Refunds take 5 days [1].')).toBe(false);
    expect(isAbstention('We do not ship to Mars [1].')).toBe(false);
  });
});

describe('the LLM judge', () => {
  it('reads its JSON verdict, in a code fence or with words around it', async () => {
    const model = createScriptedLanguageModel([
      {
        text: 'Here you go:\n```json\n{"faithful": 1, "relevant": true, "correct": 0, "reason": "other facts"}\n```',
      },
    ]);
    const judge = createJudgeScorer({ model });
    const outcome = await judge.score(sample({ answer: 'Refunds take 30 days [1].' }));
    expect(outcome).toEqual({
      metrics: { faithfulness: 1, relevance: 1, correctness: 0 },
      reason: 'other facts',
    });
    // The rendered prompt carries the question, the cited passages, the answer and the reference.
    const prompt = JSON.stringify(model.calls[0]!.prompt);
    for (const part of [
      'How long do refunds take?',
      'within 5 business days after',
      'Refunds take 30 days [1].',
    ]) {
      expect(prompt).toContain(part);
    }
  });

  it('fails one answer with judge_unparseable on garbage, and with scorer_timeout when it hangs', async () => {
    expect(() => parseVerdict('I think it is pretty good!')).toThrow(
      expect.objectContaining({ code: 'judge_unparseable' }),
    );
    expect(() => parseVerdict('{"faithful": 7, "relevant": 1}')).toThrow(
      expect.objectContaining({ code: 'judge_unparseable' }),
    );
    const slow = createJudgeScorer({ model: createScriptedLanguageModel([{ text: '{}', delayMs: 5_000 }]) });
    await expect(scoreWithTimeout(slow, sample({ answer: 'x [1].' }), 50)).rejects.toMatchObject({
      code: 'scorer_timeout',
    });
  });

  it('does not call the model for an abstention', async () => {
    const model = createScriptedLanguageModel([]);
    const outcome = await createJudgeScorer({ model }).score(sample({ answer: 'No.', abstained: true }));
    expect(outcome.metrics).toEqual({ faithfulness: null, relevance: null, correctness: null });
    expect(model.calls).toHaveLength(0);
  });
});

describe('the regression gate', () => {
  const baseline = {
    f1: { mean: 0.5, n: 100 },
    faithfulness: { mean: 0.9, n: 100 },
    false_abstention: { mean: 0.1, n: 100 },
    abstained: { mean: 0.2, n: 100 },
  };

  it('fails a drop beyond the tolerance, in the direction that is worse for each metric', () => {
    const current = {
      f1: { mean: 0.47, n: 100 },
      faithfulness: { mean: 0.89, n: 100 },
      false_abstention: { mean: 0.15, n: 100 },
      abstained: { mean: 0.9, n: 100 },
    };
    const result = compareWithBaseline(current, baseline, { tolerance: 0.02 });
    expect(result.compared).toEqual(['f1', 'faithfulness', 'false_abstention']);
    expect(result.regressions.map((regression) => regression.metric)).toEqual(['f1', 'false_abstention']);
  });

  it('passes a drop of exactly the tolerance and any improvement', () => {
    const current = {
      f1: { mean: 0.48, n: 100 },
      faithfulness: { mean: 1, n: 100 },
      false_abstention: { mean: 0, n: 100 },
    };
    expect(compareWithBaseline(current, baseline, { tolerance: 0.02 }).regressions).toEqual([]);
  });
});
