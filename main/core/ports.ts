/**
 * The seams between the tray app's core (plain Node, no Electron) and the shell around it.
 * main/electron/ implements these with Electron and keytar; the tests implement them with
 * recorders and real files. Keep them small: everything with logic belongs in the core.
 */
import type {
  ActionResult,
  AppSnapshot,
  ConnectionStatus,
  Settings,
  TidingsApi,
} from '../../contract/ipc.js';
import type { UpdateSource } from './updates.js';

/** Shows the unread count and connection state (tray image, tooltip, dock badge). */
export interface BadgeSink {
  show(badge: { unreadCount: number; status: ConnectionStatus['state']; tooltip: string }): void;
}

/** What a click on a native notification does. */
export type NotificationAction =
  | { kind: 'open-post'; itemId: string; url: string }
  | { kind: 'open-inbox' }
  /** A new version of the app is ready: the click opens the About view. */
  | { kind: 'open-about' };

export interface NativeNotification {
  title: string;
  /** Plain text. Notifiers must not interpret it as markup. */
  body: string;
  silent: boolean;
  action: NotificationAction;
  /**
   * The unread items it stands for (none for a summary). Where the OS offers buttons on a
   * notification, the shell's "Mark as read" marks these without opening anything.
   */
  itemIds: string[];
  /** The account the items belong to (an AccountSummary id), when the app follows several. */
  account?: string;
}

/** Raises native notifications. `onClick` is called by the shell when the user clicks one. */
export interface Notifier {
  notify(notification: NativeNotification, onClick: () => void): void;
}

/** The OS keychain. Implementations throw KeychainUnavailableError with advice when absent. */
export interface CredentialStore {
  getToken(account: string): Promise<string | null>;
  setToken(account: string, token: string): Promise<void>;
  deleteToken(account: string): Promise<boolean>;
}

export class KeychainUnavailableError extends Error {
  override readonly name = 'KeychainUnavailableError';
}

/** Persisted settings. Implementations validate and fall back to defaults with a warning. */
export interface SettingsStore {
  load(): Settings;
  save(settings: Settings): void;
}

/** Opens a URL in the user's browser. The core has already checked it. */
export interface UrlOpener {
  open(url: string): Promise<void>;
}

/** Injected so quiet hours, pauses and bursts are testable without sleeping. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): { cancel(): void };
}

export interface CoreDependencies {
  credentials: CredentialStore;
  settings: SettingsStore;
  badge: BadgeSink;
  notifier: Notifier;
  opener: UrlOpener;
  clock?: Clock;
  /** Where diagnostics go; defaults to console.warn. */
  log?: (message: string) => void;
  /** App name and version sent to the server as the token's device label. */
  deviceName?: string;
  /** The OS proxy per URL; without it every connection is direct (plain Node). */
  resolveProxy?: ResolveProxy;
  /** This build's name and version, for the About view and update checks. */
  app?: { name: string; version: string };
  /** Where new versions come from; absent, this build does not update itself. */
  updates?: UpdateSource;
}

/**
 * What the shell and the IPC layer use. Methods mirror contract/ipc.ts's TidingsApi, so the IPC
 * handlers are one-line forwards; the rest are signals only the shell can observe.
 */
export interface TidingsCore extends Omit<
  TidingsApi,
  'getSnapshot' | 'onSnapshot' | 'removeAccount'
> {
  /** Loads settings and the saved token, and connects if signed in. */
  start(): Promise<void>;
  /** Disconnects and cancels timers. */
  stop(): Promise<void>;
  snapshot(): AppSnapshot;
  /** Called with a fresh snapshot whenever anything changes. Returns its own unsubscribe. */
  subscribe(listener: (snapshot: AppSnapshot) => void): () => void;
  /** The OS resumed from sleep or the network came back: reconnect now, not at the next backoff. */
  wake(): void;
  /** The inbox window is focused and visible: nothing pops up while the user is looking. */
  setInboxVisible(visible: boolean): void;
  /** The settings were changed by someone else (the several-account core): read them again. */
  reloadSettings(): void;
}

/** The core the shell runs: one TidingsCore per account, composed (accountsCore.ts). */
export interface AccountsCore extends TidingsCore {
  removeAccount(id: string): Promise<ActionResult>;
}

/**
 * The OS's proxy for a URL as a PAC result ("DIRECT", "PROXY host:port; DIRECT"), as Electron's
 * `session.resolveProxy` gives it.
 */
export type ResolveProxy = (url: string) => Promise<string>;
