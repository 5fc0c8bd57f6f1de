/**
 * Runs the server: open the storage (lowdb in the data dir, or PostgreSQL; storage.ts takes the
 * lock that guards each), listen, then assemble the HTTP app and the socket server around the
 * domain services. `close()` stops accepting, flushes pending writes and releases the lock.
 */
import { createServer, type RequestListener, type Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { hostname } from 'node:os';
import type { AddressInfo, Socket } from 'node:net';
import type { RedisLink } from './cluster/redisLink.js';
import type * as RedisParts from './cluster/redisParts.js';
import type { ServerConfig } from './config.js';
import { executeAdminCommand } from './adminCommands.js';
import { listenAdminSocket } from './adminSocket.js';
import { tightenDataDir } from './dataDirPermissions.js';
import { agreeSetupCode } from './domain/setupCode.js';
import { createHttpApp } from './http/app.js';
import { appPrototypes } from './http/appPrototypes.js';
import { createOriginPolicy } from './edge/origins.js';
import { createRateLimits } from './edge/rateLimits.js';
import { createSessions } from './http/session.js';
import { startFeedPoller } from './feeds/feedPoller.js';
import type { Logger } from './log.js';
import { createMetrics } from './metrics.js';
import { attachSocketHandlers, type SocketSeams } from './realtime/socketHandlers.js';
import { createSocketPush } from './realtime/socketPush.js';
import { createSocketServer, cutHeldPolls } from './realtime/socketServer.js';
import { createSyncHandoff } from './realtime/syncHandoff.js';
import { LISTEN_BACKLOG } from './listenBacklog.js';
import { createAdmission } from './realtime/admission.js';
import { createServices } from './services.js';
import { openStorage, type OpenedStorage } from './storage.js';
import type { Revocation } from './store/postgres/latestSeq.js';
import { timeStoreWrites } from './timedStore.js';
import { collectStartGarbage } from './startGarbage.js';
import { readVersion } from './version.js';
import { createWebRouter } from './web/router.js';

export interface RunningTidings {
  /** Where the server listens, e.g. http://127.0.0.1:4300. */
  url: string;
  /** Where users reach it; post links use it. */
  publicUrl: string;
  close(): Promise<void>;
}

/** The port is taken or may not be used; the message says which in one line. */
export class ListenError extends Error {
  override readonly name = 'ListenError';
}

function listen(server: HttpServer, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const where = `${host}:${port}`;
      if (error.code === 'EADDRINUSE') {
        reject(
          new ListenError(`port ${port} on ${host} is already in use; pick another with --port`),
        );
      } else if (error.code === 'EACCES') {
        reject(new ListenError(`not allowed to listen on ${where}; use a port above 1023`));
      } else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') {
        reject(new ListenError(`cannot listen on ${host}: no such address on this machine`));
      } else {
        reject(new ListenError(`cannot listen on ${where}: ${error.message}`));
      }
    });
    server.listen({ port, host, backlog: LISTEN_BACKLOG }, () =>
      resolve(server.address() as AddressInfo),
    );
  });
}

function urlFor(host: string, port: number): string {
  const shown = host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}

/**
 * How long requests already being answered get to finish when the server stops. After it, every
 * connection still open is cut: a frozen client, a held poll or a half-sent request must not keep
 * the store from being flushed and the process from exiting 0 (issue 10).
 */
const IN_FLIGHT_GRACE_MS = 3_000;

/**
 * Every TCP connection the server accepted, upgraded WebSockets included: the HTTP server's own
 * closeAllConnections() no longer sees a connection once it has been upgraded. A connection is in
 * one set or the other, moved at its upgrade, so telling WebSockets apart costs nothing per
 * connection (a separate set of them with its own 'close' listener was about 0.4 KB of each).
 */
interface Connections {
  http: Set<Duplex>;
  webSockets: Set<Duplex>;
  /**
   * For the stop: nothing more is read from any WebSocket (an event sent from now on is never
   * read, as if the connection had ended here, while what the server still answers goes out),
   * and an upgrade that still arrives, on a connection kept alive, is refused.
   */
  quietWebSockets(): void;
  /** Resolves once no plain HTTP connection is left (WebSockets aside), or after `graceMs`. */
  httpGone(graceMs: number): Promise<void>;
}

function trackConnections(server: HttpServer): Connections {
  const http = new Set<Duplex>();
  const webSockets = new Set<Duplex>();
  let quiet = false;
  let onHttpGone: (() => void) | undefined;
  const leaveHttp = (socket: Duplex): boolean => {
    if (!http.delete(socket)) return false;
    if (http.size === 0) onHttpGone?.();
    return true;
  };
  // One listener function for every connection, called with the socket as `this` (node:events),
  // and `on`, not `once` ('close' comes once): no closure or once-wrapper per connection, which
  // was about 0.2 KB of each of 10,000 sockets (docs/BENCHMARKS.md).
  function forget(this: Socket): void {
    leaveHttp(this);
    webSockets.delete(this);
  }
  server.on('connection', (socket: Socket) => {
    http.add(socket);
    socket.on('close', forget);
  });
  // Registered before engine.io attaches, so this runs before its upgrade handler; ws does not
  // upgrade a socket already destroyed.
  server.on('upgrade', (_request, socket) => {
    if (!leaveHttp(socket)) return;
    if (quiet) socket.destroy();
    else webSockets.add(socket);
  });
  return {
    http,
    webSockets,
    quietWebSockets() {
      quiet = true;
      for (const socket of webSockets) {
        socket.pause();
        // ws resumes a socket once its parser has drained; with no 'data' listener left,
        // nothing read after that reaches an event handler either.
        socket.removeAllListeners('data');
      }
    },
    httpGone: (graceMs) =>
      new Promise((resolve) => {
        if (http.size === 0) return resolve();
        const timer = setTimeout(resolve, graceMs);
        onHttpGone = () => {
          clearTimeout(timer);
          resolve();
        };
      }),
  };
}

const WILDCARDS = new Set(['0.0.0.0', '::', '[::]']);

const isLoopback = (host: string): boolean =>
  host === 'localhost' || /^127\./.test(host) || host === '::1' || host === '[::1]';

/** `seams` let an in-process test hold the server at a chosen point; production passes none. */
export async function serve(
  config: ServerConfig,
  log: Logger,
  seams: SocketSeams = {},
): Promise<RunningTidings> {
  let storage: OpenedStorage | undefined;
  let redis: RedisLink | undefined;
  // Each request built with the app's prototypes: express's switch of them promoted every
  // request's garbage to the old space (http/appPrototypes.ts).
  const prototypes = appPrototypes();
  const httpServer = createServer({
    IncomingMessage: prototypes.IncomingMessage,
    ServerResponse: prototypes.ServerResponse,
  });
  const connections = trackConnections(httpServer);
  try {
    // Revocations made elsewhere on a shared database reach this node's sockets once push exists.
    let revokedElsewhere: (revocation: Revocation) => void = () => undefined;
    storage = await openStorage(config, {
      role: 'node',
      sharedThroughRedis: config.redisUrl !== undefined,
      onProblem: (message, error) => log.error(message, error),
      onTokensRevoked: (revocation) => revokedElsewhere(revocation),
    });
    // The data dir holds the lowdb files; a PostgreSQL node keeps nothing there.
    const usesDataDir = storage.driver === 'lowdb';
    if (usesDataDir) {
      const tightened = tightenDataDir(config.dataDir);
      if (tightened) log.info(tightened);
    }
    const rawStore = storage.store;
    if (config.registration) await rawStore.setRegistrationOpen(config.registration === 'open');
    // Several nodes share the blog through Redis: refuse to start without it (docs/SCALING.md).
    // Loaded only here: a node on its own never needs Redis's client (cluster/redisParts.ts).
    let cluster: typeof RedisParts | undefined;
    if (config.redisUrl) {
      cluster = await import('./cluster/redisParts.js');
      redis = await cluster.connectRedis(config.redisUrl, log);
    }
    // Only while there is no account: the first sign-up that brings it becomes admin. Nodes on
    // one database agree on one code through the store.
    const setupCode =
      (await rawStore.countUsers()) === 0
        ? await agreeSetupCode(
            rawStore,
            config.setupCode,
            `${hostname()}:${process.pid}`,
            new Date(),
          )
        : undefined;

    // The lowdb open's parse garbage goes before the first client, not during its first likes.
    if (usesDataDir) collectStartGarbage();
    const address = await listen(httpServer, config.host, config.port);
    const url = urlFor(config.host, address.port);
    const publicUrl =
      config.publicUrl ?? (WILDCARDS.has(config.host) ? urlFor('localhost', address.port) : url);
    if (!config.publicUrl && WILDCARDS.has(config.host)) {
      log.info(`post links use ${publicUrl}; set --public-url to the address users reach`);
    }
    if (setupCode) log.info(setupCode.announcement(publicUrl));

    const metrics = createMetrics(rawStore);
    const timedStore = timeStoreWrites(rawStore, metrics.timeWrite);
    const origins = createOriginPolicy({
      allowedOrigins: config.allowedOrigins,
      allowedHosts: config.allowedHosts,
      ownOrigins: () => [new URL(publicUrl).origin, new URL(url).origin],
    });
    if (config.trustProxy && !isLoopback(config.host)) {
      log.warn(
        `--trust-proxy is on and the server listens on ${config.host}: anyone who reaches it directly can forge X-Forwarded-For and dodge the per-address limits. Listen on 127.0.0.1 behind the proxy, or firewall the port so only the proxy reaches it.`,
      );
    }
    // engine.io wraps the 'request' listeners present when it attaches, answering /socket.io/
    // itself and passing everything else on. The app is assembled after the socket server (the
    // services push through it), so a stand-in is registered first and hands over to the app.
    // Registered later, the app would ALSO answer every long-polling request: two handlers
    // writing one response crashed the process (issue 10).
    const handOver: { app?: RequestListener } = {};
    httpServer.on('request', (req, res) => {
      if (handOver.app) handOver.app(req, res);
      else res.writeHead(503, { 'retry-after': '1' }).end();
    });
    const io = createSocketServer(httpServer, origins);
    const shared = redis && cluster?.shareSocketsThroughRedis(io, redis, log);
    const handoff = createSyncHandoff(io, () => timedStore.settled(), shared?.peers);
    shared?.receivePeerItems(handoff);
    const tokenRooms = shared !== undefined;
    const push = createSocketPush(
      io,
      timedStore,
      metrics,
      log,
      handoff,
      shared?.moveSubscriber,
      tokenRooms,
    );
    revokedElsewhere = (revocation) => {
      if ('userId' in revocation) push.userTokensRevoked(revocation.userId);
      else push.tokensRevoked(revocation.tokenIds);
    };
    const services = createServices({
      store: timedStore,
      push,
      publicUrl,
      passwordCost: config.passwordCost,
      feeds: config.feeds,
      log,
      ...(setupCode ? { setupCodeDigests: setupCode.digests } : {}),
      tokenIdleDays: config.tokenIdleDays,
    });
    const rateLimits = createRateLimits(config.rateLimits, redis && cluster?.redisLimiters(redis));
    const socketCap = redis && cluster?.shareSocketCapThroughRedis(redis, config.maxSocketsPerUser);
    attachSocketHandlers(io, {
      ...services,
      store: timedStore,
      rateLimits,
      metrics,
      log,
      isOwnOrigin: origins.isOwnOrigin,
      maxSocketsPerUser: config.maxSocketsPerUser,
      socketCap,
      trustProxy: config.trustProxy,
      handoff,
      admission: createAdmission(config.maxCatchingUp),
      seams,
      catchUpSince: shared?.catchUpSince,
      tokenRooms,
    });
    const app = createHttpApp({
      routes: { ...services, sessions: createSessions(services.accounts), rateLimits },
      metrics,
      log,
      version: readVersion(),
      origins,
      trustProxy: config.trustProxy,
      metricsToken: config.metricsToken,
      // The blog's pages (server/web), served after the API.
      extraRouters: [createWebRouter({ ...services, rateLimits, log, publicUrl })],
    });
    prototypes.adopt(app);
    handOver.app = app;
    const poller = startFeedPoller(services.feeds, log);
    // Admin commands reach a running lowdb server through its data dir; against PostgreSQL they
    // run on the database beside the nodes (server/admin.ts).
    const adminSocket = usesDataDir
      ? await listenAdminSocket(
          config.dataDir,
          (command, password) =>
            executeAdminCommand(command, password, {
              accounts: services.accounts,
              feeds: services.feeds,
              store: timedStore,
            }),
          log,
        )
      : undefined;

    const opened = storage;
    const openRedis = redis;
    let closing: Promise<void> | undefined;
    return {
      url,
      publicUrl,
      close() {
        closing ??= (async () => {
          await adminSocket?.close();
          await poller.stop();
          httpServer.close(); // no new connections
          // The WebSockets stay connected until the store is closed, and end only with it. Every
          // moment a client spends cut off before the next start listens is spent in its
          // reconnection backoff: its attempts are refused, each waits longer than the last, and
          // the one that gets in comes that much later (issue 14's reconnect storm). Only their
          // reading stops here.
          connections.quietWebSockets();
          // A held long-poll would hold the drain; its client reconnects as from an outage.
          cutHeldPolls(io);
          httpServer.closeIdleConnections();
          await connections.httpGone(IN_FLIGHT_GRACE_MS);
          for (const connection of connections.http) connection.destroy();
          await opened.close();
          // Cut without close frames or waiting for replies: the clients see the transport
          // close and reconnect by themselves (`io.disconnectSockets()` would send them a
          // DISCONNECT, which a socket.io client takes as "do not reconnect"). When the process
          // exits right after, as the CLI's does, the sockets' own close handlers never run.
          for (const socket of connections.webSockets) socket.destroy();
          await socketCap?.stop();
          await openRedis?.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    httpServer.close();
    await redis?.close();
    await storage?.close().catch(() => undefined);
    throw error;
  }
}
