/**
 * The authorization matrix: every route and event that needs someone, tried by nobody, by a
 * revoked token, by a plain reader where an author is needed, and by another user where the owner
 * or an admin is needed. Each is refused with the right code, and the data directory is
 * byte-identical afterwards.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { API, type HttpErrorBody, type NotificationItem } from '../../contract/wire.js';
import {
  like,
  login,
  logout,
  publish,
  request,
  setAuthor,
  signUp,
  subscribe,
  type TestUser,
} from '../fixtures/api.js';
import { startServer, type RunningServer } from '../fixtures/server.js';
import {
  connectError,
  connectSocket,
  createSocket,
  recordEvents,
  roundTrip,
} from '../fixtures/sockets.js';
import { reportFigure } from './scale.js';

async function dataSnapshot(dataDir: string): Promise<string> {
  // Files only: the running server's admin socket lives there too.
  const names = (await readdir(dataDir, { withFileTypes: true }))
    .filter((entry) => entry.isFile() && entry.name !== 'tidings.pid')
    .map((entry) => entry.name)
    .sort();
  return (await Promise.all(names.map((name) => readFile(join(dataDir, name), 'utf8')))).join('\n');
}

interface Route {
  method: string;
  path: () => string;
  json?: unknown;
  /** Who may: any signed-in user, an author, the post's owner, or an admin. */
  needs: 'user' | 'author' | 'owner' | 'admin';
}

describe('authorization matrix', () => {
  let server: RunningServer;
  let ana: TestUser; // admin and author, owns the post
  let cleo: TestUser; // another author
  let ben: TestUser; // a plain reader
  let revokedToken: string;
  let postId: string;

  const routes: Route[] = [
    { method: 'POST', path: () => API.logout, needs: 'user' },
    { method: 'GET', path: () => API.me, needs: 'user' },
    { method: 'POST', path: () => API.subscription, needs: 'user' },
    { method: 'DELETE', path: () => API.subscription, needs: 'user' },
    { method: 'GET', path: () => API.notifications, needs: 'user' },
    { method: 'GET', path: () => API.unreadCount, needs: 'user' },
    { method: 'POST', path: () => API.markRead, json: { all: true }, needs: 'user' },
    { method: 'POST', path: () => API.like(postId), needs: 'user' },
    { method: 'DELETE', path: () => API.like(postId), needs: 'user' },
    { method: 'POST', path: () => API.posts, json: { title: 'T', body: 'B' }, needs: 'author' },
    {
      method: 'PATCH',
      path: () => API.post(postId),
      json: { title: 'Taken over' },
      needs: 'owner',
    },
    { method: 'DELETE', path: () => API.post(postId), needs: 'owner' },
    { method: 'PUT', path: () => API.userRoles('ben'), json: { author: true }, needs: 'admin' },
  ];

  before(async () => {
    server = await startServer();
    ana = await signUp(server.url, 'ana');
    cleo = await signUp(server.url, 'cleo');
    await setAuthor(server.url, ana.token, 'cleo');
    ben = await signUp(server.url, 'ben');
    await subscribe(server.url, ben.token);
    await subscribe(server.url, cleo.token);
    postId = (await publish(server.url, ana.token, 'Only mine to change')).id;
    revokedToken = (await login(server.url, 'ben')).token;
    await logout(server.url, revokedToken);
  });

  after(async () => {
    await server.stop();
    await server.cleanup();
  });

  it('every route refuses whoever is not allowed, and changes nothing', async () => {
    let tried = 0;
    for (const route of routes) {
      const callers: [string, string | undefined, number][] = [
        ['anonymous', undefined, 401],
        ['a revoked token', revokedToken, 401],
        ['a made-up token', 'x'.repeat(22), 401],
      ];
      if (route.needs === 'author' || route.needs === 'owner' || route.needs === 'admin') {
        callers.push(['a plain reader', ben.token, 403]);
      }
      if (route.needs === 'owner' || route.needs === 'admin') {
        callers.push(['another author', cleo.token, 403]);
      }
      for (const [who, token, status] of callers) {
        const before = await dataSnapshot(server.dataDir);
        const result = await request<HttpErrorBody>(server.url, route.method, route.path(), {
          ...(token === undefined ? {} : { token }),
          ...(route.json === undefined ? {} : { json: route.json }),
        });
        const what = `${route.method} ${route.path()} by ${who}`;
        assert.equal(result.status, status, `${what}: ${JSON.stringify(result.body)}`);
        assert.equal(result.body.error.code, status === 401 ? 'unauthorized' : 'forbidden', what);
        assert.equal(await dataSnapshot(server.dataDir), before, `${what} changed nothing`);
        tried += 1;
      }
    }
    reportFigure('authorization refusals checked (HTTP)', tried);
  });

  it('the blog pages send a signed-out visitor to sign in or refuse, and change nothing', async () => {
    const pages: [string, string][] = [
      ['GET', '/compose'],
      ['POST', '/compose'],
      ['GET', '/admin'],
      ['POST', '/admin/authors'],
      ['GET', `/posts/${postId}/edit`],
      ['POST', `/posts/${postId}/edit`],
      ['POST', `/posts/${postId}/delete`],
      ['GET', '/notifications'],
      ['POST', '/notifications/read'],
      ['POST', `/posts/${postId}/like`],
      ['POST', '/subscription'],
    ];
    for (const [method, path] of pages) {
      const before = await dataSnapshot(server.dataDir);
      const result = await fetch(new URL(path, server.url), {
        method,
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: method === 'POST' ? 'title=x&body=y&username=ben&author=on' : undefined,
      });
      await result.text();
      assert.ok(
        [303, 302, 401, 403].includes(result.status),
        `${method} ${path} by a signed-out visitor: ${result.status}`,
      );
      assert.equal(await dataSnapshot(server.dataDir), before, `${method} ${path} changed nothing`);
    }
    reportFigure('authorization refusals checked (blog pages, signed out)', pages.length);
  });

  it("sockets: no token or a revoked one is refused; nobody reads or marks another user's items", async () => {
    for (const auth of [{}, { token: revokedToken }, { token: 'x'.repeat(22) }]) {
      const socket = createSocket(server.url, auth);
      const refused = connectError(socket);
      socket.connect();
      assert.equal((await refused).data?.code, 'unauthorized', JSON.stringify(auth));
      socket.close();
    }
    // A like notifies only the post's author: that item is ana's alone.
    await like(server.url, cleo.token, postId);
    const { socket: anaSocket, sync } = await connectSocket(server.url, ana.token);
    const anasItem = sync.items.find((item) => item.type === 'post_liked');
    assert.ok(anasItem, 'ana was told of the like');
    const { socket: benSocket } = await connectSocket(server.url, ben.token);
    const anaHeard = recordEvents(anaSocket);
    try {
      const before = await dataSnapshot(server.dataDir);
      const marked = await benSocket
        .timeout(5_000)
        .emitWithAck('notification:mark-read', { ids: [anasItem.id] });
      assert.ok(marked.ok, 'an id ben cannot see is ignored, not an error');
      const listed = await benSocket.timeout(5_000).emitWithAck('notification:list', {});
      if (!listed.ok) throw new Error(`listing failed: ${listed.error.message}`);
      assert.ok(
        listed.items.every((item: NotificationItem) => item.id !== anasItem.id),
        "ben never lists ana's item",
      );
      await roundTrip(anaSocket);
      assert.deepEqual(anaHeard, [], 'ana hears nothing of it');
      assert.equal(await dataSnapshot(server.dataDir), before, 'nothing changed');
    } finally {
      anaSocket.close();
      benSocket.close();
    }
  });
});
