/**
 * @module models/acquire/hub-source
 * Model files straight from the Hugging Face hub (or a mirror of its `resolve` URLs), each checked
 * against its pin before it is moved into the staging directory.
 */
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ModelSource } from '../local/catalog.ts';
import type { FileDigest } from './archive.ts';
import { downloadFile } from './download.ts';
import { hubFileUrl } from './endpoints.ts';
import { checksumMismatch } from './errors.ts';
import type { SourceContext } from './source-context.ts';

/** Downloads every file the hub source lists. */
export async function fetchFromHub(
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
