/**
 * @module support/scenarios/baseline
 * The ratchet that keeps CI green while the suite holds scenarios the app does not pass yet:
 * `baseline.json` lists, per mode, the scenarios that pass. A run fails the ratchet only when a
 * listed scenario stops passing or no longer exists; scenarios that pass but are not listed are
 * reported as newly passing, for the fix that made them pass to add (`support eval
 * --update-baseline` rewrites the file from a full run).
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InvalidRequestError } from '../../../src/errors.ts';
import { SCENARIO_DIRECTORY, type ScenarioResult } from './runner.ts';

/** The modes the baseline covers (the local model is too slow and too variable for a ratchet). */
export const BASELINE_MODES = ['routed', 'scripted'] as const;

/** Per mode, the ids of the scenarios that pass. */
export type Baseline = Partial<Record<(typeof BASELINE_MODES)[number], string[]>>;

/** How a mode's run compares with its baseline. */
export interface BaselineComparison {
  /** Listed as passing, failed now. */
  readonly regressed: string[];
  /** Listed, but no scenario has that id (renamed or deleted: update the baseline). */
  readonly missing: string[];
  /** Pass now, not listed yet. */
  readonly newlyPassing: string[];
}

/** The checked-in baseline file. */
export const BASELINE_FILE = path.join(SCENARIO_DIRECTORY, 'baseline.json');

/** Reads the baseline (`invalid_baseline` when malformed). */
export async function loadBaseline(file = BASELINE_FILE): Promise<Baseline> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    data = undefined;
  }
  const valid =
    typeof data === 'object' &&
    data !== null &&
    !Array.isArray(data) &&
    Object.entries(data).every(
      ([mode, ids]) =>
        mode === '$comment' ||
        ((BASELINE_MODES as readonly string[]).includes(mode) &&
          Array.isArray(ids) &&
          ids.every((id) => typeof id === 'string')),
    );
  if (!valid)
    throw new InvalidRequestError(
      'invalid_baseline',
      `${path.basename(file)} must map ${BASELINE_MODES.join(' and ')} to lists of scenario ids.`,
    );
  return data as Baseline;
}

/** Compares a full run of one mode with the ids its baseline lists. */
export function compareWithBaseline(
  results: readonly ScenarioResult[],
  listed: readonly string[],
): BaselineComparison {
  const byId = new Map(results.map((result) => [result.id, result]));
  const listedSet = new Set(listed);
  return {
    regressed: listed.filter((id) => byId.get(id)?.passed === false),
    missing: listed.filter((id) => !byId.has(id)),
    newlyPassing: results
      .filter((result) => result.passed && !listedSet.has(result.id))
      .map((result) => result.id),
  };
}

/** Writes the baseline: per mode, the ids that passed, sorted. */
export async function writeBaseline(
  passing: Readonly<Partial<Record<(typeof BASELINE_MODES)[number], readonly string[]>>>,
  file = BASELINE_FILE,
): Promise<void> {
  const data: Record<string, unknown> = {
    $comment:
      'Scenarios that pass, per mode. CI fails when one of them stops passing. Regenerate with: bin/groundwork support eval --update-baseline',
  };
  for (const mode of BASELINE_MODES) data[mode] = [...(passing[mode] ?? [])].sort();
  await writeFile(file, `${JSON.stringify(data, null, 2)}\n`);
}
