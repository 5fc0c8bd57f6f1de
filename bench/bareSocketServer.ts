/**
 * The socket.io side both floors share (bench/bareServer.ts for a post's fan-out,
 * bench/likesFloor.ts for a like): Tidings' socket.io version and options (createSocketServer),
 * a token looked up at the handshake, each socket in the room the floor names, an empty `sync`
 * (the bench's clients wait for it to know they are in; it is never part of what is measured),
 * Tidings' listen backlog, and a SIGTERM that closes it all. Whatever a floor does per request is
 * its own; this is only what both need to stand where Tidings stands.
 */
import type { Server } from 'node:http';
import { PROTOCOL_VERSION } from '../contract/wire.js';
import { LISTEN_BACKLOG } from '../server/listenBacklog.js';
import { createSocketServer, type TidingsServer } from '../server/realtime/socketServer.js';

export interface BareSocketOptions {
  /** The user a handshake's token belongs to, or undefined to refuse it. */
  userOf(token: string): string | undefined;
  /** The room a user's sockets join. */
  roomOf(userId: string): string;
  /** The newest seq, for the empty `sync`. */
  upToSeq(): number;
  /** 0 picks one; a fixed port brings a floor back where its clients reconnect (the storm's). */
  port: number;
  /** Runs once the HTTP server closed on SIGTERM, before the process exits. */
  beforeExit?: () => Promise<void>;
}

export function serveBareSocketIo(http: Server, options: BareSocketOptions): TidingsServer {
  const io = createSocketServer(http, {
    isOriginAllowed: () => true,
    isOwnOrigin: () => false,
    isHostAllowed: () => true,
  });
  io.use((socket, next) => {
    const auth: unknown = socket.handshake.auth;
    const token = typeof auth === 'object' && auth !== null && 'token' in auth ? auth.token : '';
    const userId = typeof token === 'string' ? options.userOf(token) : undefined;
    if (userId === undefined) {
      next(new Error('unauthorized'));
      return;
    }
    socket.data = { userId, tokenId: '', since: undefined };
    next();
  });
  io.on('connection', (socket) => {
    void socket.join(options.roomOf(socket.data.userId));
    socket.emit('sync', {
      items: [],
      unreadCount: 0,
      upToSeq: options.upToSeq(),
      truncated: false,
      protocolVersion: PROTOCOL_VERSION,
    });
  });
  // Tidings' own backlog: a listening socket's setting, not socket.io's, and the same for both.
  http.listen({ port: options.port, host: '127.0.0.1', backlog: LISTEN_BACKLOG }, () => {
    const address = http.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    console.log(`listening on http://127.0.0.1:${address.port}`);
  });
  process.on('SIGTERM', () => {
    void io.close();
    http.close(() => {
      void (options.beforeExit?.() ?? Promise.resolve()).then(() => process.exit(0));
    });
  });
  return io;
}
