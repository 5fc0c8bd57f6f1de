/**
 * Runs the real built app.js against the stand-in `electron` module, as a given OS: the test file
 * sets process.platform first (each test file is its own process under node --test), so the app
 * takes its Windows or macOS paths on this Linux machine. Only the Electron runtime is faked; the
 * app's own code, the trial server and the files it writes are real.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { routeElectronToStandIn } from './electronLoader.js';
import { recorded, type FakeWebContents } from './electronStandIn.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const APP = join(ROOT, 'dist', 'main', 'electron', 'app.js');
export const PAGE = join(ROOT, 'dist', 'renderer', 'index.html');

/** Makes this process report `platform` from now on. Call before the app is imported. */
export function pretendPlatform(platform: NodeJS.Platform): void {
  Object.defineProperty(process, 'platform', { value: platform, configurable: true });
}

export interface AppUnderTest {
  userData: string;
  cleanup(): Promise<void>;
}

/**
 * Imports app.js once. With `trial`, the user data says a trial server ran before, so the app
 * starts one (the real bundled server, on Node) at launch.
 */
export async function launchApp(options: { trial: boolean }): Promise<AppUnderTest> {
  assert.ok(existsSync(APP), `${APP} is missing: run node scripts/build.mjs first`);
  const userData = await mkdtemp(join(tmpdir(), 'tidings-shell-os-'));
  if (options.trial) {
    await writeFile(
      join(userData, 'local-server.json'),
      JSON.stringify({ port: await freePort() }),
    );
  }
  process.env['TIDINGS_USER_DATA'] = userData;
  process.env['TIDINGS_FIRST_RUN'] = 'later';
  process.env['XDG_CONFIG_HOME'] = join(userData, 'config');
  routeElectronToStandIn();
  await import(pathToFileURL(APP).href);
  return {
    userData,
    cleanup: () => rm(userData, { recursive: true, force: true }),
  };
}

/** An IPC call as Electron delivers it, from the inbox window's page. */
export function invokeFromInbox(channel: string, ...args: unknown[]): Promise<unknown> {
  const handler = recorded.handlers.get(channel);
  assert.ok(handler, `no handler for ${channel}`);
  const sender = recorded.windows[0]?.webContents as FakeWebContents;
  const event = { sender, senderFrame: { url: pathToFileURL(PAGE).href, parent: null } };
  return handler(event, ...args) as Promise<unknown>;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address
          ? resolvePort(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}
