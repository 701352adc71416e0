/**
 * Accuracy of the no-LLM intent router (`src/agents/intents/router.ts`): on the support app's held-out
 * utterances, on Banking77 (train → test) and on CLINC150 (train → test, threshold calibrated on val
 * and oos_val, out-of-scope recall and precision on oos_test). Run once with bge-small vectors and once
 * with the TF-IDF fallback.
 *
 *   npx tsx bench/intent-router.ts [--embedder local:bge-small-en-v1.5|none]
 *     [--models-dir /var/cache/groundwork/models] [--data /work/shared/data] [--only app,clinc150,banking77]
 *     [--cache /tmp/gw-intent-cache]
 *
 * Vectors are cached under `--cache`, so only the first bge-small run embeds (≈37k utterances).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { loadIntentSplits } from '../apps/support/intents/index.ts';
import { type LabelledUtterance, trainIntentRouter } from '../src/agents/intents/router.ts';
import {
  createEmbeddingVectorizer,
  createTfidfVectorizer,
  type TextVectorizer,
} from '../src/agents/intents/vectorizers.ts';
import { resolveEmbedder } from '../src/models/embedders.ts';
import { createAnalyzer } from '../src/retrieval/lexical/analyzer.ts';
import { describeMachine } from './lib/stats.ts';
import { createCachedVectorizer } from './lib/vector-cache.ts';

const { values } = parseArgs({
  options: {
    embedder: { type: 'string', default: 'local:bge-small-en-v1.5' },
    'models-dir': { type: 'string', default: '/var/cache/groundwork/models' },
    data: { type: 'string', default: '/work/shared/data' },
    only: { type: 'string', default: 'app,clinc150,banking77' },
    cache: { type: 'string', default: '/tmp/gw-intent-cache' },
  },
});
const OOS = 'out_of_scope';

async function makeVectorizer(): Promise<TextVectorizer> {
  const embedder = resolveEmbedder(values.embedder, { modelsDir: values['models-dir'] });
  if (!embedder) return createTfidfVectorizer(createAnalyzer());
  let last = 0;
  const started = performance.now();
  const inner = createEmbeddingVectorizer(embedder, {
    batchSize: 64,
    onProgress: (done, total) => {
      if (done - last < 512 && done < total) return;
      last = done;
      const rate = done / ((performance.now() - started) / 1000);
      process.stderr.write(`  embedded ${done}/${total} (${rate.toFixed(0)}/s)\n`);
    },
  });
  return createCachedVectorizer(inner, values.cache);
}

interface Score {
  accuracy: number;
  inScopeAccuracy?: number;
  oosRecall?: number;
  oosPrecision?: number;
  threshold: number;
  trainMs: number;
  testMs: number;
}

async function evaluate(
  train: LabelledUtterance[],
  calibration: LabelledUtterance[] | undefined,
  test: LabelledUtterance[],
): Promise<Score> {
  // A fresh vectorizer per dataset: TF-IDF fits its vocabulary on each training set.
  const vectorizer = await makeVectorizer();
  let at = performance.now();
  const router = await trainIntentRouter(train, { vectorizer, outOfScopeLabel: OOS });
  const threshold = calibration ? await router.calibrate(calibration) : 0;
  const trainMs = performance.now() - at;
  at = performance.now();
  const predictions = await router.classifyMany(test.map((example) => example.text));
  const testMs = performance.now() - at;
  let correct = 0;
  let inScope = 0;
  let inScopeCorrect = 0;
  let oosTrue = 0;
  let oosPredicted = 0;
  let oosHit = 0;
  predictions.forEach((prediction, index) => {
    const label = test[index]!.intent;
    if (prediction.intent === label) correct++;
    if (label !== OOS) {
      inScope++;
      if (prediction.intent === label) inScopeCorrect++;
    } else oosTrue++;
    if (prediction.intent === OOS) {
      oosPredicted++;
      if (label === OOS) oosHit++;
    }
  });
  return {
    accuracy: correct / test.length,
    inScopeAccuracy: inScope > 0 ? inScopeCorrect / inScope : undefined,
    oosRecall: oosTrue > 0 ? oosHit / oosTrue : undefined,
    oosPrecision: oosTrue > 0 ? (oosPredicted > 0 ? oosHit / oosPredicted : 0) : undefined,
    threshold,
    trainMs,
    testMs,
  };
}

async function readBanking(file: string): Promise<LabelledUtterance[]> {
  const text = await readFile(path.join(values.data, 'banking77', file), 'utf8');
  return parseCsv(text)
    .slice(1)
    .filter((row) => row.length === 2)
    .map(([utterance, category]) => ({ text: utterance!, intent: category! }));
}

/** RFC 4180 rows: quoted fields may hold commas, doubled quotes and newlines. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index++;
      row.push(field);
      if (row.some((value) => value !== '')) rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

async function readClinc(): Promise<Record<string, LabelledUtterance[]>> {
  const raw = JSON.parse(
    await readFile(path.join(values.data, 'clinc150', 'data_full.json'), 'utf8'),
  ) as Record<string, [string, string][]>;
  const split = (name: string) =>
    (raw[name] ?? []).map(([text, intent]) => ({ text, intent: intent === 'oos' ? OOS : intent }));
  return {
    train: [...split('train'), ...split('oos_train')],
    val: [...split('val'), ...split('oos_val')],
    test: [...split('test'), ...split('oos_test')],
  };
}

const percent = (value: number | undefined) => (value === undefined ? '–' : `${(value * 100).toFixed(1)}%`);

console.log(
  `intent router, ${values.embedder === 'none' ? 'TF-IDF fallback' : values.embedder}; ${describeMachine()}`,
);
console.log(
  '| dataset | train | test | accuracy | in-scope acc. | oos recall | oos precision | threshold | train+calibrate | classify |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
const only = new Set(values.only.split(','));
const report = (name: string, train: number, test: number, score: Score) =>
  console.log(
    `| ${name} | ${train} | ${test} | ${percent(score.accuracy)} | ${percent(score.inScopeAccuracy)} | ${percent(score.oosRecall)} | ${percent(score.oosPrecision)} | ${score.threshold.toFixed(3)} | ${(score.trainMs / 1000).toFixed(1)} s | ${(score.testMs / 1000).toFixed(1)} s |`,
  );
if (only.has('app')) {
  const splits = await loadIntentSplits();
  report(
    'support app',
    splits.train.length,
    splits.test.length,
    await evaluate(splits.train, splits.validation, splits.test),
  );
}
if (only.has('clinc150')) {
  const clinc = await readClinc();
  report(
    'CLINC150 (full)',
    clinc.train!.length,
    clinc.test!.length,
    await evaluate(clinc.train!, clinc.val!, clinc.test!),
  );
}
if (only.has('banking77')) {
  const train = await readBanking('train.csv');
  const test = await readBanking('test.csv');
  report('Banking77', train.length, test.length, await evaluate(train, undefined, test));
}
process.exit(0);
