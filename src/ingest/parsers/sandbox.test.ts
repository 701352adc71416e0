import { afterEach, describe, expect, it } from 'vitest';
import { IngestError } from '../../errors.ts';
import type { ParserInput } from '../../spec/parser.ts';
import { type ParserModuleRef, ParserSandbox, type SandboxOptions } from './sandbox.ts';

const HOSTILE = new URL('./__fixtures__/hostile-parsers.ts', import.meta.url).href;
const ref = (factory: string, options?: unknown): ParserModuleRef => ({ module: HOSTILE, factory, options });
const input = (bytes: Uint8Array = new Uint8Array(16), signal?: AbortSignal): ParserInput => ({
  bytes,
  uri: 'memory://test',
  mediaType: 'text/plain',
  signal,
});

let sandbox: ParserSandbox | undefined;

function createSandbox(options: SandboxOptions): ParserSandbox {
  sandbox = new ParserSandbox({ poolSize: 1, ...options });
  return sandbox;
}

/** Runs the echo parser and returns what it saw. */
async function echo(target: ParserSandbox, bytes?: Uint8Array): Promise<{ bytes: number; threadId: number }> {
  const result = await target.run(ref('createEchoParser', { hello: 'worker' }), input(bytes));
  return JSON.parse(result.documents[0]!.blocks[0]!.text);
}

afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

describe('ParserSandbox', () => {
  it('runs a parser in a worker and reuses that worker for the next file', async () => {
    const target = createSandbox({});
    const first = await echo(target);
    const second = await echo(target);
    expect(first).toMatchObject({ bytes: 16, options: { hello: 'worker' }, signal: true });
    expect(second.threadId).toBe(first.threadId);
    expect(target.workerCount).toBe(1);
  });

  it('queues files beyond the pool size and runs them all', async () => {
    const target = createSandbox({});
    const results = await Promise.all([echo(target), echo(target), echo(target)]);
    expect(new Set(results.map((result) => result.threadId)).size).toBe(1);
  });

  it('kills a parser that exceeds its time limit, then carries on with a fresh worker', async () => {
    const target = createSandbox({ timeoutMs: 1500 });
    const before = await echo(target);
    const started = Date.now();
    const error = await target.run(ref('createSpinningParser'), input()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(IngestError);
    expect(error).toMatchObject({ code: 'timeout', message: expect.stringMatching(/longer than 1\.5 s/) });
    expect(Date.now() - started).toBeLessThan(30_000);
    const after = await echo(target);
    expect(after.threadId).not.toBe(before.threadId);
    expect(target.workerCount).toBe(1);
  });

  it('fails a parser that exceeds its heap limit with limit_exceeded, then carries on', async () => {
    const target = createSandbox({ memoryLimitMb: 64 });
    await expect(target.run(ref('createGreedyParser'), input())).rejects.toMatchObject({
      code: 'limit_exceeded',
      message: expect.stringMatching(/^The parser exceeded its 64 MB memory limit/),
    });
    await expect(echo(target)).resolves.toMatchObject({ bytes: 16 });
  });

  it('stops a parser whose buffers outside the heap grow past the allowance', async () => {
    const target = createSandbox({ memoryLimitMb: 64, rssAllowanceMb: 200 });
    await expect(target.run(ref('createBufferHoarderParser'), input())).rejects.toMatchObject({
      code: 'limit_exceeded',
      message: expect.stringMatching(/memory limit \(200 MB including buffers/),
    });
    await expect(echo(target)).resolves.toMatchObject({ bytes: 16 });
  });

  it('reports a worker that dies as a crash and replaces it', async () => {
    const target = createSandbox({});
    await expect(target.run(ref('createExitingParser'), input())).rejects.toMatchObject({
      code: 'corrupt',
      message: expect.stringMatching(/crashed \(worker exited with code 3\)/),
    });
    await expect(echo(target)).resolves.toMatchObject({ bytes: 16 });
  });

  it('aborts cooperative parsers at the soft deadline without killing the worker', async () => {
    const target = createSandbox({ timeoutMs: 1000 });
    const before = await echo(target);
    await expect(target.run(ref('createPatientParser'), input())).rejects.toMatchObject({
      code: 'timeout',
      message: 'stopped cooperatively at the soft deadline',
    });
    expect((await echo(target)).threadId).toBe(before.threadId);
  });

  it('moves whole buffers to the worker and copies views of larger ones', async () => {
    const target = createSandbox({});
    const owned = new Uint8Array(1024);
    expect((await echo(target, owned)).bytes).toBe(1024);
    expect(owned.byteLength).toBe(0);
    const backing = new Uint8Array(4096);
    const view = backing.subarray(100, 300);
    expect((await echo(target, view)).bytes).toBe(200);
    expect(backing.byteLength).toBe(4096);
  });

  it("stops a running parser when the caller's signal aborts", async () => {
    const target = createSandbox({});
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('cancelled by the user')), 300);
    await expect(
      target.run(ref('createSpinningParser'), input(undefined, controller.signal)),
    ).rejects.toThrow('cancelled by the user');
    await expect(echo(target)).resolves.toMatchObject({ bytes: 16 });
  });

  it('rejects queued work and refuses new work once closed', async () => {
    const target = createSandbox({ timeoutMs: 10_000 });
    const running = target.run(ref('createSpinningParser'), input()).catch((error: Error) => error.message);
    const queued = target.run(ref('createEchoParser'), input()).catch((error: Error) => error.message);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await target.close();
    expect(await running).toBe('The parser sandbox was closed');
    expect(await queued).toBe('The parser sandbox was closed');
    await expect(target.run(ref('createEchoParser'), input())).rejects.toThrow('closed');
  });
});
