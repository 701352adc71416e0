/**
 * @module models/acquire/install
 * `pullModel`: tries a model's sources in order until one delivers every file with the pinned sha256
 * and size, then moves the assembled directory into place with a rename and writes the manifest last.
 * A model directory without its manifest is never used, so a crash at any point leaves either the old
 * state or a complete model. Partial downloads stay under `<modelsDir>/.partial/<name>/` and are
 * resumed by the next pull.
 */
import { mkdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GroundworkError } from '../../errors.ts';
import type { LocalModelSpec, ModelSource } from '../local/catalog.ts';
import { installedModelDir, MODEL_MANIFEST, modelDir } from '../local/models-dir.ts';
import type { DownloadOptions } from './download.ts';
import { resolveEndpoints, type SourceEndpoints, type SourceName, sourceName } from './endpoints.ts';
import { checksumMismatch, SourceFailure } from './errors.ts';
import { lockModel } from './lock.ts';
import { checkMemoryFor } from './memory.ts';
import { fetchFromSource, type PullProgress, sourceUrls } from './sources.ts';
import { unavailableError } from './unavailable.ts';

/** Pull settings. */
export interface PullOptions extends Pick<DownloadOptions, 'timeoutMs' | 'retries' | 'backoffMs' | 'signal'> {
  readonly modelsDir: string;
  /** Only this source kind. */
  readonly source?: SourceName;
  /** Download even when the model needs more memory than the machine has. */
  readonly force?: boolean;
  /** Default: from the environment (`resolveEndpoints`). */
  readonly endpoints?: SourceEndpoints;
  /** Default: `os.totalmem()`. */
  readonly totalMemoryBytes?: number;
  readonly onProgress?: (progress: PullProgress) => void;
  /** One line per source tried. */
  readonly log?: (line: string) => void;
}

/** An installed model. */
export interface PullResult {
  readonly name: string;
  readonly dir: string;
  /** The source that delivered it, or undefined when it was already installed. */
  readonly source?: SourceName;
  readonly alreadyInstalled: boolean;
}

/** What `groundwork-model.json` holds. */
export interface ModelManifest {
  readonly name: string;
  readonly source: SourceName | 'import';
  readonly urls: readonly string[];
  readonly files: readonly { path: string; sha256: string; bytes: number }[];
  readonly generated: readonly string[];
  readonly pulledAt: string;
}

/** One source's failure, for the final error. */
export interface SourceAttempt {
  readonly source: SourceName;
  readonly url: string;
  readonly reason: string;
  readonly code: string;
}

/** Downloads, verifies and installs `spec`; throws `model_unavailable` when every source fails. */
export async function pullModel(spec: LocalModelSpec, options: PullOptions): Promise<PullResult> {
  if (!options.force) {
    const tooLarge = checkMemoryFor(spec, options.totalMemoryBytes);
    if (tooLarge) throw tooLarge;
  }
  const existing = installedModelDir(options.modelsDir, spec);
  if (existing) return { name: spec.name, dir: existing, alreadyInstalled: true };
  const sources = spec.sources.filter((source) => !options.source || sourceName(source) === options.source);
  if (sources.length === 0) {
    throw new GroundworkError({
      code: 'source_unavailable',
      message: `Model ${spec.name} has no ${options.source} source; it can be pulled from: ${spec.sources.map(sourceName).join(', ')}.`,
      details: { model: spec.name, source: options.source },
    });
  }
  const endpoints = options.endpoints ?? resolveEndpoints();
  const partialDir = path.join(options.modelsDir, '.partial');
  await mkdir(partialDir, { recursive: true });
  const release = await lockModel(path.join(partialDir, `${spec.name}.lock`), spec.name);
  try {
    // Another process may have finished this model while we waited for nothing but the lock.
    const installed = installedModelDir(options.modelsDir, spec);
    if (installed) return { name: spec.name, dir: installed, alreadyInstalled: true };
    return await pullFromSources(spec, sources, endpoints, path.join(partialDir, spec.name), options);
  } finally {
    await release();
    await rmdir(partialDir).catch(() => undefined); // Only when empty: nothing left to resume.
  }
}

async function pullFromSources(
  spec: LocalModelSpec,
  sources: readonly ModelSource[],
  endpoints: SourceEndpoints,
  workDir: string,
  options: PullOptions,
): Promise<PullResult> {
  const stagingDir = path.join(workDir, 'model');
  const attempts: SourceAttempt[] = [];
  for (const source of sources) {
    const name = sourceName(source);
    await rm(stagingDir, { recursive: true, force: true });
    try {
      options.log?.(`${spec.name}: trying ${name} (${sourceUrls(source, endpoints)[0]})`);
      await fetchVerified(spec, source, { endpoints, workDir, stagingDir, options });
    } catch (error) {
      if (options.signal?.aborted || !(error instanceof SourceFailure)) throw error;
      attempts.push({ source: name, url: error.url, reason: error.reason, code: error.code });
      options.log?.(`${spec.name}: ${name} failed: ${error.reason}`);
      continue;
    }
    const dir = await installStaged(spec, stagingDir, options.modelsDir, {
      source: name,
      urls: sourceUrls(source, endpoints),
    });
    await rm(workDir, { recursive: true, force: true });
    return { name: spec.name, dir, source: name, alreadyInstalled: false };
  }
  await rm(stagingDir, { recursive: true, force: true });
  throw unavailableError(spec, sources, endpoints, attempts);
}

async function fetchVerified(
  spec: LocalModelSpec,
  source: ModelSource,
  context: { endpoints: SourceEndpoints; workDir: string; stagingDir: string; options: PullOptions },
): Promise<void> {
  const { options } = context;
  const produced = await fetchFromSource(source, {
    spec,
    endpoints: context.endpoints,
    workDir: context.workDir,
    stagingDir: context.stagingDir,
    download: {
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.retries !== undefined ? { retries: options.retries } : {}),
      ...(options.backoffMs !== undefined ? { backoffMs: options.backoffMs } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    },
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const url = sourceUrls(source, context.endpoints)[0] ?? '';
  for (const file of spec.files) {
    const digest = produced.get(file.path);
    if (!digest) {
      throw new SourceFailure({
        code: 'incomplete_source',
        url,
        reason: `this source does not provide ${file.path}`,
      });
    }
    if (digest.sha256 !== file.sha256 || digest.bytes !== file.bytes)
      throw checksumMismatch(url, file.path, file, digest);
  }
}

/**
 * Writes the generated files into the verified staging directory, renames it over the model
 * directory, then writes the manifest.
 */
export async function installStaged(
  spec: LocalModelSpec,
  stagingDir: string,
  modelsDir: string,
  origin: { source: SourceName | 'import'; urls: readonly string[] },
): Promise<string> {
  for (const [file, content] of Object.entries(spec.generated)) {
    const target = path.join(stagingDir, file);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
  }
  const dir = modelDir(modelsDir, spec);
  // A directory already there (an earlier failed verify, a half install) is moved aside, then removed.
  const aside = path.join(modelsDir, '.partial', `${spec.name}.old-${process.pid}-${Date.now()}`);
  await rm(path.join(dir, MODEL_MANIFEST), { force: true });
  await rename(dir, aside).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
  await rename(stagingDir, dir);
  await rm(aside, { recursive: true, force: true });
  const manifest: ModelManifest = {
    name: spec.name,
    source: origin.source,
    urls: origin.urls,
    files: spec.files.map((file) => ({ path: file.path, sha256: file.sha256, bytes: file.bytes })),
    generated: Object.keys(spec.generated),
    pulledAt: new Date().toISOString(),
  };
  const temporary = path.join(dir, `${MODEL_MANIFEST}.tmp`);
  await writeFile(temporary, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(temporary, path.join(dir, MODEL_MANIFEST));
  return dir;
}
