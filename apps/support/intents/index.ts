/**
 * @module support/intents
 * The support app's labelled utterances, one JSON file per intent with three splits: `train` (the
 * router learns from it), `validation` (the out-of-scope threshold is calibrated on it) and `test`
 * (held out: only the benchmark reads it).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LabelledUtterance } from '../../../src/agents/intents/router.ts';

/** The intents the support app routes between, plus `out_of_scope`. */
export const SUPPORT_INTENTS = [
  'faq',
  'order_status',
  'return_request',
  'troubleshooting',
  'human_request',
  'greeting',
  'out_of_scope',
] as const;

/** One of the app's intents. */
export type SupportIntent = (typeof SUPPORT_INTENTS)[number];

/** The three splits. */
export interface IntentSplits {
  readonly train: LabelledUtterance[];
  readonly validation: LabelledUtterance[];
  readonly test: LabelledUtterance[];
}

const DIRECTORY = path.dirname(fileURLToPath(import.meta.url));

/** Reads every intent file of the folder. */
export async function loadIntentSplits(directory = DIRECTORY): Promise<IntentSplits> {
  const splits: IntentSplits = { train: [], validation: [], test: [] };
  for (const file of (await readdir(directory)).filter((name) => name.endsWith('.json')).sort()) {
    const data = JSON.parse(await readFile(path.join(directory, file), 'utf8')) as {
      intent: string;
      train: string[];
      validation: string[];
      test: string[];
    };
    for (const split of ['train', 'validation', 'test'] as const) {
      for (const text of data[split]) splits[split].push({ text, intent: data.intent });
    }
  }
  return splits;
}
