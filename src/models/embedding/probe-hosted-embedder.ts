/**
 * @module models/embedding/probe-hosted-embedder
 * A server's start-up check of a hosted embedder: one tiny request. A refused key or an unknown model
 * (401/403/404: the provider rejected the request) is a configuration error that stops the start, so
 * it is not first met by every ingest job; an outage or a rate limit is not the operator's mistake and
 * only gives a note (ingest items retry, search answers lexically meanwhile).
 */
import { ConfigError } from '../../errors.ts';
import type { EmbedderInfo } from '../../spec/embedding.ts';
import { ModelError } from '../errors.ts';

/** Returns a note when the embedder could not be reached; throws `ConfigError` when it refused us. */
export async function probeHostedEmbedder(embedder: EmbedderInfo, name: string): Promise<string | undefined> {
  try {
    await embedder.model.doEmbed({ values: ['warm-up'] });
    return undefined;
  } catch (error) {
    if (ModelError.isModelError(error) && error.code === 'model_request_rejected') {
      throw new ConfigError(
        `GROUNDWORK_EMBEDDER=${name} refused the start-up check${error.details.status ? ` (HTTP ${error.details.status})` : ''}: check GROUNDWORK_EMBEDDER_API_KEY (or the provider's key variable) and the model name.`,
        { model: name, ...(error.details.status ? { status: error.details.status } : {}) },
      );
    }
    return `${name} could not be reached at start-up (${(error as Error).message}); ingestion retries, search is lexical until it answers.`;
  }
}
