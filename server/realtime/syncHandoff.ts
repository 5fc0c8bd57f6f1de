/**
 * The handoff from a socket's catch-up to its rooms' live pushes, made exact: every item reaches
 * a connecting socket once, in `sync` or live, whatever the timing (issue 14).
 *
 * A socket joins its rooms first (so nothing published from then on can miss it) and the
 * HANDOFF room with them. Live items are broadcast to their rooms EXCEPT the handoff room, once,
 * and offered here to each socket still in handoff. Until its catch-up is read, a socket holds
 * the items offered to it; the catch-up then covers every seq up to a watermark W read in the
 * same turn, `sync` goes out, and of the held items only those above W follow it. Until the
 * handoff ends, later items are checked against W one by one.
 *
 * When the handoff may end: an item is pushed in the same turn of the event loop as the store
 * write that holds it resolved (server/domain/push.ts says so). Every item at or below W was made
 * before `sync` was sent, so once `store.settled()` (asked after sending; with PostgreSQL it waits
 * for this node's writes in flight too, since one may be committed before it resolves here)
 * resolves, their writes have resolved, and one turn later their pushes have run. On one node
 * the handoff ends then. Sockets in handoff are few (the ones connecting right now); the other
 * sockets cost nothing here.
 *
 * With several nodes (server/cluster/), the broadcast skips the handoff room on every node, so
 * each item is also offered to the other nodes' handoffs, through `peers`, BEFORE its broadcast.
 * This node cannot see when another node's pushes have run, so before a handoff ends it asks
 * every other node for a barrier: each answers once its own writes started before the request
 * have resolved and one turn more (`pushesLanded`), so every push of an item committed before W
 * was read has been published by then, offer and broadcast both. Redis keeps one node's
 * publishes in order on the way to this node's one subscriber connection (requests, broadcasts
 * and answers alike), so each of those items has reached this node before the answer: offered
 * while the socket was in handoff (held, or checked against W) and broadcast past the handoff
 * room. Once every node answered, nothing is left in flight that could reach the socket twice.
 * One barrier is in flight at a time, for every handoff ready to end (a storm ends thousands): a
 * round trip through Redis per batch, not per socket. A node that does not answer in time
 * (sharedSockets.ts: hung, or cut off from Redis; a killed one leaves Redis's subscribers and is
 * not asked) is given up on and the handoffs end anyway: a dead node pushes nothing more, but one
 * merely slow past the timeout may still hand a socket an item twice (clients ignore an id they
 * hold). Never zero times: an item offered before the socket joined was committed before its
 * catch-up was read, and one offered after its handoff is broadcast to it after too.
 */
import type { NotificationItem } from '../../contract/wire.js';
import type { TidingsServer, TidingsSocket } from './socketServer.js';

export const HANDOFF_ROOM = 'handoff';

interface Handoff {
  socket: TidingsSocket;
  /** The catch-up covers every seq up to this; undefined until it was read. */
  watermark: number | undefined;
  held: NotificationItem[];
  /** Ends the handoff if the socket goes first; taken off when the handoff ends. */
  gone: () => void;
}

export interface LiveTarget {
  to: string | string[];
  except?: string;
}

/** The other nodes' handoffs; absent on a single node. */
export interface HandoffPeers {
  offer(target: LiveTarget, item: NotificationItem): void;
  /**
   * Resolves once every other node has answered with `pushesLanded()`, or when the ones left
   * have not within the peers' timeout (never rejects).
   */
  barrier(): Promise<void>;
}

export function createSyncHandoff(
  io: TidingsServer,
  settled: () => Promise<void>,
  peers?: HandoffPeers,
) {
  const handoffs = new Map<string, Handoff>();
  /** Handoffs whose own pushes have landed, waiting for the next barrier. */
  let waiting: Handoff[] = [];
  let barrierInFlight = false;

  /** Every push of a write that resolved before the call has run. */
  const pushesLanded = (): Promise<void> =>
    settled().then(() => new Promise<void>((resolve) => setImmediate(resolve)));

  function end(handoff: Handoff): void {
    const { socket } = handoff;
    // The socket went meanwhile (its `gone` took the handoff off).
    if (handoffs.get(socket.id) !== handoff) return;
    handoffs.delete(socket.id);
    // Nothing of the handoff stays with the socket for the rest of its life (memory per
    // connection, issue 14).
    socket.off('disconnect', handoff.gone);
    void socket.leave(HANDOFF_ROOM);
  }

  /** Ends the handoffs waiting now once the other nodes answer a barrier asked after this call. */
  function askBarrier(other: HandoffPeers): void {
    if (barrierInFlight || waiting.length === 0) return;
    barrierInFlight = true;
    const batch = waiting;
    waiting = [];
    void other.barrier().then(() => {
      barrierInFlight = false;
      for (const handoff of batch) end(handoff);
      askBarrier(other);
    });
  }

  const addressed = (socket: TidingsSocket, { to, except }: LiveTarget): boolean =>
    (typeof to === 'string' ? socket.rooms.has(to) : to.some((room) => socket.rooms.has(room))) &&
    (except === undefined || !socket.rooms.has(except));

  /** Hands an item to this node's sockets in handoff (another node's item, or our own). */
  function offer(target: LiveTarget, item: NotificationItem): void {
    for (const handoff of handoffs.values()) {
      if (!addressed(handoff.socket, target)) continue;
      if (handoff.watermark === undefined) handoff.held.push(item);
      else if (item.seq > handoff.watermark) handoff.socket.emit('notification:new', item);
    }
  }

  return {
    /** Before the socket joins its rooms. */
    begin(socket: TidingsSocket): void {
      const gone = (): void => {
        handoffs.delete(socket.id);
      };
      handoffs.set(socket.id, { socket, watermark: undefined, held: [], gone });
      void socket.join(HANDOFF_ROOM);
      socket.on('disconnect', gone);
    },

    /**
     * Sends the catch-up, which covers every seq up to `watermark`, then the held items above
     * it; the handoff ends once this node's pushes (and, with several nodes, the others') of
     * every item up to the watermark have run.
     */
    sendSync(socket: TidingsSocket, watermark: number, send: () => void): void {
      const handoff = handoffs.get(socket.id);
      send();
      if (!handoff) return;
      handoff.watermark = watermark;
      for (const item of handoff.held.splice(0)) {
        if (item.seq > watermark) socket.emit('notification:new', item);
      }
      void pushesLanded().then(() => {
        if (!peers) return end(handoff);
        if (handoffs.get(socket.id) !== handoff) return;
        waiting.push(handoff);
        askBarrier(peers);
      });
    },

    /** ONE broadcast (one encode) to every socket addressed, each handed the item once. */
    pushItem(target: LiveTarget, item: NotificationItem): void {
      peers?.offer(target, item);
      const except = target.except === undefined ? [HANDOFF_ROOM] : [HANDOFF_ROOM, target.except];
      io.to(target.to).except(except).emit('notification:new', item);
      offer(target, item);
    },

    offer,

    /** What a barrier another node asked for waits for before it is answered. */
    pushesLanded,
  };
}

export type SyncHandoff = ReturnType<typeof createSyncHandoff>;
