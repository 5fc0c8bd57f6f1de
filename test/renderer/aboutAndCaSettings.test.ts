/**
 * The About view and Settings' certificate authority, in Debian's Chromium on the real core:
 *
 * - About, reached from Settings and from the tray's "#about": the app's name and version, the
 *   server it is connected to with that server's version from its /healthz, and the update state
 *   from a real feed (latest-linux.yml and the AppImage on a local HTTP server, read and
 *   downloaded by electron-updater's own code): ready, "Restart to install", a check that finds a
 *   newer one, a check that fails. A build without updates says it does not update itself.
 * - Settings' certificate file, against a TLS relay whose certificate a CA made in the test
 *   signed: stop using it (offline: not trusted), a file that cannot be used (a clear error, the
 *   old setting kept), the CA file again (online).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { startServer, type RunningServer } from '../fixtures/server.js';
import { signUp, subscribe, TEST_PASSWORD, type TestUser } from '../fixtures/api.js';
import { makeTestCa, startTlsRelay, type TestCa, type TlsRelay } from '../fixtures/tlsAndProxy.js';
import {
  feedSource,
  startUpdateFeed,
  type FeedSource,
  type UpdateFeed,
} from '../fixtures/updateFeed.js';
import {
  APP_VERSION,
  goToHash,
  startInboxWindow,
  waitUntil,
  type AppUnderTest,
} from './harness.js';

async function healthVersion(serverUrl: string): Promise<string> {
  const response = await fetch(`${serverUrl}/healthz`);
  return ((await response.json()) as { version: string }).version;
}

describe('the About view', () => {
  let server: RunningServer;
  let reader: TestUser;
  let feed: UpdateFeed;
  let source: FeedSource;
  let app: AppUnderTest;

  before(async () => {
    server = await startServer();
    reader = await signUp(server.url, 'reader');
    await subscribe(server.url, reader.token);
    feed = await startUpdateFeed();
    feed.release('99.0.0');
    source = await feedSource(feed);
    app = await startInboxWindow({ updates: source });
  });

  after(async () => {
    await app?.close();
    await source?.cleanup();
    await feed?.stop();
    await server?.stop();
    await server?.cleanup();
  });

  it('from Settings: name, version, the server and its version, and the downloaded update', async () => {
    const { page, core } = app;
    const signedIn = await core.signIn({
      serverUrl: server.url,
      username: 'reader',
      password: TEST_PASSWORD,
    });
    assert.deepEqual(signedIn, { ok: true });
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    await waitUntil('online', () => core.snapshot().status.state === 'online');

    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'About Tidings' }).click();
    await page.getByRole('heading', { name: 'About Tidings' }).waitFor();
    const about = page.locator('main.about');
    assert.equal(await about.locator('.app-version').textContent(), APP_VERSION);
    assert.equal(await about.locator('.server-url').textContent(), server.url);
    await about
      .locator('.server-version')
      .filter({ hasText: await healthVersion(server.url) })
      .waitFor();
    await about.getByText('Connected to').waitFor();

    await page.getByText('Tidings 99.0.0 is ready. Restart to install it now').waitFor();
    assert.deepEqual(
      app.shell.notifications.map((notification) => notification.body),
      ['Tidings 99.0.0 is ready — restart to install'],
    );
    await page.getByRole('button', { name: 'Restart to install' }).click();
    await waitUntil('the updater asked to install', () => source.installs === 1);
  });

  it('"Check for updates" finds a newer release, and says so when the feed fails', async () => {
    const { page } = app;
    feed.release('99.1.0');
    await page.getByRole('button', { name: 'Check for updates' }).click();
    await page.getByText('Tidings 99.1.0 is ready').waitFor();

    feed.override({ status: 404, body: 'not found' });
    await page.getByRole('button', { name: 'Check for updates' }).click();
    await page.getByText(/^Could not check for updates: /).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Restart to install' }).isVisible(), false);
    feed.override(null);
  });

  it('the tray menu’s About opens it at #about; Back goes to the inbox', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Back to inbox' }).click();
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    await goToHash(page, '#about');
    await page.getByRole('heading', { name: 'About Tidings' }).waitFor();
    await page.getByRole('button', { name: 'Back to inbox' }).click();
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
  });
});

describe('the About view of a build that does not update itself', () => {
  let app: AppUnderTest;
  before(async () => {
    app = await startInboxWindow();
  });
  after(async () => {
    await app?.close();
  });

  it('says so, even after "Check for updates", and that no server is signed in', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    // The tray menu's About works before anyone signs in.
    await goToHash(page, '#about');
    await page.getByRole('heading', { name: 'About Tidings' }).waitFor();
    await page.getByText('Not signed in to a server.').waitFor();
    const notUpdating = page.getByText(/^This copy of Tidings does not update itself/);
    await notUpdating.waitFor();
    await page.getByRole('button', { name: 'Check for updates' }).click();
    await notUpdating.waitFor();
    assert.equal(await page.getByRole('button', { name: 'Restart to install' }).isVisible(), false);
    await page.getByRole('button', { name: 'Back to inbox' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
  });
});

describe('Settings: the private certificate authority', () => {
  let ca: TestCa;
  let relay: TlsRelay;
  let server: RunningServer;
  let app: AppUnderTest;

  before(async () => {
    ca = await makeTestCa();
    relay = await startTlsRelay(ca);
    server = await startServer({ args: ['--public-url', relay.url] });
    relay.target.port = server.port;
    await signUp(server.url, 'reader');
    app = await startInboxWindow({ settings: { caFile: ca.caFile } });
  });

  after(async () => {
    await app?.close();
    await server?.stop();
    await server?.cleanup();
    await relay?.stop();
    await ca?.cleanup();
  });

  it('cleared: offline, not trusted; a bad file: a clear error, the old setting kept; set: online', async () => {
    const { page, core } = app;
    const signedIn = await core.signIn({
      serverUrl: relay.url,
      username: 'reader',
      password: TEST_PASSWORD,
    });
    assert.deepEqual(signedIn, { ok: true });
    await waitUntil('online', () => core.snapshot().status.state === 'online');
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Private certificate authority' }).waitFor();
    const field = page.getByLabel('Certificate file');
    assert.equal(await field.inputValue(), ca.caFile);

    await page.getByRole('button', { name: 'Stop using it' }).click();
    await page.getByText('Only the system’s authorities are trusted.').waitFor();
    await page
      .locator('.banner:not([hidden])')
      .filter({ hasText: /certificate is not trusted/ })
      .waitFor();
    assert.equal(core.snapshot().settings.caFile, '');

    const notPem = join(dirname(ca.caFile), 'notes.txt');
    await writeFile(notPem, 'not a certificate\n');
    await field.fill(notPem);
    await page.getByRole('button', { name: 'Use this file' }).click();
    await page
      .locator('#setting-ca-error')
      .filter({ hasText: /holds no PEM certificate.*The setting was not changed\./ })
      .waitFor();
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.equal(core.snapshot().settings.caFile, '', 'the old setting is kept');
    await page.getByText('Only the system’s authorities are trusted.').waitFor();

    await field.fill(ca.caFile);
    await page.getByRole('button', { name: 'Use this file' }).click();
    await page.getByText(`Also trusted: ${ca.caFile}.`).waitFor();
    await waitUntil('online again', () => core.snapshot().status.state === 'online');
    await page.locator('.banner[hidden]').waitFor({ state: 'attached' });
    assert.equal(await page.locator('#setting-ca-error').textContent(), '');
  });
});
