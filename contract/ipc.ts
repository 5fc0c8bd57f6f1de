/**
 * The inbox window's only door to the app: the typed API the preload script exposes as
 * `window.tidings`. Main (main/electron/ipc.ts), the preload and the renderer all use this one
 * declaration, and the renderer's browser tests provide it backed by the real core.
 *
 * The renderer never sees Electron, Node or the token. It receives snapshots and sends intents.
 */
import type { NotificationItem, NotificationType } from './wire.js';

export type ConnectionStatus =
  | { state: 'signed-out'; reason?: string }
  | { state: 'connecting' }
  | { state: 'online' }
  /** `retryAt` is an epoch-ms deadline, so the UI can count down without more messages. */
  | { state: 'offline'; retryAt: number; reason?: string }
  | { state: 'server-incompatible'; message: string }
  /**
   * The account is set up but its token cannot be read yet: the keychain is locked or not running
   * (a slow gnome-keyring, KWallet at login). Retried at `retryAt`; the account is kept.
   */
  | { state: 'waiting-for-keychain'; retryAt: number; reason: string };

export interface QuietHours {
  enabled: boolean;
  /** "HH:MM", local time. A range that wraps midnight (22:00–07:00) is allowed. */
  start: string;
  end: string;
}

export interface Settings {
  /** The last server and username signed in with: the sign-in form starts with them. */
  serverUrl: string;
  username: string;
  /**
   * The accounts signed in on this computer (each one's token is in the keychain). An account
   * listed here whose token cannot be read is waited for, never dropped.
   */
  accounts: Account[];
  /** Master switch for native notifications; the badge keeps counting either way. */
  notificationsEnabled: boolean;
  /** Epoch ms until which notifications are paused, or null. */
  pausedUntil: number | null;
  quietHours: QuietHours;
  mutedTypes: NotificationType[];
  sound: boolean;
  startAtLogin: boolean;
  /** A global shortcut that opens the inbox (Electron accelerator syntax); '' turns it off. */
  inboxShortcut: string;
  /**
   * A PEM file of extra certificate authorities to trust (a self-hosted blog with a private CA),
   * on top of the OS's store; '' for none.
   */
  caFile: string;
}

export type SettingsPatch = Partial<Omit<Settings, 'serverUrl' | 'username' | 'accounts'>>;

export interface Account {
  serverUrl: string;
  username: string;
}

/**
 * An inbox item. `account` is the id (contract/accounts.ts) of the account it came to; the app's
 * several-account core sets it, so the window can label, filter and route each item.
 */
export type InboxItem = NotificationItem & { account?: string };

/** One followed account as the window's account list shows it. */
export interface AccountSummary {
  /** `<server-origin>#<username>`, as contract/accounts.ts makes it. */
  id: string;
  serverUrl: string;
  username: string;
  status: ConnectionStatus;
  unreadCount: number;
}

export interface InboxSnapshot {
  /** Newest first, de-duplicated by id (by account and id when there are several accounts). */
  items: InboxItem[];
  unreadCount: number;
  /** True while older items may exist on the server. */
  hasMore: boolean;
  loadingOlder: boolean;
}

export interface AppSnapshot {
  account: Account | null;
  status: ConnectionStatus;
  inbox: InboxSnapshot;
  settings: Settings;
  /**
   * Every account the app follows, in the order they were added; `account` and `status` then
   * speak for them together. Absent from a core that holds one account only.
   */
  accounts?: AccountSummary[];
  /** A message the user should see (a failed mark-read that was rolled back, say), or null. */
  notice: { id: number; kind: 'error' | 'info'; message: string } | null;
  /** This copy of the app and its updates, for the About view. */
  about: AboutInfo;
}

export interface AboutInfo {
  appName: string;
  appVersion: string;
  updates: UpdateStatus;
}

/** Where this copy stands with new versions (main/core/updates.ts decides). */
export type UpdateStatus =
  | { kind: 'idle' }
  | { kind: 'checking' }
  /** This build does not update itself (not an installed release, or no update feed). */
  | { kind: 'disabled' }
  | { kind: 'up-to-date'; version: string }
  /** A newer version was found and is downloading. */
  | { kind: 'available'; version: string }
  /** Downloaded: it installs when the app quits, or now with installUpdate(). */
  | { kind: 'downloaded'; version: string }
  | { kind: 'error'; message: string };

/** Results for actions that can fail in a way the user must read. */
export type ActionResult<T extends object = object> =
  ({ ok: true } & T) | { ok: false; code: string; message: string };

export interface SignInRequest {
  serverUrl: string;
  username: string;
  password: string;
}

export interface TidingsApi {
  getSnapshot(): Promise<AppSnapshot>;
  /** Called with a fresh snapshot whenever anything changes. Returns its own unsubscribe. */
  onSnapshot(listener: (snapshot: AppSnapshot) => void): () => void;
  /** Calls `/healthz`: tells apart unreachable, not-Tidings and incompatible servers. */
  checkServer(serverUrl: string): Promise<ActionResult<{ version: string }>>;
  signIn(request: SignInRequest): Promise<ActionResult>;
  signOut(): Promise<ActionResult>;
  /** `account` (an AccountSummary id) says whose items these are when there are several. */
  markRead(ids: string[], account?: string): Promise<ActionResult>;
  /** Marks every item of these accounts read (all accounts when omitted). */
  markAllRead(accounts?: string[]): Promise<ActionResult>;
  loadOlder(): Promise<ActionResult>;
  /** Opens the post in the browser (after that account's origin check) and marks the item read. */
  openItem(id: string, account?: string): Promise<ActionResult>;
  /**
   * Signs one account out (its token revoked and deleted from the keychain); its items leave the
   * inbox and the badge. Signing in to another server or user (`signIn`) adds an account.
   */
  removeAccount(id: string): Promise<ActionResult>;
  updateSettings(patch: SettingsPatch): Promise<ActionResult>;
  /** Pause native notifications for `minutes`, or resume with 0. */
  pauseNotifications(minutes: number): Promise<ActionResult>;
  dismissNotice(id: number): Promise<void>;
  /** Looks for a new version now; the snapshot's `about.updates` follows the check. */
  checkForUpdates(): Promise<ActionResult>;
  /** Quits and installs the downloaded version ("Restart to install"). */
  installUpdate(): Promise<ActionResult>;
}

/** IPC channel names between preload and main; one per TidingsApi method plus the push. */
export const IPC_CHANNELS = {
  getSnapshot: 'tidings:get-snapshot',
  snapshot: 'tidings:snapshot',
  checkServer: 'tidings:check-server',
  signIn: 'tidings:sign-in',
  signOut: 'tidings:sign-out',
  markRead: 'tidings:mark-read',
  markAllRead: 'tidings:mark-all-read',
  loadOlder: 'tidings:load-older',
  openItem: 'tidings:open-item',
  updateSettings: 'tidings:update-settings',
  pauseNotifications: 'tidings:pause-notifications',
  dismissNotice: 'tidings:dismiss-notice',
  removeAccount: 'tidings:remove-account',
  checkForUpdates: 'tidings:check-for-updates',
  installUpdate: 'tidings:install-update',
} as const;
