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
 * before `sync` was sent, so once `store.settled()` (asked after sending) resolves, their writes
 * have resolved, and one turn later their pushes have run: the handoff ends then. Sockets in
 * handoff are few (the ones connecting right now); the other sockets cost nothing here.
 *
 * With several nodes (server/cluster/), the broadcast skips the handoff room on every node, so
 * each item is also offered to the other nodes' handoffs, through `peers`, BEFORE its broadcast
 * (Redis keeps the order). A node's handoff cannot see when another node's pushes have landed, so
 * an item from another node may reach a socket whose handoff just ended twice (clients ignore an
 * id they hold), never zero times: an item offered before the socket joined was committed
 * before its catch-up was read, and one offered after its handoff is broadcast to it after too.
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
}

export function createSyncHandoff(
  io: TidingsServer,
  settled: () => Promise<void>,
  peers?: HandoffPeers,
) {
  const handoffs = new Map<string, Handoff>();

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
     * it; the handoff ends one turn later.
     */
    sendSync(socket: TidingsSocket, watermark: number, send: () => void): void {
      const handoff = handoffs.get(socket.id);
      send();
      if (!handoff) return;
      handoff.watermark = watermark;
      for (const item of handoff.held.splice(0)) {
        if (item.seq > watermark) socket.emit('notification:new', item);
      }
      void settled().then(() =>
        setImmediate(() => {
          handoffs.delete(socket.id);
          // Nothing of the handoff stays with the socket for the rest of its life (memory per
          // connection, issue 14).
          socket.off('disconnect', handoff.gone);
          void socket.leave(HANDOFF_ROOM);
        }),
      );
    },

    /** ONE broadcast (one encode) to every socket addressed, each handed the item once. */
    pushItem(target: LiveTarget, item: NotificationItem): void {
      peers?.offer(target, item);
      const except = target.except === undefined ? [HANDOFF_ROOM] : [HANDOFF_ROOM, target.except];
      io.to(target.to).except(except).emit('notification:new', item);
      offer(target, item);
    },

    offer,
  };
}

export type SyncHandoff = ReturnType<typeof createSyncHandoff>;
