/**
 * A test client that behaves like the tray app's connection: one socket.io client that reconnects
 * by itself (quickly, for tests), sends `since` = the highest seq it holds on every handshake,
 * keeps the inbox by id and the unread count as protocol 2 says (docs/PROTOCOL.md, "Keeping the
 * unread count"), and remembers how often each item reached it live. `converged` compares what it holds with what the database says, through the API.
 */
import assert from 'node:assert/strict';
import { io, type Socket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  ConnectErrorData,
  NotificationItem,
  ServerToClientEvents,
} from '../../contract/wire.js';
import { listNotifications, unreadCount } from '../fixtures/api.js';
import { EVENT_TIMEOUT_MS, waitUntil } from '../fixtures/sockets.js';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface InboxClient {
  readonly name: string;
  readonly token: string;
  readonly socket: ClientSocket;
  readonly items: ReadonlyMap<string, NotificationItem>;
  unread(): number | undefined;
  /** Item ids that arrived live more than once. */
  liveDuplicates(): string[];
  /** Disconnect reasons, oldest first. */
  readonly disconnects: string[];
  /** Connect errors, oldest first (a revoked token's retries end here). */
  readonly refusals: (ConnectErrorData | undefined)[];
  syncs(): number;
  /** Marks everything read over the socket; on the ack, applies it here (as the tray app does). */
  markAllRead(): Promise<void>;
  close(): void;
}

/** Connects through `url` and resolves once the first `sync` arrived. */
export async function connectInboxClient(
  url: string,
  name: string,
  token: string,
): Promise<InboxClient> {
  const items = new Map<string, NotificationItem>();
  const liveArrivals = new Map<string, number>();
  const disconnects: string[] = [];
  const refusals: (ConnectErrorData | undefined)[] = [];
  let serverUnread: number | undefined;
  /** The seq the last count covers. */
  let countUpTo = 0;
  /** How far the last mark-all marked: a push at or below it is read, even one that trails it. */
  let readThrough = 0;
  let syncCount = 0;
  const highestSeq = () => Math.max(0, ...[...items.values()].map((item) => item.seq));

  const socket: ClientSocket = io(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnectionDelay: 100,
    reconnectionDelayMax: 500,
    auth: (send) => send(items.size > 0 ? { token, since: highestSeq() } : { token }),
  });
  socket.on('sync', (payload) => {
    syncCount += 1;
    for (const item of payload.items) items.set(item.id, item);
    serverUnread = payload.unreadCount;
    countUpTo = payload.upToSeq;
  });
  socket.on('notification:new', (pushed) => {
    liveArrivals.set(pushed.id, (liveArrivals.get(pushed.id) ?? 0) + 1);
    const item = pushed.seq <= readThrough ? { ...pushed, read: true } : pushed;
    const known = items.has(item.id);
    items.set(item.id, item);
    if (!known && !item.read && item.seq > countUpTo && serverUnread !== undefined) {
      serverUnread += 1;
    }
  });
  /** A count covering `upToSeq`, plus the unread items held above it (docs/PROTOCOL.md). */
  const takeCount = (unreadCount: number, upToSeq: number): void => {
    let above = 0;
    for (const item of items.values()) if (item.seq > upToSeq && !item.read) above += 1;
    serverUnread = unreadCount + above;
    countUpTo = upToSeq;
  };
  socket.on('unread:count', ({ unreadCount, upToSeq }) => takeCount(unreadCount, upToSeq));
  const applyRead = (isRead: (item: NotificationItem) => boolean): void => {
    for (const [id, item] of items) if (isRead(item)) items.set(id, { ...item, read: true });
  };
  socket.on('notification:read', (change) => {
    if ('all' in change) readThrough = Math.max(readThrough, change.upToSeq);
    applyRead((item) =>
      'all' in change ? item.seq <= change.upToSeq : change.ids.includes(item.id),
    );
  });
  socket.on('disconnect', (reason) => disconnects.push(reason));
  socket.on('connect_error', (error: Error & { data?: ConnectErrorData }) =>
    refusals.push(error.data),
  );

  try {
    await waitUntil(() => syncCount > 0, `${name} got its first sync`, EVENT_TIMEOUT_MS * 2);
  } catch (error) {
    // A socket left reconnecting would keep the test file's process alive after its last test
    // (node --test waits for it), and the whole run with it.
    socket.close();
    throw error;
  }
  return {
    name,
    token,
    socket,
    items,
    unread: () => serverUnread,
    liveDuplicates: () => [...liveArrivals].filter(([, n]) => n > 1).map(([id]) => id),
    disconnects,
    refusals,
    syncs: () => syncCount,
    async markAllRead() {
      const ack = await socket.timeout(EVENT_TIMEOUT_MS).emitWithAck('notification:mark-read', {
        all: true,
      });
      assert.ok(ack.ok, `${name}: mark all read was refused`);
      assert.ok(ack.readUpToSeq !== undefined, `${name}: the ack says how far it marked`);
      readThrough = Math.max(readThrough, ack.readUpToSeq);
      applyRead((item) => item.seq <= readThrough);
      takeCount(ack.unreadCount, ack.upToSeq);
    },
    close: () => void socket.close(),
  };
}

/** What the database holds for this client's user, asked through any node. */
async function databaseInbox(apiUrl: string, token: string) {
  const [{ items }, count] = await Promise.all([
    listNotifications(apiUrl, token, { limit: 100 }),
    unreadCount(apiUrl, token),
  ]);
  return { items, count };
}

const describeItems = (items: Iterable<NotificationItem>): string[] =>
  [...items].sort((a, b) => b.seq - a.seq).map((item) => `${item.seq}:${item.id}:${item.read}`);

/**
 * Waits until the client holds exactly the database's inbox (every item, once, with its read
 * state) and its unread count, then checks nothing reached it live twice.
 */
export async function assertConverged(
  client: InboxClient,
  apiUrl: string,
  timeoutMs = EVENT_TIMEOUT_MS * 3,
): Promise<void> {
  let expected: { items: NotificationItem[]; count: number } | undefined;
  try {
    await waitUntil(
      async () => {
        expected = await databaseInbox(apiUrl, client.token);
        return (
          client.socket.connected &&
          describeItems(client.items.values()).join() === describeItems(expected.items).join() &&
          client.unread() === expected.count
        );
      },
      `${client.name} holds what the database holds`,
      timeoutMs,
    );
  } catch (error) {
    assert.deepEqual(
      {
        connected: client.socket.connected,
        items: describeItems(client.items.values()),
        unread: client.unread(),
      },
      {
        connected: true,
        items: describeItems(expected?.items ?? []),
        unread: expected?.count,
      },
      `${client.name}: ${(error as Error).message}`,
    );
    throw error;
  }
  const ids = expected?.items.map((item) => item.id) ?? [];
  assert.equal(new Set(ids).size, ids.length, `${client.name}: the database lists an id twice`);
  assert.deepEqual(client.liveDuplicates(), [], `${client.name}: an item arrived live twice`);
}
