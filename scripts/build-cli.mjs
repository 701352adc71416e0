#!/usr/bin/env node
/**
 * Compiles src/ and apps/ to plain JavaScript in dist/ (one .js file per .ts file, same layout), so
 * `bin/groundwork` starts without transpiling. Runs on `npm install`/`npm ci` (the `prepare` script)
 * and by hand: `npm run build:cli`. Files that are not TypeScript (the app's knowledge, worker
 * bootstraps) are linked, not copied, so they are never stale; `dist/web` links to `web/`.
 * The build goes to a fresh folder that replaces dist/ at the end, and writes dist/.build-stamp last:
 * bin/groundwork runs dist/ only when that stamp is newer than every file and folder in src/ and apps/.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = ['src', 'apps'];
const DIST = path.join(ROOT, 'dist');

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  // Without esbuild (an install without dev dependencies), bin/groundwork runs the sources via tsx.
  process.stderr.write('build-cli: esbuild is not installed; bin/groundwork will run the TypeScript sources.\n');
  process.exit(0);
}

/** Every file under `folder`, relative to ROOT. */
function walk(folder, files = []) {
  for (const entry of readdirSync(path.join(ROOT, folder), { withFileTypes: true })) {
    const relative = path.join(folder, entry.name);
    if (entry.isDirectory()) walk(relative, files);
    else files.push(relative);
  }
  return files;
}

const started = Date.now();
const files = SOURCES.flatMap((folder) => walk(folder));
const entryPoints = files.filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'));
const staging = path.join(ROOT, `dist.building-${process.pid}`);
rmSync(staging, { recursive: true, force: true });

/** Keeps each module its own file: relative imports stay imports, with `.ts` spelled `.js`. */
const keepImports = {
  name: 'keep-relative-imports',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, (args) =>
      args.kind === 'entry-point' ? undefined : { path: args.path.replace(/\.ts$/, '.js'), external: true },
    );
  },
};

await esbuild.build({
  absWorkingDir: ROOT,
  entryPoints,
  outdir: staging,
  outbase: ROOT,
  bundle: true,
  packages: 'external',
  plugins: [keepImports],
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
});

// Data the code reads next to itself: folders without compiled modules are linked whole (never
// stale); other files are copied (folder walkers skip links; an edit makes the build stale anyway).
for (const file of files.filter((name) => !name.endsWith('.ts'))) {
  const folder = linkableFolder(file);
  const target = path.join(staging, folder ?? file);
  if (existsSync(target)) continue;
  mkdirSync(path.dirname(target), { recursive: true });
  if (folder) symlinkSync(path.relative(path.dirname(target), path.join(ROOT, folder)), target);
  else copyFileSync(path.join(ROOT, file), target);
}
symlinkSync('../web', path.join(staging, 'web'));
writeFileSync(
  path.join(staging, '.build-stamp'),
  `${JSON.stringify({ builtAt: new Date().toISOString(), files: entryPoints.length })}\n`,
);
const old = `${DIST}.old-${process.pid}`;
if (existsSync(DIST)) renameSync(DIST, old);
renameSync(staging, DIST);
rmSync(old, { recursive: true, force: true });
process.stderr.write(
  `build-cli: compiled ${entryPoints.length} modules to dist/ in ${Date.now() - started} ms\n`,
);

/** The highest folder above `file` (below src/ or apps/) that holds no compiled module at any depth. */
function linkableFolder(file) {
  let best;
  for (let folder = path.dirname(file); SOURCES.every((root) => folder !== root); ) {
    if (entryPoints.some((name) => name.startsWith(`${folder}${path.sep}`))) break;
    best = folder;
    folder = path.dirname(folder);
  }
  return best;
}
