import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroundwork } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import { createHttpApp } from '../server/app.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/groundwork');
const exec = promisify(execFile);
// Each CLI run compiles the sources with tsx and boots PGlite; on a busy two-core machine that takes a while.
const TIMEOUT_MS = 300_000;

/** `groundwork …` with its exit code, stdout and stderr (a failing run does not throw). */
async function groundwork(args: string[], env: NodeJS.ProcessEnv) {
  try {
    const { stdout, stderr } = await exec(process.execPath, [BIN, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

function jsonOf<T>(output: string): T {
  return JSON.parse(output.slice(output.search(/^[[{]/m))) as T;
}

// The CLI is thin over the same service as `GET /v1/documents`: same columns, same paging, same bounds.
describe('groundwork documents list', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'gw-documents-cli-'));
    const docs = path.join(dir, 'docs');
    await mkdir(docs);
    for (const name of ['alpha', 'beta', 'gamma']) {
      await writeFile(
        path.join(docs, `${name}.md`),
        `# ${name}\n\nAll about ${name} and its returns policy.\n`,
      );
    }
    env = {
      ...process.env,
      GROUNDWORK_DATA_DIR: path.join(dir, 'data'),
      GROUNDWORK_EMBEDDER: 'none',
      GROUNDWORK_LLM: 'none',
      CI: '',
    };
    const ingested = await groundwork(['ingest', docs], env);
    expect(ingested.code, ingested.stderr).toBe(0);
  }, TIMEOUT_MS);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it(
    'prints the rows the HTTP API returns, paged the same way',
    async () => {
      const all = await groundwork(['documents', 'list', '--json'], env);
      expect(all.code, all.stderr).toBe(0);
      const listed = jsonOf<Record<string, unknown>[]>(all.stdout);
      const paged = await groundwork(['documents', 'list', '--json', '--limit', '1', '--offset', '1'], env);
      expect(paged.code, paged.stderr).toBe(0);
      const page = jsonOf<Record<string, unknown>[]>(paged.stdout);

      // The CLI has exited, so this process may open the embedded database.
      const app = await createGroundwork(
        loadConfig({ dataDir: path.join(dir, 'data'), embedder: 'none', llm: { model: 'none' } }),
      );
      try {
        const http = createHttpApp(app);
        const response = await http.request('/v1/documents?limit=1&offset=1');
        expect(response.status).toBe(200);
        const { documents } = (await response.json()) as { documents: Record<string, unknown>[] };
        expect(listed).toHaveLength(3);
        expect(page).toEqual([listed[1]]);
        // Every column of the HTTP listing, and the CLI's old `chunks` kept next to `chunkCount`.
        expect(page).toEqual(documents.map((document) => ({ ...document, chunks: document.chunkCount })));
        expect(Object.keys(page[0] ?? {})).toEqual(
          expect.arrayContaining([
            'id',
            'uri',
            'title',
            'mediaType',
            'chunkCount',
            'tokenCount',
            'createdAt',
          ]),
        );
      } finally {
        await app.close();
      }
    },
    TIMEOUT_MS,
  );

  it(
    'refuses a page out of bounds with the HTTP API’s code instead of a database error',
    async () => {
      for (const limit of ['0', 'abc', '501']) {
        const refused = await groundwork(['documents', 'list', '--limit', limit], env);
        expect(refused.code).toBe(2);
        expect(refused.stderr).toContain('[invalid_query]');
        expect(refused.stderr).not.toContain('unexpected error');
      }
    },
    TIMEOUT_MS,
  );
});
