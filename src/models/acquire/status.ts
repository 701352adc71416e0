/**
 * @module models/acquire/status
 * What is in the models cache: `listModels` reads sizes only (cheap, for `models list`);
 * `verifyModel` re-hashes every file against the catalog and, when one is wrong, removes the manifest
 * so the runtime stops using the model until it is pulled again.
 */
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { LOCAL_MODELS, type LocalModelSpec } from '../local/catalog.ts';
import { installedModelDir, MODEL_MANIFEST, modelDir } from '../local/models-dir.ts';
import { hashFile } from './download.ts';

/** `installed`: manifest and every file of the right size; `corrupt`: manifest but a file is wrong. */
export type ModelStatus = 'installed' | 'not installed' | 'partial' | 'corrupt';

/** One row of `models list`. */
export interface ModelListing {
  readonly name: string;
  readonly kind: LocalModelSpec['kind'];
  readonly status: ModelStatus;
  /** Bytes of the model's files. */
  readonly bytes: number;
  readonly licence: string;
  readonly description: string;
  readonly dir?: string;
  /** Files missing or of the wrong size, for `corrupt`. */
  readonly problems?: readonly string[];
}

/** Every catalog model with its status in `modelsDir`. */
export async function listModels(
  modelsDir: string,
  catalog: readonly LocalModelSpec[] = LOCAL_MODELS,
): Promise<ModelListing[]> {
  return Promise.all(catalog.map((spec) => listModel(modelsDir, spec)));
}

async function listModel(modelsDir: string, spec: LocalModelSpec): Promise<ModelListing> {
  const base = {
    name: spec.name,
    kind: spec.kind,
    bytes: spec.files.reduce((sum, file) => sum + file.bytes, 0),
    licence: spec.licence,
    description: spec.description,
  };
  const dir = installedModelDir(modelsDir, spec);
  if (dir) {
    const problems: string[] = [];
    for (const file of spec.files) {
      const size = await sizeOf(path.join(dir, file.path));
      if (size === undefined) problems.push(`${file.path} is missing`);
      else if (size !== file.bytes) problems.push(`${file.path} has ${size} bytes, expected ${file.bytes}`);
    }
    return problems.length > 0
      ? { ...base, status: 'corrupt', dir, problems }
      : { ...base, status: 'installed', dir };
  }
  const partial =
    (await sizeOf(path.join(modelsDir, '.partial', spec.name))) !== undefined ||
    (await sizeOf(modelDir(modelsDir, spec))) !== undefined;
  return { ...base, status: partial ? 'partial' : 'not installed' };
}

/** One file's verification. */
export interface FileCheck {
  readonly path: string;
  readonly ok: boolean;
  readonly expectedSha256: string;
  readonly actualSha256?: string;
  readonly expectedBytes: number;
  readonly actualBytes?: number;
}

/** The outcome of `verifyModel`. */
export interface VerifyResult {
  readonly name: string;
  /** `not installed` when there was nothing to verify. */
  readonly status: 'ok' | 'failed' | 'not installed';
  readonly files: readonly FileCheck[];
}

/**
 * Re-hashes every file of an installed model. On any mismatch the manifest is removed (the model
 * shows as partial and is pulled again by `models pull`).
 */
export async function verifyModel(
  modelsDir: string,
  spec: LocalModelSpec,
  onProgress?: (done: number, total: number) => void,
): Promise<VerifyResult> {
  const dir = installedModelDir(modelsDir, spec);
  if (!dir) return { name: spec.name, status: 'not installed', files: [] };
  const total = spec.files.reduce((sum, file) => sum + file.bytes, 0);
  let done = 0;
  const files: FileCheck[] = [];
  for (const file of spec.files) {
    const location = path.join(dir, file.path);
    const size = await sizeOf(location);
    const expected = { path: file.path, expectedSha256: file.sha256, expectedBytes: file.bytes };
    if (size === undefined) {
      files.push({ ...expected, ok: false });
      continue;
    }
    const actualSha256 = (await hashFile(location)).digest('hex');
    done += file.bytes;
    onProgress?.(done, total);
    files.push({
      ...expected,
      ok: actualSha256 === file.sha256 && size === file.bytes,
      actualSha256,
      actualBytes: size,
    });
  }
  const ok = files.every((file) => file.ok);
  if (!ok) await rm(path.join(dir, MODEL_MANIFEST), { force: true });
  return { name: spec.name, status: ok ? 'ok' : 'failed', files };
}

async function sizeOf(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).size;
  } catch {
    return undefined;
  }
}
