/**
 * A TCP relay to the server that can turn into a black hole: connections are still accepted, but
 * not one byte goes either way, on old or new connections, as with a dead NAT entry or a firewall
 * that drops packets. Unlike test/core/tcpProxy.ts nothing is closed, so nobody is told.
 */
import { connect, createServer, type Socket } from 'node:net';
import { once } from 'node:events';

export interface BlackHoleRelay {
  url: string;
  /** From now on nothing passes, and nothing is closed. */
  swallow(): void;
  /** Connections made from now on work again (stalled ones stay stalled until their owner gives up). */
  restore(): void;
  close(): Promise<void>;
}

export async function startBlackHoleRelay(targetPort: number): Promise<BlackHoleRelay> {
  const sockets = new Set<Socket>();
  let swallowing = false;
  const server = createServer((inbound) => {
    sockets.add(inbound);
    inbound.on('close', () => sockets.delete(inbound));
    inbound.on('error', () => inbound.destroy());
    if (swallowing) return; // accepted, and then silence
    const outbound = connect(targetPort, '127.0.0.1');
    sockets.add(outbound);
    outbound.on('close', () => sockets.delete(outbound));
    outbound.on('error', () => inbound.destroy());
    inbound.on('close', () => outbound.destroy());
    outbound.on('close', () => inbound.destroy());
    // Forward by hand, so that swallowing can stop the flow without closing anything.
    inbound.on('data', (chunk: Buffer) => void (swallowing || outbound.write(chunk)));
    outbound.on('data', (chunk: Buffer) => void (swallowing || inbound.write(chunk)));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    swallow: () => void (swallowing = true),
    restore: () => {
      swallowing = false;
      // The stalled connections are dead to both ends by now; drop them like a NAT would.
      for (const socket of sockets) socket.destroy();
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
