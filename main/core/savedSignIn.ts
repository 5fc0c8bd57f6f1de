/**
 * Reads a saved account's token at start. A keychain that is locked or not up yet (KWallet and
 * gnome-keyring unlock at login, sometimes after the app starts) is waited for with backoff,
 * never taken to mean "signed out": the account stays, and the user sees why nothing connects.
 * It owns the one wait in progress: its account, attempt and timer.
 */
import type { Account } from '../../contract/ipc.js';
import type { Clock, CredentialStore } from './ports.js';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff.js';
import { credentialAccount } from './credentials/credentialAccount.js';

export interface SavedSignIn {
  /** Reads the token for `account`; resolves after the first try, retrying on its own after. */
  restore(account: Account): Promise<void>;
  /** The account being waited for, or null. */
  waitingFor(): Account | null;
  /** Try now rather than at the next step (the screen was unlocked). */
  wake(): void;
  /** Stops waiting (sign-in, sign-out, stop). */
  cancel(): void;
}

interface Wait {
  account: Account;
  attempt: number;
  timer: { cancel(): void } | null;
}

export function createSavedSignIn(options: {
  credentials: CredentialStore;
  clock: Clock;
  log: (message: string) => void;
  /** The token was read: connect. */
  found: (account: Account, token: string) => void;
  /** Not yet: show this, and expect another try at `retryAt`. */
  waiting: (status: { state: 'waiting-for-keychain'; retryAt: number; reason: string }) => void;
  changed: () => void;
}): SavedSignIn {
  const { clock } = options;
  let current: Wait | null = null;

  const attempt = async (wait: Wait): Promise<void> => {
    let token: string | null;
    let reason: string | null = null;
    try {
      token = await options.credentials.getToken(
        credentialAccount(wait.account.serverUrl, wait.account.username),
      );
      // A locked gnome-keyring whose unlock prompt cannot be shown answers "nothing stored",
      // not an error; an account settings list as signed in is not taken at its word.
      if (token === null) reason = 'The keychain did not give the saved sign-in; it may be locked.';
    } catch (error) {
      token = null;
      reason = error instanceof Error ? error.message : String(error);
    }
    if (current !== wait) return;
    if (reason !== null || token === null) {
      const delay = backoffDelay(wait.attempt, Math.random, DEFAULT_BACKOFF);
      wait.attempt += 1;
      const why = reason ?? 'The keychain did not answer.';
      if (wait.attempt === 1) options.log(`tidings: waiting for the keychain: ${why}`);
      options.waiting({ state: 'waiting-for-keychain', retryAt: clock.now() + delay, reason: why });
      wait.timer = clock.setTimeout(() => {
        wait.timer = null;
        void attempt(wait).then(options.changed);
      }, delay);
      return;
    }
    current = null;
    options.found(wait.account, token);
  };

  return {
    restore(account) {
      current?.timer?.cancel();
      current = { account: { ...account }, attempt: 0, timer: null };
      return attempt(current);
    },
    waitingFor: () => (current ? { ...current.account } : null),
    wake() {
      const wait = current;
      if (wait?.timer == null) return;
      wait.timer.cancel();
      wait.timer = null;
      void attempt(wait).then(options.changed);
    },
    cancel() {
      current?.timer?.cancel();
      current = null;
    },
  };
}
