/**
 * False positives of the rule-based input guardrails (prompt injection at the default threshold,
 * moderation) on questions nobody meant harm with: the support app's FAQ-style questions
 * (test/adversarial/benign-questions.json, written to include the words attacks use: "ignore my
 * previous message", "act as", "override the schedule") and every SQuAD 2.0 question of
 * ../shared/data/squad-v2-dev-subset; and of the passage guardrail (indirect injection) on the demo
 * knowledge base and the 646 SQuAD paragraphs.
 *
 *   npx tsx bench/guardrail-false-positives.ts [--data ../shared/data/squad-v2-dev-subset]
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { normalise, scoreInjection } from '../src/guardrails/injection.ts';
import {
  DEFAULT_INJECTION_THRESHOLD,
  DEFAULT_PASSAGE_INJECTION_THRESHOLD,
} from '../src/guardrails/input-guardrails.ts';
import { moderationCategories } from '../src/guardrails/moderation-rules.ts';
import { describeMachine } from './lib/stats.ts';

const { values } = parseArgs({
  options: {
    data: {
      type: 'string',
      default: path.resolve(import.meta.dirname, '../../shared/data/squad-v2-dev-subset'),
    },
  },
});
const lines = (file: string) => readFileSync(file, 'utf8').trim().split('\n');
const faq = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, '../test/adversarial/benign-questions.json'), 'utf8'),
) as string[];
const squadQuestions = lines(path.join(values.data, 'queries.jsonl')).map(
  (line) => (JSON.parse(line) as { text: string }).text,
);
const squadParagraphs = lines(path.join(values.data, 'corpus.jsonl')).map(
  (line) => (JSON.parse(line) as { text: string }).text,
);
const knowledge = path.resolve(import.meta.dirname, '../apps/support/knowledge');
const sections = readdirSync(knowledge, { recursive: true, encoding: 'utf8' })
  .filter((name) => name.endsWith('.md'))
  .flatMap((name) => readFileSync(path.join(knowledge, name), 'utf8').split(/\n(?=#)/));

function flagged(texts: readonly string[], threshold: number, moderate: boolean) {
  const hits = texts.filter(
    (text) =>
      scoreInjection(text).score >= threshold ||
      (moderate && moderationCategories(normalise(text)).length > 0),
  );
  return {
    texts: texts.length,
    flagged: hits.length,
    falsePositivePercent: Math.round((hits.length / texts.length) * 10_000) / 100,
    examples: hits.slice(0, 5),
  };
}

const started = performance.now();
const report = {
  machine: describeMachine(),
  thresholds: { input: DEFAULT_INJECTION_THRESHOLD, passage: DEFAULT_PASSAGE_INJECTION_THRESHOLD },
  input: {
    supportFaq: flagged(faq, DEFAULT_INJECTION_THRESHOLD, true),
    squadQuestions: flagged(squadQuestions, DEFAULT_INJECTION_THRESHOLD, true),
  },
  passages: {
    supportKnowledgeSections: flagged(sections, DEFAULT_PASSAGE_INJECTION_THRESHOLD, false),
    squadParagraphs: flagged(squadParagraphs, DEFAULT_PASSAGE_INJECTION_THRESHOLD, false),
  },
  seconds: Math.round((performance.now() - started) / 100) / 10,
};
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
