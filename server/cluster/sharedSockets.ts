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
 *
 * A subscription change is the exception to "through the adapter": the adapter's `socketsJoin`
 * only publishes a request and applies it when Redis echoes it back, on every node including this
 * one, after the HTTP answer has gone out. A post published right after through another node is
 * broadcast there to its OWN sockets at once, so it could run before that node had read the
 * request and miss (or, after unsubscribing, reach) the user's sockets on it. So this node moves
 * its own sockets at once and asks every other node to move theirs with an acknowledged
 * serverSideEmit, and the change is answered once they all have (bounded by MOVE_TIMEOUT_MS).
 */
import { createAdapter } from '@socket.io/redis-adapter';
import type { Logger } from '../log.js';
import { SUBSCRIBERS_ROOM, userRoom, type TidingsServer } from '../realtime/socketServer.js';
import type { HandoffPeers, SyncHandoff } from '../realtime/syncHandoff.js';
import { createCatchUpAfterOutage } from './catchUpAfterOutage.js';
import type { RedisLink } from './redisLink.js';

/** Longer than a node's Redis retry interval (redisLink.ts), so every node is back by then. */
const SETTLE_AFTER_OUTAGE_MS = 1_000;

/** The channel prefix in Redis; distinct from socket.io's default so a shared Redis is clear. */
const CHANNEL_PREFIX = 'tidings';

/**
 * How long a subscription change waits for the other nodes (a node whose Redis link is down may
 * never answer); past it the change is answered anyway and the late node catches up on its own.
 */
const MOVE_TIMEOUT_MS = 2_000;

/**
 * How long a handoff's barrier waits for the other nodes (syncHandoff.ts); past it the handoffs
 * end anyway. A node killed leaves Redis's subscribers when its connection drops and is not asked;
 * this bounds the wait on one that is hung or cut off from Redis.
 */
const BARRIER_TIMEOUT_MS = 2_000;

/** This node's sockets of the user, in or out of the subscribers' room; no Redis involved. */
function moveLocally(io: TidingsServer, userId: string, subscribed: boolean): void {
  const sockets = io.local.in(userRoom(userId));
  if (subscribed) sockets.socketsJoin(SUBSCRIBERS_ROOM);
  else sockets.socketsLeave(SUBSCRIBERS_ROOM);
}

/** The other nodes' answers, or a rejection after `ms`. */
async function withTimeout<T>(answers: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from every node within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([answers, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

export interface SharedSockets {
  /** How this node offers its items to the other nodes' sockets in handoff. */
  peers: HandoffPeers;
  /** Items the other nodes pushed, offered to this node's sockets in handoff. */
  receivePeerItems(handoff: SyncHandoff): void;
  /** The `since` a handshake's catch-up uses (catchUpAfterOutage.ts). */
  catchUpSince(since: number | undefined): number | undefined;
  /** The user's sockets on every node in or out of the subscribers; resolves once all moved. */
  moveSubscriber(userId: string, subscribed: boolean): Promise<void>;
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
  io.on('subscribers:move', (userId, subscribed, done) => {
    moveLocally(io, userId, subscribed);
    done(true);
  });
  return {
    peers: {
      offer: (target, item) => io.serverSideEmit('handoff:item', target, item),
      async barrier() {
        try {
          await withTimeout(io.serverSideEmitWithAck('handoff:barrier'), BARRIER_TIMEOUT_MS);
        } catch (error) {
          const why = error instanceof Error ? error.message : String(error);
          log.warn(`handoffs ended without every node's barrier: ${why}`);
        }
      },
    },
    receivePeerItems(handoff) {
      io.on('handoff:item', (target, item) => handoff.offer(target, item));
      // Answered through this node's publishing connection, after every push it made before.
      io.on('handoff:barrier', (done) => {
        void handoff.pushesLanded().then(() => done(true));
      });
    },
    catchUpSince: catchUp.since,
    async moveSubscriber(userId, subscribed) {
      moveLocally(io, userId, subscribed);
      try {
        await withTimeout(
          io.serverSideEmitWithAck('subscribers:move', userId, subscribed),
          MOVE_TIMEOUT_MS,
        );
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        log.warn(`subscription change of user ${userId} not confirmed by every node: ${why}`);
      }
    },
  };
}
