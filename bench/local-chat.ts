/**
 * The local chat model (node-llama-cpp, CPU) on a grounded prompt like the answer service's: time to
 * first token, prompt processing and generation speed, and memory, for a thread count per run.
 *
 *   npx tsx bench/local-chat.ts [--models-dir DIR] [--prompt-tokens 1500] [--output-tokens 64] [--runs 3]
 *                               [--threads 2,4] [--short-runs 1] [--short-output-tokens 16]
 *
 * The first thread count gets `--runs` runs; the others (node-llama-cpp's default of at least 4 on a
 * 2-core machine is the point of comparison, and can be very slow) get `--short-runs` runs of
 * `--short-output-tokens` tokens. Every run starts from a fresh context state, so the whole prompt is
 * processed each time. Prompt processing tokens/s = prompt tokens ÷ time to first token (it includes
 * sampling the first token); output tokens/s counts the tokens after the first.
 */
import { readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { LanguageModelV3CallOptions } from '@ai-sdk/provider';
import type { Passage } from '../src/answer/context-assembly.ts';
import { buildGroundedPrompt } from '../src/answer/prompt.ts';
import { findLocalModel } from '../src/models/local/catalog.ts';
import { createLocalLanguageModel } from '../src/models/local/llama-language-model.ts';
import { installedModelDir, resolveModelsDir } from '../src/models/local/models-dir.ts';
import { describeMachine, median } from './lib/stats.ts';

const { values } = parseArgs({
  options: {
    'models-dir': { type: 'string' },
    'prompt-tokens': { type: 'string', default: '1500' },
    'output-tokens': { type: 'string', default: '64' },
    runs: { type: 'string', default: '3' },
    threads: { type: 'string', default: `${os.availableParallelism()},4` },
    'short-runs': { type: 'string', default: '1' },
    'short-output-tokens': { type: 'string', default: '16' },
  },
});
const spec = findLocalModel('gemma-3-270m');
if (!spec) throw new Error('gemma-3-270m is not in the catalog');
const modelsDir = values['models-dir'] ?? resolveModelsDir();
const dir = installedModelDir(modelsDir, spec);
if (!dir)
  throw new Error(`gemma-3-270m is not installed in ${modelsDir}: bin/groundwork models pull gemma-3-270m`);
const modelPath = path.join(dir, spec.entryFile);
const threadCounts = (values.threads ?? '').split(',').map(Number);

/** Samples RSS every 25 ms; `process.resourceUsage().maxRSS` would also count the loads before. */
let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 25);

async function knowledgeParagraphs(): Promise<{ title: string; text: string }[]> {
  const root = path.resolve(import.meta.dirname, '../apps/support/knowledge');
  const paragraphs: { title: string; text: string }[] = [];
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.md')) continue;
    const text = await readFile(path.join(entry.parentPath, entry.name), 'utf8');
    for (const paragraph of text.split(/\n{2,}/)) {
      if (paragraph.trim().length > 80) paragraphs.push({ title: entry.name, text: paragraph.trim() });
    }
  }
  return paragraphs.sort((left, right) => left.title.localeCompare(right.title));
}

/** A grounded prompt whose text is about `target` tokens in the model's own tokenizer. */
async function groundedPrompt(
  target: number,
  tokenize: (text: string) => readonly unknown[],
): Promise<LanguageModelV3CallOptions['prompt']> {
  const paragraphs = await knowledgeParagraphs();
  const passages: Passage[] = [];
  for (let index = 0; ; index++) {
    const paragraph = paragraphs[index % paragraphs.length]!;
    const chunk = { title: paragraph.title, headingPath: [], page: null } as unknown as Passage['chunk'];
    passages.push({ n: index + 1, chunk, text: paragraph.text, tokens: 0, trimmed: false });
    const prompt = buildGroundedPrompt('How long do I have to return a smart thermostat?', passages);
    const rendered = `${prompt.system}\n${String(prompt.messages[0]?.content)}`;
    if (tokenize(rendered).length >= target || index > 500) {
      return [
        { role: 'system', content: prompt.system },
        { role: 'user', content: [{ type: 'text', text: String(prompt.messages[0]?.content) }] },
      ];
    }
  }
}

interface Run {
  ttftMs: number;
  promptTokens: number;
  outputTokens: number;
  promptTokensPerSecond: number;
  outputTokensPerSecond: number;
}

async function measure(threads: number, runs: number, outputTokens: number) {
  const model = createLocalLanguageModel({ modelPath, spec: spec!, threads, contextTokens: 4096 });
  const loadStarted = performance.now();
  const runtime = await model.load();
  const loadMs = performance.now() - loadStarted;
  const rssAfterLoad = process.memoryUsage().rss;
  const prompt = await groundedPrompt(Number(values['prompt-tokens']), (text) =>
    runtime.model.tokenize(text),
  );
  const results: Run[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const { stream } = await model.doStream({ prompt, temperature: 0, maxOutputTokens: outputTokens });
    let firstToken = 0;
    let usage = { input: 0, output: 0 };
    for await (const part of stream) {
      if (part.type === 'text-delta' && firstToken === 0) firstToken = performance.now();
      if (part.type === 'finish') {
        usage = { input: part.usage.inputTokens.total ?? 0, output: part.usage.outputTokens.total ?? 0 };
      }
    }
    const ended = performance.now();
    const ttftMs = (firstToken || ended) - started;
    results.push({
      ttftMs,
      promptTokens: usage.input,
      outputTokens: usage.output,
      promptTokensPerSecond: usage.input / (ttftMs / 1000),
      outputTokensPerSecond:
        usage.output > 1 ? (usage.output - 1) / ((ended - firstToken) / 1000) : Number.NaN,
    });
    console.error(`threads ${threads} run ${run + 1}/${runs}: ${JSON.stringify(results.at(-1))}`);
  }
  await model.dispose();
  const pick = (key: keyof Run) => median(results.map((result) => result[key]));
  return {
    threads,
    runs,
    loadMs,
    rssAfterLoadMiB: rssAfterLoad / 2 ** 20,
    promptTokens: pick('promptTokens'),
    outputTokens: pick('outputTokens'),
    ttftMs: pick('ttftMs'),
    promptTokensPerSecond: pick('promptTokensPerSecond'),
    outputTokensPerSecond: pick('outputTokensPerSecond'),
  };
}

const loadBefore = os.loadavg();
console.log(`local-chat: ${describeMachine()}`);
console.log(
  `model ${spec.name} (${modelPath}), load average before ${loadBefore.map((x) => x.toFixed(2)).join(' ')}`,
);
const rows = [];
for (const [index, threads] of threadCounts.entries()) {
  const full = index === 0;
  rows.push(
    await measure(
      threads,
      Number(full ? values.runs : values['short-runs']),
      Number(full ? values['output-tokens'] : values['short-output-tokens']),
    ),
  );
}
clearInterval(sampler);
const fixed = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '—');
console.log(
  '| threads | runs | prompt tok | TTFT ms | prompt tok/s | output tok | output tok/s | load ms | RSS after load MiB |',
);
console.log(
  '| ------- | ---- | ---------- | ------- | ------------ | ---------- | ------------ | ------- | ------------------ |',
);
for (const row of rows) {
  console.log(
    `| ${row.threads} | ${row.runs} | ${row.promptTokens} | ${fixed(row.ttftMs)} | ${fixed(row.promptTokensPerSecond, 1)} | ${row.outputTokens} | ${fixed(row.outputTokensPerSecond, 1)} | ${fixed(row.loadMs)} | ${fixed(row.rssAfterLoadMiB)} |`,
  );
}
console.log(
  `peak RSS ${fixed(peakRss / 2 ** 20)} MiB; load average after ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
