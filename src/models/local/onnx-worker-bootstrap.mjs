/**
 * @module models/local/onnx-worker-bootstrap
 * Plain-JavaScript entry of the ONNX embedding worker. Node 20 does not apply `--import` loaders to a
 * worker's own entry file, so when the real entry is TypeScript this registers tsx first, then loads it.
 */
import { workerData } from 'node:worker_threads';

const entry = workerData.entry;
if (entry.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(entry);
