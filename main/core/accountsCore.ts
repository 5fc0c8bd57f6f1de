/**
 * Several accounts, on one server or several, at once: one one-account core (tidingsCore.ts) per
 * account, each with its own connection, inbox, alerts and origin guard, composed. This file only
 * wires: the account list and its sign-ins are accountList.ts's, which account a window's intent
 * goes to is accountRouting.ts's, the snapshot and the badge are the accounts' merged
 * (accountsSnapshot.ts), and the shared settings, the app's update checker and the network have
 * one owner here, each account seeing the settings through accountSettings.ts. An account is
 * `<server-origin>#<username>`.
 */
import { parseServerAddress } from '../../contract/serverAddress.js';
import type { AccountsCore, CoreDependencies } from './ports.js';
import { createAccountList } from './accountList.js';
import { idOf, routeIntents } from './accountRouting.js';
import { composeSnapshot } from './accountsSnapshot.js';
import { createAppUpdates } from './appUpdates.js';
import { createNetwork } from './network.js';
import { createPreferences } from './preferences.js';
import { createPublisher } from './publisher.js';
import { checkHealth } from './serverApi.js';
import { systemClock } from './systemClock.js';

export function createAccountsCore(deps: CoreDependencies): AccountsCore {
  const clock = deps.clock ?? systemClock;
  const log = deps.log ?? ((message: string) => console.warn(message));
  // The parts below call each other back through these two: `publisher` and `accounts` are built
  // further down, and no part calls back while it is being built.
  const changed = (): void => publisher.publish();
  const members = () => accounts.all();

  const preferences = createPreferences({
    store: deps.settings,
    clock,
    log,
    changed: () => {
      for (const member of members()) member.core.reloadSettings();
      changed();
    },
    // Each account's open batch is not raised once it closes: composeBatch checks the pause.
    paused: () => undefined,
    // A live socket keeps the trust it was made with: every account reconnects with the new CA file.
    trustChanged: () => members().forEach((member) => member.core.wake()),
  });
  // The app updates once, whatever the number of accounts: the composer owns the checker.
  const updates = createAppUpdates({
    app: deps.app ?? { name: 'Tidings', version: '0.0.0' },
    source: deps.updates,
    notifier: deps.notifier,
    settings: () => preferences.current(),
    clock,
    log,
    changed: () => changed(),
  });
  const network = createNetwork({
    ...(deps.resolveProxy === undefined ? {} : { resolveProxy: deps.resolveProxy }),
    caFile: () => preferences.current().caFile,
    log,
  });
  const publisher = createPublisher({
    read: () => ({
      ...composeSnapshot(
        members().flatMap((member) => {
          const id = idOf(member);
          return id === null ? [] : [{ id, snapshot: member.core.snapshot() }];
        }),
      ),
      settings: preferences.copy(),
      about: updates.about(),
    }),
    badge: deps.badge,
    clock,
    log,
  });
  const accounts = createAccountList({
    deps,
    preferences,
    clock,
    log,
    notice: (kind, message) => publisher.notify(kind, message),
    changed,
  });

  return {
    async start() {
      preferences.load();
      await accounts.load(preferences.current().accounts);
      updates.start();
      changed();
    },
    async stop() {
      updates.stop();
      await Promise.all(members().map((member) => member.core.stop()));
    },
    snapshot: () => publisher.snapshot(),
    subscribe: (listener) => publisher.subscribe(listener),
    wake: () => members().forEach((member) => member.core.wake()),
    setInboxVisible: (visible) => accounts.setInboxVisible(visible),
    reloadSettings() {
      preferences.load();
      for (const member of members()) member.core.reloadSettings();
      changed();
    },
    async checkServer(serverUrl) {
      const normalized = parseServerAddress(String(serverUrl));
      if (!normalized.ok) return normalized;
      return checkHealth(network, normalized.origin);
    },
    signIn: (request) => accounts.signIn(request),
    signOut: () => accounts.signOut(),
    removeAccount: (id) => accounts.remove(id),
    ...routeIntents(members),
    updateSettings: async (patch) => preferences.update(patch),
    pauseNotifications: async (minutes) => preferences.pause(minutes),
    dismissNotice: async (id) => publisher.dismissNotice(id),
    checkForUpdates: () => updates.checkNow(),
    installUpdate: () => updates.install(),
  };
}
