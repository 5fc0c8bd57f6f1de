/**
 * The tray app's brain, with no Electron in it. This file only composes its parts, each with one
 * job and its own state: the session (sign-in and the connection), the reads (the inbox and
 * marking it), the alerts (which events pop up), the preferences (settings) and the publisher
 * (snapshots, badge, notice). The shell supplies the ports (badge, notifier, keychain, settings,
 * URL opener) and forwards the inbox window's intents here one to one.
 */
import type { Clock, CoreDependencies, TidingsCore } from './ports.js';
import { createAlerts } from './alerts.js';
import { createAppUpdates } from './appUpdates.js';
import { createLinkOpener } from './links.js';
import { createNetwork } from './network.js';
import { createPreferences } from './preferences.js';
import { createPublisher } from './publisher.js';
import { createReads } from './reads.js';
import { createSession } from './session.js';
import { systemClock } from './systemClock.js';

export function createTidingsCore(deps: CoreDependencies): TidingsCore {
  const clock: Clock = deps.clock ?? systemClock;
  const log = deps.log ?? ((message: string) => console.warn(message));
  // Parts call `changed` only after all of them exist; the publisher reads them all.
  const changed = (): void => publisher.publish();
  const failed = (message: string): void => publisher.notify('error', message);

  const preferences = createPreferences({
    store: deps.settings,
    clock,
    log,
    changed,
    paused: () => alerts.dropPending(),
    // A live socket keeps the trust it was made with: reconnect, so the new CA file applies now.
    trustChanged: () => session.wake(),
  });
  const serverOrigin = (): string =>
    session.account()?.serverUrl ?? preferences.current().serverUrl;
  const openUrl = createLinkOpener({
    opener: deps.opener,
    serverOrigin,
    log,
    refused: failed,
  });
  const reads = createReads({
    connection: () => session.connection(),
    online: () => session.status().state === 'online',
    openUrl,
    serverOrigin,
    changed,
    failed,
  });
  const alerts = createAlerts({
    notifier: deps.notifier,
    clock,
    log,
    settings: () => preferences.current(),
    isUnread: (id) => reads.isUnread(id),
    clicked: (alert) => {
      // A summary's click opens the inbox, which the shell does on its own.
      if (alert.notification.action.kind !== 'open-post') return;
      const { itemIds } = alert;
      void openUrl(alert.notification.action.url).then(async (opened) => {
        if (opened.ok && itemIds.length > 0) await reads.markRead(itemIds);
      });
    },
  });
  const network = createNetwork({
    ...(deps.resolveProxy === undefined ? {} : { resolveProxy: deps.resolveProxy }),
    caFile: () => preferences.current().caFile,
    log,
  });
  const session = createSession({
    credentials: deps.credentials,
    network,
    preferences,
    clock,
    log,
    ...(deps.deviceName === undefined ? {} : { deviceName: deps.deviceName }),
    highestSeq: () => reads.highestSeq(),
    events: {
      sync(payload, sentSince) {
        alerts.missedWhileAway(reads.applySync(payload, sentSince));
        changed();
      },
      newItem(item) {
        const held = reads.addLive(item);
        if (held === null) return;
        alerts.itemArrived(held);
        changed();
      },
      unreadCount(count, upToSeq) {
        reads.setUnreadCount(count, upToSeq);
        changed();
      },
      remoteRead(change) {
        reads.applyRemoteRead(change);
        changed();
      },
    },
    reset: () => {
      alerts.dropPending();
      reads.reset();
    },
    changed,
    notify: (kind, message) => publisher.notify(kind, message),
    clearNotice: () => publisher.clearNotice(),
  });
  const updates = createAppUpdates({
    app: deps.app ?? { name: 'Tidings', version: '0.0.0' },
    source: deps.updates,
    notifier: deps.notifier,
    settings: () => preferences.current(),
    clock,
    log,
    changed,
  });
  const publisher = createPublisher({
    read: () => ({
      account: session.account(),
      status: session.status(),
      inbox: reads.snapshot(),
      settings: preferences.copy(),
      about: updates.about(),
    }),
    badge: deps.badge,
    clock,
    log,
  });

  return {
    async start() {
      preferences.load();
      await session.start();
      updates.start();
      changed();
    },
    async stop() {
      updates.stop();
      session.stop();
      alerts.dropPending();
    },
    snapshot: () => publisher.snapshot(),
    subscribe: (listener) => publisher.subscribe(listener),
    wake: () => session.wake(),
    setInboxVisible: (visible) => alerts.setInboxVisible(visible),
    reloadSettings() {
      preferences.load();
      changed();
    },
    checkServer: (serverUrl) => session.checkServer(serverUrl),
    signIn: (request) => session.signIn(request),
    signOut: () => session.signOut(),
    markRead: (ids) => reads.markRead(ids),
    markAllRead: () => reads.markAllRead(),
    loadOlder: () => reads.loadOlder(),
    openItem: (id) => reads.openItem(id),
    updateSettings: async (patch) => preferences.update(patch),
    pauseNotifications: async (minutes) => preferences.pause(minutes),
    dismissNotice: async (id) => publisher.dismissNotice(id),
    checkForUpdates: () => updates.checkNow(),
    installUpdate: () => updates.install(),
  };
}
