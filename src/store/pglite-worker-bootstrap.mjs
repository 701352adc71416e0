/**
 * @module store/pglite-worker-bootstrap
 * Plain-JavaScript entry of the embedded database's thread. Node 20 does not apply `--import` loaders
 * to a worker's own entry file, so when the real entry is TypeScript this registers tsx first.
 */
import { workerData } from 'node:worker_threads';

const entry = workerData.entry;
if (entry.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(entry);
