/**
 * Who is signed in, and the one connection that goes with it: sign-in (health check, login, the
 * token into the keychain), restoring the saved sign-in at start, sign-out (revoke, forget), and a
 * token the server refuses. It owns the session and the connection status; what the connection's
 * events mean for the inbox is the caller's (`events`), and only the current connection's events
 * are passed on.
 */
import {
  type NotificationItem,
  type ReadChangePayload,
  type SyncPayload,
} from '../../contract/wire.js';
import type { Account, ActionResult, ConnectionStatus, SignInRequest } from '../../contract/ipc.js';
import { parseServerAddress } from '../../contract/serverAddress.js';
import type { Clock, CredentialStore } from './ports.js';
import { createConnection, type Connection } from './connection.js';
import { createSavedSignIn } from './savedSignIn.js';
import { checkHealth, logout } from './serverApi.js';
import { acquireToken } from './signIn.js';
import { credentialAccount } from './credentials/credentialAccount.js';
import type { Preferences } from './preferences.js';
import type { Network } from './network.js';

const DEFAULT_DEVICE_NAME = 'Tidings tray app';

/** What the current connection's server says, for the inbox and the alerts. */
export interface SessionEvents {
  sync(payload: SyncPayload, sentSince: number | undefined): void;
  newItem(item: NotificationItem): void;
  unreadCount(count: number, upToSeq: number): void;
  remoteRead(change: ReadChangePayload): void;
}

export interface Session {
  account(): Account | null;
  status(): ConnectionStatus;
  /** The signed-in connection, or null. Its identity changes with every session. */
  connection(): Connection | null;
  /** Restores the saved sign-in from settings and the keychain, and connects. */
  start(): Promise<void>;
  /** Disconnects without signing out. */
  stop(): void;
  wake(): void;
  checkServer(serverUrl: unknown): Promise<ActionResult<{ version: string }>>;
  signIn(request: SignInRequest): Promise<ActionResult>;
  signOut(): Promise<ActionResult>;
}

interface Current {
  account: Account;
  token: string;
  connection: Connection;
}

export function createSession(options: {
  credentials: CredentialStore;
  network: Network;
  preferences: Preferences;
  clock: Clock;
  log: (message: string) => void;
  deviceName?: string;
  events: SessionEvents;
  highestSeq: () => number;
  /** A session began or ended: the inbox and pending alerts start over. */
  reset: () => void;
  changed: () => void;
  notify: (kind: 'error' | 'info', message: string) => void;
  clearNotice: () => void;
}): Session {
  const { credentials, preferences, clock, log, changed } = options;
  let current: Current | null = null;
  let status: ConnectionStatus = { state: 'signed-out' };

  const keychainAccount = (account: Account): string =>
    credentialAccount(account.serverUrl, account.username);

  const forgetToken = async (account: Account): Promise<void> => {
    try {
      await credentials.deleteToken(keychainAccount(account));
    } catch (error) {
      log(`tidings: could not delete the token from the keychain: ${describeError(error)}`);
    }
  };

  const savedSignIn = createSavedSignIn({
    credentials,
    clock,
    log,
    found: (account, token) => begin(account, token),
    waiting: (next) => {
      status = next;
    },
    changed,
  });

  /** Keeps settings' list of signed-in accounts true: the one this core holds, or none. */
  const rememberSignedIn = (account: Account | null): void => {
    const settings = preferences.current();
    const saved = preferences.save({
      ...settings,
      ...(account ? { serverUrl: account.serverUrl, username: account.username } : {}),
      accounts: account ? [account] : [],
    });
    if (!saved.ok) log('tidings: who is signed in could not be remembered in settings');
  };

  /** Forgets the session in memory; the caller decides about the keychain and the server. */
  const end = (reason?: string): void => {
    current?.connection.close();
    current = null;
    options.reset();
    status = reason === undefined ? { state: 'signed-out' } : { state: 'signed-out', reason };
  };

  const begin = (account: Account, token: string): void => {
    let created: Current | null = null;
    // Events from a connection that was since replaced (sign-out, sign-in elsewhere) are ignored.
    const live = (): boolean => current !== null && current === created;
    const { events } = options;
    const connection = createConnection(
      {
        serverUrl: account.serverUrl,
        token,
        highestSeq: options.highestSeq,
        route: () => options.network.routeTo(new URL(account.serverUrl)),
        clock,
        log,
      },
      {
        status(next) {
          if (!live()) return;
          status = next;
          changed();
        },
        sync(payload, sentSince) {
          if (live()) events.sync(payload, sentSince);
        },
        newItem(item) {
          if (live()) events.newItem(item);
        },
        unreadCount(count, upToSeq) {
          if (live()) events.unreadCount(count, upToSeq);
        },
        remoteRead(change) {
          if (live()) events.remoteRead(change);
        },
        unauthorized(message) {
          if (!live() || created === null) return;
          const ending = created;
          log(`tidings: the server refused the saved token (${message}); signing out`);
          end(
            'The server no longer accepts this sign-in (it was revoked or expired). Sign in again.',
          );
          rememberSignedIn(null);
          changed();
          void forgetToken(ending.account);
        },
      },
    );
    created = { account, token, connection };
    current = created;
    options.reset();
    connection.open();
  };

  return {
    account: () => {
      if (current) return { ...current.account };
      return status.state === 'waiting-for-keychain' ? savedSignIn.waitingFor() : null;
    },
    status: () => status,
    connection: () => current?.connection ?? null,

    async start() {
      const [account] = preferences.current().accounts;
      if (current !== null || savedSignIn.waitingFor() !== null || account === undefined) return;
      await savedSignIn.restore(account);
    },

    stop() {
      savedSignIn.cancel();
      current?.connection.close();
      current = null;
    },

    wake() {
      current?.connection.wake();
      // Unlocking the screen often unlocks the keychain too: try now, not at the next step.
      savedSignIn.wake();
    },

    async checkServer(serverUrl) {
      const normalized = parseServerAddress(String(serverUrl));
      if (!normalized.ok) return normalized;
      return checkHealth(options.network, normalized.origin);
    },

    async signIn(request) {
      const granted = await acquireToken(request, {
        credentials,
        network: options.network,
        deviceName: options.deviceName ?? DEFAULT_DEVICE_NAME,
      });
      if (!granted.ok) return granted;
      const { account } = granted;
      savedSignIn.cancel();

      const previous = current;
      if (previous !== null) {
        // Signing in again replaces the old device token: revoke it, and forget it unless the
        // new one was just stored under the same keychain account.
        end();
        await logout(options.network, previous.account.serverUrl, previous.token);
        if (keychainAccount(previous.account) !== keychainAccount(account)) {
          await forgetToken(previous.account);
        }
      }
      rememberSignedIn(account);
      options.clearNotice();
      begin(account, granted.token);
      changed();
      return { ok: true };
    },

    async signOut() {
      const ending = current;
      if (ending === null) {
        const waited = savedSignIn.waitingFor();
        if (waited === null) return { ok: true };
        // The token cannot be read, so the server cannot be told; deleting it is still tried.
        savedSignIn.cancel();
        status = { state: 'signed-out' };
        rememberSignedIn(null);
        changed();
        await forgetToken(waited);
        options.notify(
          'info',
          "Signed out on this computer. The keychain was locked, so the server was not told: you can revoke this device from the blog's account page.",
        );
        return { ok: true };
      }
      end();
      rememberSignedIn(null);
      changed();
      const revoked = await logout(options.network, ending.account.serverUrl, ending.token);
      await forgetToken(ending.account);
      if (!revoked.ok) {
        options.notify(
          'info',
          `Signed out on this computer, but the server could not be told (${revoked.message}). You can revoke this device from the blog's account page.`,
        );
      }
      return { ok: true };
    },
  };
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
