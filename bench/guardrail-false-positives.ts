/**
 * Precision and recall of the rule-based input guardrails. False positives: the prompt-injection
 * rule at the input threshold (and moderation) on every question of the shared data sets
 * (../shared/data: SQuAD 2.0, COVID-QA, COVID FAQ, Banking77, CLINC150, ABCD, MTRAG-UN, SciFact,
 * Docugami), the support app's FAQ-style questions and the held-out technical questions
 * (test/adversarial/held-out-technical-questions.json, written before the rules were tuned); and the
 * passage rule at the passage threshold on the passages of those data sets, the demo knowledge base
 * and the PostgreSQL manual. Recall: the adversarial suite's direct-injection and jailbreak
 * questions and the attacks of test/adversarial/held-out-attacks.json (input), and the suite's
 * poisoned documents (passages).
 *
 *   npx tsx bench/guardrail-false-positives.ts [--data ../shared/data] [--examples 10] [--json]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type InjectionStage, normalise, scoreInjection } from '../src/guardrails/injection.ts';
import {
  DEFAULT_INJECTION_THRESHOLD,
  DEFAULT_PASSAGE_INJECTION_THRESHOLD,
} from '../src/guardrails/input-guardrails.ts';
import { moderationCategories } from '../src/guardrails/moderation-rules.ts';
import {
  type Attack,
  benignPassages,
  benignQuestions,
  heldOutAttacks,
  inputAttacks,
  passageAttacks,
  type TextSet,
} from './lib/guard-corpora.ts';
import { describeMachine } from './lib/stats.ts';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: path.resolve(import.meta.dirname, '../../shared/data') },
    examples: { type: 'string', default: '10' },
    json: { type: 'boolean', default: false },
  },
});
const examples = Number(values.examples);

interface SetResult {
  readonly name: string;
  readonly texts: number;
  readonly injection: number;
  readonly moderation: number;
  readonly falsePositivePercent: number;
  readonly examples: readonly string[];
}

function measure(set: TextSet, threshold: number, stage: InjectionStage): SetResult {
  const moderate = stage === 'input';
  let injection = 0;
  let moderation = 0;
  const hits: string[] = [];
  for (const text of set.texts) {
    const scored = scoreInjection(text, stage);
    const injected = scored.score >= threshold;
    const moderated = moderate && moderationCategories(normalise(text)).length > 0;
    if (injected) injection++;
    if (moderated) moderation++;
    if (injected || moderated) {
      const why = injected ? `injection ${scored.score} ${scored.families.join('+')}` : 'moderation';
      hits.push(`[${why}] ${text.replace(/\s+/g, ' ').slice(0, 220)}`);
    }
  }
  return {
    name: set.name,
    texts: set.texts.length,
    injection,
    moderation,
    falsePositivePercent: Math.round((hits.length / Math.max(1, set.texts.length)) * 10_000) / 100,
    examples: hits.slice(0, examples),
  };
}

function recall(attacks: readonly Attack[], threshold: number, stage: InjectionStage) {
  const missed = attacks.filter((attack) => scoreInjection(attack.text, stage).score < threshold);
  return {
    attacks: attacks.length,
    caught: attacks.length - missed.length,
    recallPercent:
      Math.round(((attacks.length - missed.length) / Math.max(1, attacks.length)) * 10_000) / 100,
    missed: missed.map((attack) => attack.id),
  };
}

function total(results: readonly SetResult[]) {
  const texts = results.reduce((sum, result) => sum + result.texts, 0);
  const flagged = results.reduce(
    (sum, result) => sum + Math.round((result.falsePositivePercent * result.texts) / 100),
    0,
  );
  return { texts, flagged, falsePositivePercent: Math.round((flagged / Math.max(1, texts)) * 10_000) / 100 };
}

const started = performance.now();
const questions = benignQuestions(values.data);
const passages = benignPassages(values.data);
const inputResults = questions.sets.map((set) => measure(set, DEFAULT_INJECTION_THRESHOLD, 'input'));
const passageResults = passages.sets.map((set) =>
  measure(set, DEFAULT_PASSAGE_INJECTION_THRESHOLD, 'passage'),
);
const report = {
  machine: describeMachine(),
  thresholds: { input: DEFAULT_INJECTION_THRESHOLD, passage: DEFAULT_PASSAGE_INJECTION_THRESHOLD },
  missingDataSets: [...questions.missing, ...passages.missing],
  input: {
    total: total(inputResults),
    recall: recall(inputAttacks(), DEFAULT_INJECTION_THRESHOLD, 'input'),
    heldOutRecall: recall(heldOutAttacks(), DEFAULT_INJECTION_THRESHOLD, 'input'),
    sets: inputResults,
  },
  passages: {
    total: total(passageResults),
    recall: recall(passageAttacks(), DEFAULT_PASSAGE_INJECTION_THRESHOLD, 'passage'),
    sets: passageResults,
  },
  seconds: Math.round((performance.now() - started) / 100) / 10,
};

if (values.json) {
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} else {
  const row = (result: SetResult) =>
    `| ${result.name} | ${result.texts.toLocaleString('en')} | ${result.injection} | ${result.moderation} | ${result.falsePositivePercent}% |`;
  const out = [
    `${report.machine}; thresholds input ${report.thresholds.input}, passage ${report.thresholds.passage}; ${report.seconds} s`,
    report.missingDataSets.length > 0 ? `missing: ${report.missingDataSets.join(', ')}` : '',
    '',
    '| questions (input stage) | texts | injection | moderation | false positives |',
    '| --- | --- | --- | --- | --- |',
    ...inputResults.map(row),
    `| **all** | ${report.input.total.texts.toLocaleString('en')} | | | **${report.input.total.falsePositivePercent}%** (${report.input.total.flagged}) |`,
    '',
    '| passages (passage stage) | texts | injection | moderation | false positives |',
    '| --- | --- | --- | --- | --- |',
    ...passageResults.map(row),
    `| **all** | ${report.passages.total.texts.toLocaleString('en')} | | | **${report.passages.total.falsePositivePercent}%** (${report.passages.total.flagged}) |`,
    '',
    `recall, input: ${report.input.recall.caught}/${report.input.recall.attacks} adversarial questions${report.input.recall.missed.length ? ` (missed ${report.input.recall.missed.join(', ')})` : ''}`,
    `recall, input, held-out attacks: ${report.input.heldOutRecall.caught}/${report.input.heldOutRecall.attacks}${report.input.heldOutRecall.missed.length ? ` (missed ${report.input.heldOutRecall.missed.join(', ')})` : ''}`,
    `recall, passages: ${report.passages.recall.caught}/${report.passages.recall.attacks} poisoned documents${report.passages.recall.missed.length ? ` (missed ${report.passages.recall.missed.join(', ')})` : ''}`,
    '',
    'flagged examples:',
    ...[...inputResults, ...passageResults].flatMap((result) =>
      result.examples.map((example) => `- ${result.name}: ${example}`),
    ),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}
