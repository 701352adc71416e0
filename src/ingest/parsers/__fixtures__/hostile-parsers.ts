/**
 * @module ingest/parsers/__fixtures__/hostile-parsers
 * Test-only parsers for the sandbox: one that never returns, two that eat memory (heap, buffers),
 * one that kills its thread, one that honours its abort signal, and a well-behaved echo. Workers
 * load them through `ParserModuleRef`, the sandbox's test seam.
 */
import type { DocumentParser, ParserInput } from '../../../spec/parser.ts';

function parser(name: string, parse: (input: ParserInput) => Promise<unknown>): DocumentParser {
  return { specificationVersion: 'v1', name, mediaTypes: ['text/plain'], parse } as DocumentParser;
}

/** Spins forever in synchronous code, ignoring its abort signal. */
export function createSpinningParser(): DocumentParser {
  return parser('spinning', async () => {
    for (;;) {
      // Busy loop: only terminating the thread stops it.
    }
  });
}

/** Allocates heap until the worker's memory limit stops it. */
export function createGreedyParser(): DocumentParser {
  return parser('greedy', async () => {
    const hoard: string[][] = [];
    for (;;) hoard.push(Array.from({ length: 100_000 }, (_, index) => `item-${index}-${hoard.length}`));
  });
}

/** Fills typed arrays, which live outside the V8 heap, as pdf.js does when it inflates a stream. */
export function createBufferHoarderParser(): DocumentParser {
  return parser('buffer-hoarder', async () => {
    const hoard: Uint8Array[] = [];
    for (;;) hoard.push(new Uint8Array(32 * 1024 * 1024).fill(hoard.length + 1));
  });
}

/** Ends its worker thread abruptly, as a native crash would. */
export function createExitingParser(): DocumentParser {
  return parser('exiting', async () => process.exit(3));
}

/** Echoes the input: byte count, worker thread id and its options. */
export function createEchoParser(options?: unknown): DocumentParser {
  return parser('echo', async (input) => {
    const { threadId } = await import('node:worker_threads');
    const text = JSON.stringify({
      bytes: input.bytes.byteLength,
      threadId,
      options,
      signal: input.signal !== undefined,
    });
    return { documents: [{ blocks: [{ kind: 'paragraph', text }] }], warnings: [] };
  });
}

/** Waits for its abort signal, then fails the way a cooperative parser does. */
export function createPatientParser(): DocumentParser {
  return parser('patient', async (input) => {
    await new Promise((resolve) => input.signal?.addEventListener('abort', resolve));
    const { IngestError } = await import('../../../errors.ts');
    throw new IngestError('timeout', 'stopped cooperatively at the soft deadline');
  });
}
