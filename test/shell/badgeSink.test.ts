/**
 * The one badge sink (main/electron/badgeSink.ts): a badge from the core reaches the tray on every
 * OS, the taskbar overlay on Windows, and the Dock or launcher count on macOS and Linux.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createBadgeSink } from '../../main/electron/badgeSink.js';
import { FakeBrowserWindow, nativeImage } from './electronStandIn.js';
import type { BrowserWindow, NativeImage } from 'electron';

function setUp(platform: NodeJS.Platform) {
  const trayShown: unknown[] = [];
  const counts: number[] = [];
  const window = new FakeBrowserWindow({ width: 420, height: 640 });
  const sink = createBadgeSink({
    platform,
    tray: { show: (badge) => trayShown.push(badge) },
    setBadgeCount: (count) => counts.push(count),
    loadImage: (relative) => nativeImage.createFromPath(relative) as unknown as NativeImage,
  });
  sink.setWindow(() => window as unknown as BrowserWindow);
  return { sink, trayShown, counts, window };
}

const three = { unreadCount: 3, status: 'online' as const, tooltip: 'Tidings: 3 unread' };

test('Windows: the tray and the taskbar overlay show the count; none at zero or offline', () => {
  const { sink, trayShown, counts, window } = setUp('win32');
  sink.show(three);
  assert.deepEqual(trayShown, [three]);
  assert.equal(window.overlay?.path, 'overlay/overlay-3.png');
  assert.equal(window.overlayDescription, 'Tidings: 3 unread');
  sink.show({ ...three, unreadCount: 0, tooltip: 'Tidings: 0 unread' });
  assert.equal(window.overlay, null);
  sink.show({ ...three, status: 'offline', tooltip: 'Tidings: offline' });
  assert.equal(window.overlay, null);
  assert.deepEqual(counts, [], 'Windows has no app badge count');
});

test('Windows: a window created later gets the current overlay', () => {
  const { sink } = setUp('win32');
  sink.show(three);
  const later = new FakeBrowserWindow({ width: 420, height: 640 });
  sink.applyToWindow(later as unknown as BrowserWindow);
  assert.equal(later.overlay?.path, 'overlay/overlay-3.png');
});

test('Linux: the launcher badge (Ubuntu Dock, KDE) gets the count, and 0 when offline', () => {
  const { sink, counts, window } = setUp('linux');
  sink.show(three);
  sink.show({ ...three, status: 'offline', tooltip: 'Tidings: offline' });
  assert.deepEqual(counts, [3, 0]);
  assert.equal(window.overlay, null, 'no overlay outside Windows');
});

test('macOS: the Dock badge gets the count; the tray gets the badge (its title)', () => {
  const { sink, counts, trayShown } = setUp('darwin');
  sink.show(three);
  assert.deepEqual(counts, [3]);
  assert.equal(trayShown.length, 1);
});
