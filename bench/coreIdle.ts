/**
 * 6. The tray core, idling: a child process that runs the real core (main/core, no Electron)
 * signed in to a real server, then sits still and reports its CPU time and resident memory.
 * argv: serverUrl username password idleSeconds. Prints one JSON line.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTidingsCore } from '../main/core/index.js';
import { createFileSettingsStore } from '../main/core/settings/fileSettingsStore.js';

const [serverUrl, username, password, idleSeconds] = process.argv.slice(2);
if (!serverUrl || !username || !password || !idleSeconds) {
  console.error('usage: coreIdle.ts <serverUrl> <username> <password> <idleSeconds>');
  process.exit(2);
}

const dir = await mkdtemp(join(tmpdir(), 'tidings-core-bench-'));
const tokens = new Map<string, string>();
const core = createTidingsCore({
  credentials: {
    getToken: async (account) => tokens.get(account) ?? null,
    setToken: async (account, token) => void tokens.set(account, token),
    deleteToken: async (account) => tokens.delete(account),
  },
  settings: createFileSettingsStore(join(dir, 'settings.json'), () => undefined),
  badge: { show: () => undefined },
  notifier: { notify: () => undefined },
  opener: { open: async () => undefined },
  log: () => undefined,
  deviceName: 'bench',
});
try {
  await core.start();
  const signedIn = await core.signIn({ serverUrl, username, password });
  if (!signedIn.ok) throw new Error(`sign-in failed: ${JSON.stringify(signedIn)}`);
  const deadline = Date.now() + 10_000;
  while (core.snapshot().status.state !== 'online') {
    if (Date.now() > deadline)
      throw new Error(`not online: ${JSON.stringify(core.snapshot().status)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const rssBefore = process.memoryUsage().rss;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, Number(idleSeconds) * 1000));
  const cpu = process.cpuUsage(cpuBefore);
  const elapsedMs = performance.now() - started;
  console.log(
    JSON.stringify({
      elapsedMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      rssBefore,
      rssAfter: process.memoryUsage().rss,
      heapUsed: process.memoryUsage().heapUsed,
      stillOnline: core.snapshot().status.state === 'online',
    }),
  );
} finally {
  await core.stop();
  await rm(dir, { recursive: true, force: true });
}
