/**
 * @module models/acquire/lock
 * One pull per model at a time across processes (the server's first start and a `models pull` in
 * another terminal would otherwise write the same partial files). The lock is a file holding the
 * owner's pid; a lock whose process is gone is taken over.
 */
import { open, readFile, rm } from 'node:fs/promises';
import { GroundworkError } from '../../errors.ts';
import { isProcessAlive } from '../../os/process-alive.ts';

/** Takes the lock at `lockPath` or throws `model_busy`; returns the release function. */
export async function lockModel(lockPath: string, model: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(owner) && owner > 0 && isProcessAlive(owner)) {
      throw new GroundworkError({
        code: 'model_busy',
        message:
          `Model ${model} is being pulled by process ${owner}. Wait for it to finish, or delete ` +
          `${lockPath} if that process is not a groundwork pull.`,
        retryable: true,
        details: { model, pid: owner, lockPath },
      });
    }
    await rm(lockPath, { force: true }); // The owner died mid-pull; its partial files are resumed.
  }
  throw new GroundworkError({
    code: 'model_busy',
    message: `Could not lock ${lockPath} for ${model}.`,
    retryable: true,
  });
}
