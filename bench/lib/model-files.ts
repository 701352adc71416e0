/**
 * @module bench/lib/model-files
 * Builds an installed-model directory (the catalog layout, manifest included) out of loose model files
 * named as the Maven jars name them (`bge-small-en-v1.5.onnx`, `bge-small-en-v1.5-tokenizer.json`), by
 * symlinking them. Benchmarks and integration runs use it where the files were fetched by other means
 * than `models pull`; nothing is verified, so it is for development only.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LocalModelSpec } from '../../src/models/local/catalog.ts';
import { MODEL_MANIFEST, modelDir } from '../../src/models/local/models-dir.ts';

/** Links `spec`'s files from `sourceDir` into `<modelsDir>/<name>/`; undefined when a file is missing. */
export async function linkModelFiles(
  sourceDir: string,
  modelsDir: string,
  spec: LocalModelSpec,
): Promise<string | undefined> {
  const maven = spec.sources.find((source) => source.kind === 'maven');
  if (maven?.kind !== 'maven') return undefined;
  const dir = modelDir(modelsDir, spec);
  for (const [target, entry] of Object.entries(maven.entries)) {
    const source = path.join(sourceDir, entry);
    if (!existsSync(source)) return undefined;
    const destination = path.join(dir, target);
    await mkdir(path.dirname(destination), { recursive: true });
    await rm(destination, { force: true });
    await symlink(source, destination);
  }
  for (const [target, content] of Object.entries(spec.generated))
    await writeFile(path.join(dir, target), content);
  await writeFile(path.join(dir, MODEL_MANIFEST), `${JSON.stringify({ name: spec.name, linked: true })}\n`);
  return dir;
}
