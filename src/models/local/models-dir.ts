/**
 * @module models/local/models-dir
 * Where local models live and whether one is installed. The cache is shared by every data directory
 * on the machine: `GROUNDWORK_MODELS_DIR`, else `$XDG_CACHE_HOME/groundwork/models`, else
 * `~/.cache/groundwork/models`.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LocalModelSpec } from './catalog.ts';

/** Written last by `models pull`, after every file was verified; marks a model as installed. */
export const MODEL_MANIFEST = 'groundwork-model.json';

/** The models cache directory for an environment. */
export function resolveModelsDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  if (env.GROUNDWORK_MODELS_DIR) return path.resolve(env.GROUNDWORK_MODELS_DIR);
  const cache = env.XDG_CACHE_HOME ? path.resolve(env.XDG_CACHE_HOME) : path.join(os.homedir(), '.cache');
  return path.join(cache, 'groundwork', 'models');
}

/** The directory a model is (or would be) installed in. */
export function modelDir(modelsDir: string, spec: Pick<LocalModelSpec, 'name'>): string {
  return path.join(modelsDir, spec.name);
}

/** The installed model's directory, or undefined when its manifest is absent (not pulled, or pulled halfway). */
export function installedModelDir(modelsDir: string, spec: Pick<LocalModelSpec, 'name'>): string | undefined {
  const dir = modelDir(modelsDir, spec);
  return existsSync(path.join(dir, MODEL_MANIFEST)) ? dir : undefined;
}
