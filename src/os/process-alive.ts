/**
 * @module os/process-alive
 * Whether a process id still names a running process, for lock files whose owner may have died
 * (the embedded database's lock, a model pull's lock): signal 0 checks without signalling, and EPERM
 * means the process exists but belongs to someone else.
 */

/** True when `pid` is a running process. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
