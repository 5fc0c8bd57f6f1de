/**
 * The update policy (main/core/updates.ts) in plain Node, against a real feed: a local HTTP server
 * serves a latest-linux.yml as electron-builder writes it, and electron-updater's own
 * GenericProvider (the code the packaged app uses behind autoUpdater) reads it. A newer version is
 * "available" and downloads once (sha512 checked) to "downloaded"; the same one is "up to date";
 * a broken file, a 404 or a corrupt download is a quiet error state: logged, never thrown, and the
 * next check runs as planned.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { UPDATE_INTERVAL_MS, createUpdateChecker } from '../../main/core/updates.js';
import {
  feedSource,
  startUpdateFeed,
  type FeedSource,
  type UpdateFeed,
} from '../fixtures/updateFeed.js';
import { createFakeClock } from './fakeClock.js';

let feed: UpdateFeed;
const sources: FeedSource[] = [];

before(async () => {
  feed = await startUpdateFeed();
});

after(async () => {
  await feed.stop();
  for (const source of sources) await source.cleanup();
});

async function checker(currentVersion: string) {
  const logged: string[] = [];
  const announced: string[] = [];
  const downloaded: string[] = [];
  const clock = createFakeClock(Date.UTC(2026, 10, 30, 12));
  const source = await feedSource(feed);
  sources.push(source);
  const updates = createUpdateChecker({
    source,
    currentVersion,
    clock,
    log: (line) => logged.push(line),
    onAvailable: (version) => announced.push(version),
    onDownloaded: (version) => downloaded.push(version),
  });
  return { updates, logged, announced, downloaded, clock, source };
}

describe('checking the feed', () => {
  test('a newer version on the feed: "available", announced once, downloaded once', async () => {
    feed.override(null);
    feed.release('0.2.0');
    const { updates, announced, downloaded, source } = await checker('0.1.0');
    assert.deepEqual(await updates.checkNow(), { kind: 'available', version: '0.2.0' });
    await waitFor(() => updates.state().kind === 'downloaded');
    assert.deepEqual(updates.state(), { kind: 'downloaded', version: '0.2.0' });
    assert.deepEqual(await updates.checkNow(), { kind: 'downloaded', version: '0.2.0' });
    assert.deepEqual(announced, ['0.2.0']);
    assert.deepEqual(downloaded, ['0.2.0']);
    assert.equal(source.downloaded.length, 1, 'fetched once');
    assert.ok(feed.requested.some((path) => path.startsWith('/desktop/latest-linux')));
    assert.ok(feed.requested.includes('/desktop/Tidings-0.2.0.AppImage'));
  });

  test('a download whose sha512 does not match: an error state, nothing announced', async () => {
    feed.release('0.4.0', { corruptDownload: true });
    const { updates, downloaded, logged } = await checker('0.1.0');
    assert.equal((await updates.checkNow()).kind, 'available');
    await waitFor(() => updates.state().kind === 'error');
    assert.deepEqual(downloaded, []);
    assert.match(logged.join('\n'), /updates: downloading 0\.4\.0 failed: .*sha512/);
  });

  test('the same version: "up to date"; an older one on the feed is not offered', async () => {
    feed.release('0.1.0');
    assert.deepEqual(await (await checker('0.1.0')).updates.checkNow(), {
      kind: 'up-to-date',
      version: '0.1.0',
    });
    assert.equal((await (await checker('0.3.0')).updates.checkNow()).kind, 'up-to-date');
  });

  test('a pre-release of the running version is not newer; the release after it is', async () => {
    feed.release('0.2.0');
    assert.equal((await (await checker('0.2.0-beta.1')).updates.checkNow()).kind, 'available');
    feed.release('0.2.0-beta.1');
    assert.equal((await (await checker('0.2.0')).updates.checkNow()).kind, 'up-to-date');
  });

  test('a broken latest-linux.yml: a quiet error state, logged', async () => {
    feed.override({ status: 200, body: 'version: [this is: not yaml\n  - {' });
    const { updates, logged } = await checker('0.1.0');
    const state = await updates.checkNow();
    assert.equal(state.kind, 'error');
    assert.equal(logged.length, 1);
    assert.match(logged[0] ?? '', /^updates: the check failed: /);
  });

  test('a feed with no version in it: an error, not "up to date"', async () => {
    feed.override({ status: 200, body: 'files: []\n' });
    assert.equal((await (await checker('0.1.0')).updates.checkNow()).kind, 'error');
  });

  test('no feed at that address (404): a quiet error state', async () => {
    feed.override({ status: 404, body: 'not found' });
    const { updates, logged } = await checker('0.1.0');
    assert.equal((await updates.checkNow()).kind, 'error');
    assert.equal(logged.length, 1);
    feed.override(null);
  });
});

describe('the background schedule', () => {
  test('checks at start and again every interval; an error does not stop the schedule', async () => {
    feed.override({ status: 404, body: 'not found' });
    const { updates, clock } = await checker('0.1.0');
    const before = feed.requested.length;
    updates.start();
    await waitFor(() => updates.state().kind === 'error');
    assert.equal(feed.requested.length, before + 1, 'one check at start');

    feed.override(null);
    feed.release('0.2.0');
    clock.advance(UPDATE_INTERVAL_MS);
    await waitFor(() => updates.state().kind === 'downloaded');
    updates.stop();
    assert.equal(clock.pending(), 0, 'stop() leaves no timer behind');
  });

  test('a build that cannot update itself (unpackaged) says so and asks nothing', async () => {
    const clock = createFakeClock(0);
    const updates = createUpdateChecker({
      source: {
        latestVersion: async () => null,
        download: () => Promise.reject(new Error('nothing to download')),
        install: () => assert.fail('nothing to install'),
      },
      currentVersion: '0.1.0',
      clock,
      log: () => undefined,
    });
    assert.deepEqual(await updates.checkNow(), { kind: 'disabled' });
  });
});

async function waitFor(check: () => boolean): Promise<void> {
  for (let tries = 0; tries < 200 && !check(); tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.ok(check(), 'the state did not arrive');
}
