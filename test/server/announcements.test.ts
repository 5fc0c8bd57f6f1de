/**
 * An admin's announcements, through a real server and real socket.io clients: to every subscriber
 * or to one user, counted as unread, stored once, and refused with a clear error when they are not
 * an admin's or not well-formed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  API,
  type AnnouncementItem,
  type AnnouncementResponse,
  type NotificationItem,
} from '../../contract/wire.js';
import {
  errorOf,
  listNotifications,
  request,
  signUp,
  subscribe,
  unreadCount,
  type TestUser,
} from '../fixtures/api.js';
import { startServer, type RunningServer } from '../fixtures/server.js';
import {
  connectSocket,
  recordEvents,
  roundTrip,
  type RecordedEvent,
  type TidingsSocket,
} from '../fixtures/sockets.js';

const announcementsIn = (events: RecordedEvent[]): AnnouncementItem[] =>
  events
    .filter((event) => event.name === 'notification:new')
    .map((event) => event.payload as NotificationItem)
    .filter((item): item is AnnouncementItem => item.type === 'announcement');

describe('announcements', () => {
  let server: RunningServer;
  let admin: TestUser;
  let ben: TestUser;
  let cy: TestUser;
  let dee: TestUser;
  const sockets: TidingsSocket[] = [];
  const events = new Map<string, RecordedEvent[]>();

  const announce = (body: unknown, token = admin.token) =>
    request<AnnouncementResponse>(server.url, 'POST', API.announcements, { token, json: body });

  before(async () => {
    server = await startServer();
    admin = await signUp(server.url, 'root');
    [ben, cy, dee] = [
      await signUp(server.url, 'ben'),
      await signUp(server.url, 'cyd'),
      await signUp(server.url, 'dee'),
    ];
    for (const user of [admin, ben, cy]) await subscribe(server.url, user.token);
    for (const user of [admin, ben, cy, dee]) {
      const { socket } = await connectSocket(server.url, user.token);
      sockets.push(socket);
      events.set(user.username, recordEvents(socket));
    }
  });

  after(async () => {
    for (const socket of sockets) socket.close();
    await server.stop();
    await server.cleanup();
  });

  const settle = () => Promise.all(sockets.map((socket) => roundTrip(socket)));

  it('to every subscriber: each gets it once, live and in the inbox, and it counts as unread', async () => {
    const sent = await announce({
      title: 'Maintenance tonight',
      text: 'The blog is down from 22:00 to 23:00.',
      url: `${server.url}/posts/status`,
    });
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    assert.deepEqual(sent.body.announcement, {
      title: 'Maintenance tonight',
      text: 'The blog is down from 22:00 to 23:00.',
      url: `${server.url}/posts/status`,
    });
    assert.equal(sent.body.to, null);
    await settle();
    for (const name of ['ben', 'cyd']) {
      const [item, ...more] = announcementsIn(events.get(name) ?? []);
      assert.equal(more.length, 0, `${name} got it once`);
      assert.equal(item?.id, sent.body.id);
      assert.equal(item?.announcement.title, 'Maintenance tonight');
      assert.equal(item?.actor.name, 'root');
      assert.equal(item?.message, 'Announcement from root: Maintenance tonight');
    }
    assert.deepEqual(announcementsIn(events.get('dee') ?? []), [], 'not a subscriber');
    assert.deepEqual(announcementsIn(events.get('root') ?? []), [], 'not its sender');
    assert.equal(await unreadCount(server.url, ben.token), 1);
    const [listed] = (await listNotifications(server.url, cy.token)).items;
    assert.equal(listed?.type, 'announcement');
    assert.equal(listed?.read, false);
  });

  it('to one user: only they get it, subscribed or not', async () => {
    const sent = await announce({ title: 'Your account', to: 'dee' });
    assert.equal(sent.status, 201);
    assert.equal(sent.body.to, 'dee');
    assert.deepEqual(sent.body.announcement, { title: 'Your account' });
    await settle();
    const [item] = announcementsIn(events.get('dee') ?? []);
    assert.equal(item?.announcement.title, 'Your account');
    assert.equal(item?.announcement.url, undefined, 'no link: a click opens the inbox');
    for (const name of ['ben', 'cyd', 'root']) {
      assert.ok(
        !announcementsIn(events.get(name) ?? []).some((i) => i.id === sent.body.id),
        `${name} did not get it`,
      );
    }
    assert.equal(await unreadCount(server.url, dee.token), 1);
  });

  it('is stored once and is still there after a restart', async () => {
    const metrics = await request<string>(server.url, 'GET', API.metrics);
    assert.match(metrics.body, /^tidings_events_pushed_total\{type="announcement"\} 2$/m);
    for (const socket of sockets) socket.close();
    assert.equal(await server.stop(), 0);
    server = await startServer({ dataDir: server.dataDir, port: server.port });
    const titles = (await listNotifications(server.url, ben.token)).items.map((item) =>
      item.type === 'announcement' ? item.announcement.title : item.post.title,
    );
    assert.deepEqual(titles, ['Maintenance tonight']);
  });

  it('refuses non-admins, unknown users, non-http links and empty titles, changing nothing', async () => {
    const cases: [unknown, string | undefined, number, string][] = [
      [{ title: 'Hi' }, ben.token, 403, 'forbidden'],
      [{ title: 'Hi', to: 'nobody' }, undefined, 404, 'not_found'],
      [{ title: 'Hi', url: 'javascript:alert(1)' }, undefined, 400, 'invalid_payload'],
      [{ title: 'Hi', url: 'ftp://example.org/' }, undefined, 400, 'invalid_payload'],
      [{ title: '   ' }, undefined, 400, 'invalid_payload'],
      [{ title: 'Hi', extra: true }, undefined, 400, 'invalid_payload'],
      [{ title: 'x'.repeat(201) }, undefined, 400, 'invalid_payload'],
    ];
    for (const [body, token, status, code] of cases) {
      const refused = await announce(body, token);
      assert.equal(refused.status, status, JSON.stringify(body));
      assert.equal(errorOf(refused).code, code);
    }
    assert.equal(await unreadCount(server.url, ben.token), 1, 'nothing was sent');
  });
});
