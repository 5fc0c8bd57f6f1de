/**
 * The socket.io server, typed with the contract's events. Browser origins are checked against the
 * same allowlist as HTTP (CORS alone does not stop WebSocket upgrades), and messages are capped at
 * LIMITS.socketMessageBytes: a bigger one closes that connection and nothing else.
 */
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import {
  LIMITS,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '../../contract/wire.js';
import type { OriginCheck } from '../http/origins.js';

/** What the auth middleware learned about a socket. */
export interface SocketData {
  userId: string;
  tokenId: string;
  since: number | undefined;
}

// socket.io's third parameter types server-to-server events, which Tidings does not use.
type NoServerEvents = Record<string, never>;

export type TidingsServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  NoServerEvents,
  SocketData
>;

export const userRoom = (userId: string): string => `user:${userId}`;
export const SUBSCRIBERS_ROOM = 'subscribers';

export function createSocketServer(
  httpServer: HttpServer,
  isOriginAllowed: OriginCheck,
): TidingsServer {
  return new Server<ClientToServerEvents, ServerToClientEvents, NoServerEvents, SocketData>(
    httpServer,
    {
      maxHttpBufferSize: LIMITS.socketMessageBytes,
      serveClient: false,
      cors: {
        origin: (origin, callback) =>
          callback(null, origin === undefined || isOriginAllowed(origin, {})),
        credentials: true,
      },
      allowRequest: (req, callback) => {
        const allowed = isOriginAllowed(req.headers.origin, req.headers);
        callback(allowed ? null : 'origin not allowed', allowed);
      },
    },
  );
}
