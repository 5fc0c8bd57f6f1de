/**
 * Several nodes, one set of rooms: socket.io's Redis adapter (pub/sub) carries every room
 * broadcast, `socketsJoin`/`socketsLeave` and `disconnectSockets` to the other nodes, so whatever
 * one node decides about a user reaches that user's sockets wherever they are connected.
 *
 * Pub/sub keeps nothing: what was published while this node's subscriber connection was down is
 * gone for it, and so are the room changes and revocations the other nodes made meanwhile. So
 * when Redis is back the node closes its sockets' transports (not a server disconnect, which the
 * clients would take for a revocation): the clients reconnect on their own, through the proxy to
 * any node, are authenticated and put in their rooms afresh, and catch up from the database in
 * full (catchUpAfterOutage.ts). Publishes this node queued during the outage go out first; the
 * short wait lets those of the other nodes land too, so no late one arrives after a client's
 * fresh catch-up.
 */
import { createAdapter } from '@socket.io/redis-adapter';
import type { Logger } from '../log.js';
import type { TidingsServer } from '../realtime/socketServer.js';
import type { HandoffPeers, SyncHandoff } from '../realtime/syncHandoff.js';
import { createCatchUpAfterOutage } from './catchUpAfterOutage.js';
import type { RedisLink } from './redisLink.js';

/** Longer than a node's Redis retry interval (redisLink.ts), so every node is back by then. */
const SETTLE_AFTER_OUTAGE_MS = 1_000;

/** The channel prefix in Redis; distinct from socket.io's default so a shared Redis is clear. */
const CHANNEL_PREFIX = 'tidings';

export interface SharedSockets {
  /** How this node offers its items to the other nodes' sockets in handoff. */
  peers: HandoffPeers;
  /** Items the other nodes pushed, offered to this node's sockets in handoff. */
  receivePeerItems(handoff: SyncHandoff): void;
  /** The `since` a handshake's catch-up uses (catchUpAfterOutage.ts). */
  catchUpSince(since: number | undefined): number | undefined;
}

export function shareSocketsThroughRedis(
  io: TidingsServer,
  link: RedisLink,
  log: Logger,
): SharedSockets {
  io.adapter(createAdapter(link.commands, link.subscriber, { key: CHANNEL_PREFIX }));
  const catchUp = createCatchUpAfterOutage(io);
  link.onRestored(() => {
    catchUp.outageEnded();
    setTimeout(() => {
      const sockets = [...io.of('/').sockets.values()];
      log.info(`asking ${sockets.length} client(s) of this node to reconnect and catch up`);
      for (const socket of sockets) socket.conn.close();
    }, SETTLE_AFTER_OUTAGE_MS).unref();
  });
  return {
    peers: { offer: (target, item) => io.serverSideEmit('handoff:item', target, item) },
    receivePeerItems(handoff) {
      io.on('handoff:item', (target, item) => handoff.offer(target, item));
    },
    catchUpSince: catchUp.since,
  };
}
