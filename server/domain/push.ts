/**
 * What the domain tells live clients after a change has reached the disk. The realtime layer
 * implements it with socket.io; admin commands (no server running) use `noPush`.
 *
 * Call `newPost`, `liked` and `announced` in the same turn of the event loop as the store write holding the
 * event resolved (no I/O in between): the realtime layer's handoff from a socket's catch-up to
 * its live pushes relies on it to hand every item exactly once (server/realtime/syncHandoff.ts).
 */
import type { MarkReadAck, NotificationItem, ReadChangePayload } from '../../contract/wire.js';

export interface Push {
  /** One broadcast to the subscribers, minus the author. No counts: clients add one each. */
  newPost(item: NotificationItem, authorId: string): void;
  /** To the post's author alone. */
  liked(item: NotificationItem, authorId: string): void;
  /** An announcement: like a post to the subscribers (minus its sender), or to one user. */
  announced(
    item: NotificationItem,
    to: { kind: 'subscribers'; senderId: string } | { kind: 'user'; userId: string },
  ): void;
  /**
   * To every socket of the user, with the new count; `notification:read` skips the socket that
   * made the change. The only time the server sends a count outside `sync` and acks.
   */
  readChanged(
    userId: string,
    change: ReadChangePayload,
    count: MarkReadAck,
    originSocketId?: string,
  ): void;
  /**
   * Moves the user's live sockets in or out of the subscribers' room. Resolves once they have
   * moved, on every node, so a post published next (through any node) sees the change.
   */
  subscriptionChanged(userId: string, subscribed: boolean): Promise<void>;
  /** Disconnects sockets that authenticated with these tokens. */
  tokensRevoked(tokenIds: string[]): void;
  /** Disconnects every socket of the user. */
  userTokensRevoked(userId: string): void;
}

export const noPush: Push = {
  newPost: () => undefined,
  liked: () => undefined,
  announced: () => undefined,
  readChanged: () => undefined,
  subscriptionChanged: () => Promise.resolve(),
  tokensRevoked: () => undefined,
  userTokensRevoked: () => undefined,
};
