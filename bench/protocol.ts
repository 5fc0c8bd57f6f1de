/** The messages between the bench's orchestrator and its client processes (over fork IPC). */

export interface ClientUser {
  id: string;
  token: string;
}

export interface LikeOrder {
  postId: string;
  userId: string;
  token: string;
}

export type ToClient =
  | { type: 'connect'; url: string; users: ClientUser[]; reconnect: boolean; parallel: number }
  | { type: 'status' }
  | { type: 'collect' }
  /** What each socket went through since it last lost its connection (the storm's timeline). */
  | { type: 'timeline' }
  /** Closes every socket and forgets them, so the same processes can drive another server. */
  | { type: 'reset' }
  | { type: 'like'; url: string; likes: LikeOrder[]; perSecond: number }
  | { type: 'close' };

export interface ClientStatus {
  sockets: number;
  connected: number;
  /** The fewest bench posts any one socket has seen (each counted once). */
  fewestPosts: number;
  /** Items a socket was handed twice (by id), over all sockets. */
  duplicates: number;
  /** Handshakes a busy server refused with a retry-after (admission control), over all sockets. */
  busyRefusals: number;
  /** Sockets that lost their connection and have had a `sync` since (back and caught up). */
  syncedSinceLost: number;
}

/**
 * One socket's way back after it lost its connection, in wall-clock ms (bench/wallClock.ts, one
 * clock for every process on the box). An attempt is a new connection: socket.io-client's own
 * reconnection after its backoff, or the bench client's after a `server_busy` retry-after.
 */
export interface SocketOutage {
  lostAt: number;
  /** When each attempt started. */
  attempts: number[];
  /** When an attempt failed below socket.io (connection refused, the handshake cut). */
  refused: number[];
  /** When the server answered `server_busy` (admission control). */
  busy: number[];
  /** socket.io's `connect`: the handshake and the auth middleware passed. */
  connectedAt?: number;
  /** The first `sync` since it was lost: back and caught up. */
  syncedAt?: number;
}

export type FromClient =
  | { type: 'connected'; ok: number; failed: string[]; ms: number }
  | ({ type: 'status' } & ClientStatus)
  | {
      type: 'collected';
      /** publish → receipt, ms, one per socket and bench post. */
      fanoutMs: number[];
      /** `${postId} ${actorId}` → when the author's socket got the like, wall ms. */
      likeReceipts: [string, number][];
    }
  | { type: 'liked'; sent: [string, number][]; failed: string[] }
  | { type: 'timeline'; outages: SocketOutage[] }
  | { type: 'reset' };

/** The publisher stamps each bench post's title with its wall-clock time; receivers read it. */
export const BENCH_TITLE_PREFIX = 'bench@';
