/**
 * @module models/acquire/ensure
 * What server start-up calls: make these models available, pulling what is missing, and report per
 * model instead of throwing, so a first start without network falls back (extractive answers, another
 * embedder) rather than refusing to start.
 */
import { GroundworkError } from '../../errors.ts';
import type { LocalModelSpec } from '../local/catalog.ts';
import { type PullOptions, pullModel } from './install.ts';
import { resolveModel } from './resolve-model.ts';

/** Per model: its directory, or why it is not available. */
export interface EnsuredModel {
  readonly name: string;
  readonly dir?: string;
  readonly error?: GroundworkError;
}

/** Installs each model unless already installed; never throws for a model's failure. */
export async function ensureModels(
  models: readonly (string | LocalModelSpec)[],
  options: PullOptions,
): Promise<EnsuredModel[]> {
  const results: EnsuredModel[] = [];
  for (const model of models) {
    const name = typeof model === 'string' ? model : model.name;
    try {
      const spec = typeof model === 'string' ? resolveModel(model) : model;
      const pulled = await pullModel(spec, options);
      if (!pulled.alreadyInstalled) options.log?.(`${name}: installed from ${pulled.source}`);
      results.push({ name, dir: pulled.dir });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const wrapped = GroundworkError.isInstance(error)
        ? error
        : new GroundworkError({
            code: 'model_unavailable',
            category: 'system',
            kind: 'upstream-failed',
            message: `${name}: ${(error as Error).message}`,
            cause: error,
          });
      options.log?.(`${name}: not available: ${wrapped.message.split('\n')[0]}`);
      results.push({ name, error: wrapped });
    }
  }
  return results;
}
