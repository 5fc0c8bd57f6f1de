import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ALERT_RULES,
  addToBatch,
  batchDeadline,
  composeAwaySummary,
  composeBatch,
  countsLine,
  isWithinQuietHours,
  suppressionReason,
  wantsAlert,
  type AlertBatch,
  type AlertContext,
} from '../../main/core/alertPolicy.js';
import { defaultSettings } from '../../main/core/settingsSchema.js';
import type { NotificationItem } from '../../contract/wire.js';
import { SERVER, sampleAnnouncement, sampleItem, sampleLike } from './sampleItems.js';

const NOON = new Date(2026, 0, 15, 12, 0).getTime();

function context(overrides: Partial<AlertContext> = {}, settingsPatch = {}): AlertContext {
  return {
    settings: { ...defaultSettings(), serverUrl: SERVER, ...settingsPatch },
    inboxVisible: false,
    now: NOON,
    ...overrides,
  };
}

function batchOf(items: NotificationItem[]): AlertBatch {
  const [first, ...rest] = items;
  if (first === undefined) throw new Error('a batch needs at least one item');
  return rest.reduce((batch, item) => addToBatch(batch, item, NOON), addToBatch(null, first, NOON));
}

const allUnread = () => true;

test('one new post becomes one notification that opens that post', () => {
  const alerts = composeBatch(batchOf([sampleItem(1)]), context(), allUnread);
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0]?.notification.title, 'New post: Post 1');
  assert.deepEqual(alerts[0]?.notification.action, {
    kind: 'open-post',
    itemId: 'n1',
    url: `${SERVER}/posts/p1`,
  });
  assert.deepEqual(alerts[0]?.itemIds, ['n1']);
});

test(`up to ${ALERT_RULES.burstThreshold} events are shown one by one; more become ONE summary`, () => {
  const three = [1, 2, 3].map((seq) => sampleItem(seq));
  assert.equal(composeBatch(batchOf(three), context(), allUnread).length, 3);

  const burst = [
    ...[1, 2, 3, 4].map((seq) => sampleItem(seq)),
    sampleLike(5, 'Bo', 'x', 'X'),
    sampleLike(6, 'Cy', 'y', 'Y'),
  ];
  const alerts = composeBatch(batchOf(burst), context(), allUnread);
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0]?.notification.title, '4 new posts and 2 likes');
  assert.deepEqual(alerts[0]?.notification.action, { kind: 'open-inbox' });
});

test('likes on one post merge: "Ana and 3 others liked “Title”"', () => {
  const likes = ['Ana', 'Bo', 'Cy', 'Di'].map((name, index) =>
    sampleLike(index + 1, name, 'p9', 'Title'),
  );
  const alerts = composeBatch(batchOf(likes), context(), allUnread);
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0]?.notification.title, 'Ana and 3 others liked “Title”');
  assert.deepEqual(alerts[0]?.itemIds, ['n1', 'n2', 'n3', 'n4']);
  assert.equal(alerts[0]?.notification.action.kind, 'open-post');
});

test('a batch waits for a quiet gap, but never longer than the cap after its first event', () => {
  let batch = addToBatch(null, sampleItem(1), 0);
  assert.equal(batchDeadline(batch), ALERT_RULES.gatherQuietMs);
  batch = addToBatch(batch, sampleItem(2), 1_500);
  assert.equal(batchDeadline(batch), ALERT_RULES.gatherMaxMs);
});

test('items read or muted before the batch closes are not announced', () => {
  const batch = batchOf([sampleItem(1), sampleLike(2, 'Bo', 'p1')]);
  const alerts = composeBatch(
    batch,
    context({}, { mutedTypes: ['post_liked'] }),
    (id) => id !== 'n1',
  );
  assert.deepEqual(alerts, []);
});

test('after a reconnect, missed items become ONE "while you were away" summary', () => {
  const missed = [1, 2, 3, 4, 5].map((seq) => sampleItem(seq));
  const alerts = composeAwaySummary(missed, context());
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0]?.notification.title, 'While you were away');
  assert.equal(alerts[0]?.notification.body, '5 new posts');
  assert.deepEqual(alerts[0]?.notification.action, { kind: 'open-inbox' });
  assert.equal(
    composeAwaySummary([sampleItem(9)], context())[0]?.notification.title,
    'New post: Post 9',
  );
  assert.deepEqual(composeAwaySummary([], context()), []);
});

test('do-not-disturb, a pause, quiet hours and a showing inbox each silence notifications', () => {
  assert.equal(suppressionReason(context()), null);
  assert.match(suppressionReason(context({}, { notificationsEnabled: false })) ?? '', /off/);
  assert.match(suppressionReason(context({}, { pausedUntil: NOON + 60_000 })) ?? '', /paused/);
  assert.equal(suppressionReason(context({}, { pausedUntil: NOON - 1 })), null);
  assert.match(suppressionReason(context({ inboxVisible: true })) ?? '', /inbox/);
  const quiet = { quietHours: { enabled: true, start: '11:30', end: '13:00' } };
  assert.equal(suppressionReason(context({}, quiet)), 'quiet hours');
  assert.deepEqual(composeBatch(batchOf([sampleItem(1)]), context({}, quiet), allUnread), []);
  assert.deepEqual(composeAwaySummary([sampleItem(1), sampleItem(2)], context({}, quiet)), []);
});

test('quiet hours that wrap midnight cover late evening and early morning only', () => {
  const night = { enabled: true, start: '22:00', end: '07:00' };
  const at = (h: number, m = 0) => h * 60 + m;
  assert.equal(isWithinQuietHours(night, at(23, 30)), true);
  assert.equal(isWithinQuietHours(night, at(0)), true);
  assert.equal(isWithinQuietHours(night, at(6, 59)), true);
  assert.equal(isWithinQuietHours(night, at(7)), false);
  assert.equal(isWithinQuietHours(night, at(12)), false);
  assert.equal(isWithinQuietHours(night, at(21, 59)), false);
  assert.equal(isWithinQuietHours({ ...night, enabled: false }, at(23)), false);
  assert.equal(isWithinQuietHours({ enabled: true, start: '09:00', end: '09:00' }, at(9)), false);
});

test('quiet hours are read in local time through the clock the caller passes', () => {
  const lateNight = new Date(2026, 0, 15, 23, 15).getTime();
  const quiet = { quietHours: { enabled: true, start: '22:00', end: '07:00' } };
  assert.equal(suppressionReason(context({ now: lateNight }, quiet)), 'quiet hours');
});

test('muted types are not queued, and read items never are', () => {
  const muted = context({}, { mutedTypes: ['new_post'] });
  assert.equal(wantsAlert(sampleItem(1), muted), false);
  assert.equal(wantsAlert(sampleLike(2, 'Bo', 'p'), muted), true);
  assert.equal(wantsAlert(sampleItem(3, { read: true }), context()), false);
});

test('a post link off the server origin opens the server’s /original page for it, never the link', () => {
  for (const url of ['https://evil.example/p1', 'javascript:alert(1)']) {
    const evil = sampleItem(1, { post: { id: 'p/1', title: 'T', url } });
    const alerts = composeBatch(batchOf([evil]), context(), allUnread);
    assert.deepEqual(alerts[0]?.notification.action, {
      kind: 'open-post',
      itemId: 'n1',
      url: `${SERVER}/posts/p%2F1/original`,
    });
  }
});

test('with no server configured, a post link off it turns the click into "open the inbox"', () => {
  const evil = sampleItem(1, { post: { id: 'p1', title: 'T', url: 'https://evil.example/p1' } });
  const alerts = composeBatch(batchOf([evil]), context({}, { serverUrl: '' }), allUnread);
  assert.deepEqual(alerts[0]?.notification.action, { kind: 'open-inbox' });
});

test('an announcement is its own notification: its title, its text, a click opens its link', () => {
  const notice = sampleAnnouncement(1, {
    title: 'Maintenance tonight',
    text: 'The blog is down from 22:00.',
    url: `${SERVER}/posts/maintenance`,
  });
  const [alert, ...rest] = composeBatch(batchOf([notice]), context(), allUnread);
  assert.equal(rest.length, 0);
  assert.equal(alert?.notification.title, 'Maintenance tonight');
  assert.equal(alert?.notification.body, 'The blog is down from 22:00.');
  assert.deepEqual(alert?.notification.action, {
    kind: 'open-post',
    itemId: 'n1',
    url: `${SERVER}/posts/maintenance`,
  });
  assert.deepEqual(alert?.itemIds, ['n1']);
});

test('an announcement without a link (or with one off the server) opens the inbox', () => {
  for (const notice of [
    sampleAnnouncement(1, { title: 'Hello' }),
    sampleAnnouncement(2, { title: 'Look', url: 'https://elsewhere.example/' }),
  ]) {
    const alerts = composeBatch(batchOf([notice]), context(), allUnread);
    assert.deepEqual(alerts[0]?.notification.action, { kind: 'open-inbox' });
  }
});

test('announcements can be muted like the other types, and count in summaries', () => {
  const notice = sampleAnnouncement(1);
  assert.equal(wantsAlert(notice, context()), true);
  const muted = context({}, { mutedTypes: ['announcement'] });
  assert.equal(wantsAlert(notice, muted), false);
  assert.equal(wantsAlert(sampleItem(2), muted), true);
  assert.deepEqual(composeBatch(batchOf([notice]), muted, allUnread), []);
  assert.equal(
    countsLine([sampleItem(1), sampleLike(2, 'Bo', 'p'), sampleAnnouncement(3)]),
    '1 new post, 1 like and 1 announcement',
  );
});

test('sound off makes notifications silent', () => {
  const alerts = composeBatch(batchOf([sampleItem(1)]), context({}, { sound: false }), allUnread);
  assert.equal(alerts[0]?.notification.silent, true);
});

test('counts read naturally', () => {
  assert.equal(countsLine([sampleItem(1)]), '1 new post');
  assert.equal(countsLine([sampleLike(1, 'A', 'p'), sampleLike(2, 'B', 'p')]), '2 likes');
});
