/**
 * The tray app's ONE live socket to the server. It owns reconnecting (its own backoff, so it can
 * say when the next attempt is due), the handshake (`since` recomputed on every attempt, so a
 * reconnect asks for exactly what was missed) and the plain-language status. What the events
 * mean for the inbox is the caller's business.
 */
import { io, type Socket } from 'socket.io-client';
import {
  CLIENT_EVENTS,
  PROTOCOL_VERSION,
  SERVER_EVENTS,
  type Ack,
  type ClientToServerEvents,
  type ConnectErrorData,
  type ListRequest,
  type MarkReadAck,
  type MarkReadRequest,
  type NotificationItem,
  type NotificationPage,
  type ReadChangePayload,
  type ServerToClientEvents,
  type SyncPayload,
} from '../../contract/wire.js';
import type { ConnectionStatus } from '../../contract/ipc.js';
import type { Clock } from './ports.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import type { Route } from './network.js';
import { describeNetworkError } from './serverApi.js';

/** How long an ack may take before the call counts as failed. */
export const ACK_TIMEOUT_MS = 8_000;
/** A busy server's `retryAfterMs` is honoured up to this; a bigger one is a server's mistake. */
const MAX_SERVER_RETRY_MS = 60_000;
/** How long one connection attempt may take before it counts as failed. */
export const CONNECT_TIMEOUT_MS = 10_000;

export interface ConnectionListener {
  status(status: ConnectionStatus): void;
  /** `sentSince` is the `since` this connection's handshake carried (undefined: none). */
  sync(payload: SyncPayload, sentSince: number | undefined): void;
  newItem(item: NotificationItem): void;
  /** An `unread:count`: the unread items up to `upToSeq`. */
  unreadCount(count: number, upToSeq: number): void;
  remoteRead(change: ReadChangePayload): void;
  /** The server refused the token: the caller signs out. No retry follows. */
  unauthorized(message: string): void;
}

export interface ConnectionOptions {
  serverUrl: string;
  token: string;
  /** The highest seq seen so far, or 0: read at every attempt. */
  highestSeq: () => number;
  /** The proxy and trusted CAs for the server, asked at every attempt (networks change). */
  route?: () => Promise<Route>;
  clock: Clock;
  random?: () => number;
  backoff?: BackoffPolicy;
  log: (message: string) => void;
}

export interface Connection {
  /** Starts connecting; retries on its own until closed. */
  open(): void;
  /** Disconnects for good and cancels the retry timer. */
  close(): void;
  /** Reconnect now instead of at the next backoff deadline (resume from sleep, network back). */
  wake(): void;
  markRead(request: MarkReadRequest): Promise<Ack<MarkReadAck>>;
  list(request: ListRequest): Promise<Ack<{ items: NotificationItem[] }>>;
}

type TidingsSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export function createConnection(
  options: ConnectionOptions,
  listener: ConnectionListener,
): Connection {
  const { clock, log } = options;
  const random = options.random ?? Math.random;
  let attempt = 0;
  let retryTimer: { cancel(): void } | null = null;
  let closed = false;
  let sentSince: number | undefined;

  const socket: TidingsSocket = io(options.serverUrl, {
    autoConnect: false,
    // Reconnection is driven below, so the status can say when the next attempt is due.
    reconnection: false,
    // forceNew: two accounts (or two test cores) in one process must not share a Manager.
    forceNew: true,
    transports: ['websocket'],
    timeout: CONNECT_TIMEOUT_MS,
    auth: (reply) => {
      const highest = options.highestSeq();
      sentSince = highest > 0 ? highest : undefined;
      reply(
        sentSince === undefined
          ? { token: options.token }
          : { token: options.token, since: sentSince },
      );
    },
  });

  let routing = 0;
  const connectNow = (): void => {
    if (closed) return;
    retryTimer?.cancel();
    retryTimer = null;
    listener.status({ state: 'connecting' });
    if (options.route === undefined) {
      socket.connect();
      return;
    }
    const attemptNumber = ++routing;
    options.route().then(
      (route) => {
        if (closed || attemptNumber !== routing) return;
        // engine.io-client hands `agent`, `ca` and `checkServerIdentity` to ws on Node; its type
        // says `string | boolean` for `agent` only because the browser build ignores it.
        socket.io.opts.agent = route.agent as unknown as string;
        Object.assign(socket.io.opts, route.tls);
        socket.connect();
      },
      (error: unknown) => {
        if (closed || attemptNumber !== routing) return;
        scheduleRetry(error instanceof Error ? error.message : String(error));
      },
    );
  };

  /** `serverSaysMs`: a busy server's `retryAfterMs`, honoured instead of our own backoff. */
  const scheduleRetry = (reason: string, serverSaysMs?: number): void => {
    if (closed || retryTimer !== null) return;
    const delay = serverSaysMs ?? backoffDelay(attempt, random, options.backoff ?? DEFAULT_BACKOFF);
    attempt += 1;
    const retryAt = clock.now() + delay;
    retryTimer = clock.setTimeout(() => {
      retryTimer = null;
      connectNow();
    }, delay);
    listener.status({ state: 'offline', retryAt, reason });
  };

  // 'online' waits for `sync`: only then is the inbox caught up and the protocol known to match.
  socket.on('connect', () => {
    attempt = 0;
  });

  socket.on('connect_error', (error: Error & { data?: Partial<ConnectErrorData> }) => {
    if (closed) return;
    if (error.data?.code === 'unauthorized') {
      closed = true;
      listener.unauthorized(error.message || 'the server refused the saved sign-in');
      return;
    }
    log(`tidings: connection attempt failed: ${error.message}`);
    const retryAfterMs = error.data?.retryAfterMs;
    const serverSays =
      error.data?.code === 'server_busy' &&
      typeof retryAfterMs === 'number' &&
      Number.isFinite(retryAfterMs) &&
      retryAfterMs > 0
        ? Math.min(retryAfterMs, MAX_SERVER_RETRY_MS)
        : undefined;
    scheduleRetry(describeConnectError(error, options.serverUrl), serverSays);
  });

  socket.on('disconnect', (reason) => {
    if (closed || reason === 'io client disconnect') return;
    // 'io server disconnect' is how the server drops a revoked token's sockets; the retry's
    // handshake then gets `unauthorized`, so the user learns why rather than seeing a loop.
    scheduleRetry(describeDisconnect(reason));
  });

  socket.on(SERVER_EVENTS.sync, (payload) => {
    if (payload.protocolVersion !== PROTOCOL_VERSION) {
      closed = true;
      socket.disconnect();
      listener.status({
        state: 'server-incompatible',
        message: `The server speaks protocol ${payload.protocolVersion}; this app speaks ${PROTOCOL_VERSION}. Update the app or the server.`,
      });
      return;
    }
    listener.sync(payload, sentSince);
    listener.status({ state: 'online' });
  });
  socket.on(SERVER_EVENTS.notificationNew, (item) => listener.newItem(item));
  socket.on(SERVER_EVENTS.unreadCount, (payload) =>
    listener.unreadCount(payload.unreadCount, payload.upToSeq),
  );
  socket.on(SERVER_EVENTS.notificationRead, (change) => listener.remoteRead(change));

  const request = <T extends object>(
    send: (socket: TidingsSocket, done: (error: Error | null, result?: Ack<T>) => void) => void,
  ): Promise<Ack<T>> =>
    new Promise((resolve) => {
      if (!socket.connected) {
        resolve({
          ok: false,
          error: { code: 'internal', message: 'Not connected to the server.' },
        });
        return;
      }
      send(socket, (error, result) => {
        if (error || result === undefined) {
          resolve({
            ok: false,
            error: { code: 'internal', message: 'The server did not answer in time.' },
          });
        } else {
          resolve(result);
        }
      });
    });

  return {
    open: connectNow,
    close() {
      closed = true;
      retryTimer?.cancel();
      retryTimer = null;
      socket.disconnect();
    },
    wake() {
      if (closed) return;
      attempt = 0;
      // After sleep an "online" socket may be dead without knowing it yet; a fresh handshake
      // with `since` costs one round trip and catches up at once.
      if (socket.connected) socket.disconnect();
      connectNow();
    },
    markRead: (payload) =>
      request<MarkReadAck>((s, done) =>
        s
          .timeout(ACK_TIMEOUT_MS)
          .emit(CLIENT_EVENTS.markRead, payload, (error, result) => done(error, result)),
      ),
    list: (payload) =>
      request<NotificationPage>((s, done) =>
        s
          .timeout(ACK_TIMEOUT_MS)
          .emit(CLIENT_EVENTS.list, payload, (error, result) => done(error, result)),
      ),
  };
}

function describeConnectError(error: Error & { description?: unknown }, serverUrl: string): string {
  // A refused certificate says what to do about it (a private CA's file in Settings), as sign-in
  // does, rather than "cannot be reached".
  const code = tlsErrorCode(error.description);
  if (code !== null) {
    const described = describeNetworkError({ name: 'Error', message: code, code }, serverUrl);
    if (described.code === 'certificate_untrusted') return described.message;
  }
  if (error.message === 'timeout') return 'the server did not answer';
  if (/websocket error|xhr poll error/i.test(error.message)) return 'the server cannot be reached';
  return error.message;
}

/**
 * The Node error code behind engine.io's "websocket error": ws reports the TLS failure as an
 * ErrorEvent whose `error` holds it.
 */
function tlsErrorCode(description: unknown): string | null {
  const holder = description as { code?: unknown; error?: { code?: unknown } } | null | undefined;
  const code = holder?.error?.code ?? holder?.code;
  return typeof code === 'string' ? code : null;
}

function describeDisconnect(reason: string): string {
  switch (reason) {
    case 'ping timeout':
      return 'the connection stopped responding';
    case 'transport close':
    case 'transport error':
      return 'the connection was lost';
    case 'io server disconnect':
      return 'the server closed the connection';
    default:
      return reason;
  }
}
