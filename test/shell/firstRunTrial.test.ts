/**
 * The single-user trial, with the real built app.js (stand-in `electron` module), the real
 * bundled server it spawns, and a real gnome-keyring in a throwaway D-Bus session and HOME:
 * the first launch starts a local server, creates the account, signs in and shows the password
 * once; quitting stops the server; the second launch starts it again on the same port and is
 * online from the keychain alone, with no dialog.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertKeyringToolsInstalled, keyringSessionScript } from '../fixtures/keyring.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const PROBE = join('test', 'shell', 'trialProbe.ts');
const RUN_LIMIT_MS = 120_000;

// Both launches run in one D-Bus session, with one unlocked keyring, as on a real desktop.
const SESSION_SCRIPT = keyringSessionScript(`
echo "LAUNCH 1"
TIDINGS_FIRST_RUN=trial TIDINGS_PROBE_STORY=1 node --import tsx ${PROBE}
echo "LAUNCH 2"
node --import tsx ${PROBE}
`);

let home = '';
const launches: Map<string, unknown>[] = [];
let output = '';

before(async () => {
  assert.ok(
    existsSync(join(ROOT, 'dist', 'main', 'electron', 'app.js')),
    'dist/ is missing: run node scripts/build.mjs first',
  );
  assertKeyringToolsInstalled();

  home = await mkdtemp(join(tmpdir(), 'tidings-trial-home-'));
  const env = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: home,
    XDG_RUNTIME_DIR: join(home, 'run'),
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_CACHE_HOME: join(home, 'cache'),
    TIDINGS_USER_DATA: join(home, 'user-data'),
    TIDINGS_E2E: '1',
  };
  await mkdir(env.XDG_RUNTIME_DIR, { mode: 0o700 });

  const child = spawn('dbus-run-session', ['--', 'sh', '-c', SESSION_SCRIPT], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => stop(-(child.pid ?? 0)), RUN_LIMIT_MS);
  try {
    await new Promise<void>((resolveExit) => child.once('close', () => resolveExit()));
  } finally {
    clearTimeout(timer);
    const keyringPid = /KEYRING_PID=(\d+)/.exec(output)?.[1];
    if (keyringPid) stop(Number(keyringPid));
    if (child.pid) stop(-child.pid);
  }
  assert.ok(!output.includes('KEYRING_NOT_READY'), `gnome-keyring did not start:\n${output}`);
  for (const part of output.split(/^LAUNCH \d$/m).slice(1)) {
    const results = new Map<string, unknown>();
    for (const line of part.split('\n')) {
      if (!line.startsWith('RESULT ')) continue;
      const { step, value } = JSON.parse(line.slice(7)) as { step: string; value: unknown };
      results.set(step, value);
    }
    launches.push(results);
  }
  assert.equal(launches.length, 2, `expected two launches:\n${output}`);
});

after(async () => {
  if (home) await rm(home, { recursive: true, force: true });
});

function stop(pid: number): void {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // Already gone.
  }
}

test('first launch: a local server, an account, signed in, and the password shown once', () => {
  const first = launches[0];
  assert.ok(first);
  assert.equal(
    first.has('timeout'),
    false,
    `timed out waiting for ${String(first.get('timeout'))}:\n${output}`,
  );
  assert.deepEqual(first.get('errorBoxes'), [], output);
  assert.equal(first.get('tooltip'), 'Tidings: 0 unread', output);
  const dialogs = first.get('dialogs') as { message: string; detail: string }[];
  assert.equal(dialogs.length, 1, output);
  assert.equal(dialogs[0]?.message, 'Your trial blog is ready.');
  assert.match(
    dialogs[0]?.detail ?? '',
    /Blog: http:\/\/127\.0\.0\.1:\d+\nUser: \S+\nPassword: \S{12,}/,
  );
  assert.equal(first.get('serverAnswers'), true);
  assert.match(String(first.get('trialRecord')), /^\{"port":\d+\}$/);
});

test('a post by another user: tray 1 with its image, one notification, a click opens and reads it', () => {
  const first = launches[0];
  assert.ok(first);
  assert.equal(first.get('storyTooltip'), 'Tidings: 1 unread', output);
  assert.match(String(first.get('storyTrayImage')), /tray[\\/]any[\\/]tray-1\.png$/);
  const toast = first.get('storyNotification') as {
    title: string;
    body: string;
    silent: boolean;
    icon: string;
  };
  assert.ok(toast, `no notification:\n${output}`);
  assert.match(`${toast.title} ${toast.body}`, /Hello from the trial blog/);
  assert.equal(toast.silent, false, 'sound is on by default');
  assert.ok(existsSync(toast.icon), `the notification icon ${toast.icon} exists`);
  assert.deepEqual(
    first.get('storyOpened'),
    [first.get('storyPostUrl')],
    'the click opens that post',
  );
  assert.equal(first.get('storyTooltipAfterClick'), 'Tidings: 0 unread');
});

test('quitting stops the local server with the app', () => {
  for (const launch of launches) {
    assert.equal(launch.get('exited'), true);
    assert.equal(launch.get('serverAnswersAfterQuit'), false, 'the local server outlived the app');
  }
});

test('second launch: the same server again, online from the keychain alone, no dialog', () => {
  const [first, second] = launches;
  assert.ok(first && second);
  assert.equal(
    second.has('timeout'),
    false,
    `timed out waiting for ${String(second.get('timeout'))}:\n${output}`,
  );
  assert.equal(second.get('tooltip'), 'Tidings: 0 unread', output);
  assert.deepEqual(second.get('dialogs'), []);
  assert.deepEqual(second.get('errorBoxes'), []);
  assert.equal(second.get('windowShown'), false, 'a signed-in start stays in the tray');
  assert.equal(second.get('trialRecord'), first.get('trialRecord'), 'the same port as before');
});
