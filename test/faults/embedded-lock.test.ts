/**
 * Two servers on one embedded data directory, each in its own PID namespace (as two containers
 * sharing a volume, both pid 1): the second refuses to start and names the holder; once the first is
 * killed with SIGKILL (no clean-up), a new one starts. A PID file cannot do this: both are pid 1.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/os/free-port.ts';
import { canRun, type RunningCli, startCli } from './cli-run.ts';

const NAMESPACE = ['unshare', '--pid', '--fork', '--kill-child'];
const canUnshare = canRun([...NAMESPACE, 'true']);

describe.skipIf(!canUnshare)('embedded data directory lock across PID namespaces', () => {
  const running: RunningCli[] = [];
  let dataDir = '';
  afterAll(async () => {
    for (const server of running) {
      if (server.child.exitCode === null && server.child.signalCode === null) {
        process.kill(-(server.child.pid as number), 'SIGKILL');
      }
      await server.exit;
    }
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('the second server refuses and names the first; after kill -9 of the first, a new one starts', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'gw-lock-ns-'));
    const env = {
      GROUNDWORK_DATA_DIR: dataDir,
      GROUNDWORK_MODELS_DIR: path.join(dataDir, 'no-models'),
      GROUNDWORK_EMBEDDER: 'none',
    };
    const first = startCli(['serve', '--port', String(await freePort())], env, NAMESPACE);
    running.push(first);
    await first.waitFor(/groundwork is running at/);

    const starting = startCli(['serve', '--port', String(await freePort())], env, NAMESPACE);
    running.push(starting);
    // It must exit on its own; one that starts serving is the bug this test is about.
    const started = await starting.waitFor(/groundwork is running at/).then(
      () => true,
      () => false,
    );
    expect(started, 'a second server started on a directory another one holds').toBe(false);
    const second = await starting.exit;
    expect(second.code).not.toBe(0);
    expect(second.stderr.trim()).toMatch(
      /^groundwork: The data directory .* is in use by process 1 on host \S+ \(started \S+\)\. Stop that process.*\[data_dir_locked\]$/,
    );
    expect(second.stderr).not.toMatch(/\n\s+at /);

    process.kill(-(first.child.pid as number), 'SIGKILL');
    await first.exit;
    const third = startCli(['serve', '--port', String(await freePort())], env, NAMESPACE);
    running.push(third);
    await third.waitFor(/groundwork is running at/);
    process.kill(-(third.child.pid as number), 'SIGTERM');
    const stopped = await third.exit;
    expect(stopped.stderr).not.toMatch(/\n\s+at /);
  }, 300_000);
});
