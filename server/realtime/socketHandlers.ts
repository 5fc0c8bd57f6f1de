/**
 * What happens on a socket: the handshake is authenticated, the socket joins its user's room (and
 * the subscribers' room), receives `sync`, and may then ask to mark read or list with acks. Every
 * payload is validated; a bad payload or a missing ack never throws.
 */
import type { z } from 'zod';
import {
  describeIssues,
  HandshakeAuthSchema,
  ListRequestSchema,
  MarkReadRequestSchema,
  type Ack,
  type ConnectErrorData,
  type WireError,
} from '../../contract/wire.js';
import type { Accounts } from '../domain/accounts.js';
import { DomainError } from '../domain/errors.js';
import type { Inbox } from '../domain/inbox.js';
import { classifyAndLog, wireErrorOf } from '../edge/errors.js';
import type { OriginCheck } from '../edge/origins.js';
import type { RateLimits } from '../edge/rateLimits.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { SubscriptionStore } from '../store/store.js';
import { authWithWebSession } from '../web/socketSession.js';
import { createSocketCap, handshakeAddress, type SocketCap } from './socketAdmission.js';
import {
  SUBSCRIBERS_ROOM,
  tokenRoom,
  userRoom,
  type SocketData,
  type TidingsServer,
  type TidingsSocket,
} from './socketServer.js';
import type { AdmissionControl } from './admission.js';
import { emitSync } from './syncFrame.js';
import type { SyncHandoff } from './syncHandoff.js';

/** Test seams: points in a socket's life where a test can hold the server to force a timing. */
export interface SocketSeams {
  /** Awaited after a new socket joined its rooms and before its catch-up is read. */
  beforeCatchUp?: (userId: string) => Promise<void>;
  /** Called with each new socket once its listeners are on (what it keeps, in memory tests). */
  connected?: (socket: TidingsSocket) => void;
}

export interface SocketHandlerDependencies {
  accounts: Accounts;
  inbox: Inbox;
  store: Pick<SubscriptionStore, 'isSubscribed'>;
  rateLimits: RateLimits;
  metrics: Metrics;
  log: Logger;
  /** The session cookie is honoured only from these (server/web/socketSession.ts). */
  isOwnOrigin: OriginCheck;
  maxSocketsPerUser: number;
  /** With several nodes, the cap counted across them; this node's own count when absent. */
  socketCap?: SocketCap;
  trustProxy: boolean;
  handoff: SyncHandoff;
  admission: AdmissionControl;
  seams?: SocketSeams;
  /** With several nodes, sockets join their token's room (socketServer.ts `tokenRoom`). */
  tokenRooms?: boolean;
  /** With several nodes, the catch-ups after a Redis outage are answered in full. */
  catchUpSince?: (since: number | undefined) => number | undefined;
}

/** A refused handshake: the client sees `err.message` and `err.data` in `connect_error`. */
function refusal(data: ConnectErrorData): Error & { data: ConnectErrorData } {
  return Object.assign(new Error(data.message), { data });
}

function parsePayload<S extends z.ZodType>(schema: S, payload: unknown): z.output<S> {
  const result = schema.safeParse(payload);
  if (!result.success) throw new DomainError('invalid_payload', describeIssues(result.error));
  return result.data;
}

export function attachSocketHandlers(io: TidingsServer, deps: SocketHandlerDependencies): void {
  const { accounts, inbox, store, rateLimits, metrics, log, handoff, admission, seams = {} } = deps;
  const catchUpSince = deps.catchUpSince ?? ((since: number | undefined) => since);
  const cap = deps.socketCap ?? createSocketCap(deps.maxSocketsPerUser);
  /** Admitted sockets still catching up, by socket id: their slot is given back after `sync`. */
  const catchingUp = new Map<string, () => void>();
  const finishCatchUp = (socketId: string): void => {
    catchingUp.get(socketId)?.();
    catchingUp.delete(socketId);
  };

  const toWireError = (error: unknown, where: string): WireError =>
    wireErrorOf(classifyAndLog(error, log, where));

  /** Runs a request and answers through the ack, when the client sent one. */
  function answer<T extends object>(ack: unknown, work: () => Promise<T>): void {
    const reply = typeof ack === 'function' ? (ack as (result: Ack<T>) => void) : undefined;
    work().then(
      (result) => reply?.({ ok: true, ...result }),
      (error: unknown) => reply?.({ ok: false, error: toWireError(error, 'a socket request') }),
    );
  }

  /** Who the handshake is, or a refusal: address limit, token, payload, then the user's cap. */
  async function admit(socket: TidingsSocket): Promise<SocketData> {
    await rateLimits.handshake(handshakeAddress(socket.handshake, deps.trustProxy));
    // The blog's pages send no token: their session cookie stands in (server/web/socketSession.ts).
    const auth: unknown = authWithWebSession(socket.handshake, deps.isOwnOrigin);
    const token =
      typeof auth === 'object' && auth !== null && 'token' in auth ? auth.token : undefined;
    if (typeof token !== 'string' || token.length === 0) {
      throw new DomainError('unauthorized', 'Sign in first: send auth: {token} in the handshake.');
    }
    const parsed = HandshakeAuthSchema.safeParse(auth);
    if (!parsed.success) {
      throw new DomainError('invalid_payload', `Bad handshake: ${describeIssues(parsed.error)}`);
    }
    const session = await accounts.authenticate(parsed.data.token);
    if (!session) {
      throw new DomainError(
        'unauthorized',
        'This token is not valid (signed out or revoked); sign in again.',
      );
    }
    if (!(await cap.admit(session.user.id, socket.conn))) {
      throw new DomainError(
        'rate_limited',
        `This account already has ${deps.maxSocketsPerUser} connections open (the most allowed); close one, e.g. another tab or device, and try again.`,
      );
    }
    return { userId: session.user.id, tokenId: session.tokenId, since: parsed.data.since };
  }

  io.use((socket, next) => {
    // Reconnect storms: beyond the sockets the server is already catching up, come back later.
    const admitted = admission.tryAdmit();
    if (!admitted.admitted) {
      next(
        refusal({
          code: 'server_busy',
          message: 'The server is catching up many clients; try again shortly.',
          retryAfterMs: admitted.retryAfterMs,
        }),
      );
      return;
    }
    // A client that goes away before its `sync` gives its slot back too, whenever that is.
    const gone = (): void => finishCatchUp(socket.id);
    socket.conn.once('close', gone);
    catchingUp.set(socket.id, () => {
      socket.conn.off('close', gone);
      admitted.done();
    });
    admit(socket).then(
      (data) => {
        socket.data = data;
        next();
      },
      (error: unknown) => {
        finishCatchUp(socket.id);
        next(refusal(toWireError(error, 'a socket handshake')));
      },
    );
  });

  // The same listener functions for every socket, called with the socket as `this` (node:events;
  // socket.io's Socket is an EventEmitter): closures made per socket would keep one more context
  // each for as long as the connection (issue 14, memory per connection).
  const onDisconnect = (): void => metrics.socketDisconnected();
  function onMarkRead(this: TidingsSocket, payload: unknown, ack: unknown): void {
    const { id, data } = this;
    answer(ack, async () => {
      await rateLimits.socketEvent(data.userId);
      const request = parsePayload(MarkReadRequestSchema, payload);
      return inbox.markRead(data.userId, request, id);
    });
  }
  function onList(this: TidingsSocket, payload: unknown, ack: unknown): void {
    const { userId } = this.data;
    // The payload is optional: `emit('notification:list', ack)` asks for the newest page.
    const [request, reply] = typeof payload === 'function' ? [{}, payload] : [payload, ack];
    answer(reply, async () => {
      await rateLimits.socketEvent(userId);
      const { before, limit } = parsePayload(ListRequestSchema, request ?? {});
      return inbox.listPage(userId, before, limit);
    });
  }

  io.on('connection', (socket) => {
    const { userId, tokenId, since } = socket.data;
    metrics.socketConnected();
    socket.on('disconnect', onDisconnect);
    socket.on('notification:mark-read', onMarkRead);
    socket.on('notification:list', onList);
    seams.connected?.(socket);

    // Rooms first, then the catch-up, so nothing published meanwhile can miss the socket; the
    // handoff makes sure nothing reaches it twice either (server/realtime/syncHandoff.ts).
    handoff.begin(socket);
    void socket.join(deps.tokenRooms ? [userRoom(userId), tokenRoom(tokenId)] : userRoom(userId));
    store
      .isSubscribed(userId)
      .then(async (subscribed) => {
        if (subscribed) await socket.join(SUBSCRIBERS_ROOM);
        await seams.beforeCatchUp?.(userId);
        const { payload, watermark } = await inbox.catchUp(userId, catchUpSince(since));
        handoff.sendSync(socket, watermark, () => emitSync(socket, payload));
        finishCatchUp(socket.id);
      })
      .catch((error: unknown) => {
        log.error('could not send sync', error);
        socket.disconnect(true);
      });
  });
}
