/**
 * A self-hosted blog behind a corporate proxy, with a certificate from a private CA: the core goes
 * through the proxy the OS names (a real CONNECT proxy) and trusts the CA file from settings (a CA
 * made by openssl in the test), for sign-in, the socket's sync and a live notification. Without
 * the CA, sign-in fails and says what to do.
 */
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startBlog, createCoreUnderTest, waitFor, waitForSnapshot } from './coreHarness.js';
import { postOf, publish } from '../fixtures/api.js';
import {
  makeTestCa,
  startConnectProxy,
  startTlsRelay,
  type ConnectProxy,
  type TestCa,
  type TlsRelay,
} from '../fixtures/tlsAndProxy.js';

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
  while (cleanups.length > 0) await cleanups.pop()?.();
  await ca?.cleanup();
});

async function blogBehindProxy(): Promise<{
  relay: TlsRelay;
  proxy: ConnectProxy;
  blog: Awaited<ReturnType<typeof startBlog>>;
  proxyAsked: string[];
  resolveProxy: (url: string) => Promise<string>;
}> {
  const relay = await startTlsRelay(ca);
  defer(() => relay.stop());
  const proxy = await startConnectProxy();
  defer(() => proxy.stop());
  const blog = await startBlog(defer, ['--public-url', relay.url]);
  relay.target.port = blog.server.port;
  const proxyAsked: string[] = [];
  // What Electron's session.resolveProxy answers on a network whose PAC names the proxy.
  const resolveProxy = async (url: string): Promise<string> => {
    proxyAsked.push(url);
    return `PROXY 127.0.0.1:${proxy.port}; DIRECT`;
  };
  return { relay, proxy, blog, proxyAsked, resolveProxy };
}

test('through the OS proxy and trusting the CA file: sign-in, sync and a live notification', async () => {
  const { relay, proxy, blog, proxyAsked, resolveProxy } = await blogBehindProxy();
  const app = await createCoreUnderTest({ resolveProxy });
  defer(() => app.dispose());
  await app.core.start();
  assert.deepEqual(await app.core.updateSettings({ caFile: ca.caFile }), { ok: true });

  const signedIn = await app.core.signIn({
    serverUrl: relay.url,
    username: blog.ben.username,
    password: blog.ben.password,
  });
  assert.deepEqual(signedIn, { ok: true });
  await waitForSnapshot(app.core, (s) => s.status.state === 'online', 'online through the proxy');

  await publish(blog.server.url, blog.ana.token, 'Behind the firewall');
  const snapshot = await waitForSnapshot(app.core, (s) => s.inbox.unreadCount === 1, 'unread 1');
  assert.equal(postOf(snapshot.inbox.items[0]).url.startsWith(relay.url), true);
  await waitFor(() => (app.notifications.length > 0 ? true : undefined), 'a notification');
  assert.equal(app.notifications[0]?.notification.title, 'New post: Behind the firewall');

  // Every connection the relay took came through a tunnel, and every tunnel went to the relay:
  // health, login and the socket (at least three), none direct.
  assert.ok(proxy.tunnels.length >= 3, `tunnels: ${proxy.tunnels.join(', ')}`);
  assert.deepEqual(new Set(proxy.tunnels), new Set([`127.0.0.1:${relay.port}`]));
  assert.equal(relay.connections, proxy.tunnels.length, 'nothing reached the server directly');
  assert.ok(
    proxyAsked.every((url) => url.startsWith(relay.url)),
    proxyAsked.join(', '),
  );

  // A restart restores the sign-in over the same route.
  await app.core.stop();
  const restarted = await createCoreUnderTest({
    resolveProxy,
    tokens: app.tokens,
    settingsDir: app.settingsFile.replace(/\/settings\.json$/, ''),
  });
  defer(() => restarted.core.stop());
  const tunnelsBefore = proxy.tunnels.length;
  await restarted.core.start();
  await waitForSnapshot(restarted.core, (s) => s.status.state === 'online', 'online after restart');
  assert.equal(restarted.core.snapshot().inbox.unreadCount, 1);
  assert.ok(proxy.tunnels.length > tunnelsBefore, 'the restored socket went through the proxy');
});

test('without the CA file, sign-in fails and says to give the CA file; a bad CA file is refused', async () => {
  const { relay, proxy, blog, resolveProxy } = await blogBehindProxy();
  const app = await createCoreUnderTest({ resolveProxy });
  defer(() => app.dispose());
  await app.core.start();

  const refused = await app.core.signIn({
    serverUrl: relay.url,
    username: blog.ben.username,
    password: blog.ben.password,
  });
  assert.equal(refused.ok, false);
  assert.equal(refused.ok ? '' : refused.code, 'certificate_untrusted');
  assert.match(
    refused.ok ? '' : refused.message,
    /not trusted.*private certificate authority.*certificate file/s,
  );
  assert.ok(proxy.tunnels.length >= 1, 'the attempt went through the proxy');
  assert.equal(app.core.snapshot().account, null);

  const notPem = await app.core.updateSettings({ caFile: blog.server.dataDir });
  assert.equal(notPem.ok, false);
  assert.equal(notPem.ok ? '' : notPem.code, 'invalid_ca_file');
  const relative = await app.core.updateSettings({ caFile: 'ca.pem' });
  assert.equal(relative.ok ? '' : relative.code, 'invalid_payload');
  assert.equal(app.core.snapshot().settings.caFile, '', 'nothing was saved');
});

test('with no proxy port (plain Node) the core goes direct, and the CA file still applies', async () => {
  const relay = await startTlsRelay(ca);
  defer(() => relay.stop());
  const blog = await startBlog(defer, ['--public-url', relay.url]);
  relay.target.port = blog.server.port;
  const app = await createCoreUnderTest();
  defer(() => app.dispose());
  await app.core.start();
  await app.core.updateSettings({ caFile: ca.caFile });
  const signedIn = await app.core.signIn({
    serverUrl: relay.url,
    username: blog.ben.username,
    password: blog.ben.password,
  });
  assert.deepEqual(signedIn, { ok: true });
  await waitForSnapshot(app.core, (s) => s.status.state === 'online', 'online direct');
});
