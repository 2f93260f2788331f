/**
 * A TCP proxy in front of a local port, for tests of what a client does when the network fails it:
 * `cut()` destroys every open connection and refuses new ones (a partition), `freeze()` stops passing
 * bytes on the connections open now but leaves them open (a dead peer TCP has not noticed yet), while
 * new connections work normally.
 */
import { connect, createServer, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  cut(): Promise<void>;
  freeze(): void;
  /** The same as `cut`, for cleanup. */
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    for (const socket of pair) {
      socket.on('error', () => socket.destroy());
      socket.on('close', () => {
        pairs.delete(pair);
        for (const other of pair) other.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const cut = async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const pair of pairs) for (const socket of pair) socket.destroy();
    await closed;
  };
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    cut,
    freeze() {
      for (const [client, upstream] of pairs) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
    },
    close: cut,
  };
}
