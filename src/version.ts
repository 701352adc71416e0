/**
 * @module version
 * The product's version, read once from the package.json above this file (found by walking up, so it
 * works from the sources and from a compiled copy alike).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

function readVersion(): string {
  let folder = import.meta.dirname;
  for (;;) {
    const file = path.join(folder, 'package.json');
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'groundwork' && manifest.version) return manifest.version;
    }
    const parent = path.dirname(folder);
    if (parent === folder) return 'unknown';
    folder = parent;
  }
}

/** The version in package.json, e.g. `0.1.0`. */
export const VERSION = readVersion();
