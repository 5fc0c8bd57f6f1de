/**
 * Who may open one more socket: a cap on the sockets one user holds at once (every device and
 * browser tab counts), and the client's address for the per-address handshake limit.
 *
 * A socket is counted from the moment its handshake is accepted until its Engine.IO connection
 * closes, so sockets still being set up count too (a burst of parallel handshakes cannot slip
 * past the cap), and a connection that never finished setting up is released all the same.
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface SocketCap {
  /**
   * Counts the connection against the user's cap; false when the user already holds `max`.
   * Several nodes over Redis answer asynchronously (server/cluster/sharedSocketCap.ts).
   */
  admit(userId: string, connection: ClosingConnection): boolean | Promise<boolean>;
  /** Sockets the user holds now (for tests and metrics). */
  heldBy(userId: string): number;
}

/** The Engine.IO connection behind a socket. It emits 'close' once, so `on` will do, and keeps no
 * once-wrapper per socket. */
export interface ClosingConnection {
  on(event: 'close', listener: (this: ClosingConnection) => void): unknown;
}

/** One node's own count, which answers at once. */
export interface NodeSocketCap extends SocketCap {
  admit(userId: string, connection: ClosingConnection): boolean;
}

export function createSocketCap(max: number): NodeSocketCap {
  const held = new Map<string, number>();
  /** Whose each counted connection is (a connection may connect the namespace again). */
  const owners = new WeakMap<ClosingConnection, string>();
  // One listener for every connection, called with the connection as `this` (node:events): a
  // closure per connection would keep one more context each for as long as it (issue 14).
  function release(this: ClosingConnection): void {
    const userId = owners.get(this);
    if (userId === undefined) return;
    const left = (held.get(userId) ?? 1) - 1;
    if (left > 0) held.set(userId, left);
    else held.delete(userId);
  }
  return {
    admit(userId, connection) {
      // A client may connect the same namespace again on one connection: count it once.
      if (owners.has(connection)) return true;
      const count = held.get(userId) ?? 0;
      if (count >= max) return false;
      held.set(userId, count + 1);
      owners.set(connection, userId);
      connection.on('close', release);
      return true;
    },
    heldBy: (userId) => held.get(userId) ?? 0,
  };
}

/**
 * The client's address as the HTTP side sees it: with --trust-proxy on, the address the one proxy
 * in front put last in X-Forwarded-For (what express's `trust proxy 1` uses), else the peer's.
 */
export function handshakeAddress(
  handshake: { address: string; headers: IncomingHttpHeaders },
  trustProxy: boolean,
): string {
  const forwarded = handshake.headers['x-forwarded-for'];
  const header = Array.isArray(forwarded) ? forwarded.join(',') : forwarded;
  if (!trustProxy || !header) return handshake.address;
  return header.split(',').at(-1)?.trim() || handshake.address;
}
