/**
 * @module support/scenarios/runner
 * The suite's shared pieces: reading (and validating) the scenario file, the app's intent router,
 * and the report types every mode returns. `run-routed.ts` plays the scenarios without a model,
 * `run-scripted.ts` on the agent runtime.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type IntentRouter, trainIntentRouter } from '../../../src/agents/intents/router.ts';
import { InvalidRequestError } from '../../../src/errors.ts';
import { createAnalyzer } from '../../../src/retrieval/lexical/analyzer.ts';
import type { EmbedderInfo } from '../../../src/spec/embedding.ts';
import { loadIntentSplits } from '../intents/index.ts';
import type { Scenario } from './scenario.ts';
import { parseScenarios } from './scenario-schema.ts';

/** The outcome of one scenario. */
export interface ScenarioResult {
  readonly id: string;
  readonly passed: boolean;
  /** `turn n: problem` lines. */
  readonly problems: string[];
}

/** The report of a run. */
export interface ScenarioReport {
  readonly results: ScenarioResult[];
  readonly passRate: number;
}

/** The folder of the scenario files. */
export const SCENARIO_DIRECTORY = path.dirname(fileURLToPath(import.meta.url));

/** Reads and validates the scenarios shipped with the app (`invalid_scenarios` when malformed). */
export async function loadScenarios(
  file = path.join(SCENARIO_DIRECTORY, 'scenarios.json'),
): Promise<Scenario[]> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new InvalidRequestError(
      'invalid_scenarios',
      `${path.basename(file)} could not be read as JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return parseScenarios(data, path.basename(file));
}

/** Trains the app's router from its utterances (TF-IDF, or an embedder when given) and calibrates it. */
export async function trainSupportRouter(embedder?: EmbedderInfo): Promise<IntentRouter> {
  const splits = await loadIntentSplits();
  const router = await trainIntentRouter(splits.train, { embedder, analyzer: createAnalyzer() });
  await router.calibrate(splits.validation);
  return router;
}

/** The report of `results`. */
export function reportOf(results: ScenarioResult[]): ScenarioReport {
  const passed = results.filter((result) => result.passed).length;
  return { results, passRate: results.length > 0 ? passed / results.length : 0 };
}
