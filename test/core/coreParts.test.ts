/**
 * The core's parts alone, each with its own state and only fakes for what it is handed: the
 * alerts (batching on a hand-moved clock), the publisher (badge only on a visible change, notices)
 * and the preferences (a bad pause changes nothing). The whole core is tested in trayCore.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAlerts } from '../../main/core/alerts.js';
import { createPublisher } from '../../main/core/publisher.js';
import { createPreferences } from '../../main/core/preferences.js';
import { defaultSettings } from '../../main/core/settingsSchema.js';
import { ALERT_RULES } from '../../main/core/alertPolicy.js';
import type { NativeNotification, BadgeSink } from '../../main/core/ports.js';
import type { Settings } from '../../contract/ipc.js';
import { createFakeClock } from './fakeClock.js';
import { sampleItem } from './sampleItems.js';

const NOON = Date.UTC(2026, 5, 1, 12, 0, 0);

test('alerts: two live items in one gathering window become two notifications when it closes', () => {
  const clock = createFakeClock(NOON);
  const raised: NativeNotification[] = [];
  const alerts = createAlerts({
    notifier: { notify: (notification) => void raised.push(notification) },
    clock,
    log: () => undefined,
    settings: defaultSettings,
    isUnread: () => true,
    clicked: () => undefined,
  });
  alerts.itemArrived(sampleItem(1));
  alerts.itemArrived(sampleItem(2));
  assert.equal(raised.length, 0, 'nothing before the batch closes');
  clock.advance(ALERT_RULES.gatherMaxMs);
  assert.deepEqual(
    raised.map((n) => n.title),
    ['New post: Post 1', 'New post: Post 2'],
  );
});

test('alerts: dropPending forgets the open batch, and a visible inbox suppresses new ones', () => {
  const clock = createFakeClock(NOON);
  const raised: NativeNotification[] = [];
  const alerts = createAlerts({
    notifier: { notify: (notification) => void raised.push(notification) },
    clock,
    log: () => undefined,
    settings: defaultSettings,
    isUnread: () => true,
    clicked: () => undefined,
  });
  alerts.itemArrived(sampleItem(1));
  alerts.dropPending();
  alerts.setInboxVisible(true);
  alerts.itemArrived(sampleItem(2));
  clock.advance(ALERT_RULES.gatherMaxMs);
  assert.equal(raised.length, 0);
  assert.equal(clock.pending(), 0);
});

test('publisher: the badge hears only visible changes; a notice is numbered and dismissable', () => {
  const badges: Parameters<BadgeSink['show']>[0][] = [];
  let unreadCount = 0;
  const publisher = createPublisher({
    read: () => ({
      account: null,
      status: { state: 'online' },
      inbox: { items: [], unreadCount, hasMore: false, loadingOlder: false },
      settings: defaultSettings(),
      about: { appName: 'Tidings', appVersion: '1.0.0', updates: { kind: 'disabled' } },
    }),
    badge: { show: (badge) => void badges.push(badge) },
    clock: createFakeClock(NOON),
    log: () => undefined,
  });
  publisher.publish();
  publisher.publish();
  unreadCount = 2;
  publisher.publish();
  assert.deepEqual(
    badges.map((b) => b.tooltip),
    ['Tidings: 0 unread', 'Tidings: 2 unread'],
  );

  const seen: (number | undefined)[] = [];
  const unsubscribe = publisher.subscribe((snapshot) => seen.push(snapshot.notice?.id));
  publisher.notify('error', 'Could not mark as read');
  publisher.dismissNotice(999);
  publisher.dismissNotice(1);
  unsubscribe();
  publisher.notify('info', 'not heard');
  assert.deepEqual(seen, [1, undefined]);
});

test('preferences: a pause out of range or a bad patch changes nothing and saves nothing', () => {
  const saved: Settings[] = [];
  let pauses = 0;
  const preferences = createPreferences({
    store: { load: defaultSettings, save: (settings) => void saved.push(settings) },
    clock: createFakeClock(NOON),
    log: () => undefined,
    changed: () => undefined,
    paused: () => void (pauses += 1),
  });
  preferences.load();
  assert.equal(preferences.pause(-1).ok, false);
  assert.equal(preferences.pause(Number.NaN).ok, false);
  assert.equal(preferences.update({ sound: 'loud' } as unknown as Partial<Settings>).ok, false);
  assert.deepEqual(saved, []);
  assert.equal(pauses, 0);

  assert.equal(preferences.pause(60).ok, true);
  assert.equal(preferences.current().pausedUntil, NOON + 3_600_000);
  assert.equal(pauses, 1);
  assert.equal(saved.length, 1);
});
