/**
 * The grounding check's effect on SQuAD 2.0 (../shared/data/squad-v2-dev-subset): 646 Wikipedia
 * paragraphs ingested as records (lexical retrieval), questions answered through the product's
 * answer service by a scripted model that writes answers mixing supported and unsupported cited
 * sentences, once with the grounding guardrail and once without (every other guardrail off in both).
 *
 * How the model's answers are produced (no language model is involved): from its own prompt it takes
 *   - a supported sentence: the sentence of passage 1 sharing most terms with the question, cited [1];
 *   - half the time a second supported sentence, the first one of passage 2 behind a short lead-in
 *     ("According to the knowledge base, …"), cited [2];
 *   - an off-topic fabrication: a sentence from a paragraph of another article, cited [1] or [2];
 *   - half the time an entity-swap fabrication: the supported sentence with its numbers and
 *     capitalised words replaced by others from the corpus, cited [1] (a lexical check can miss these).
 * Sentences are shuffled with a seeded generator and remembered with their label, so the final answer
 * can be scored sentence by sentence.
 *
 *   npx tsx bench/grounding-effect.ts [--questions 150] [--data ../shared/data/squad-v2-dev-subset]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createGroundwork } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { checkGrounding } from '../src/guardrails/grounding.ts';
import { createAnalyzer } from '../src/retrieval/lexical/analyzer.ts';
import { openDatabase } from '../src/store/open.ts';
import { passagesInPrompt } from '../src/testing/quoting-language-model.ts';
import { createScriptedLanguageModel } from '../src/testing/scripted-language-model.ts';
import { splitSentences } from '../src/text/sentences.ts';
import { describeMachine, seededRandom } from './lib/stats.ts';

const { values } = parseArgs({
  options: {
    questions: { type: 'string', default: '150' },
    data: {
      type: 'string',
      default: path.resolve(import.meta.dirname, '../../shared/data/squad-v2-dev-subset'),
    },
  },
});
type Label = 'supported' | 'off-topic' | 'entity-swap';
interface Query {
  _id: string;
  text: string;
  metadata: { is_impossible: boolean };
}
const corpus = readFileSync(path.join(values.data, 'corpus.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as { _id: string; title: string; text: string });
const queries = readFileSync(path.join(values.data, 'queries.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as Query);
const sample = (impossible: boolean) => {
  const pool = queries.filter((query) => query.metadata.is_impossible === impossible);
  const step = Math.max(1, Math.floor(pool.length / Number(values.questions)));
  return pool.filter((_, index) => index % step === 0).slice(0, Number(values.questions));
};
const analyzer = createAnalyzer();
// Reseeded from each question, so both sides get the very same generated answer.
let random = seededRandom(17);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const seedOf = (text: string) =>
  [...text].reduce((hash, char) => (Math.imul(hash, 31) + char.charCodeAt(0)) >>> 0, 17);
const corpusSentences = corpus.map((paragraph) => ({
  title: paragraph.title,
  sentences: splitSentences(paragraph.text),
}));
const capitalised = [
  ...new Set(corpus.flatMap((paragraph) => paragraph.text.match(/\b[A-Z][a-z]{3,}\b/g) ?? [])),
];

const labels = new Map<string, Label>();
const supportByLabel: Record<Label, number[]> = { supported: [], 'off-topic': [], 'entity-swap': [] };
const key = (sentence: string) =>
  sentence
    .replace(/\s*\[\d+(?:,\s*\d+)*\]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .toLowerCase();

function mixedAnswer(prompt: Parameters<typeof passagesInPrompt>[0]): string {
  const passages = passagesInPrompt(prompt);
  const user = JSON.stringify(prompt.prompt);
  const question = /Question: (.*?)(?:\\n|")/.exec(user)?.[1] ?? '';
  if (passages.length === 0) return 'The knowledge base does not say.';
  random = seededRandom(seedOf(question));
  const questionTerms = new Set(analyzer.terms(question));
  const first = passages[0]!;
  const best = splitSentences(first.text)
    .map((sentence) => ({
      sentence,
      score: analyzer.terms(sentence).filter((term) => questionTerms.has(term)).length,
    }))
    .sort((a, b) => b.score - a.score)[0]!.sentence;
  const trim = (sentence: string) => sentence.replace(/[.!?]+$/, '');
  const parts: { text: string; label: Label; cite: number }[] = [
    { text: trim(best), label: 'supported', cite: 1 },
  ];
  const second = passages[1];
  if (second && random() < 0.5) {
    const lead = splitSentences(second.text)[0] ?? '';
    parts.push({ text: `According to the knowledge base, ${trim(lead)}`, label: 'supported', cite: 2 });
  }
  const titles = new Set(passages.map((passage) => passage.text.split('\n')[0]));
  let other = pick(corpusSentences);
  while (titles.has(other.title)) other = pick(corpusSentences);
  parts.push({
    text: trim(pick(other.sentences)),
    label: 'off-topic',
    cite: second && random() < 0.5 ? 2 : 1,
  });
  if (random() < 0.5) {
    const swapped = trim(best)
      .replace(/\b\d+\b/g, () => String(Math.floor(random() * 1900) + 100))
      .replace(/\b[A-Z][a-z]{3,}\b/g, () => pick(capitalised));
    if (key(swapped) !== key(best)) parts.push({ text: swapped, label: 'entity-swap', cite: 1 });
  }
  parts.sort(() => random() - 0.5);
  for (const part of parts) {
    const sentence = `${part.text} [${part.cite}].`;
    labels.set(key(sentence), part.label);
    const [scored] = checkGrounding(sentence, passages, analyzer, 0);
    if (scored) supportByLabel[part.label].push(scored.support);
  }
  return parts.map((part) => `${part.text} [${part.cite}].`).join(' ');
}

const model = createScriptedLanguageModel([(call) => ({ text: mixedAnswer(call) })], { repeat: true });
const db = await openDatabase({ dataDir: 'memory://' });
const only = (grounding: boolean) => ({
  enabled: true,
  injection: { enabled: false, threshold: 0.6 },
  passages: { enabled: false, threshold: 0.7, action: 'drop' as const },
  moderation: { enabled: false, model: false },
  piiLeak: { enabled: false },
  grounding: { enabled: grounding, threshold: 0.5, maxUnsupportedShare: 0.5 },
});
const build = (grounding: boolean) =>
  createGroundwork(loadConfig({ dataDir: 'memory://', embedder: 'none', guardrails: only(grounding) }), {
    db,
    languageModel: { model, name: 'test:mixed' },
  });
const apps = { without: await build(false), with: await build(true) };
const started = performance.now();
await apps.with.ingestion.submit(
  'default',
  {
    sources: [{ kind: 'path', path: path.join(values.data, 'corpus.jsonl') }],
    records: { idField: '_id', titleField: 'title', textFields: ['title', 'text'] },
  },
  { trusted: true },
);
await apps.with.ingestion.drain();
process.stderr.write(`ingested in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);

interface Tally {
  answers: number;
  sentences: Record<Label | 'other', number>;
  withFabrication: number;
  fallbacks: number;
}
const tally = (): Tally => ({
  answers: 0,
  sentences: { supported: 0, 'off-topic': 0, 'entity-swap': 0, other: 0 },
  withFabrication: 0,
  fallbacks: 0,
});
const results: Record<string, Tally> = {};
const written: Record<Label, number> = { supported: 0, 'off-topic': 0, 'entity-swap': 0 };
for (const [set, questions] of [
  ['answerable', sample(false)],
  ['unanswerable', sample(true)],
] as const) {
  for (const side of ['without', 'with'] as const) {
    const row = tally();
    results[`${set} ${side} grounding`] = row;
    for (const query of questions) {
      const result = await apps[side].answerer.ask({ tenantId: 'default', question: query.text, limit: 5 });
      row.answers++;
      if (result.mode === 'extractive') row.fallbacks++;
      let fabricated = false;
      for (const sentence of splitSentences(result.answer)) {
        const label = result.mode === 'extractive' ? 'other' : (labels.get(key(sentence)) ?? 'other');
        row.sentences[label]++;
        if (label === 'off-topic' || label === 'entity-swap') fabricated = true;
      }
      if (fabricated) row.withFabrication++;
    }
  }
}
for (const label of Object.keys(written) as Label[]) written[label] = supportByLabel[label].length;
await apps.with.close();
await apps.without.close();
await db.close();

const thresholds = [0.3, 0.4, 0.5, 0.6, 0.7];
const kept = (label: Label, threshold: number) =>
  Math.round(
    (supportByLabel[label].filter((support) => support >= threshold).length /
      Math.max(1, supportByLabel[label].length)) *
      1000,
  ) / 10;
process.stdout.write(
  `${JSON.stringify(
    {
      machine: describeMachine(),
      questionsPerSet: Number(values.questions),
      generatedSentences: written,
      calibration: thresholds.map((threshold) => ({
        threshold,
        supportedKeptPercent: kept('supported', threshold),
        offTopicKeptPercent: kept('off-topic', threshold),
        entitySwapKeptPercent: kept('entity-swap', threshold),
      })),
      results: Object.fromEntries(
        Object.entries(results).map(([name, row]) => {
          const claims = row.sentences.supported + row.sentences['off-topic'] + row.sentences['entity-swap'];
          return [
            name,
            {
              ...row,
              unsupportedClaimRatePercent:
                Math.round(
                  ((row.sentences['off-topic'] + row.sentences['entity-swap']) / Math.max(1, claims)) * 1000,
                ) / 10,
              answersWithFabricationPercent: Math.round((row.withFabrication / row.answers) * 1000) / 10,
              extractiveFallbackPercent: Math.round((row.fallbacks / row.answers) * 1000) / 10,
            },
          ];
        }),
      ),
    },
    null,
    2,
  )}\n`,
);
