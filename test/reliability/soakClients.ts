/**
 * A child process holding many real socket.io clients for the soak test, so thousands of sockets
 * do not share the test's own event loop. It is started with fork(); the parent sends
 * `{ url, clients: [{ index, token }] }`, hears `ready` once every client has its `sync`, and asks
 * `report` for the notification ids each client received live.
 */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../contract/wire.js';

export interface SoakStart {
  url: string;
  clients: { index: number; token: string }[];
}
export type SoakReport = Record<number, string[]>;
export type SoakMessage =
  | { kind: 'ready' }
  | { kind: 'report'; received: SoakReport; connected: number }
  | { kind: 'failed'; message: string };

const received = new Map<number, string[]>();
const sockets: Socket<ServerToClientEvents, ClientToServerEvents>[] = [];

function send(message: SoakMessage): void {
  process.send?.(message);
}

async function start({ url, clients }: SoakStart): Promise<void> {
  // Connect in small waves: a real crowd does not arrive in one millisecond either.
  for (let offset = 0; offset < clients.length; offset += 50) {
    await Promise.all(
      clients.slice(offset, offset + 50).map(
        ({ index, token }) =>
          new Promise<void>((resolve, reject) => {
            const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, {
              auth: { token },
              transports: ['websocket'],
              reconnection: false,
              forceNew: true,
            });
            received.set(index, []);
            socket.on('notification:new', (item) => received.get(index)?.push(item.id));
            const timer = setTimeout(() => reject(new Error(`client ${index}: no sync`)), 30_000);
            socket.once('sync', () => {
              clearTimeout(timer);
              resolve();
            });
            socket.once('connect_error', (error) => reject(error));
            sockets.push(socket);
          }),
      ),
    );
  }
  send({ kind: 'ready' });
}

process.on('message', (message: { kind: 'start'; start: SoakStart } | { kind: 'report' }) => {
  if (message.kind === 'start') {
    start(message.start).catch((error: unknown) =>
      send({ kind: 'failed', message: error instanceof Error ? error.message : String(error) }),
    );
  } else {
    send({
      kind: 'report',
      received: Object.fromEntries(received),
      connected: sockets.filter((socket) => socket.connected).length,
    });
  }
});
// The parent going away (a failed test) must not leave this process behind.
process.on('disconnect', () => {
  for (const socket of sockets) socket.close();
  process.exit(0);
});
