/**
 * Stories of a server that dies: what a client was told survives `kill -9`, the data file always
 * parses, and a clean stop (SIGTERM) flushes and exits 0.
 */
import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { DATA_FILE_NAME } from '../../server/store/lowdb/index.js';
import {
  listNotifications,
  login,
  publish,
  signUp,
  subscribe,
  TEST_PASSWORD,
  postOf,
} from '../fixtures/api.js';
import { startServer } from '../fixtures/server.js';
import { connectSocket, nextEvent } from '../fixtures/sockets.js';

describe('durability', () => {
  it('a post whose notification a client received survives kill -9 and a restart', async () => {
    const first = await startServer();
    const dataDir = first.dataDir;
    try {
      const author = await signUp(first.url, 'ana');
      const reader = await signUp(first.url, 'ben');
      await subscribe(first.url, reader.token);
      const { socket } = await connectSocket(first.url, reader.token);
      const arrived = nextEvent(socket, 'notification:new');
      const post = await publish(first.url, author.token, 'Written in stone');
      const item = await arrived;
      socket.close();
      await first.kill9(); // no chance to flush anything not already on disk

      const text = await readFile(join(dataDir, DATA_FILE_NAME), 'utf8');
      assert.doesNotThrow(() => JSON.parse(text), 'the data file parses after kill -9');

      const second = await startServer({ dataDir });
      try {
        const again = await login(second.url, 'ben', TEST_PASSWORD);
        const { items } = await listNotifications(second.url, again.token);
        assert.ok(items.some((i) => i.id === item.id && postOf(i).id === post.id));
        const { sync } = await connectSocket(second.url, reader.token, item.seq - 1).then((c) => {
          c.socket.close();
          return c;
        });
        assert.deepEqual(
          sync.items.map((i) => i.id),
          [item.id],
          'the old device token still works',
        );
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('SIGTERM finishes pending writes and exits 0; the next start sees everything', async () => {
    const server = await startServer();
    try {
      const author = await signUp(server.url, 'ana');
      const published = await Promise.all(
        ['a', 'b', 'c', 'd', 'e'].map((title) => publish(server.url, author.token, title)),
      );
      assert.equal(await server.stop(), 0);
      assert.match(server.output(), /SIGTERM/);
      const text = await readFile(join(server.dataDir, DATA_FILE_NAME), 'utf8');
      for (const post of published) assert.ok(text.includes(post.id));

      const again = await startServer({ dataDir: server.dataDir });
      const response = await fetch(`${again.url}/api/posts`);
      const body = (await response.json()) as { total: number };
      assert.equal(body.total, 5);
      assert.equal(await again.stop(), 0);
    } finally {
      await server.cleanup();
    }
  });

  it('SIGINT (Ctrl-C) stops it cleanly too', async () => {
    const server = await startServer();
    try {
      await signUp(server.url, 'ana');
      const exited = once(server.child, 'exit');
      server.child.kill('SIGINT');
      assert.deepEqual(await exited, [0, null]);
      assert.match(server.output(), /SIGINT/);
    } finally {
      await server.cleanup();
    }
  });
});
