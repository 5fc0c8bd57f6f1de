/**
 * The device token in a REAL keychain: gnome-keyring's Secret Service in a throwaway D-Bus session
 * and a throwaway HOME, driven through keytar exactly as the app does. And without any keychain,
 * the user is told what to install.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, type RunningServer } from '../fixtures/server.js';
import { signUp, type TestUser } from '../fixtures/api.js';
import { assertKeyringToolsInstalled, keyringSessionScript } from '../fixtures/keyring.js';
import { filesUnder } from '../fixtures/files.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const PROBE = join('test', 'core', 'keychainProbe.ts');
const PROBE_TIMEOUT_MS = 60_000;

/** An unlocked gnome-keyring in its own D-Bus session, then the probe. */
const KEYRING_SCRIPT = keyringSessionScript(`exec node --import tsx ${PROBE}`);

let server: RunningServer;
let ben: TestUser;
const homes: string[] = [];

before(async () => {
  assertKeyringToolsInstalled();
  server = await startServer();
  await signUp(server.url, 'ana');
  ben = await signUp(server.url, 'ben');
});

after(async () => {
  await server?.stop();
  await server?.cleanup();
  for (const home of homes) await rm(home, { recursive: true, force: true });
});

interface ProbeRun {
  results: Map<string, unknown>;
  output: string;
  home: string;
}

async function throwawayHome(): Promise<{ home: string; env: Record<string, string> }> {
  const home = await mkdtemp(join(tmpdir(), 'tidings-keyring-'));
  homes.push(home);
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    XDG_RUNTIME_DIR: join(home, 'run'),
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_CACHE_HOME: join(home, 'cache'),
    TIDINGS_PROBE_SERVER: server.url,
    TIDINGS_PROBE_USER: ben.username,
    TIDINGS_PROBE_PASSWORD: ben.password,
  };
  await mkdir(env.XDG_RUNTIME_DIR, { mode: 0o700 });
  return { home, env };
}

async function runProbe(
  command: string,
  args: string[],
  env: Record<string, string>,
  home: string,
): Promise<ProbeRun> {
  const child = spawn(command, args, {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => killGroup(child.pid), PROBE_TIMEOUT_MS);
  try {
    await new Promise<void>((resolveExit) => child.once('close', () => resolveExit()));
  } finally {
    clearTimeout(timer);
    // The keyring daemon must not outlive the test: stop it by the PID it was started with,
    // then anything else left in the probe's process group.
    const keyringPid = /KEYRING_PID=(\d+)/.exec(output)?.[1];
    if (keyringPid) killPid(Number(keyringPid));
    killGroup(child.pid);
  }
  const results = new Map<string, unknown>();
  for (const line of output.split('\n')) {
    if (!line.startsWith('RESULT ')) continue;
    const { step, value } = JSON.parse(line.slice('RESULT '.length)) as {
      step: string;
      value: unknown;
    };
    results.set(step, value);
  }
  return { results, output, home };
}

function killPid(pid: number): void {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // Already gone: nothing to stop.
  }
}

function killGroup(pid: number | undefined): void {
  if (pid !== undefined) killPid(-pid);
}

test('keytar stores, reads and deletes the token in a real gnome-keyring, and nothing writes it in plain text', async () => {
  const { home, env } = await throwawayHome();
  const run = await runProbe('dbus-run-session', ['--', 'sh', '-c', KEYRING_SCRIPT], env, home);
  const { results } = run;
  assert.ok(
    !run.output.includes('KEYRING_NOT_READY'),
    `gnome-keyring did not start:\n${run.output}`,
  );
  assert.equal(results.has('crash'), false, run.output);

  assert.equal(results.get('read'), 'probe-token-123', run.output);
  assert.equal(results.get('delete'), true);
  assert.equal(results.get('readAfterDelete'), null);

  assert.deepEqual(results.get('signIn'), { ok: true }, run.output);
  assert.equal(results.get('online'), 'online');
  const token = results.get('tokenInKeychain');
  assert.ok(
    typeof token === 'string' && token.length >= 16,
    `expected the device token in the keychain, got ${String(token)}`,
  );
  const settingsText = String(results.get('settingsFile'));
  assert.match(settingsText, /"username": "ben"/);
  assert.ok(!settingsText.includes(token), 'the settings file must not hold the token');
  // Scanned by the probe while the token was still stored, so the keyring's own file counts.
  const scanned = results.get('filesUnderHome') as string[];
  assert.ok(
    scanned.some((file) => file.includes('/keyrings/')),
    `expected gnome-keyring's files under HOME: ${scanned.join(', ')}`,
  );
  assert.deepEqual(results.get('filesHoldingToken'), [], 'no file holds the token in plain text');
  for (const file of await filesUnder(home)) {
    const bytes = await readFile(file).catch(() => Buffer.alloc(0));
    assert.ok(!bytes.includes(token), `plain-text token found in ${file}`);
  }

  assert.equal(
    results.get('onlineAfterRestart'),
    'online',
    'the app reconnects from the keychain alone',
  );
  assert.deepEqual(results.get('signOut'), { ok: true });
  assert.equal(
    results.get('tokenAfterSignOut'),
    null,
    'sign-out deletes the token from the keychain',
  );
  const me = await fetch(new URL('/api/me', server.url), {
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(me.status, 401, 'sign-out revoked the token on the server too');
});

test('with no Secret Service, the user is told to install gnome-keyring or KWallet and libsecret', async () => {
  const { home, env } = await throwawayHome();
  const noBus = { ...env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(home, 'no-bus-here')}` };
  const run = await runProbe(
    process.execPath,
    ['--import', 'tsx', PROBE, 'without-keyring'],
    noBus,
    home,
  );
  const { results } = run;
  assert.equal(results.has('crash'), false, run.output);
  const failure = results.get('setToken') as { name?: string; message?: string } | undefined;
  assert.equal(failure?.name, 'KeychainUnavailableError', run.output);
  assert.match(failure?.message ?? '', /gnome-keyring/);
  assert.match(failure?.message ?? '', /KWallet/);
  assert.match(failure?.message ?? '', /libsecret/);

  const signIn = results.get('signIn') as { ok: boolean; code?: string; message?: string };
  assert.equal(signIn.ok, false);
  assert.equal(signIn.code, 'keychain_unavailable');
  assert.match(signIn.message ?? '', /gnome-keyring/);
  assert.equal(results.get('status'), 'signed-out');
});

test('a keychain that is not up yet at start is waited for: the account stays, and the core signs in by itself once it is', async () => {
  const { home, env } = await throwawayHome();
  const first = await runProbe(
    'dbus-run-session',
    ['--', 'sh', '-c', keyringSessionScript(`exec node --import tsx ${PROBE} sign-in-and-leave`)],
    env,
    home,
  );
  assert.deepEqual(first.results.get('signIn'), { ok: true }, first.output);
  assert.equal(first.results.get('online'), 'online', first.output);

  const account = { serverUrl: server.url, username: 'ben' };
  // A fresh session bus: the keyring daemon D-Bus starts on demand finds the login keyring locked.
  const locked = await runProbe(
    'dbus-run-session',
    ['--', 'node', '--import', 'tsx', PROBE, 'keychain-locked'],
    env,
    home,
  );
  assert.equal(locked.results.get('status'), 'waiting-for-keychain', locked.output);
  assert.deepEqual(locked.results.get('account'), account, 'a locked keyring keeps the account');

  // A bus that cannot start any service: no Secret Service until the probe starts gnome-keyring.
  const busConfig = join(home, 'bus-without-services.conf');
  await writeFile(busConfig, BUS_WITHOUT_SERVICES);
  const later = await runProbe(
    'dbus-run-session',
    [`--config-file=${busConfig}`, '--', 'node', '--import', 'tsx', PROBE, 'keychain-comes-later'],
    env,
    home,
  );
  const { results } = later;
  assert.equal(results.has('crash'), false, later.output);
  assert.equal(results.get('statusBeforeKeyring'), 'waiting-for-keychain', later.output);
  assert.deepEqual(results.get('accountBeforeKeyring'), account, 'the account is kept');
  const settings = results.get('settingsBeforeKeyring') as { serverUrl: string; username: string };
  assert.deepEqual(
    { serverUrl: settings.serverUrl, username: settings.username },
    account,
    'nothing in settings was forgotten',
  );
  assert.equal(results.get('onlineAfterKeyring'), 'online', later.output);
  assert.deepEqual(results.get('accountAfterKeyring'), account);
});

/** A session bus like Debian's, minus the service directories, so nothing is started on demand. */
const BUS_WITHOUT_SERVICES = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`;

test('two accounts on two servers: both tokens in a real gnome-keyring, both restored, and removing one deletes its entry alone', async () => {
  const other = await startServer();
  try {
    const otherBen = await signUp(other.url, 'otto').then(() => signUp(other.url, 'ben'));
    const { home, env } = await throwawayHome();
    const script = keyringSessionScript(`exec node --import tsx ${PROBE} several-accounts`);
    const run = await runProbe(
      'dbus-run-session',
      ['--', 'sh', '-c', script],
      { ...env, TIDINGS_PROBE_SERVER_B: other.url, TIDINGS_PROBE_PASSWORD_B: otherBen.password },
      home,
    );
    const { results } = run;
    assert.equal(results.has('crash'), false, run.output);
    assert.deepEqual(results.get('signInA'), { ok: true }, run.output);
    assert.deepEqual(results.get('signInB'), { ok: true }, run.output);
    assert.deepEqual(results.get('onlineBoth'), ['online', 'online']);
    assert.deepEqual(results.get('tokensStored'), [true, true]);
    const idA = `${server.url}#ben`;
    const idB = `${other.url}#ben`;
    assert.deepEqual(results.get('onlineAfterRestart'), ['online', 'online'], run.output);
    assert.deepEqual(results.get('accountsAfterRestart'), [idA, idB]);
    assert.deepEqual(results.get('remove'), { ok: true });
    assert.deepEqual(results.get('tokensAfterRemove'), [true, null]);
    assert.deepEqual(results.get('accountsAfterRemove'), [idA]);
    assert.deepEqual(results.get('settingsAfterRemove'), [
      { serverUrl: server.url, username: 'ben' },
    ]);
  } finally {
    await other.stop();
    await other.cleanup();
  }
});
