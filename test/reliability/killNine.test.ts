/**
 * The server is killed with `kill -9` at a random moment during a burst of publishes, likes and
 * mark-reads, round after round, on the same data directory. After every restart the data file
 * parses, every action the server acknowledged (an HTTP 2xx or a socket ack) is there, and each
 * user's live client, reconnecting with `since` like the tray app does, holds exactly the
 * server's inbox: nothing missing, nothing twice.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { API, type NotificationItem, type Post } from '../../contract/wire.js';
import { DATA_FILE_NAME, JOURNAL_FILE_NAME } from '../../server/store/lowdb/index.js';
import { listNotifications, request, signUp, subscribe, type TestUser } from '../fixtures/api.js';
import { startServer, type RunningServer } from '../fixtures/server.js';
import { createSocket, type TidingsSocket } from '../fixtures/sockets.js';
import { reportFigure, scaled } from './scale.js';

const ROUNDS = scaled(3, 20);
const READERS = 3;

/** One user's live client: what it received, in order, and the highest seq it saw. */
interface LiveClient {
  user: TestUser;
  received: NotificationItem[];
  socket: TidingsSocket | null;
}

/** What the server acknowledged, so it must survive. */
interface Acknowledged {
  posts: Set<string>;
  likes: Set<string>; // `${username} ${postId}`
  reads: Map<string, Set<string>>; // username → notification ids
}

const highestSeq = (client: LiveClient): number =>
  client.received.reduce((highest, item) => Math.max(highest, item.seq), 0);

/** Connects like the tray app: `since` = the highest seq seen; resolves once `sync` is in. */
async function connectClient(url: string, client: LiveClient): Promise<void> {
  const since = highestSeq(client);
  const socket = createSocket(
    url,
    since > 0 ? { token: client.user.token, since } : { token: client.user.token },
  );
  socket.on('notification:new', (item) => client.received.push(item));
  const synced = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${client.user.username}: no sync`)), 10_000);
    socket.once('sync', (payload) => {
      clearTimeout(timer);
      assert.equal(payload.truncated, false, 'each round fits in one sync');
      client.received.push(...payload.items);
      resolve();
    });
  });
  socket.connect();
  client.socket = socket;
  await synced;
}

/** The user's whole inbox on the server, paging back with `before`. */
async function serverInbox(url: string, token: string): Promise<NotificationItem[]> {
  const all: NotificationItem[] = [];
  let before: number | undefined;
  for (;;) {
    const page = await listNotifications(
      url,
      token,
      before === undefined ? { limit: 200 } : { before, limit: 200 },
    );
    all.push(...page.items);
    if (page.items.length < 200) return all;
    before = page.items[page.items.length - 1]?.seq;
  }
}

const pick = <T>(items: readonly T[]): T | undefined =>
  items[Math.floor(Math.random() * items.length)];

/** Runs actions back to back until the server dies; keeps what was acknowledged. */
async function burst(
  url: string,
  author: TestUser,
  clients: LiveClient[],
  acknowledged: Acknowledged,
  round: number,
): Promise<() => void> {
  let alive = true;
  const postIds = [...acknowledged.posts];
  const loops: Promise<void>[] = [];
  const keepGoing = async (action: () => Promise<void>): Promise<void> => {
    while (alive) {
      try {
        await action();
      } catch {
        return; // the server is gone: anything unanswered was never acknowledged
      }
    }
  };
  let count = 0;
  loops.push(
    keepGoing(async () => {
      count += 1;
      const result = await request<Post>(url, 'POST', API.posts, {
        token: author.token,
        json: { title: `Round ${round} post ${count}`, body: 'Written during a burst.' },
      });
      if (result.status === 201) {
        acknowledged.posts.add(result.body.id);
        postIds.push(result.body.id);
      }
    }),
  );
  for (const client of clients.slice(1)) {
    loops.push(
      keepGoing(async () => {
        const postId = pick(postIds);
        if (postId === undefined) return void (await new Promise((r) => setTimeout(r, 5)));
        const result = await request(url, 'POST', API.like(postId), { token: client.user.token });
        if (result.status === 200) acknowledged.likes.add(`${client.user.username} ${postId}`);
      }),
    );
  }
  for (const client of clients) {
    loops.push(
      keepGoing(async () => {
        const read = acknowledged.reads.get(client.user.username) ?? new Set<string>();
        acknowledged.reads.set(client.user.username, read);
        const unread = client.received.filter((item) => !read.has(item.id)).slice(0, 3);
        const socket = client.socket;
        if (unread.length === 0 || !socket?.connected) {
          await new Promise((r) => setTimeout(r, 5));
          if (!socket?.connected) throw new Error('disconnected');
          return;
        }
        const ack = await socket
          .timeout(5_000)
          .emitWithAck('notification:mark-read', { ids: unread.map((item) => item.id) });
        if (ack.ok) for (const item of unread) read.add(item.id);
      }),
    );
  }
  return () => {
    alive = false;
    void Promise.all(loops);
  };
}

describe(`kill -9 during a burst, ${ROUNDS} rounds`, () => {
  let server: RunningServer;
  let dataDir: string;
  let author: TestUser;
  const clients: LiveClient[] = [];
  const acknowledged: Acknowledged = { posts: new Set(), likes: new Set(), reads: new Map() };

  before(async () => {
    server = await startServer();
    dataDir = server.dataDir;
    author = await signUp(server.url, 'ana');
    clients.push({ user: author, received: [], socket: null });
    for (let index = 1; index <= READERS; index += 1) {
      const reader = await signUp(server.url, `reader${index}`);
      await subscribe(server.url, reader.token);
      clients.push({ user: reader, received: [], socket: null });
    }
  });

  after(async () => {
    for (const client of clients) client.socket?.close();
    await server.kill9();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('every acknowledged action survives, and every client converges without duplicates', async () => {
    let checkedItems = 0;
    for (let round = 1; round <= ROUNDS; round += 1) {
      for (const client of clients) await connectClient(server.url, client);
      const stop = await burst(server.url, author, clients, acknowledged, round);
      await new Promise((r) => setTimeout(r, 150 + Math.random() * 600));
      await server.kill9();
      stop();
      for (const client of clients) client.socket?.close();

      const text = await readFile(join(dataDir, DATA_FILE_NAME), 'utf8');
      assert.doesNotThrow(() => JSON.parse(text), `round ${round}: the snapshot parses`);
      const journal = await readFile(join(dataDir, JOURNAL_FILE_NAME), 'utf8').catch(() => '');
      // Every complete line is a whole commit; only a last line without its newline may be torn.
      for (const line of journal.split('\n').slice(0, -1)) {
        assert.doesNotThrow(() => JSON.parse(line), `round ${round}: a journal line parses`);
      }

      server = await startServer({ dataDir, port: server.port });
      for (const postId of acknowledged.posts) {
        const found = await request(server.url, 'GET', API.post(postId));
        assert.equal(found.status, 200, `round ${round}: acknowledged post ${postId} is there`);
      }
      for (const key of acknowledged.likes) {
        const [username, postId] = key.split(' ') as [string, string];
        const client = clients.find((c) => c.user.username === username);
        const post = await request<Post>(server.url, 'GET', API.post(postId), {
          token: client?.user.token,
        });
        assert.equal(post.body.likedByMe, true, `round ${round}: acknowledged like ${key}`);
      }
      for (const client of clients) {
        await connectClient(server.url, client);
        const onServer = await serverInbox(server.url, client.user.token);
        const ids = client.received.map((item) => item.id);
        assert.equal(
          new Set(ids).size,
          ids.length,
          `round ${round}: ${client.user.username} got no duplicates`,
        );
        assert.deepEqual(
          [...ids].sort(),
          onServer.map((item) => item.id).sort(),
          `round ${round}: ${client.user.username}'s client holds exactly the server's inbox`,
        );
        const readOnServer = new Set(onServer.filter((item) => item.read).map((item) => item.id));
        for (const id of acknowledged.reads.get(client.user.username) ?? []) {
          assert.ok(readOnServer.has(id), `round ${round}: acknowledged read ${id} stays read`);
        }
        checkedItems += ids.length;
        client.socket?.close();
      }
    }
    reportFigure('kill -9 rounds survived', ROUNDS);
    reportFigure(
      'kill -9 acknowledged actions checked (posts, likes, reads)',
      `${acknowledged.posts.size}, ${acknowledged.likes.size}, ${[...acknowledged.reads.values()].reduce((n, s) => n + s.size, 0)}`,
    );
    reportFigure('kill -9 client inbox items compared', checkedItems);
  });
});
