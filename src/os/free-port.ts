/**
 * @module os/free-port
 * A TCP port free on 127.0.0.1 right now, for a child process (a test server, an engine a test or a
 * benchmark starts) that must be told its port before it listens. Another process may take the port
 * before the child binds it; callers that cannot retry should let the child pick (`--port 0`) instead.
 */
import { createServer } from 'node:net';

/** Asks the kernel for an ephemeral port, then frees it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
