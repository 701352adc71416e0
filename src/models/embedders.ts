/**
 * @module models/embedders
 * Resolves the configured embedder (`provider:model`) to an embedding model. Local neural models and
 * hosted providers plug in here; `none` means lexical-only retrieval.
 */
import { ConfigError } from '../errors.ts';
import type { EmbedderInfo } from '../spec/embedding.ts';
import { createHashEmbedder } from '../testing/hash-embedder.ts';
import { findLocalModel, LOCAL_MODELS } from './local/catalog.ts';
import { installedModelDir, resolveModelsDir } from './local/models-dir.ts';
import { createLocalEmbedder, type LocalEmbedderOptions } from './local/onnx-embedder.ts';

/** How embedders are built; all optional. */
export interface ResolveEmbedderOptions {
  /** Where local models are installed; default `resolveModelsDir()` (GROUNDWORK_MODELS_DIR, …). */
  readonly modelsDir?: string;
  /** Tuning of local models. */
  readonly local?: Pick<LocalEmbedderOptions, 'batchSize' | 'maxQueuedTexts' | 'threads'>;
}

/** Returns the embedder for a config value, or undefined for `none`. */
export function resolveEmbedder(
  spec: string,
  options: ResolveEmbedderOptions = {},
): EmbedderInfo | undefined {
  if (spec === 'none' || spec === '') return undefined;
  const [provider, model = ''] = spec.split(':', 2);
  if (provider === 'test') {
    const match = /^hash-(\d+)$/.exec(model);
    if (!match)
      throw new ConfigError(
        `Unknown test embedder "${model}"; use test:hash-<dimensions>, e.g. test:hash-384.`,
      );
    const dimensions = Number(match[1]);
    return { model: createHashEmbedder({ dimensions }), dimensions, batchSize: 256 };
  }
  if (provider === 'local') return resolveLocalEmbedder(model, options);
  throw new ConfigError(
    `Unknown embedder "${spec}". Set GROUNDWORK_EMBEDDER to "none" (lexical retrieval only), local:<model> (e.g. local:bge-small-en-v1.5) or test:hash-<dimensions>.`,
  );
}

function resolveLocalEmbedder(name: string, options: ResolveEmbedderOptions): EmbedderInfo {
  const spec = findLocalModel(name);
  if (!spec?.embedding) {
    const known = LOCAL_MODELS.filter((candidate) => candidate.embedding).map((candidate) => candidate.name);
    throw new ConfigError(
      `Unknown local embedding model "${name}"; known: ${known.join(', ')} (e.g. local:${known[0]}).`,
      { known },
    );
  }
  const modelsDir = options.modelsDir ?? resolveModelsDir();
  const modelDir = installedModelDir(modelsDir, spec);
  if (!modelDir)
    throw new ConfigError(
      `The local embedding model ${spec.name} is not installed in ${modelsDir}. Run \`bin/groundwork models pull ${spec.name}\` first.`,
      { modelsDir, model: spec.name },
    );
  return createLocalEmbedder({ ...options.local, modelDir, spec });
}

/** The name under which an embedder's vectors are stored. */
export function embedderName(info: EmbedderInfo): string {
  return `${info.model.provider}:${info.model.modelId}`;
}
