/**
 * @module testing/fault-proxy
 * A TCP proxy in front of a real server that tests can break on purpose: cut every open connection
 * (what a crashed or restarted server looks like to a client), refuse new ones (a server that is
 * down), or pass traffic again. It lets a test take "the database" away from one client without
 * stopping a Postgres server that other tests share.
 */
import net from 'node:net';

/** What the proxy does with connections. */
export type FaultMode = 'pass' | 'refuse';

/** A running proxy. */
export interface FaultProxy {
  /** The local port clients connect to. */
  readonly port: number;
  /** `url` with its host and port replaced by the proxy's. */
  readonly url: string;
  /** Destroys every open connection in both directions (a reset, not a clean close). */
  cut(): void;
  /** `refuse` resets new connections at once; `pass` forwards them. */
  setMode(mode: FaultMode): void;
  /** Connections opened through the proxy so far. */
  readonly accepted: number;
  close(): Promise<void>;
}

/** Starts a proxy to the server of `targetUrl` (a `postgres://` URL) on a free local port. */
export async function startFaultProxy(targetUrl: string): Promise<FaultProxy> {
  const target = new URL(targetUrl);
  const targetPort = Number(target.port || 5432);
  const sockets = new Set<net.Socket>();
  let mode: FaultMode = 'pass';
  let accepted = 0;
  const server = net.createServer((client) => {
    if (mode === 'refuse') {
      client.resetAndDestroy();
      return;
    }
    accepted++;
    const upstream = net.connect(targetPort, target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      // A reset on one side is passed on as a reset on the other, never thrown.
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const url = new URL(targetUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return {
    port,
    url: url.toString(),
    cut: () => {
      for (const socket of sockets) socket.resetAndDestroy();
      sockets.clear();
    },
    setMode: (next) => {
      mode = next;
    },
    get accepted() {
      return accepted;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
