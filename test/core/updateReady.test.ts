/**
 * "An update available installs on quit with no toast": now, once a newer version has downloaded,
 * the core raises ONE native notification ("Tidings 0.2.0 is ready — restart to install") whose
 * click opens the About view, and its snapshot says so for that view. Against a real feed (a local
 * HTTP server serving latest-linux.yml and the AppImage, read by electron-updater's own provider).
 * Checking again, or the background schedule, does not raise it again; a newer version does.
 * Notifications switched off or paused: no toast, the About view still says it. Without an update
 * source, the core says this build does not update itself.
 */
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createCoreUnderTest, settle, waitForSnapshot } from './coreHarness.js';
import { createFakeClock } from './fakeClock.js';
import { UPDATE_INTERVAL_MS } from '../../main/core/updates.js';
import { feedSource, startUpdateFeed, type UpdateFeed } from '../fixtures/updateFeed.js';

const APP = { name: 'Tidings', version: '0.1.0' };
let feed: UpdateFeed;
const cleanups: (() => Promise<unknown>)[] = [];
before(async () => {
  feed = await startUpdateFeed();
});
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});
after(async () => {
  await feed.stop();
});

async function coreWithFeed() {
  const source = await feedSource(feed);
  cleanups.push(() => source.cleanup());
  const clock = createFakeClock(Date.UTC(2026, 10, 30, 12));
  const app = await createCoreUnderTest({ app: APP, updates: source, clock });
  cleanups.push(() => app.dispose());
  return { app, source, clock };
}

test('a downloaded update: one notification, once per version; its click leads to the About view', async () => {
  feed.release('0.2.0');
  const { app, source, clock } = await coreWithFeed();
  await app.core.start();

  const ready = await waitForSnapshot(
    app.core,
    (s) => s.about.updates.kind === 'downloaded',
    'the update downloaded',
  );
  assert.deepEqual(ready.about, {
    appName: 'Tidings',
    appVersion: '0.1.0',
    updates: { kind: 'downloaded', version: '0.2.0' },
  });
  assert.equal(app.notifications.length, 1);
  assert.deepEqual(app.notifications[0]?.notification, {
    title: 'Tidings',
    body: 'Tidings 0.2.0 is ready — restart to install',
    silent: true,
    action: { kind: 'open-about' },
    itemIds: [],
  });

  // Asked again, and at the next background check: still ready, not downloaded or said again.
  assert.deepEqual(await app.core.checkForUpdates(), { ok: true });
  clock.advance(UPDATE_INTERVAL_MS);
  await settle(300);
  assert.equal(app.core.snapshot().about.updates.kind, 'downloaded');
  assert.equal(app.notifications.length, 1, 'once per version');
  assert.equal(source.downloaded.length, 1);

  // A newer release after that: its own notification.
  feed.release('0.3.0');
  await app.core.checkForUpdates();
  await waitForSnapshot(
    app.core,
    (s) => s.about.updates.kind === 'downloaded' && s.about.updates.version === '0.3.0',
    '0.3.0 downloaded',
  );
  assert.deepEqual(
    app.notifications.map((raised) => raised.notification.body),
    ['Tidings 0.2.0 is ready — restart to install', 'Tidings 0.3.0 is ready — restart to install'],
  );

  // "Restart to install" goes to the updater.
  assert.deepEqual(await app.core.installUpdate(), { ok: true });
  assert.equal(source.installs, 1);
});

test('the About view sees each step: checking, available while it downloads, then downloaded', async () => {
  feed.release('0.2.0');
  const { app } = await coreWithFeed();
  const seen: string[] = [];
  app.core.subscribe((s) => {
    const step = s.about.updates.kind;
    if (seen.at(-1) !== step) seen.push(step);
  });
  await app.core.start();
  await waitForSnapshot(app.core, (s) => s.about.updates.kind === 'downloaded', 'downloaded');
  assert.deepEqual(seen, ['checking', 'available', 'downloaded']);
});

test('notifications switched off: no toast, and the snapshot still says the update is ready', async () => {
  feed.release('0.2.0');
  const { app } = await coreWithFeed();
  await app.core.start();
  assert.deepEqual(await app.core.updateSettings({ notificationsEnabled: false }), { ok: true });
  await waitForSnapshot(app.core, (s) => s.about.updates.kind === 'downloaded', 'downloaded');
  assert.equal(app.notifications.length, 0);
  assert.ok(app.logs.some((line) => /0\.2\.0 is ready; no notification/.test(line)));
});

test('a download that fails its sha512 check: an error in the snapshot, no toast, nothing to install', async () => {
  feed.release('0.2.0', { corruptDownload: true });
  const { app, source } = await coreWithFeed();
  await app.core.start();
  const failed = await waitForSnapshot(
    app.core,
    (s) => s.about.updates.kind === 'error',
    'the error',
  );
  assert.match(failed.about.updates.kind === 'error' ? failed.about.updates.message : '', /sha512/);
  assert.equal(app.notifications.length, 0);
  const install = await app.core.installUpdate();
  assert.equal(install.ok ? '' : install.code, 'no_update');
  assert.equal(source.installs, 0);
});

test('no update source (an unpackaged build): "disabled", and a check says so without asking anyone', async () => {
  const app = await createCoreUnderTest({ app: APP });
  cleanups.push(() => app.dispose());
  await app.core.start();
  const before = feed.requested.length;
  assert.deepEqual(await app.core.checkForUpdates(), { ok: true });
  assert.deepEqual(app.core.snapshot().about.updates, { kind: 'disabled' });
  assert.equal(feed.requested.length, before);
  const install = await app.core.installUpdate();
  assert.equal(install.ok, false);
});
