/**
 * Vite configuration of the web UI. JSX goes through Vite's own esbuild with Preact's automatic
 * runtime (no Babel plugin); the build lands in web/dist, which the groundwork server serves.
 * `vite web` (the dev server) proxies the API to a server on :8787.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const api = process.env.GROUNDWORK_URL ?? 'http://127.0.0.1:8787';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  publicDir: false,
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
    chunkSizeWarningLimit: 200,
  },
  server: {
    proxy: Object.fromEntries(['/v1', '/openapi.json', '/healthz', '/readyz'].map((path) => [path, api])),
  },
});
