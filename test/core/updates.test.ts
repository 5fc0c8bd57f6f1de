/**
 * The update policy (main/core/updates.ts) in plain Node, against a real feed: a local HTTP server
 * serves a latest-linux.yml as electron-builder writes it, and electron-updater's own
 * GenericProvider (the code the packaged app uses behind autoUpdater) reads it. A newer version is
 * "available", the same one is "up to date", and a broken file or a 404 is a quiet error state:
 * logged, never thrown, and the next check runs as planned.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest, createServer, type ClientRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpExecutor } from 'builder-util-runtime';
import { GenericProvider } from 'electron-updater/out/providers/GenericProvider.js';
import type { ProviderRuntimeOptions } from 'electron-updater/out/providers/Provider.js';
import type { AppUpdater } from 'electron-updater';
import {
  UPDATE_INTERVAL_MS,
  createUpdateChecker,
  type UpdateSource,
} from '../../main/core/updates.js';
import { createFakeClock } from './fakeClock.js';

/** electron-updater's HTTP goes through Electron's net module in the app; Node's http here. */
class NodeHttpExecutor extends HttpExecutor<ClientRequest> {
  createRequest(options: object, callback: (response: unknown) => void): ClientRequest {
    return httpRequest(options, callback);
  }
}

const feed = { status: 200, body: '' };
let server: Server;
let feedUrl = '';
const requested: string[] = [];

before(async () => {
  server = createServer((request, response) => {
    requested.push(request.url ?? '');
    if (!/^\/desktop\/latest-linux(-[a-z0-9]+)?\.yml(\?|$)/.test(request.url ?? '')) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(feed.status, { 'content-type': 'text/yaml' }).end(feed.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  feedUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/desktop`;
});

after(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** What `npm run dist` writes for an AppImage release (hashes shortened, format kept). */
function latestLinuxYml(version: string): string {
  return [
    `version: ${version}`,
    'files:',
    `  - url: Tidings-${version}.AppImage`,
    '    sha512: 3q2+7w==',
    '    size: 104857600',
    '    blockMapSize: 109201',
    `path: Tidings-${version}.AppImage`,
    'sha512: 3q2+7w==',
    "releaseDate: '2026-11-30T10:00:00.000Z'",
    '',
  ].join('\n');
}

function feedSource(): UpdateSource {
  const runtime = {
    isUseMultipleRangeRequest: false,
    platform: 'linux',
    executor: new NodeHttpExecutor(),
  } as unknown as ProviderRuntimeOptions;
  // The two fields GenericProvider reads from its updater.
  const updater = { channel: null, isAddNoCacheQuery: false } as unknown as AppUpdater;
  const provider = new GenericProvider({ provider: 'generic', url: feedUrl }, updater, runtime);
  return { latestVersion: async () => (await provider.getLatestVersion()).version };
}

function checker(currentVersion: string) {
  const logged: string[] = [];
  const announced: string[] = [];
  const clock = createFakeClock(Date.UTC(2026, 10, 30, 12));
  const updates = createUpdateChecker({
    source: feedSource(),
    currentVersion,
    clock,
    log: (line) => logged.push(line),
    onAvailable: (version) => announced.push(version),
  });
  return { updates, logged, announced, clock };
}

describe('checking the feed', () => {
  test('a newer version on the feed: "available", announced once', async () => {
    feed.status = 200;
    feed.body = latestLinuxYml('0.2.0');
    const { updates, announced } = checker('0.1.0');
    assert.deepEqual(await updates.checkNow(), { kind: 'available', version: '0.2.0' });
    await updates.checkNow();
    assert.deepEqual(announced, ['0.2.0']);
    assert.ok(requested.some((path) => path.startsWith('/desktop/latest-linux')));
  });

  test('the same version: "up to date"; an older one on the feed is not offered', async () => {
    feed.body = latestLinuxYml('0.1.0');
    assert.deepEqual(await checker('0.1.0').updates.checkNow(), {
      kind: 'up-to-date',
      version: '0.1.0',
    });
    assert.equal((await checker('0.3.0').updates.checkNow()).kind, 'up-to-date');
  });

  test('a pre-release of the running version is not newer; the release after it is', async () => {
    feed.body = latestLinuxYml('0.2.0');
    assert.equal((await checker('0.2.0-beta.1').updates.checkNow()).kind, 'available');
    feed.body = latestLinuxYml('0.2.0-beta.1');
    assert.equal((await checker('0.2.0').updates.checkNow()).kind, 'up-to-date');
  });

  test('a broken latest-linux.yml: a quiet error state, logged', async () => {
    feed.body = 'version: [this is: not yaml\n  - {';
    const { updates, logged } = checker('0.1.0');
    const state = await updates.checkNow();
    assert.equal(state.kind, 'error');
    assert.equal(logged.length, 1);
    assert.match(logged[0] ?? '', /^updates: the check failed: /);
  });

  test('a feed with no version in it: an error, not "up to date"', async () => {
    feed.body = 'files: []\n';
    assert.equal((await checker('0.1.0').updates.checkNow()).kind, 'error');
  });

  test('no feed at that address (404): a quiet error state', async () => {
    feed.status = 404;
    feed.body = 'not found';
    const { updates, logged } = checker('0.1.0');
    assert.equal((await updates.checkNow()).kind, 'error');
    assert.equal(logged.length, 1);
    feed.status = 200;
  });
});

describe('the background schedule', () => {
  test('checks at start and again every interval; an error does not stop the schedule', async () => {
    feed.status = 404;
    const { updates, clock } = checker('0.1.0');
    const before = requested.length;
    updates.start();
    await waitFor(() => updates.state().kind === 'error');
    assert.equal(requested.length, before + 1, 'one check at start');

    feed.status = 200;
    feed.body = latestLinuxYml('0.2.0');
    clock.advance(UPDATE_INTERVAL_MS);
    await waitFor(() => updates.state().kind === 'available');
    updates.stop();
    assert.equal(clock.pending(), 0, 'stop() leaves no timer behind');
  });

  test('a build that cannot update itself (unpackaged) says so and asks nothing', async () => {
    const clock = createFakeClock(0);
    const updates = createUpdateChecker({
      source: { latestVersion: async () => null },
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
