/**
 * @module ingest/parsers/sandbox-worker
 * Worker-thread entry of the parser sandbox: builds the named parser, parses, posts the result; for a
 * prepare task it also hashes, chunks and analyses the file here (ingest/prepare/prepare-file.ts).
 * The main thread enforces the hard limits (memory, wall clock); this side only adds a soft
 * deadline through the parser's abort signal so cooperative parsers can stop cleanly.
 */
import { parentPort } from 'node:worker_threads';
import { GroundworkError } from '../../errors.ts';
import type { DocumentParser } from '../../spec/parser.ts';
import { fileHashOf, type PreparePipeline, prepareParsed } from '../prepare/prepare-file.ts';
import type { ParserModuleRef, SandboxReply, SandboxTask } from './sandbox-protocol.ts';

const modules = new Map<string, Promise<Record<string, unknown>>>();
/** Prepare pipelines by module and factory: built once per worker (the tokenizer loads once). */
const pipelines = new Map<string, Promise<PreparePipeline>>();

async function build<T>(ref: ParserModuleRef): Promise<T> {
  let loading = modules.get(ref.module);
  if (!loading) {
    loading = import(ref.module) as Promise<Record<string, unknown>>;
    modules.set(ref.module, loading);
  }
  const factory = (await loading)[ref.factory];
  if (typeof factory !== 'function') throw new Error(`${ref.module} has no factory ${ref.factory}`);
  return (factory as (options?: unknown) => T)(ref.options);
}

async function handle(task: SandboxTask): Promise<{ reply: SandboxReply; transfer: ArrayBuffer[] }> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  try {
    // Hashed before the parser may consume the bytes; an unchanged file is not parsed at all.
    const fileHash = task.prepare ? fileHashOf(task.bytes, task.prepare.spec) : '';
    if (task.prepare && task.prepare.spec.unchangedIfFileHash === fileHash) {
      return { reply: { id: task.id, ok: true, result: { fileHash, unchanged: true } }, transfer: [] };
    }
    const parser = await build<DocumentParser>(task.parser);
    parentPort?.postMessage({ id: task.id, started: true } satisfies SandboxReply);
    timer = setTimeout(() => controller.abort(), Math.max(0, task.softBudgetMs));
    const result = await parser.parse({
      bytes: task.bytes,
      uri: task.uri,
      mediaType: task.mediaType,
      options: task.options,
      signal: controller.signal,
    });
    if (!task.prepare) return { reply: { id: task.id, ok: true, result }, transfer: [] };
    clearTimeout(timer);
    parentPort?.postMessage({ id: task.id, preparing: true } satisfies SandboxReply);
    const key = `${task.prepare.pipeline.module}#${task.prepare.pipeline.factory}`;
    let pipeline = pipelines.get(key);
    if (!pipeline) {
      pipeline = build<PreparePipeline>(task.prepare.pipeline);
      pipelines.set(key, pipeline);
    }
    const documents = prepareParsed(
      result,
      { originUri: task.uri, fileHash },
      task.prepare.spec,
      await pipeline,
    );
    // The frequency arrays move to the main thread instead of being copied.
    const transfer = documents.flatMap((document) =>
      (document.chunks ?? []).map((chunk) => chunk.frequencies.buffer as ArrayBuffer),
    );
    return {
      reply: {
        id: task.id,
        ok: true,
        result: { fileHash, unchanged: false, warnings: result.warnings, documents },
      },
      transfer,
    };
  } catch (error) {
    const code = GroundworkError.isInstance(error) ? error.code : undefined;
    const name = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    return {
      reply: {
        id: task.id,
        ok: false,
        error: code === undefined ? { name, message } : { name, code, message },
      },
      transfer: [],
    };
  } finally {
    clearTimeout(timer);
  }
}

parentPort?.on('message', (task: SandboxTask) => {
  void handle(task).then(({ reply, transfer }) => parentPort?.postMessage(reply, transfer));
});
