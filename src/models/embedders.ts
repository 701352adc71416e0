/**
 * @module models/embedders
 * Resolves the configured embedder (`provider:model`) to an embedding model. Local neural models and
 * hosted providers plug in here; `none` means lexical-only retrieval.
 */
import { ConfigError } from '../errors.ts';
import type { EmbedderInfo } from '../spec/embedding.ts';
import { createHashEmbedder } from '../testing/hash-embedder.ts';
import { type HostedEmbedderOptions, resolveHostedEmbedder } from './embedding/hosted-embedders.ts';
import { HOSTED_EMBEDDER_PROVIDERS, type HostedEmbedderProvider } from './embedding/known-models.ts';
import { findLocalModel, LOCAL_MODELS } from './local/catalog.ts';
import { installedModelDir, resolveModelsDir } from './local/models-dir.ts';
import { createLocalEmbedder, type LocalEmbedderOptions } from './local/onnx-embedder.ts';

/** How embedders are built; all optional. */
export interface ResolveEmbedderOptions {
  /** Where local models are installed; default `resolveModelsDir()` (GROUNDWORK_MODELS_DIR, …). */
  readonly modelsDir?: string;
  /** Tuning of local models. */
  readonly local?: Pick<LocalEmbedderOptions, 'batchSize' | 'maxQueuedTexts' | 'threads'>;
  /** Keys, URL, pacing and redaction of hosted embedders (`openai:`, `cohere:`, `openai-compatible:`). */
  readonly hosted?: HostedEmbedderOptions;
}

/** Returns the embedder for a config value, or undefined for `none`. */
export function resolveEmbedder(
  spec: string,
  options: ResolveEmbedderOptions = {},
): EmbedderInfo | undefined {
  if (spec === 'none' || spec === '') return undefined;
  // The model id may itself contain colons (`nomic-embed-text:latest` on Ollama).
  const colon = spec.indexOf(':');
  const provider = colon < 0 ? spec : spec.slice(0, colon);
  const model = colon < 0 ? '' : spec.slice(colon + 1).trim();
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
  if ((HOSTED_EMBEDDER_PROVIDERS as readonly string[]).includes(provider)) {
    return resolveHostedEmbedder(provider as HostedEmbedderProvider, model, options.hosted);
  }
  throw new ConfigError(
    `Unknown embedder "${spec}". Set GROUNDWORK_EMBEDDER to "none" (lexical retrieval only), local:<model> (e.g. local:bge-small-en-v1.5), openai:<model>, cohere:<model>, openai-compatible:<model> or test:hash-<dimensions>.`,
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

/** Whether a `provider:model` setting names an embedder reached over HTTP (openai, cohere, …). */
export function isHostedEmbedderSpec(spec: string): boolean {
  const provider = spec.slice(0, Math.max(0, spec.indexOf(':')));
  return (HOSTED_EMBEDDER_PROVIDERS as readonly string[]).includes(provider);
}

/** The name under which an embedder's vectors are stored. */
export function embedderName(info: EmbedderInfo): string {
  return `${info.model.provider}:${info.model.modelId}`;
}
