/**
 * A bench client process: holds many real socket.io-client sockets (or sends likes over HTTP)
 * for the orchestrator in bench/run.ts, which talks to it over fork IPC (bench/protocol.ts).
 * Several run at once, so the server's event loop never measures its clients.
 */
import { Agent, request } from 'node:http';
import { io, type Socket } from 'socket.io-client';
import {
  API,
  type ClientToServerEvents,
  type ConnectErrorData,
  type NotificationItem,
  type ServerToClientEvents,
} from '../contract/wire.js';
import { likeKey } from './likeKey.js';
import {
  BENCH_TITLE_PREFIX,
  type ClientUser,
  type FromClient,
  type LikeOrder,
  type SocketOutage,
  type ToClient,
} from './protocol.js';
import { wallNow } from './wallClock.js';
import { itemAt } from './itemAt.js';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const CONNECT_TIMEOUT_MS = 30_000;
const REQUEST_TIMEOUT_MS = 10_000;

interface Tracked {
  socket: ClientSocket;
  seen: Set<string>;
  benchPosts: number;
  lastSeq: number | undefined;
  /** Since the socket last lost its connection; none until it first does. */
  outage: SocketOutage | undefined;
}

const tracked: Tracked[] = [];
let fanoutMs: number[] = [];
let likeReceipts: [string, number][] = [];
let duplicates = 0;
let busyRefusals = 0;

function send(message: FromClient): void {
  process.send?.(message);
}

function receive(entry: Tracked, item: NotificationItem, live: boolean): void {
  const at = wallNow();
  if (entry.seen.has(item.id)) {
    duplicates += 1;
    return;
  }
  entry.seen.add(item.id);
  entry.lastSeq = Math.max(entry.lastSeq ?? 0, item.seq);
  if (item.type === 'post_liked') {
    likeReceipts.push([likeKey(item.post.id, item.actor.id), at]);
  } else if (item.type === 'new_post' && item.post.title.startsWith(BENCH_TITLE_PREFIX)) {
    entry.benchPosts += 1;
    if (live) fanoutMs.push(at - Number(item.post.title.slice(BENCH_TITLE_PREFIX.length)));
  }
}

function openSocket(url: string, user: ClientUser, reconnect: boolean): Promise<boolean> {
  const entry: Tracked = {
    socket: undefined as unknown as ClientSocket,
    seen: new Set(),
    benchPosts: 0,
    lastSeq: undefined,
    outage: undefined,
  };
  // auth as a function is asked again on every reconnect, so `since` follows what was seen.
  const socket: ClientSocket = io(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: reconnect,
    timeout: CONNECT_TIMEOUT_MS,
    auth: (cb) =>
      cb(
        entry.lastSeq === undefined
          ? { token: user.token }
          : { token: user.token, since: entry.lastSeq },
      ),
  });
  entry.socket = socket;
  tracked.push(entry);
  socket.on('notification:new', (item) => receive(entry, item, true));
  socket.on('sync', (payload) => {
    if (entry.outage && entry.outage.syncedAt === undefined) entry.outage.syncedAt = wallNow();
    for (const item of payload.items) receive(entry, item, false);
  });
  // The storm's timeline: a few numbers per socket, so the orchestrator can tell the clients'
  // own backoff from a server busy catching up (bench/stormTimeline.ts).
  socket.on('disconnect', () => {
    entry.outage = { lostAt: wallNow(), attempts: [], refused: [], busy: [] };
  });
  socket.on('connect', () => {
    if (entry.outage && entry.outage.connectedAt === undefined)
      entry.outage.connectedAt = wallNow();
  });
  socket.io.on('reconnect_attempt', () => entry.outage?.attempts.push(wallNow()));
  socket.io.on('reconnect_error', () => entry.outage?.refused.push(wallNow()));
  // A busy server refuses the handshake and says when to come back, as the tray core honours;
  // socket.io does not retry a refused handshake by itself.
  socket.on('connect_error', (error: Error & { data?: Partial<ConnectErrorData> }) => {
    const retryAfterMs = error.data?.retryAfterMs;
    if (error.data?.code === 'server_busy' && typeof retryAfterMs === 'number') {
      busyRefusals += 1;
      entry.outage?.busy.push(wallNow());
      setTimeout(() => {
        entry.outage?.attempts.push(wallNow());
        socket.connect();
      }, retryAfterMs);
    }
  });
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), CONNECT_TIMEOUT_MS);
    socket.once('sync', () => {
      clearTimeout(timer);
      resolve(true);
    });
    socket.once('connect_error', (error: Error & { data?: Partial<ConnectErrorData> }) => {
      if (reconnect || error.data?.code === 'server_busy') return; // it tries again
      clearTimeout(timer);
      console.error(`socket refused: ${error.message}`);
      resolve(false);
    });
  });
}

async function connectAll(url: string, users: ClientUser[], reconnect: boolean, parallel: number) {
  const started = performance.now();
  const failed: string[] = [];
  let ok = 0;
  for (let i = 0; i < users.length; i += parallel) {
    const batch = users.slice(i, i + parallel);
    const results = await Promise.all(batch.map((user) => openSocket(url, user, reconnect)));
    results.forEach((connected, j) => (connected ? (ok += 1) : failed.push(itemAt(batch, j).id)));
  }
  send({ type: 'connected', ok, failed: failed.slice(0, 10), ms: performance.now() - started });
}

/**
 * The likers' connections, kept alive and at most LIKER_SOCKETS of them: fetch opened one more
 * socket for every like still unanswered, so once the node fell behind, thousands of sockets (and
 * their handshakes, on both sides of the same 2 cores) deepened the backlog they came from.
 */
const LIKER_SOCKETS = 32;
const likers = new Agent({ keepAlive: true, maxSockets: LIKER_SOCKETS });

/** POSTs with no body; resolves with the status once the whole response is read. */
function post(url: URL, token: string, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const sent = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    sent.on('error', reject);
    sent.end();
  });
}

async function likeAll(url: string, likes: LikeOrder[], perSecond: number): Promise<void> {
  const sent: [string, number][] = [];
  const failed: string[] = [];
  const started = performance.now();
  const pending: Promise<void>[] = [];
  for (const [i, like] of likes.entries()) {
    const wait = started + (i * 1000) / perSecond - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const key = likeKey(like.postId, like.userId);
    sent.push([key, wallNow()]);
    pending.push(
      post(new URL(API.like(like.postId), url), like.token, likers).then(
        (status) => {
          if (status < 200 || status >= 300) failed.push(`${key}: HTTP ${status}`);
        },
        (error: unknown) => void failed.push(`${key}: ${String(error)}`),
      ),
    );
  }
  await Promise.all(pending);
  send({ type: 'liked', sent, failed: failed.slice(0, 10) });
}

process.on('message', (message: ToClient) => {
  switch (message.type) {
    case 'connect':
      void connectAll(message.url, message.users, message.reconnect, message.parallel);
      break;
    case 'status':
      send({
        type: 'status',
        sockets: tracked.length,
        connected: tracked.filter((entry) => entry.socket.connected).length,
        fewestPosts:
          tracked.length === 0 ? 0 : Math.min(...tracked.map((entry) => entry.benchPosts)),
        duplicates,
        busyRefusals,
        syncedSinceLost: tracked.filter((entry) => entry.outage?.syncedAt !== undefined).length,
      });
      break;
    case 'timeline':
      send({
        type: 'timeline',
        outages: tracked.flatMap((entry) => (entry.outage ? [entry.outage] : [])),
      });
      break;
    case 'collect':
      send({ type: 'collected', fanoutMs, likeReceipts });
      fanoutMs = [];
      likeReceipts = [];
      break;
    case 'like':
      void likeAll(message.url, message.likes, message.perSecond);
      break;
    case 'reset':
      for (const entry of tracked.splice(0)) entry.socket.close();
      fanoutMs = [];
      likeReceipts = [];
      duplicates = 0;
      busyRefusals = 0;
      send({ type: 'reset' });
      break;
    case 'close':
      for (const entry of tracked) entry.socket.close();
      process.disconnect?.();
      break;
  }
});

// Orphaned (the orchestrator died): never linger.
process.on('disconnect', () => process.exit(0));
