/**
 * @module ingest/parsers/sandbox-worker
 * Worker-thread entry of the parser sandbox: builds the named parser, parses, posts the result.
 * The main thread enforces the hard limits (memory, wall clock); this side only adds a soft
 * deadline through the parser's abort signal so cooperative parsers can stop cleanly.
 */
import { parentPort } from 'node:worker_threads';
import { GroundworkError } from '../../errors.ts';
import type { DocumentParser } from '../../spec/parser.ts';
import type { SandboxReply, SandboxTask } from './sandbox-protocol.ts';

type Factory = (options?: unknown) => DocumentParser;

const modules = new Map<string, Promise<Record<string, unknown>>>();

async function handle(task: SandboxTask): Promise<SandboxReply> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  try {
    let loading = modules.get(task.parser.module);
    if (!loading) {
      loading = import(task.parser.module) as Promise<Record<string, unknown>>;
      modules.set(task.parser.module, loading);
    }
    const factory = (await loading)[task.parser.factory];
    if (typeof factory !== 'function')
      throw new Error(`${task.parser.module} has no factory ${task.parser.factory}`);
    const parser = (factory as Factory)(task.parser.options);
    parentPort?.postMessage({ id: task.id, started: true } satisfies SandboxReply);
    timer = setTimeout(() => controller.abort(), Math.max(0, task.softBudgetMs));
    const result = await parser.parse({
      bytes: task.bytes,
      uri: task.uri,
      mediaType: task.mediaType,
      options: task.options,
      signal: controller.signal,
    });
    return { id: task.id, ok: true, result };
  } catch (error) {
    const code = GroundworkError.isInstance(error) ? error.code : undefined;
    const name = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    return {
      id: task.id,
      ok: false,
      error: code === undefined ? { name, message } : { name, code, message },
    };
  } finally {
    clearTimeout(timer);
  }
}

parentPort?.on('message', (task: SandboxTask) => {
  void handle(task).then((reply) => parentPort?.postMessage(reply));
});
