/**
 * @module models/local/llama-runtime
 * Loads a GGUF chat model into node-llama-cpp (CPU build) and hands out its context sequences one
 * request at a time. Loading is lazy and shared: concurrent first calls wait on one load. Every
 * failure to load becomes a `GroundworkError` that names the file and the command that fixes it,
 * because the raw llama.cpp messages ("failed to load model") say neither. node-llama-cpp is imported
 * on first load, so configurations that never run a local model do not pay for its native addon.
 */
import { open, stat } from 'node:fs/promises';
import os from 'node:os';
import type {
  Llama,
  LlamaChat,
  LlamaContext,
  LlamaContextSequence,
  LlamaModel,
  readGgufFileInfo,
} from 'node-llama-cpp';
import { GroundworkError } from '../../errors.ts';

/** Stable codes of local-model failures. */
export type LocalModelErrorCode = 'model_load_failed' | 'model_too_large' | 'model_overloaded';

/** A loaded model with its context, and a way to borrow one of the context's sequences. */
export interface LlamaRuntime {
  readonly llama: Llama;
  readonly model: LlamaModel;
  readonly context: LlamaContext;
  /** A chat over a borrowed sequence, rendered with the model's own chat wrapper. */
  createChat(sequence: LlamaContextSequence): LlamaChat;
  /** Waits for a free sequence (bounded queue), cleared so no earlier request's state leaks. */
  acquire(signal?: AbortSignal): Promise<{ sequence: LlamaContextSequence; release(): void }>;
  dispose(): Promise<void>;
}

/** How to load. */
export interface LlamaRuntimeOptions {
  readonly modelPath: string;
  /** Catalog name, for error messages and the fix commands. */
  readonly name: string;
  readonly contextTokens: number;
  readonly threads: number;
  /** Requests generated at the same time; each gets its own sequence. */
  readonly sequences: number;
  /** Requests allowed to wait for a sequence; one more is refused as overloaded. */
  readonly maxQueue: number;
  /** Memory the model needs, roughly (catalog `approxRamBytes`); compared with `freeMemory()`. */
  readonly approxRamBytes?: number;
  readonly freeMemory?: () => number;
}

let sharedLlama: Promise<Llama> | undefined;

/**
 * One llama.cpp instance per process: it owns the native backend, and loading it twice wastes
 * seconds. CPU only (`gpu: false`), prebuilt binaries only (never a compile at run time). Its thread
 * cap stays node-llama-cpp's (at least 4); each context asks for its own count.
 */
export function getSharedLlama(): Promise<Llama> {
  sharedLlama ??= import('node-llama-cpp')
    .then(({ getLlama, LlamaLogLevel }) =>
      getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error }),
    )
    .catch((error: unknown) => {
      sharedLlama = undefined;
      throw error;
    });
  return sharedLlama;
}

/** Loads the model and creates its context; throws the clear errors described in the module doc. */
export async function loadLlamaRuntime(options: LlamaRuntimeOptions): Promise<LlamaRuntime> {
  const llamaCpp = await import('node-llama-cpp');
  await checkModelFile(options, llamaCpp.readGgufFileInfo);
  const llama = await getSharedLlama();
  let model: LlamaModel;
  try {
    model = await llama.loadModel({ modelPath: options.modelPath, gpuLayers: 0 });
  } catch (error) {
    throw loadError(options, error, llamaCpp.InsufficientMemoryError);
  }
  let context: LlamaContext;
  try {
    context = await model.createContext({
      contextSize: options.contextTokens,
      sequences: options.sequences,
      threads: options.threads,
    });
  } catch (error) {
    await model.dispose();
    throw loadError(options, error, llamaCpp.InsufficientMemoryError);
  }
  const free: LlamaContextSequence[] = Array.from({ length: options.sequences }, () => context.getSequence());
  const waiting: { resolve: (sequence: LlamaContextSequence) => void }[] = [];

  const release = (sequence: LlamaContextSequence) => {
    const next = waiting.shift();
    if (next) next.resolve(sequence);
    else free.push(sequence);
  };

  return {
    llama,
    model,
    context,
    createChat: (sequence) =>
      new llamaCpp.LlamaChat({ contextSequence: sequence, autoDisposeSequence: false }),
    async acquire(signal) {
      signal?.throwIfAborted();
      let sequence = free.pop();
      if (!sequence) {
        if (waiting.length >= options.maxQueue) {
          throw new GroundworkError({
            code: 'model_overloaded' satisfies LocalModelErrorCode,
            message: `The local model "${options.name}" is busy: ${options.sequences} request(s) generating and ${waiting.length} waiting. Try again shortly.`,
            category: 'system',
            retryable: true,
            details: { model: options.name, waiting: waiting.length },
          });
        }
        sequence = await new Promise<LlamaContextSequence>((resolve, reject) => {
          const entry = { resolve };
          waiting.push(entry);
          signal?.addEventListener(
            'abort',
            () => {
              const index = waiting.indexOf(entry);
              if (index < 0) return;
              waiting.splice(index, 1);
              reject(signal.reason);
            },
            { once: true },
          );
        });
      }
      try {
        // A fresh state per request: nothing of the previous conversation stays in the KV cache.
        await sequence.clearHistory();
      } catch (error) {
        release(sequence);
        throw error;
      }
      let released = false;
      const borrowed = sequence;
      return {
        sequence: borrowed,
        release() {
          if (released) return;
          released = true;
          release(borrowed);
        },
      };
    },
    async dispose() {
      await context.dispose();
      await model.dispose();
    },
  };
}

/** Magic, version, tensor count and metadata count. */
const GGUF_FIXED_HEADER_BYTES = 24;
const HEADER_READ_TIMEOUT_MS = 30_000;

async function readHead(file: string, length: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(message)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Missing, truncated and header-corrupt files, and too little memory, caught before llama.cpp sees them. */
async function checkModelFile(
  options: LlamaRuntimeOptions,
  readInfo: typeof readGgufFileInfo,
): Promise<void> {
  let bytes: number;
  try {
    bytes = (await stat(options.modelPath)).size;
  } catch (error) {
    throw modelError(
      'model_load_failed',
      `${describe(options)} is missing. ${fix(options.name)}`,
      options,
      error,
    );
  }
  // node-llama-cpp's header reader can wait forever on a file shorter than a header, so the magic
  // and the fixed-size part of the header are checked here first, and the read is bounded in time.
  const head = await readHead(options.modelPath, GGUF_FIXED_HEADER_BYTES);
  if (head.subarray(0, 4).toString('latin1') !== 'GGUF') {
    throw modelError(
      'model_load_failed',
      `${describe(options)} is not a GGUF file (it does not start with "GGUF"). ${fix(options.name)}`,
      options,
    );
  }
  if (head.length < GGUF_FIXED_HEADER_BYTES) {
    throw modelError(
      'model_load_failed',
      `${describe(options)} is truncated (${bytes} bytes, shorter than a GGUF header). ${fix(options.name)}`,
      options,
    );
  }
  let expected: number;
  try {
    const info = await withTimeout(
      readInfo(options.modelPath, { readTensorInfo: true, logWarnings: false, spliceSplitFiles: false }),
      HEADER_READ_TIMEOUT_MS,
      `reading the GGUF header took longer than ${HEADER_READ_TIMEOUT_MS / 1000} s`,
    );
    expected = tensorDataEnd(info);
  } catch (error) {
    throw loadError(options, error);
  }
  if (bytes < expected) {
    throw modelError(
      'model_load_failed',
      `${describe(options)} is truncated (${bytes} bytes, its header describes ${expected}). ${fix(options.name)}`,
      options,
    );
  }
  const needed = Math.max(options.approxRamBytes ?? 0, bytes);
  const available = (options.freeMemory ?? os.freemem)();
  if (needed > available) {
    throw modelError(
      'model_too_large',
      `The local model "${options.name}" needs about ${mebibytes(needed)} of memory, but only ${mebibytes(available)} is free. Free some memory, choose a smaller model, or use a hosted provider (GROUNDWORK_LLM=openai:…).`,
      options,
    );
  }
}

/**
 * Where the tensor data ends, at least: F32 tensors are sized exactly; for quantized ones only their
 * start is known here (llama.cpp still checks their extent when it loads).
 */
function tensorDataEnd(info: Awaited<ReturnType<typeof readGgufFileInfo>>): number {
  let end = info.infoEndOffset ?? 0;
  for (const tensor of info.fullTensorInfo ?? []) {
    const elements = tensor.dimensions.reduce<number>((product, dim) => product * Number(dim), 1);
    const size = tensor.ggmlType === 0 ? elements * 4 : 1;
    end = Math.max(end, Number(tensor.fileOffset) + size);
  }
  return end;
}

function loadError(
  options: LlamaRuntimeOptions,
  error: unknown,
  insufficientMemory?: abstract new (...args: never[]) => Error,
): GroundworkError {
  if (insufficientMemory && error instanceof insufficientMemory) {
    return modelError(
      'model_too_large',
      `The local model "${options.name}" (${options.modelPath}) does not fit in free memory with a ${options.contextTokens}-token context: ${reason(error)}. Lower the context size, free memory, or choose a smaller model.`,
      options,
      error,
    );
  }
  return modelError(
    'model_load_failed',
    `${describe(options)} could not be loaded (${reason(error)}); it may be truncated or corrupt. ${fix(options.name)}`,
    options,
    error,
  );
}

function modelError(
  code: LocalModelErrorCode,
  message: string,
  options: LlamaRuntimeOptions,
  cause?: unknown,
): GroundworkError {
  return new GroundworkError({
    code,
    message,
    category: 'user',
    retryable: false,
    cause,
    details: { model: options.name, file: options.modelPath },
  });
}

const describe = (options: LlamaRuntimeOptions) =>
  `The local model file ${options.modelPath} ("${options.name}")`;
const fix = (name: string) =>
  `Check it with \`bin/groundwork models verify ${name}\` and fetch it again with \`bin/groundwork models pull ${name}\`.`;
const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));
const mebibytes = (bytes: number) => `${Math.ceil(bytes / 2 ** 20)} MiB`;
