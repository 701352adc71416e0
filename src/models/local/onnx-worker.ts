/**
 * @module models/local/onnx-worker
 * The worker thread that owns one embedding model: it tokenizes, runs the ONNX session through
 * transformers.js on CPU and pools, so none of that blocks the HTTP event loop. One worker serves
 * every local embedding model of the process, keyed per embedder (see `onnx-protocol`). Files are read from
 * the model directory only: remote models are disabled, so a missing file is an error, never a
 * download.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import type {
  OnnxEmbedRequest,
  OnnxLoadRequest,
  OnnxReply,
  OnnxRequest,
  OnnxWorkerError,
} from './onnx-protocol.ts';
import { poolHiddenStates } from './pooling.ts';

interface Tensor {
  readonly data: ArrayLike<number | bigint>;
  readonly dims: readonly number[];
}
type Tokenizer = ((texts: string[], options: Record<string, unknown>) => Record<string, Tensor>) & {
  readonly sep_token_id?: number;
};
type Model = (inputs: Record<string, Tensor>) => Promise<Record<string, Tensor>>;

interface Loaded {
  readonly request: OnnxLoadRequest;
  readonly tokenizer: Tokenizer;
  readonly model: Model;
}

const port = parentPort;
if (!port) throw new Error('onnx-worker must run in a worker thread');
const loaded = new Map<number, Loaded>();
/** Requests are handled one at a time, in order; the main thread sends one batch at a time anyway. */
let chain: Promise<void> = Promise.resolve();

port.on('message', (request: OnnxRequest) => {
  chain = chain.then(() => handle(request));
});

async function handle(request: OnnxRequest): Promise<void> {
  const { key } = request;
  if (request.type === 'unload') {
    loaded.delete(key);
    return;
  }
  if (request.type === 'load') {
    const started = performance.now();
    try {
      loaded.set(key, await load(request));
      reply({ type: 'loaded', key, loadMs: performance.now() - started });
    } catch (error) {
      reply({ type: 'load-failed', key, error: toWorkerError(error, 'model_load_failed') });
    }
    return;
  }
  try {
    const { vectors, dimensions } = await embed(request);
    reply({ type: 'embedded', key, id: request.id, vectors, dimensions }, [vectors.buffer as ArrayBuffer]);
  } catch (error) {
    reply({ type: 'embed-failed', key, id: request.id, error: toWorkerError(error, 'embedding_failed') });
  }
}

function reply(message: OnnxReply, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(message, transfer);
}

class WorkerFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function fixHint(name: string): string {
  return `Run \`bin/groundwork models verify ${name}\` to check the files and \`bin/groundwork models pull ${name}\` to fetch them again.`;
}

async function load(request: OnnxLoadRequest): Promise<Loaded> {
  const { modelDir, name, entryFile } = request;
  const entry = /^onnx\/([^/]+)\.onnx$/.exec(entryFile);
  if (!entry)
    throw new WorkerFailure(
      'model_load_failed',
      `Model ${name}: entry file ${entryFile} is not onnx/<name>.onnx.`,
    );
  for (const file of [entryFile, 'tokenizer.json', 'tokenizer_config.json', 'config.json']) {
    const full = path.join(modelDir, file);
    const info = await stat(full).catch(() => undefined);
    if (!info?.isFile())
      throw new WorkerFailure(
        'model_load_failed',
        `Model file ${full} is missing. Run \`bin/groundwork models pull ${name}\` to install ${name}.`,
      );
    if (info.size === 0)
      throw new WorkerFailure('model_load_failed', `Model file ${full} is empty. ${fixHint(name)}`);
  }
  const transformers = await import('@huggingface/transformers');
  // Never the network, never a cache: the model directory is the only source.
  transformers.env.allowRemoteModels = false;
  transformers.env.allowLocalModels = true;
  transformers.env.useFSCache = false;
  let tokenizer: Tokenizer;
  try {
    tokenizer = (await transformers.AutoTokenizer.from_pretrained(modelDir, {
      local_files_only: true,
    })) as unknown as Tokenizer;
  } catch (error) {
    throw new WorkerFailure(
      'model_load_failed',
      `Could not read the tokenizer of ${name} (${path.join(modelDir, 'tokenizer.json')}): ${message(error)}. The file is truncated or corrupt. ${fixHint(name)}`,
    );
  }
  let model: Model;
  try {
    const pretrained = await transformers.AutoModel.from_pretrained(modelDir, {
      local_files_only: true,
      device: 'cpu',
      dtype: 'fp32',
      model_file_name: entry[1],
      session_options: {
        intraOpNumThreads: request.threads,
        interOpNumThreads: 1,
        // ORT prints graph-optimisation warnings at level 2; errors still surface as exceptions.
        logSeverityLevel: 3,
      },
    });
    model = (inputs) => (pretrained as unknown as Model)(inputs);
  } catch (error) {
    throw new WorkerFailure(
      'model_load_failed',
      `Could not load the model file ${path.join(modelDir, entryFile)} of ${name}: ${message(error)}. The file is truncated or corrupt. ${fixHint(name)}`,
    );
  }
  return { request, tokenizer, model };
}

async function embed(request: OnnxEmbedRequest): Promise<{ vectors: Float32Array; dimensions: number }> {
  const model = loaded.get(request.key);
  if (!model) throw new WorkerFailure('embedding_failed', 'The embedding model is not loaded.');
  const { traits, name } = model.request;
  const inputs = model.tokenizer([...request.texts], {
    padding: true,
    truncation: true,
    max_length: traits.maxTokens,
  });
  endTruncatedWithSeparator(inputs, traits.maxTokens, model.tokenizer.sep_token_id);
  const outputs = await model.model(inputs);
  const hidden = outputs.last_hidden_state ?? Object.values(outputs)[0];
  const mask = inputs.attention_mask;
  if (!hidden || !mask)
    throw new WorkerFailure('embedding_failed', `Model ${name} returned no hidden states.`);
  const [batch = 0, seq = 0, dimensions = 0] = hidden.dims;
  if (hidden.dims.length !== 3 || batch !== request.texts.length)
    throw new WorkerFailure(
      'embedding_failed',
      `Model ${name} returned hidden states of shape [${hidden.dims.join(', ')}] for ${request.texts.length} texts.`,
    );
  if (dimensions !== traits.dimensions)
    throw new WorkerFailure(
      'embedding_dimension_mismatch',
      `Model ${name} produces ${dimensions}-dimensional vectors but the catalog declares ${traits.dimensions}; the model file does not belong to ${name}. ${fixHint(name)}`,
    );
  const vectors = poolHiddenStates(
    hidden.data as Float32Array,
    mask.data,
    [batch, seq, dimensions],
    traits.pooling,
    traits.normalize,
  );
  return { vectors, dimensions };
}

/**
 * transformers.js truncates after adding the special tokens, so a truncated row loses its final
 * `[SEP]`; Hugging Face tokenizers (what the models were trained and evaluated with) truncate the text
 * and keep it. A row that fills `maxTokens` and does not end in `[SEP]` was truncated: its last token
 * becomes `[SEP]`, as the reference tokenizer would have it.
 */
function endTruncatedWithSeparator(
  inputs: Record<string, Tensor>,
  maxTokens: number,
  sep: number | undefined,
) {
  const ids = inputs.input_ids;
  if (sep === undefined || !ids || ids.dims[1] !== maxTokens) return;
  const data = ids.data as BigInt64Array;
  const last = BigInt(sep);
  for (let row = 0; row < (ids.dims[0] ?? 0); row++) {
    const index = row * maxTokens + maxTokens - 1;
    // Padding is 0 and never the last token of a full row; any other non-[SEP] id means truncation.
    if (data[index] !== last && data[index] !== 0n) data[index] = last;
  }
}

function message(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
}

function toWorkerError(error: unknown, code: string): OnnxWorkerError {
  if (error instanceof WorkerFailure) return { code: error.code, message: error.message, retryable: false };
  return { code, message: message(error), retryable: false };
}
