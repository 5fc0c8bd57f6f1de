/**
 * The server's port, bound at the very start of `serve` and held while the server loads its
 * modules and opens its store (about 0.7 s of CPU, seconds on a busy machine). A client that
 * connects meanwhile is queued instead of refused: a refusal sends a socket.io client into its
 * backoff (1 s, 2 s, up to 5 s), which after a restart kept 10,000 clients away for up to 5 s
 * after the server was ready (docs/BENCHMARKS.md, "The storm, sixth pass").
 *
 * Held connections are accepted paused (nothing is read from them); once the server is ready the
 * HTTP server takes over the same listening socket and each held connection is handed to it as
 * if it had just connected. A start that fails closes them and releases the port. This module
 * loads nothing but node:net, so the bind comes before the server's own modules.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LISTEN_BACKLOG } from './listenBacklog.js';

/** The port is taken or may not be used; the message says which in one line. */
export class ListenError extends Error {
  override readonly name = 'ListenError';
}

/** The one-line reason a listen failed, as the CLI shows it. */
export function listenErrorFor(error: NodeJS.ErrnoException, host: string, port: number): Error {
  const where = `${host}:${port}`;
  if (error.code === 'EADDRINUSE') {
    return new ListenError(`port ${port} on ${host} is already in use; pick another with --port`);
  }
  if (error.code === 'EACCES') {
    return new ListenError(`not allowed to listen on ${where}; use a port above 1023`);
  }
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') {
    return new ListenError(`cannot listen on ${host}: no such address on this machine`);
  }
  return new ListenError(`cannot listen on ${where}: ${error.message}`);
}

export interface HeldPort {
  /**
   * The HTTP server starts listening on the held socket (same address, same backlog); the held
   * connections stay held until `handOver`.
   */
  takeOver(httpServer: HttpServer): Promise<AddressInfo>;
  /** Gives each held connection to the HTTP server, as if it had just connected. */
  handOver(httpServer: HttpServer): void;
  /** Resolves once every connection handed over has closed. */
  handedOverClosed(): Promise<void>;
  /** The start failed: closes every held connection and, unless taken over, the port. */
  release(): void;
}

/**
 * Binds `host:port` with the server's backlog and holds what connects. Resolves with undefined
 * when the bind fails: the start then goes on as it always did and reports the failure (or the
 * data directory's lock, found first) in the same words as before.
 */
export function holdPort(host: string, port: number): Promise<HeldPort | undefined> {
  const held = new Set<Socket>();
  const handed = new Set<Socket>();
  // Shared listener functions (`this` is the socket), as in serve.ts's trackConnections: nothing
  // per connection but the sets' entries, for up to every client of a storm.
  function forgetHeld(this: Socket): void {
    held.delete(this);
  }
  function forgetHanded(this: Socket): void {
    handed.delete(this);
  }
  // A client that gives up while held must not crash the process; once handed over, the HTTP
  // server handles its errors itself.
  function ignoreError(): void {}
  let takenOver = false;
  const server: Server = createServer({ pauseOnConnect: true }, (socket) => {
    held.add(socket);
    socket.on('close', forgetHeld);
    socket.on('error', ignoreError);
  });
  return new Promise((resolve) => {
    server.once('error', () => resolve(undefined));
    server.listen({ host, port, backlog: LISTEN_BACKLOG }, () => {
      server.removeAllListeners('error');
      resolve({
        takeOver(httpServer) {
          takenOver = true;
          return new Promise((resolveAddress, reject) => {
            httpServer.once('error', (error: NodeJS.ErrnoException) =>
              reject(listenErrorFor(error, host, port)),
            );
            // The backlog given again: listen(2) on the handle sets it anew (511 if omitted).
            httpServer.listen(server, LISTEN_BACKLOG, () =>
              resolveAddress(httpServer.address() as AddressInfo),
            );
          });
        },
        handOver(httpServer) {
          for (const socket of held) {
            socket.off('close', forgetHeld);
            socket.off('error', ignoreError);
            handed.add(socket);
            socket.on('close', forgetHanded);
            httpServer.emit('connection', socket);
            // Accepted paused: nothing was read until now; what the client sent waited in the
            // kernel and goes to the HTTP server's parser from here.
            socket.resume();
          }
          held.clear();
        },
        handedOverClosed() {
          const open = [...handed].map(
            (socket) => new Promise<void>((closed) => socket.once('close', () => closed())),
          );
          return Promise.all(open).then(() => undefined);
        },
        release() {
          for (const socket of held) socket.destroy();
          held.clear();
          // Taken over, the port is the HTTP server's to close (serve.ts does on a failed start).
          if (!takenOver) server.close();
        },
      });
    });
  });
}
