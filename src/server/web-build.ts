/**
 * @module server/web-build
 * Builds the browser UI (web/ → web/dist) with Vite when the build is missing or older than its
 * sources, so `npm start` on a fresh clone serves the UI without a separate build step. Vite is a
 * dev dependency: where it is not installed (a production install with a prebuilt web/dist), the
 * existing build is used, or the server runs API-only and says how to build.
 */
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

/** The UI's Vite project. */
export const WEB_DIR = path.resolve(import.meta.dirname, '../../web');

/** What `ensureWebBuild` did. */
export type WebBuildOutcome =
  | { readonly status: 'fresh' }
  | { readonly status: 'built'; readonly ms: number }
  | { readonly status: 'skipped'; readonly reason: string }
  | { readonly status: 'failed'; readonly reason: string };

/** Newest modification time of the UI's sources (web/src, index.html, the Vite config). */
function newestSource(webDir: string): number {
  let newest = 0;
  const visit = (file: string) => {
    newest = Math.max(newest, statSync(file).mtimeMs);
  };
  for (const name of ['index.html', 'vite.config.ts', 'tsconfig.json']) {
    const file = path.join(webDir, name);
    if (existsSync(file)) visit(file);
  }
  for (const entry of readdirSync(path.join(webDir, 'src'), { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) visit(path.join(entry.parentPath, entry.name));
  }
  return newest;
}

/** True when web/dist is missing or older than a source file. */
export function webBuildStale(webDir = WEB_DIR): boolean {
  const index = path.join(webDir, 'dist', 'index.html');
  if (!existsSync(index)) return true;
  if (!existsSync(path.join(webDir, 'src'))) return false;
  return statSync(index).mtimeMs < newestSource(webDir);
}

/**
 * Builds when stale. The build goes to a temporary folder that replaces web/dist at the end, so a
 * running server or a concurrent build never sees half a build.
 */
export async function ensureWebBuild(
  options: { webDir?: string; force?: boolean; log?: (line: string) => void } = {},
): Promise<WebBuildOutcome> {
  const webDir = options.webDir ?? WEB_DIR;
  const log = options.log ?? (() => {});
  if (!existsSync(path.join(webDir, 'index.html'))) return { status: 'skipped', reason: 'no web/ sources' };
  if (!options.force && !webBuildStale(webDir)) return { status: 'fresh' };
  let vite: typeof import('vite');
  try {
    vite = await import('vite');
  } catch {
    const reason = 'Vite is not installed (npm install); serving the API only';
    log(`web UI: not built: ${reason}`);
    return { status: 'skipped', reason };
  }
  const started = performance.now();
  const outDir = path.join(webDir, `.dist-${process.pid}-${Date.now()}`);
  const dist = path.join(webDir, 'dist');
  // Vite takes the build flavour from NODE_ENV when it is set; under vitest it is `test`, which
  // would ship an unminified development bundle. The served build is always the production one.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await vite.build({
      configFile: path.join(webDir, 'vite.config.ts'),
      mode: 'production',
      logLevel: 'error',
      build: { outDir, emptyOutDir: true },
    });
    rmSync(dist, { recursive: true, force: true });
    renameSync(outDir, dist);
  } catch (error) {
    rmSync(outDir, { recursive: true, force: true });
    const reason = (error as Error).message.split('\n')[0] ?? 'unknown error';
    log(`web UI: build failed (${reason}); serving the API only`);
    return { status: 'failed', reason };
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  const ms = Math.round(performance.now() - started);
  log(`web UI: built web/dist in ${(ms / 1000).toFixed(1)} s`);
  return { status: 'built', ms };
}
