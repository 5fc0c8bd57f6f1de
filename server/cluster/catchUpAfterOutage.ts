/**
 * How the catch-ups answer after a Redis outage.
 *
 * A client's `since` is the highest seq it has seen, and the catch-up after it lists only newer
 * items. That is exact while every push arrives. During an outage a node still pushes its own
 * items to its own sockets, but the other nodes' items and read changes never reach them: a
 * client can hold seq 12 (from its node) and miss seq 11 (from another), or still show as unread
 * an item the user read on another node. `since: 12` would bring back neither.
 *
 * So when Redis is back, the node tells every node (itself too), and for a while every handshake
 * is answered as a first connect: the newest page with its current read state and count, which
 * both clients take as the truth (the tray app keeps just that page when older items exist and
 * pages back on demand; neither alerts again on an id it holds). One catch-up per client, once
 * per outage, costs a page instead of a few items.
 */
import type { TidingsServer } from '../realtime/socketServer.js';

/** Long enough for every client of every node to reconnect (they retry within seconds). */
const WINDOW_MS = 60_000;

export interface CatchUpAfterOutage {
  /** The `since` a handshake's catch-up uses. */
  since(requested: number | undefined): number | undefined;
  /** Redis is back: every node answers catch-ups in full for a while, before clients reconnect. */
  outageEnded(): void;
}

export function createCatchUpAfterOutage(io: TidingsServer): CatchUpAfterOutage {
  let fullUntil = 0;
  const open = (): void => {
    fullUntil = Date.now() + WINDOW_MS;
  };
  io.on('catchup:full', open);
  return {
    since: (requested) => (Date.now() < fullUntil ? undefined : requested),
    outageEnded() {
      open();
      // The other nodes may not have noticed: only this node's connection may have dropped.
      io.serverSideEmit('catchup:full');
    },
  };
}
