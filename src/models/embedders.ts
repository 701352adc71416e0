/**
 * @module models/embedders
 * Resolves the configured embedder (`provider:model`) to an embedding model. Local neural models and
 * hosted providers plug in here; `none` means lexical-only retrieval.
 */
import { ConfigError } from '../errors.ts';
import type { EmbedderInfo } from '../spec/embedding.ts';
import { createHashEmbedder } from '../testing/hash-embedder.ts';

/** Returns the embedder for a config value, or undefined for `none`. */
export function resolveEmbedder(spec: string): EmbedderInfo | undefined {
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
  throw new ConfigError(
    `Unknown embedder "${spec}". Set GROUNDWORK_EMBEDDER to "none" (lexical retrieval only) or test:hash-<dimensions>.`,
  );
}

/** The name under which an embedder's vectors are stored. */
export function embedderName(info: EmbedderInfo): string {
  return `${info.model.provider}:${info.model.modelId}`;
}
