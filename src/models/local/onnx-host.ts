/**
 * @module models/local/onnx-host
 * The process's one ONNX worker thread. onnxruntime-node 1.21 registers its native binding in the
 * first thread that loads it and refuses every other thread for the life of the process ("Module did
 * not self-register"), even after that thread has exited. So the worker is started once, shared by
 * every local embedder, never terminated (it is unref'd while idle so it does not keep the process
 * alive), and the main thread must never import onnxruntime-node or transformers.js itself. If the
 * worker dies, local embedding is gone until the process restarts; calls say so.
 */
import { Worker } from 'node:worker_threads';
import { GroundworkError } from '../../errors.ts';
import type { OnnxReply, OnnxRequest } from './onnx-protocol.ts';

const BOOTSTRAP = new URL('./onnx-worker-bootstrap.mjs', import.meta.url);
const ENTRY = new URL(`./onnx-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url)
  .href;

/** What an embedder hears from the worker. */
export interface OnnxHostClient {
  onReply(reply: OnnxReply): void;
  /** The worker died; nothing sent before will be answered. */
  onCrash(error: GroundworkError): void;
}

let worker: Worker | undefined;
let crashed: GroundworkError | undefined;
let nextKey = 1;
let busy = 0;
const clients = new Map<number, OnnxHostClient>();

/** Registers an embedder; returns its key. */
export function registerOnnxClient(client: OnnxHostClient): number {
  const key = nextKey++;
  clients.set(key, client);
  return key;
}

/** Forgets an embedder and drops its model in the worker. */
export function unregisterOnnxClient(key: number): void {
  if (!clients.delete(key)) return;
  if (worker && !crashed) worker.postMessage({ type: 'unload', key } satisfies OnnxRequest);
}

/** Sends a request, starting the worker on first use. Throws when the worker has died. */
export function postOnnxRequest(request: OnnxRequest): void {
  if (crashed) throw crashed;
  worker ??= spawn();
  worker.postMessage(request);
}

/** Counts outstanding requests so the worker holds the process open only while it has work. */
export function markOnnxBusy(delta: 1 | -1): void {
  busy += delta;
  if (!worker) return;
  if (busy > 0) worker.ref();
  else worker.unref();
}

function spawn(): Worker {
  const created = new Worker(BOOTSTRAP, { workerData: { entry: ENTRY }, execArgv: [] });
  created.on('message', (reply: OnnxReply) => clients.get(reply.key)?.onReply(reply));
  const die = (cause: unknown) => {
    if (crashed) return;
    crashed = new GroundworkError({
      code: 'embedder_crashed',
      category: 'system',
      message: `The local embedding worker stopped (${cause instanceof Error ? cause.message : String(cause)}); local embedding needs a restart of the process.`,
      cause,
    });
    for (const client of clients.values()) client.onCrash(crashed);
  };
  created.on('error', die);
  created.on('exit', (code) => die(new Error(`exit code ${code}`)));
  if (busy === 0) created.unref();
  return created;
}
