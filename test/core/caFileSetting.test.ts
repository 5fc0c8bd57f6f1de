/**
 * The private-CA file as Settings changes it, through real parts: a CA made in the test, a TLS
 * relay whose certificate it signed, a real server behind it. Clearing the file reconnects with
 * the OS store alone (refused: the certificate is not trusted); setting it again reconnects and
 * comes online at once; a file that cannot be used is refused with a clear message and nothing
 * changes. The clock is a fake one, so no backoff retry can stand in for the reconnect.
 */
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { startBlog, createCoreUnderTest, waitForSnapshot } from './coreHarness.js';
import { createFakeClock } from './fakeClock.js';
import { makeTestCa, startTlsRelay, type TestCa } from '../fixtures/tlsAndProxy.js';

const cleanups: (() => Promise<unknown>)[] = [];
const defer = (cleanup: () => Promise<unknown>): void => void cleanups.push(cleanup);
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

let ca: TestCa;
before(async () => {
  ca = await makeTestCa();
});
after(async () => {
  await ca?.cleanup();
});

test('set in Settings, the CA file applies at once: cleared it goes offline, set it comes back online; a bad file changes nothing', async () => {
  const relay = await startTlsRelay(ca);
  defer(() => relay.stop());
  const blog = await startBlog(defer, ['--public-url', relay.url]);
  relay.target.port = blog.server.port;
  const app = await createCoreUnderTest({ clock: createFakeClock(Date.now()) });
  defer(() => app.dispose());
  await app.core.start();
  assert.deepEqual(await app.core.updateSettings({ caFile: ca.caFile }), { ok: true });
  assert.deepEqual(
    await app.core.signIn({
      serverUrl: relay.url,
      username: blog.ben.username,
      password: blog.ben.password,
    }),
    { ok: true },
  );
  await waitForSnapshot(app.core, (s) => s.status.state === 'online', 'online with the CA');

  // Cleared: the connection is made again with the OS store alone, which does not know the CA.
  assert.deepEqual(await app.core.updateSettings({ caFile: '' }), { ok: true });
  const offline = await waitForSnapshot(
    app.core,
    (s) => s.status.state === 'offline',
    'offline once the CA is cleared',
  );
  assert.match(
    offline.status.state === 'offline' ? (offline.status.reason ?? '') : '',
    /certificate.*not trusted/i,
  );

  // A file that is not a certificate, and one that does not exist: refused, nothing saved.
  const notPem = join(dirname(ca.caFile), 'not-a-ca.pem');
  await writeFile(notPem, 'hello\n');
  const refused = await app.core.updateSettings({ caFile: notPem });
  assert.equal(refused.ok ? '' : refused.code, 'invalid_ca_file');
  assert.match(refused.ok ? '' : refused.message, /holds no PEM certificate/);
  const missing = await app.core.updateSettings({ caFile: join(dirname(ca.caFile), 'nope.pem') });
  assert.equal(missing.ok ? '' : missing.code, 'invalid_ca_file');
  assert.match(missing.ok ? '' : missing.message, /cannot be read \(ENOENT\)/);
  assert.equal(app.core.snapshot().settings.caFile, '', 'the old setting is kept');
  assert.equal(app.core.snapshot().status.state, 'offline', 'and the connection is left alone');

  // Set again: reconnects now (the fake clock fires no backoff retry) and comes online.
  assert.deepEqual(await app.core.updateSettings({ caFile: ca.caFile }), { ok: true });
  await waitForSnapshot(app.core, (s) => s.status.state === 'online', 'online with the CA again');

  // A good file replaced by a bad one: refused, and the live connection is not touched.
  const connectionsOnline = relay.connections;
  const bad = await app.core.updateSettings({ caFile: notPem });
  assert.equal(bad.ok, false);
  assert.equal(app.core.snapshot().settings.caFile, ca.caFile);
  assert.equal(app.core.snapshot().status.state, 'online');
  assert.equal(relay.connections, connectionsOnline, 'no reconnect for a refused change');
});
