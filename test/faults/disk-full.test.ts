/**
 * Fault suite: the embedded server's volume fills up while it runs. The data directory is a small
 * tmpfs in a private mount namespace (`unshare --mount`); a filler file takes all but a little of
 * it, then files are uploaded one request each. The server must not exit; every upload is accepted
 * (202) or refused with a stable error code; every accepted item ends `done` or `failed` with a
 * reason. Then space is freed, what did not make it is uploaded again, and the result must equal a
 * clean ingest of the same files: each file once, with the same title, chunks and tokens.
 * Skipped where mounts are not allowed (not root, or no `unshare`).
 */
import { readFileSync, statfsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/os/free-port.ts';
import { canRun, type RunningCli, startCli } from './cli-run.ts';
import { writeCorpus } from './corpus.ts';

const isRoot = process.getuid?.() === 0;
const canMount = isRoot && canRun(['unshare', '--mount', 'true']);
const VOLUME_MIB = 160;
const MIB = 1024 * 1024;

interface Server {
  readonly cli: RunningCli;
  readonly base: string;
}

async function startServer(dataDir: string, scratch: string, mountAt?: string): Promise<Server> {
  const port = await freePort();
  const wrapper = mountAt
    ? [
        'unshare',
        '--mount',
        'sh',
        '-c',
        `mount -t tmpfs -o size=${VOLUME_MIB}m tmpfs "${mountAt}" && exec "$@"`,
        'sh',
      ]
    : [];
  const cli = startCli(
    ['serve', '--port', String(port)],
    { GROUNDWORK_DATA_DIR: dataDir, GROUNDWORK_MODELS_DIR: path.join(scratch, 'no-models') },
    wrapper,
  );
  await cli.waitFor(/groundwork is running/, 240_000);
  return { cli, base: `http://127.0.0.1:${port}` };
}

interface Item {
  readonly status: string;
  readonly code: string | null;
  readonly reason?: string | null;
}

/**
 * Posts one file as multipart over node:http, which hands over a response the server sends before it
 * has read the whole body (a refusal mid-upload), where fetch reports only the closed socket.
 */
function postFile(base: string, file: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const boundary = `----groundwork${Date.now()}`;
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${path.basename(file)}"\r\n` +
        'Content-Type: text/markdown\r\n\r\n',
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const body = Buffer.concat([head, readFileSync(file), tail]);
    const request = http.request(
      `${base}/v1/documents`,
      {
        method: 'POST',
        headers: {
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': body.length,
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      },
    );
    // A refusal may close the socket while the body is still being written: the response decides.
    request.on('error', (error) => setTimeout(() => reject(error), 1000));
    request.end(body);
  });
}

/** A GET on a new connection each time: the server may close a kept-alive one after a refusal. */
function getFresh(url: string): Promise<Response> {
  return fetch(url, { headers: { connection: 'close' } });
}

/** Uploads one file; the job's items once it has ended, or the refusal. */
async function upload(
  base: string,
  file: string,
): Promise<{ status: number; code?: string; items?: Item[] }> {
  const response = await postFile(base, file);
  const body = JSON.parse(response.text) as { job?: { id: string }; error?: { code: string } };
  if (response.status !== 202) return { status: response.status, code: body.error?.code };
  const jobId = body.job?.id as string;
  for (;;) {
    const job = (await (await getFresh(`${base}/v1/jobs/${jobId}`)).json()) as {
      job: { status: string };
      items: Item[];
    };
    if (!['queued', 'running'].includes(job.job.status)) return { status: 202, items: job.items };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

interface DocumentRow {
  readonly uri: string;
  readonly title: string;
  readonly chunkCount: number;
  readonly tokenCount: number;
}

/** Per file name, what the server holds for it (a list, so duplicates show). */
async function documentsByName(base: string): Promise<Map<string, string[]>> {
  const byName = new Map<string, string[]>();
  for (let offset = 0; ; offset += 100) {
    const { documents } = (await (
      await getFresh(`${base}/v1/documents?limit=100&offset=${offset}`)
    ).json()) as {
      documents: DocumentRow[];
    };
    for (const row of documents) {
      const name = decodeURIComponent(path.basename(row.uri));
      byName.set(name, [...(byName.get(name) ?? []), `${row.title}|${row.chunkCount}|${row.tokenCount}`]);
    }
    if (documents.length < 100) return byName;
  }
}

describe.runIf(canMount)('the embedded server when its volume fills up', () => {
  let scratch: string;
  let files: string[];
  const servers: Server[] = [];

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'gw-fault-disk-'));
    // Big enough files that a few fill what is left after the filler.
    files = await writeCorpus(path.join(scratch, 'corpus'), 'full', 24, 7);
    for (const [index, file] of files.entries()) {
      if (index % 3 !== 0) continue;
      // Every third file carries 1.5 MiB of padding, so the volume runs out partway through.
      await writeFile(file, `# padded ${index}\n\n${'padding words for the disk. '.repeat(56_000)}\n`);
    }
  }, 60_000);

  afterAll(async () => {
    for (const server of servers) {
      if (server.cli.child.exitCode === null) {
        server.cli.child.kill('SIGTERM');
        await server.cli.exit;
      }
    }
    await rm(scratch, { recursive: true, force: true });
  });

  it('refuses or fails what does not fit, stays up, and converges after space is freed', async () => {
    const volume = path.join(scratch, 'volume');
    await mkdir(volume);
    const full = await startServer(path.join(volume, 'data'), scratch, volume);
    servers.push(full);
    const pid = full.cli.child.pid as number;
    // The server's view of the volume, from outside its mount namespace.
    const inside = `/proc/${pid}/root${volume}`;
    const stats = statfsSync(inside);
    const free = Number(stats.bavail) * Number(stats.bsize);
    expect(free).toBeGreaterThan(8 * MIB);
    await writeFile(path.join(inside, 'filler'), Buffer.alloc(free - 4 * MIB));

    const outcomes = [];
    for (const file of files) outcomes.push({ file, ...(await upload(full.base, file)) });
    expect(full.cli.child.exitCode, full.cli.output()).toBeNull();
    const refused = outcomes.filter((outcome) => outcome.status !== 202);
    const failedItems = outcomes.flatMap((outcome) =>
      (outcome.items ?? []).filter((item) => item.status === 'failed'),
    );
    // The volume did run out: something was refused or failed.
    expect(refused.length + failedItems.length).toBeGreaterThan(0);
    for (const outcome of refused) {
      // Not a timeout, not a 500: the caller is told the server is out of space, at once.
      expect({ status: outcome.status, code: outcome.code }, JSON.stringify(outcome)).toEqual({
        status: 507,
        code: 'insufficient_storage',
      });
    }
    for (const item of failedItems) expect(item.code ?? item.reason, JSON.stringify(item)).toBeTruthy();
    expect((await fetch(`${full.base}/healthz`)).status).toBe(200);

    // Space comes back; what did not make it is sent again.
    await rm(path.join(inside, 'filler'));
    const stored = await documentsByName(full.base);
    for (const file of files) {
      if (stored.has(path.basename(file))) continue;
      const again = await upload(full.base, file);
      expect(again.status, JSON.stringify(again)).toBe(202);
      expect(
        again.items?.every((item) => item.status === 'done'),
        JSON.stringify(again),
      ).toBe(true);
    }
    expect(full.cli.child.exitCode, full.cli.output()).toBeNull();

    // A clean ingest of the same files, on an ordinary directory.
    const clean = await startServer(path.join(scratch, 'clean'), scratch);
    servers.push(clean);
    for (const file of files) await upload(clean.base, file);
    expect(await documentsByName(full.base)).toEqual(await documentsByName(clean.base));
  }, 600_000);
});
