/**
 * The tray app's brain, with no Electron in it: it signs in and out, keeps the one connection,
 * holds the inbox and the unread count, decides which events become native notifications, and
 * tells the shell what to show. The shell supplies the ports (badge, notifier, keychain, settings,
 * URL opener) and forwards the inbox window's intents here one to one.
 */
import {
  describeIssues,
  LIMITS,
  linkOf,
  LoginRequestSchema,
  MarkReadRequestSchema,
  type NotificationItem,
  type ReadChangePayload,
  type SyncPayload,
} from '../../contract/wire.js';
import type {
  Account,
  ActionResult,
  AppSnapshot,
  ConnectionStatus,
  SettingsPatch,
  SignInRequest,
} from '../../contract/ipc.js';
import {
  KeychainUnavailableError,
  type Clock,
  type CoreDependencies,
  type TidingsCore,
} from './ports.js';
import {
  addItem,
  appendOlder,
  confirmRead,
  applyRemoteRead,
  applySync,
  emptyInbox,
  findItem,
  markAllReadLocally,
  markReadLocally,
  oldestSeq,
  rollbackRead,
  setLoadingOlder,
  setUnreadCount,
  type InboxState,
  type ReadChange,
} from './inbox.js';
import {
  addToBatch,
  batchDeadline,
  composeAwaySummary,
  composeBatch,
  wantsAlert,
  type Alert,
  type AlertBatch,
  type AlertContext,
} from './alertPolicy.js';
import { createConnection, type Connection, type ConnectionListener } from './connection.js';
import { parseServerAddress } from '../../contract/serverAddress.js';
import { checkHealth, login, logout } from './serverApi.js';
import { checkPostUrl, type UrlVerdict } from './postUrlGuard.js';
import { clickTargetOf } from './clickTarget.js';
import { defaultSettings, SettingsPatchSchema } from './settingsSchema.js';
import { credentialAccount } from './credentials/credentialAccount.js';
import { badgeTooltip } from './badgeText.js';
import { systemClock } from './systemClock.js';

/** The longest pause the menu offers is a week; anything longer is a typo. */
const MAX_PAUSE_MINUTES = 7 * 24 * 60;
const DEFAULT_DEVICE_NAME = 'Tidings tray app';

interface Session {
  account: Account;
  token: string;
  connection: Connection;
}

export function createTidingsCore(deps: CoreDependencies): TidingsCore {
  const clock: Clock = deps.clock ?? systemClock;
  const log = deps.log ?? ((message: string) => console.warn(message));

  // Loaded by start(), as ports.ts promises; until then the defaults stand in.
  let settings = defaultSettings();
  let session: Session | null = null;
  let status: ConnectionStatus = { state: 'signed-out' };
  let inbox: InboxState = emptyInbox();
  let notice: AppSnapshot['notice'] = null;
  let noticeCounter = 0;
  let inboxVisible = false;
  let batch: AlertBatch | null = null;
  let batchTimer: { cancel(): void } | null = null;
  let lastBadgeKey = '';
  const listeners = new Set<(snapshot: AppSnapshot) => void>();

  const snapshot = (): AppSnapshot => ({
    account: session ? { ...session.account } : null,
    status,
    inbox: {
      items: [...inbox.items],
      unreadCount: inbox.unreadCount,
      hasMore: inbox.hasMore,
      loadingOlder: inbox.loadingOlder,
    },
    settings: {
      ...settings,
      quietHours: { ...settings.quietHours },
      mutedTypes: [...settings.mutedTypes],
    },
    notice,
  });

  const showBadge = (): void => {
    const tooltip = badgeTooltip(status, inbox.unreadCount, clock.now());
    const key = `${inbox.unreadCount}|${status.state}|${tooltip}`;
    if (key === lastBadgeKey) return;
    lastBadgeKey = key;
    try {
      deps.badge.show({ unreadCount: inbox.unreadCount, status: status.state, tooltip });
    } catch (error) {
      log(`tidings: the badge could not be updated: ${String(error)}`);
    }
  };

  const emit = (): void => {
    showBadge();
    const current = snapshot();
    for (const listener of listeners) {
      try {
        listener(current);
      } catch (error) {
        log(`tidings: a snapshot listener failed: ${String(error)}`);
      }
    }
  };

  const setNotice = (kind: 'error' | 'info', message: string): void => {
    noticeCounter += 1;
    notice = { id: noticeCounter, kind, message };
  };

  const alertContext = (): AlertContext => ({ settings, inboxVisible, now: clock.now() });

  const raise = (alerts: Alert[]): void => {
    for (const alert of alerts) {
      try {
        deps.notifier.notify(alert.notification, () => void clickAlert(alert));
      } catch (error) {
        log(`tidings: a notification could not be shown: ${String(error)}`);
      }
    }
  };

  const clickAlert = async (alert: Alert): Promise<void> => {
    // A summary's click opens the inbox, which the shell does on its own.
    if (alert.notification.action.kind !== 'open-post') return;
    const opened = await openCheckedUrl(alert.notification.action.url);
    if (opened.ok && alert.itemIds.length > 0) await markReadIds(alert.itemIds);
  };

  const flushBatch = (): void => {
    batchTimer = null;
    const closing = batch;
    batch = null;
    if (closing === null) return;
    raise(composeBatch(closing, alertContext(), (id) => findItem(inbox, id)?.read !== true));
  };

  const queueAlert = (item: NotificationItem): void => {
    batch = addToBatch(batch, item, clock.now());
    batchTimer?.cancel();
    batchTimer = clock.setTimeout(flushBatch, Math.max(0, batchDeadline(batch) - clock.now()));
  };

  const dropPendingAlerts = (): void => {
    batchTimer?.cancel();
    batchTimer = null;
    batch = null;
  };

  /** Forgets the session in memory; the caller decides about the keychain and the server. */
  const endSession = (reason?: string): void => {
    session?.connection.close();
    session = null;
    dropPendingAlerts();
    inbox = emptyInbox();
    status = reason === undefined ? { state: 'signed-out' } : { state: 'signed-out', reason };
  };

  const connectionListener = (owner: () => Session | null): ConnectionListener => {
    // Events from a connection that was since replaced (sign-out, sign-in elsewhere) are ignored.
    const current = (): boolean => session !== null && session === owner();
    return {
      status(next) {
        if (!current()) return;
        status = next;
        emit();
      },
      sync(payload: SyncPayload, sentSince) {
        if (!current()) return;
        const applied = applySync(inbox, payload, sentSince);
        inbox = applied.state;
        raise(composeAwaySummary(applied.missed, alertContext()));
        emit();
      },
      newItem(item) {
        if (!current()) return;
        const added = addItem(inbox, item);
        if (!added.added) return;
        inbox = added.state;
        if (wantsAlert(item, alertContext())) queueAlert(item);
        emit();
      },
      unreadCount(count) {
        if (!current()) return;
        inbox = setUnreadCount(inbox, count);
        emit();
      },
      remoteRead(change: ReadChangePayload) {
        if (!current()) return;
        inbox = applyRemoteRead(inbox, change);
        emit();
      },
      unauthorized(message) {
        const ending = owner();
        if (!current() || ending === null) return;
        log(`tidings: the server refused the saved token (${message}); signing out`);
        endSession(
          'The server no longer accepts this sign-in (it was revoked or expired). Sign in again.',
        );
        emit();
        void forgetToken(ending.account);
      },
    };
  };

  const forgetToken = async (account: Account): Promise<void> => {
    try {
      await deps.credentials.deleteToken(credentialAccount(account.serverUrl, account.username));
    } catch (error) {
      log(`tidings: could not delete the token from the keychain: ${describeError(error)}`);
    }
  };

  const beginSession = (account: Account, token: string): void => {
    let created: Session | null = null;
    const connection = createConnection(
      { serverUrl: account.serverUrl, token, highestSeq: () => inbox.highestSeq, clock, log },
      connectionListener(() => created),
    );
    created = { account, token, connection };
    session = created;
    inbox = emptyInbox();
    connection.open();
  };

  const requireOnline = (): ActionResult | null => {
    if (session === null) return { ok: false, code: 'signed_out', message: 'Sign in first.' };
    if (status.state !== 'online') {
      return {
        ok: false,
        code: 'offline',
        message: 'Not connected to the server. Try again once online.',
      };
    }
    return null;
  };

  const sendRead = async (
    request: { ids: string[] } | { all: true },
    change: ReadChange,
  ): Promise<ActionResult> => {
    const owner = session;
    if (owner === null) return { ok: false, code: 'signed_out', message: 'Sign in first.' };
    const ack = await owner.connection.markRead(request);
    if (session !== owner) return { ok: true };
    if (ack.ok) {
      inbox = confirmRead(inbox, change, ack.unreadCount);
      emit();
      return { ok: true };
    }
    inbox = rollbackRead(inbox, change);
    setNotice('error', `Could not mark as read: ${ack.error.message}`);
    emit();
    return { ok: false, code: ack.error.code, message: ack.error.message };
  };

  const markReadIds = async (ids: string[]): Promise<ActionResult> => {
    const parsed = MarkReadRequestSchema.safeParse({ ids });
    if (!parsed.success) {
      return { ok: false, code: 'invalid_payload', message: describeIssues(parsed.error) };
    }
    const refused = requireOnline();
    if (refused) {
      setNotice('error', `Could not mark as read: ${refused.ok ? '' : refused.message}`);
      emit();
      return refused;
    }
    // Ids the inbox does not hold (paged out, say) still go to the server; only a call that
    // would change nothing anywhere is skipped.
    if (ids.every((id) => findItem(inbox, id)?.read === true)) return { ok: true };
    const optimistic = markReadLocally(inbox, ids);
    inbox = optimistic.state;
    emit();
    return sendRead({ ids }, optimistic.change);
  };

  const openCheckedUrl = (url: string): Promise<ActionResult> =>
    openVerdict(checkPostUrl(url, session?.account.serverUrl ?? settings.serverUrl), url);

  const openVerdict = async (verdict: UrlVerdict, url: string): Promise<ActionResult> => {
    if (!verdict.ok) {
      log(`tidings: refused to open ${JSON.stringify(url)}: ${verdict.reason}`);
      setNotice('error', `This link was not opened: ${verdict.reason}.`);
      emit();
      return {
        ok: false,
        code: 'unsafe_url',
        message: `This link was not opened: ${verdict.reason}.`,
      };
    }
    try {
      await deps.opener.open(verdict.url);
      return { ok: true };
    } catch (error) {
      setNotice('error', 'The browser could not be opened.');
      emit();
      return {
        ok: false,
        code: 'open_failed',
        message: `The browser could not be opened: ${describeError(error)}`,
      };
    }
  };

  const saveSettings = (next: typeof settings): ActionResult => {
    try {
      deps.settings.save(next);
    } catch (error) {
      log(`tidings: settings not saved: ${describeError(error)}`);
      return { ok: false, code: 'settings_not_saved', message: 'The settings could not be saved.' };
    }
    settings = next;
    emit();
    return { ok: true };
  };

  return {
    async start() {
      settings = deps.settings.load();
      if (session !== null || settings.serverUrl === '' || settings.username === '') {
        emit();
        return;
      }
      const account: Account = { serverUrl: settings.serverUrl, username: settings.username };
      let token: string | null;
      try {
        token = await deps.credentials.getToken(
          credentialAccount(account.serverUrl, account.username),
        );
      } catch (error) {
        status = { state: 'signed-out', reason: describeError(error) };
        emit();
        return;
      }
      if (token === null) {
        status = { state: 'signed-out' };
        emit();
        return;
      }
      beginSession(account, token);
      emit();
    },

    async stop() {
      session?.connection.close();
      session = null;
      dropPendingAlerts();
    },

    snapshot,

    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },

    wake() {
      session?.connection.wake();
    },

    setInboxVisible(visible) {
      inboxVisible = visible;
    },

    async checkServer(serverUrl) {
      const normalized = parseServerAddress(String(serverUrl));
      if (!normalized.ok) return normalized;
      return checkHealth(normalized.origin);
    },

    async signIn(request: SignInRequest) {
      const normalized = parseServerAddress(String(request?.serverUrl ?? ''));
      if (!normalized.ok) return normalized;
      const credentials = LoginRequestSchema.safeParse({
        username: request.username,
        password: request.password,
        device: (deps.deviceName ?? DEFAULT_DEVICE_NAME).slice(0, LIMITS.deviceNameMax),
      });
      if (!credentials.success) {
        return { ok: false, code: 'invalid_payload', message: describeIssues(credentials.error) };
      }
      const origin = normalized.origin;
      const health = await checkHealth(origin);
      if (!health.ok) return health;
      const granted = await login(origin, credentials.data);
      if (!granted.ok) return granted;

      const account: Account = { serverUrl: origin, username: granted.username };
      try {
        await deps.credentials.setToken(credentialAccount(origin, account.username), granted.token);
      } catch (error) {
        // A token nobody can store must not stay valid on the server.
        await logout(origin, granted.token);
        const message =
          error instanceof KeychainUnavailableError
            ? error.message
            : `The keychain refused the token: ${describeError(error)}`;
        return { ok: false, code: 'keychain_unavailable', message };
      }

      const previous = session;
      if (previous !== null) {
        // Signing in again replaces the old device token: revoke it, and forget it unless the
        // new one was just stored under the same keychain account.
        endSession();
        await logout(previous.account.serverUrl, previous.token);
        const sameAccount =
          credentialAccount(previous.account.serverUrl, previous.account.username) ===
          credentialAccount(origin, account.username);
        if (!sameAccount) await forgetToken(previous.account);
      }
      const saved = saveSettings({ ...settings, serverUrl: origin, username: account.username });
      if (!saved.ok) log('tidings: signed in, but the server address could not be remembered');
      notice = null;
      beginSession(account, granted.token);
      emit();
      return { ok: true };
    },

    async signOut() {
      const ending = session;
      if (ending === null) return { ok: true };
      endSession();
      emit();
      const revoked = await logout(ending.account.serverUrl, ending.token);
      await forgetToken(ending.account);
      if (!revoked.ok) {
        setNotice(
          'info',
          `Signed out on this computer, but the server could not be told (${revoked.message}). You can revoke this device from the blog's account page.`,
        );
        emit();
      }
      return { ok: true };
    },

    markRead(ids) {
      if (!Array.isArray(ids)) {
        return Promise.resolve({
          ok: false,
          code: 'invalid_payload',
          message: 'ids: expected a list of ids',
        });
      }
      return markReadIds(ids);
    },

    async markAllRead() {
      const refused = requireOnline();
      if (refused) return refused;
      const optimistic = markAllReadLocally(inbox);
      inbox = optimistic.state;
      emit();
      return sendRead({ all: true }, optimistic.change);
    },

    async loadOlder() {
      const refused = requireOnline();
      if (refused) return refused;
      const owner = session;
      if (owner === null || inbox.loadingOlder || (!inbox.hasMore && inbox.items.length > 0))
        return { ok: true };
      inbox = setLoadingOlder(inbox, true);
      emit();
      const before = oldestSeq(inbox);
      const limit = LIMITS.pageDefault;
      const ack = await owner.connection.list(before === undefined ? { limit } : { before, limit });
      if (session !== owner) return { ok: true };
      if (ack.ok) {
        inbox = appendOlder(inbox, ack.items, limit);
        emit();
        return { ok: true };
      }
      inbox = setLoadingOlder(inbox, false);
      setNotice('error', `Could not load older notifications: ${ack.error.message}`);
      emit();
      return { ok: false, code: ack.error.code, message: ack.error.message };
    },

    async openItem(id) {
      const item = typeof id === 'string' ? findItem(inbox, id) : undefined;
      if (item === undefined) {
        return {
          ok: false,
          code: 'not_found',
          message: 'That notification is no longer in the inbox.',
        };
      }
      const target = clickTargetOf(item, session?.account.serverUrl ?? settings.serverUrl);
      // An announcement without a link is read where it is shown: the inbox.
      if (target.kind === 'url') {
        const opened = await openVerdict(target.verdict, linkOf(item) ?? '');
        if (!opened.ok) return opened;
      }
      if (!item.read) await markReadIds([item.id]);
      return { ok: true };
    },

    async updateSettings(patch: SettingsPatch) {
      const parsed = SettingsPatchSchema.safeParse(patch);
      if (!parsed.success) {
        return { ok: false, code: 'invalid_payload', message: describeIssues(parsed.error) };
      }
      return saveSettings({ ...settings, ...parsed.data });
    },

    async pauseNotifications(minutes) {
      if (
        typeof minutes !== 'number' ||
        !Number.isFinite(minutes) ||
        minutes < 0 ||
        minutes > MAX_PAUSE_MINUTES
      ) {
        return {
          ok: false,
          code: 'invalid_payload',
          message: `minutes: expected a number from 0 (resume) to ${MAX_PAUSE_MINUTES} (a week)`,
        };
      }
      const pausedUntil = minutes === 0 ? null : clock.now() + Math.round(minutes * 60_000);
      if (pausedUntil !== null) dropPendingAlerts();
      return saveSettings({ ...settings, pausedUntil });
    },

    async dismissNotice(id) {
      if (notice?.id !== id) return;
      notice = null;
      emit();
    },
  };
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
