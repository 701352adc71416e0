/**
 * @module testing/pglite-template
 * A migrated, empty embedded database as a dump, that every in-memory database of a test process
 * starts from (store/pglite.ts `useInMemoryTemplate`). An empty cluster plus every migration costs
 * each database seconds; a copy of the dump costs a fraction of that, and the suite opens hundreds.
 * The dump is cached in the temporary folder under a key of the migrations and the engine's version,
 * so a changed migration or a PGlite upgrade builds a new one; processes that race to build it each
 * write their own file and rename it into place, so none reads a half-written dump.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { MIGRATIONS } from '../store/migrate.ts';
import { openDatabase } from '../store/open.ts';
import { dumpInMemoryDatabase, useInMemoryTemplate } from '../store/pglite.ts';

/** The cache file for the current migrations and engine. */
export function templatePath(): string {
  // The package exports no package.json: read the installed one beside its entry point.
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const manifest = path.join(entry.slice(0, entry.lastIndexOf(`${path.sep}dist${path.sep}`)), 'package.json');
  const engine = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  const key = createHash('sha256')
    .update(engine.version)
    .update(JSON.stringify(MIGRATIONS))
    .digest('hex')
    .slice(0, 16);
  return path.join(os.tmpdir(), 'groundwork-test-templates', `pglite-${key}.tar`);
}

/** The dump, read from the cache or built (and cached) now. */
export async function migratedTemplate(): Promise<Blob> {
  const file = templatePath();
  try {
    return new Blob([readFileSync(file)]);
  } catch {
    // Not built yet for these migrations.
  }
  useInMemoryTemplate(undefined);
  const db = await openDatabase({ dataDir: 'memory://' });
  let dump: Blob;
  try {
    dump = await dumpInMemoryDatabase(db);
  } finally {
    await db.close();
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.${Date.now()}`;
  writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
  renameSync(partial, file);
  return dump;
}

/** Makes every in-memory database of this process start from the migrated dump. */
export async function useMigratedTemplate(): Promise<void> {
  useInMemoryTemplate(await migratedTemplate());
}
