import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = path.resolve(import.meta.dirname, '../../bin/groundwork');
// tsx compiles the sources, PGlite boots and the knowledge is ingested: slow on a shared two-core box.
const TIMEOUT_MS = 300_000;

/** Starts `groundwork support` on any free port; resolves with its URL and banner. */
function start(dataDir: string): Promise<{ child: ChildProcess; url: string; banner: string }> {
  const child = spawn(process.execPath, [BIN, 'support', '--port', '0'], {
    env: {
      ...process.env,
      CI: '',
      GROUNDWORK_DATA_DIR: dataDir,
      GROUNDWORK_EMBEDDER: 'none',
      GROUNDWORK_LLM: 'none',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner; output:\n${output}`)), TIMEOUT_MS - 30_000);
    const onData = (data: Buffer) => {
      output += data.toString();
      const url = /running at (http:\/\/[\d.]+:\d+)/.exec(output)?.[1];
      if (url && /try: curl/.test(output)) {
        clearTimeout(timer);
        resolve({ child, url, banner: output });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited ${code}; output:\n${output}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

describe('groundwork support', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'gw-support-cli-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it(
    'serves the support app (each manual ingested once, orders seeded once) and answers a message',
    async () => {
      const first = await start(dataDir);
      let documents: string | undefined;
      try {
        expect(first.banner).toContain('mode: routed (no LLM');
        expect(first.banner).toContain('seeded the demo data');
        documents = /knowledge: (\d+ documents, \d+ chunks)/.exec(first.banner)?.[1];
        expect(Number.parseInt(documents ?? '0', 10)).toBeGreaterThan(10);
        const response = await fetch(`${first.url}/v1/support/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ message: 'Where is my order GW-10004? My email is maya.patel@example.com' }),
        });
        expect(response.status).toBe(200);
        const turn = (await response.json()) as { mode: string; agent: string; reply: string };
        expect(turn).toMatchObject({ mode: 'routed', agent: 'orders' });
        expect(turn.reply).toContain('GW-10004');
        // Each manual once: the three with a PDF are ingested as PDFs, not also as Markdown.
        const listed = (await (await fetch(`${first.url}/v1/documents?limit=500`)).json()) as {
          documents: { title: string; mediaType: string }[];
        };
        const titles = listed.documents.map((document) => document.title);
        expect(new Set(titles).size).toBe(titles.length);
        expect(listed.documents.filter((document) => document.mediaType === 'application/pdf')).toHaveLength(
          3,
        );
        expect(titles).toContain('Nova BE9300 Wi-Fi 7 router manual');
        const bad = await fetch(`${first.url}/v1/support/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"message":',
        });
        expect(bad.status).toBe(400);
        expect(await bad.json()).toMatchObject({ error: { code: 'invalid_json' } });
      } finally {
        await stop(first.child);
      }
      // Started again over the same data: nothing new is ingested and the orders are kept.
      const second = await start(dataDir);
      try {
        expect(second.banner).toContain(`knowledge: ${documents}`);
        expect(second.banner).toContain('kept the stored data');
      } finally {
        await stop(second.child);
      }
    },
    TIMEOUT_MS,
  );
});
