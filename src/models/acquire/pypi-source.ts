/**
 * @module models/acquire/pypi-source
 * A model file shipped in one or more PyPI wheels. Each wheel is found through the PyPI JSON API, its
 * digest there compared with the catalog pin, downloaded, checked, its entry extracted to a part file
 * and the wheel deleted; the parts are then concatenated in order. Extracted parts survive a failed
 * pull, so the next pull only fetches the wheels still missing.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ModelSource } from '../local/catalog.ts';
import type { FileDigest } from './archive.ts';
import { pypiReleaseUrl } from './endpoints.ts';
import { SourceFailure } from './errors.ts';
import { findWheel } from './pypi-index.ts';
import { downloadArchive, extract, type SourceContext } from './source-context.ts';

/** Fetches every wheel part and assembles the target file. */
export async function fetchFromPypi(
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
    const listed = await findWheel(context.endpoints.pypi, part.package, part.version, part.wheel, context);
    if (listed.sha256 && listed.sha256 !== part.wheelSha256) {
      throw new SourceFailure({
        code: 'checksum_mismatch',
        url: listed.listedAt,
        reason: `PyPI lists sha256 ${listed.sha256} for ${part.wheel}; the catalog pins ${part.wheelSha256}`,
      });
    }
    const wheelUrl = listed.url;
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
