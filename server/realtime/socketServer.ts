/**
 * The socket.io server, typed with the contract's events. Browser origins are checked against the
 * same allowlist as HTTP (CORS alone does not stop WebSocket upgrades), and messages are capped at
 * LIMITS.socketMessageBytes: a bigger one closes that connection and nothing else.
 *
 * Memory per connection matters (10,000 sockets per process; docs/BENCHMARKS.md): no per-message
 * compression (a zlib context per socket costs far more than our small messages save), and the
 * raw HTTP request, with the handshake's headers, query and auth, is let go once the handshake
 * has been read. Long-polling stays allowed for scripts and proxies without WebSocket; both
 * Tidings clients connect by WebSocket directly.
 */
import { EventEmitter } from 'node:events';
import { ServerResponse, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { Socket as NetSocket } from 'node:net';
import { Server, type Socket } from 'socket.io';
import {
  LIMITS,
  type ClientToServerEvents,
  type NotificationItem,
  type ServerToClientEvents,
} from '../../contract/wire.js';
import type { OriginPolicy } from '../edge/origins.js';
import type { LiveTarget } from './syncHandoff.js';

/** What the auth middleware learned about a socket. */
export interface SocketData {
  userId: string;
  tokenId: string;
  since: number | undefined;
}

/** Between nodes sharing a blog (serverSideEmit through the Redis adapter; server/cluster/). */
export interface NodeToNodeEvents {
  /** An item another node pushed, for this node's sockets in handoff (syncHandoff.ts). */
  'handoff:item': (target: LiveTarget, item: NotificationItem) => void;
  /** Answer once every push this node made so far has been published (syncHandoff.ts). */
  'handoff:barrier': (done: (landed: true) => void) => void;
  /** After a Redis outage: answer catch-ups in full for a while (catchUpAfterOutage.ts). */
  'catchup:full': () => void;
  /** Move this node's sockets of the user in or out of the subscribers' room, then answer. */
  'subscribers:move': (userId: string, subscribed: boolean, done: (moved: true) => void) => void;
}

export type TidingsServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  NodeToNodeEvents,
  SocketData
>;

export type TidingsSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  NodeToNodeEvents,
  SocketData
>;

export const userRoom = (userId: string): string => `user:${userId}`;
export const SUBSCRIBERS_ROOM = 'subscribers';
/**
 * The sockets of one login token, so revoking it reaches them on every node. Only with several
 * nodes: one node finds a token's sockets by their `socket.data` when it is revoked, which is
 * rare, rather than keep a room, its key and a set per socket (about 0.25 KB of each; issue 14).
 */
export const tokenRoom = (tokenId: string): string => `token:${tokenId}`;

/** What a connected socket's handshake holds instead of what it was read from. */
const RELEASED = Object.freeze({});

export function createSocketServer(httpServer: HttpServer, origins: OriginPolicy): TidingsServer {
  const io: TidingsServer = new Server<
    ClientToServerEvents,
    ServerToClientEvents,
    NodeToNodeEvents,
    SocketData
  >(httpServer, {
    maxHttpBufferSize: LIMITS.socketMessageBytes,
    serveClient: false,
    perMessageDeflate: false,
    // Plain CORS for allowlisted origins' long-polling, never with credentials: the session
    // cookie is honoured only from the server's own origin (server/web/socketSession.ts).
    cors: {
      origin: (origin, callback) =>
        callback(null, origin === undefined || origins.isOriginAllowed(origin, {})),
      credentials: false,
    },
    allowRequest: (req, callback) => {
      const allowed =
        origins.isHostAllowed(req.headers.host) &&
        origins.isOriginAllowed(req.headers.origin, req.headers);
      callback(allowed ? null : 'host or origin not allowed', allowed);
    },
  });
  // engine.io wraps each WebSocket upgrade in a response object for its middlewares, and the
  // response's constructor puts a once('close') listener on the TCP socket (engine.io 6.6,
  // server.js: `WebSocketResponse`) only so that middlewares can wait for the response's 'close'.
  // Tidings has none that do, yet that listener would keep the response, its event table and the
  // upgrade request it holds for as long as the connection: about 0.6 KB of each of 10,000
  // sockets (docs/BENCHMARKS.md). The TCP socket has no other once('close') listener by then
  // (server/serve.ts listens with `on`; ws listens later), so it is taken off here.
  io.engine.use((_request: IncomingMessage, response: object, next: () => void) => {
    if (!(response instanceof ServerResponse)) releaseUpgradeResponse(response);
    next();
  });
  io.on('connection', (socket) => {
    // By now socket.handshake holds the headers, auth and address Tidings reads; the request
    // object behind it (headers, raw headers, query) would otherwise live as long as the
    // connection: about 1 KB of 10,000 sockets' memory each (docs/BENCHMARKS.md).
    Reflect.set(socket.conn, 'request', undefined);
    // socket.handshake itself keeps the request's headers and parsed query objects (socket.io
    // 4.8, `buildHandshake`), the client's auth with its login token, the request's URL and the
    // time as a 60-character string, for as long as the connection: Tidings reads them only in
    // its handshake middlewares, which have run by now. The address, `issued` and flags stay.
    socket.handshake.headers = RELEASED;
    socket.handshake.query = RELEASED;
    socket.handshake.auth = RELEASED;
    socket.handshake.url = '';
    socket.handshake.time = '';
    releaseUpgradeListeners(socket.conn.transport);
  });
  return io;
}

/** The raw 'close' listeners engine.io's upgrade response put on its TCP socket (see above). */
function releaseUpgradeResponse(response: object): void {
  const { socket } = response as { socket?: unknown };
  if (!(socket instanceof NetSocket)) return;
  // A once-listener is a wrapper with the listener it wraps as `.listener` (node:events).
  const onceListeners = (socket.rawListeners('close') as (() => void)[]).filter(
    (listener) => 'listener' in listener,
  );
  const [responseClose] = onceListeners;
  if (onceListeners.length === 1 && responseClose) socket.removeListener('close', responseClose);
}

/**
 * What engine.io leaves on a WebSocket connection's transport after the handshake and never
 * needs again (engine.io 6.6, server.js): the transport's 'headers' listener, which answers only
 * HTTP responses (long-polling; a WebSocket's were written at the upgrade), and the WebSocket's
 * `onUpgradeError`, which swallows errors only until the transport listens itself (it does by
 * now; engine.io takes it off the same way when a long-polling client upgrades). Each keeps a
 * closure and its context per socket.
 */
function releaseUpgradeListeners(transport: TidingsSocket['conn']['transport']): void {
  if (transport.name !== 'websocket') return;
  transport.removeAllListeners('headers');
  const { socket } = transport as { socket?: unknown };
  if (!(socket instanceof EventEmitter)) return;
  for (const listener of socket.listeners('error') as (() => void)[]) {
    if (listener.name === 'onUpgradeError') socket.removeListener('error', listener);
  }
}

/** What Tidings reads of an Engine.IO session (engine.io 6's `Socket`) and its transport. */
interface EngineSession {
  transport: { name: string; req?: IncomingMessage | null };
}

/**
 * Cuts the connection of every poll a long-polling session holds open, those of sessions that
 * never joined a namespace too, so that none holds a stop's drain. Cut, not answered with
 * Engine.IO's close packet: a client takes that packet as the server ending its session for good,
 * and Debian's python3-socketio then never reconnects, while a cut connection is an outage it
 * recovers from, as socket.io's own client does from both. The WebSocket sessions are left alone
 * (server/serve.ts ends them at the stop's end).
 */
export function cutHeldPolls(io: TidingsServer): void {
  // engine.io's types mark `clients` protected, though it is the sessions by id that its own
  // `close()` walks, and the polling transport's held request (`req`) is not declared; no public
  // accessor gives either.
  const { clients } = io.engine as unknown as { clients: Record<string, EngineSession> };
  for (const session of Object.values(clients)) {
    if (session.transport.name === 'polling') session.transport.req?.socket.destroy();
  }
}
