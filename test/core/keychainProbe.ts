/**
 * Runs inside a throwaway D-Bus session with a real gnome-keyring (see keychain.test.ts), or with
 * no Secret Service at all, and prints what happened as `RESULT <json>` lines for the test to
 * check. It is a script, not a test: the parent test owns the keyring daemon and stops it.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { createAccountsCore, createTidingsCore } from '../../main/core/index.js';
import { createKeytarCredentials } from '../../main/core/credentials/keytarCredentials.js';
import { createFileSettingsStore } from '../../main/core/settings/fileSettingsStore.js';
import { credentialAccount } from '../../main/core/credentials/credentialAccount.js';
import type { AccountsCore, TidingsCore } from '../../main/core/ports.js';
import { filesUnder } from '../fixtures/files.js';

const report = (step: string, value: unknown): void => {
  process.stdout.write(`RESULT ${JSON.stringify({ step, value })}\n`);
};

const home = process.env.HOME ?? '';
const serverUrl = process.env.TIDINGS_PROBE_SERVER ?? '';
const username = process.env.TIDINGS_PROBE_USER ?? '';
const password = process.env.TIDINGS_PROBE_PASSWORD ?? '';
const settingsFile = join(home, 'tidings-settings.json');

function makeCore(): TidingsCore {
  return createTidingsCore({
    credentials: createKeytarCredentials(),
    settings: createFileSettingsStore(settingsFile),
    badge: { show: () => undefined },
    notifier: { notify: () => undefined },
    opener: { open: async () => undefined },
    log: () => undefined,
    deviceName: 'keychain probe',
  });
}

function makeAccountsCore(): AccountsCore {
  return createAccountsCore({
    credentials: createKeytarCredentials(),
    settings: createFileSettingsStore(settingsFile),
    badge: { show: () => undefined },
    notifier: { notify: () => undefined },
    opener: { open: async () => undefined },
    log: () => undefined,
    deviceName: 'keychain probe',
  });
}

async function waitForAllOnline(core: AccountsCore, count: number): Promise<string[]> {
  const states = () => (core.snapshot().accounts ?? []).map((account) => account.status.state);
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const now = states();
    if (now.length === count && now.every((state) => state === 'online')) return now;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return states();
}

/**
 * Two accounts on two servers: both tokens in the keychain, both restored by a restart, and
 * removing one deletes its entry and leaves the other's.
 */
async function severalAccounts(): Promise<void> {
  const serverB = process.env.TIDINGS_PROBE_SERVER_B ?? '';
  const passwordB = process.env.TIDINGS_PROBE_PASSWORD_B ?? '';
  const credentials = createKeytarCredentials();
  const idA = credentialAccount(new URL(serverUrl).origin, username);
  const idB = credentialAccount(new URL(serverB).origin, username);
  const core = makeAccountsCore();
  report('signInA', await core.signIn({ serverUrl, username, password }));
  report('signInB', await core.signIn({ serverUrl: serverB, username, password: passwordB }));
  report('onlineBoth', await waitForAllOnline(core, 2));
  report('tokensStored', [
    (await credentials.getToken(idA)) !== null,
    (await credentials.getToken(idB)) !== null,
  ]);
  await core.stop();

  const restarted = makeAccountsCore();
  await restarted.start();
  report('onlineAfterRestart', await waitForAllOnline(restarted, 2));
  report(
    'accountsAfterRestart',
    restarted.snapshot().accounts?.map((account) => account.id),
  );
  report('remove', await restarted.removeAccount(idB));
  report('tokensAfterRemove', [
    (await credentials.getToken(idA)) !== null,
    await credentials.getToken(idB),
  ]);
  report(
    'accountsAfterRemove',
    restarted.snapshot().accounts?.map((account) => account.id),
  );
  report('settingsAfterRemove', JSON.parse(await readFile(settingsFile, 'utf8')).accounts);
  await restarted.stop();
}

async function waitForOnline(core: TidingsCore, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const state = core.snapshot().status.state;
    if (state === 'online') return state;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return core.snapshot().status.state;
}

async function withKeyring(): Promise<void> {
  const credentials = createKeytarCredentials();
  await credentials.setToken('probe#account', 'probe-token-123');
  report('read', await credentials.getToken('probe#account'));
  report('delete', await credentials.deleteToken('probe#account'));
  report('readAfterDelete', await credentials.getToken('probe#account'));

  const core = makeCore();
  report('signIn', await core.signIn({ serverUrl, username, password }));
  report('online', await waitForOnline(core));
  const account = credentialAccount(new URL(serverUrl).origin, username);
  report('tokenInKeychain', await credentials.getToken(account));
  report('settingsFile', await readFile(settingsFile, 'utf8'));
  report('filesUnderHome', await filesUnder(home));
  report('filesHoldingToken', await filesHolding(home, await credentials.getToken(account)));
  await core.stop();

  const restarted = makeCore();
  await restarted.start();
  report('onlineAfterRestart', await waitForOnline(restarted));
  report('signOut', await restarted.signOut());
  report('tokenAfterSignOut', await credentials.getToken(account));
  await restarted.stop();
}

/** Signs in with the keyring up, so the next run finds a saved account and a stored token. */
async function signInAndLeave(): Promise<void> {
  const core = makeCore();
  report('signIn', await core.signIn({ serverUrl, username, password }));
  report('online', await waitForOnline(core));
  await core.stop();
}

/**
 * A login keyring that stays locked (D-Bus starts gnome-keyring on demand, and its unlock prompt
 * cannot be shown here): keytar reads "nothing stored". The account must not be dropped.
 */
async function keychainLocked(): Promise<void> {
  const core = makeCore();
  await core.start();
  report('status', core.snapshot().status.state);
  report('account', core.snapshot().account);
  await core.stop();
}

/**
 * Starts on a bus where nothing provides the Secret Service (a keyring not up yet at login),
 * then starts gnome-keyring with the password, as the login does: the core must keep the account,
 * say it is waiting, and sign in by itself.
 */
async function keychainComesLater(): Promise<void> {
  const core = makeCore();
  await core.start();
  const waiting = core.snapshot();
  report('statusBeforeKeyring', waiting.status.state);
  report('accountBeforeKeyring', waiting.account);
  report('settingsBeforeKeyring', JSON.parse(await readFile(settingsFile, 'utf8')));
  const daemon = spawn(
    'gnome-keyring-daemon',
    ['--foreground', '--unlock', '--components=secrets'],
    { stdio: ['pipe', 'ignore', 'ignore'] },
  );
  // The PID goes to stdout so the test can stop the daemon even if this probe dies.
  process.stdout.write(`KEYRING_PID=${daemon.pid}\n`);
  daemon.stdin.end('pw');
  try {
    report('onlineAfterKeyring', await waitForOnline(core, 45_000));
    report('accountAfterKeyring', core.snapshot().account);
  } finally {
    await core.stop();
    daemon.kill();
  }
}

async function withoutKeyring(): Promise<void> {
  try {
    await createKeytarCredentials().setToken('probe#account', 'probe-token-123');
    report('setToken', 'stored');
  } catch (error) {
    report('setToken', { name: (error as Error).name, message: (error as Error).message });
  }
  const core = makeCore();
  report('signIn', await core.signIn({ serverUrl, username, password }));
  report('status', core.snapshot().status.state);
  await core.stop();
}

/** Every file under `dir` whose bytes contain `secret` as plain text. */
async function filesHolding(dir: string, secret: string | null): Promise<string[]> {
  if (!secret) return [];
  const holding: string[] = [];
  for (const file of await filesUnder(dir)) {
    const bytes = await readFile(file).catch(() => Buffer.alloc(0));
    if (bytes.includes(secret)) holding.push(file);
  }
  return holding;
}

const modes: Record<string, () => Promise<void>> = {
  'with-keyring': withKeyring,
  'without-keyring': withoutKeyring,
  'sign-in-and-leave': signInAndLeave,
  'keychain-comes-later': keychainComesLater,
  'keychain-locked': keychainLocked,
  'several-accounts': severalAccounts,
};
(modes[process.argv[2] ?? 'with-keyring'] ?? withKeyring)().then(
  () => process.exit(0),
  (error: unknown) => {
    report('crash', error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    process.exit(1);
  },
);
