/**
 * @module testing/real-models
 * Integration tests run the real local models when they are on this machine and skip (saying why)
 * otherwise. They are found in GROUNDWORK_TEST_MODELS_DIR (`.ci/run` pulls them there, into a cache
 * outside the clone), never in GROUNDWORK_MODELS_DIR, which vitest points at an empty directory so
 * that `auto` behaves the same on every machine.
 */
import { findLocalModel } from '../models/local/catalog.ts';
import { installedModelDir } from '../models/local/models-dir.ts';

/** The installed directory of a real model for tests, or undefined when it is not available. */
export function realModelDir(name: string): string | undefined {
  const modelsDir = process.env.GROUNDWORK_TEST_MODELS_DIR;
  const spec = findLocalModel(name);
  if (!modelsDir || !spec) return undefined;
  return installedModelDir(modelsDir, spec);
}

/** Why a real-model test is skipped, for the skip message. */
export function missingModelReason(name: string): string {
  return `real model ${name} not installed in GROUNDWORK_TEST_MODELS_DIR (${
    process.env.GROUNDWORK_TEST_MODELS_DIR ?? 'unset'
  }); run: GROUNDWORK_MODELS_DIR=<dir> bin/groundwork models pull ${name}`;
}
