/**
 * Several accounts, on one server or several, at once: one one-account core (tidingsCore.ts) per
 * account, each with its own connection, inbox, alerts and origin guard, composed. This file only
 * routes: the window's intents go to the account they name, the snapshot and the badge are the
 * accounts' merged (accountsSnapshot.ts), and the shared settings have one owner here, each
 * account seeing them through accountSettings.ts. An account is `<server-origin>#<username>`.
 */
import type { Account, ActionResult, AppSnapshot, SignInRequest } from '../../contract/ipc.js';
import { accountId, accountLabel } from '../../contract/accounts.js';
import { parseServerAddress } from '../../contract/serverAddress.js';
import type { AccountsCore, CoreDependencies, Notifier, TidingsCore } from './ports.js';
import { accountSettings, type AccountSlot } from './accountSettings.js';
import { composeSnapshot } from './accountsSnapshot.js';
import { createAppUpdates } from './appUpdates.js';
import { createNetwork } from './network.js';
import { createPreferences } from './preferences.js';
import { createPublisher } from './publisher.js';
import { checkHealth } from './serverApi.js';
import { MAX_ACCOUNTS } from './settingsSchema.js';
import { systemClock } from './systemClock.js';
import { createTidingsCore } from './tidingsCore.js';

interface Member extends AccountSlot {
  core: TidingsCore;
  /** The last notice of this account's core already passed on. */
  noticeId: number | null;
  unsubscribe: () => void;
}

export function createAccountsCore(deps: CoreDependencies): AccountsCore {
  const clock = deps.clock ?? systemClock;
  const log = deps.log ?? ((message: string) => console.warn(message));
  let members: Member[] = [];
  // Handed to an account added while the window is open, so it does not pop up under the user's eyes.
  let inboxVisible = false;
  const changed = (): void => publisher.publish();

  const preferences = createPreferences({
    store: deps.settings,
    clock,
    log,
    changed: () => {
      for (const member of members) member.core.reloadSettings();
      changed();
    },
    // Each account's open batch is not raised once it closes: composeBatch checks the pause.
    paused: () => undefined,
    // A live socket keeps the trust it was made with: every account reconnects with the new CA file.
    trustChanged: () => members.forEach((member) => member.core.wake()),
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
        members.flatMap((member) =>
          member.account
            ? [{ id: accountId(member.account), snapshot: member.core.snapshot() }]
            : [],
        ),
      ),
      settings: preferences.copy(),
      about: updates.about(),
    }),
    badge: deps.badge,
    clock,
    log,
  });

  const idOf = (member: Member): string | null =>
    member.account === null ? null : accountId(member.account);
  const labelled = (member: Member, text: string): string =>
    members.length > 1 && member.account ? `${accountLabel(member.account)}: ${text}` : text;

  /** Each account's notifications, tagged with it (for "Mark as read") and, among several, named. */
  const notifierFor = (member: Member): Notifier => ({
    notify(notification, onClick) {
      const account = idOf(member);
      deps.notifier.notify(
        {
          ...notification,
          title: labelled(member, notification.title),
          ...(account === null ? {} : { account }),
        },
        onClick,
      );
    },
  });

  const createMember = (account: Account | null): Member => {
    const member: Member = {
      account,
      core: undefined as unknown as TidingsCore, // assigned just below, before anyone reads it
      noticeId: null,
      unsubscribe: () => undefined,
    };
    // Without `updates`, an account's own core checks for none: the composer's checker does.
    const accountDeps: CoreDependencies = { ...deps };
    delete accountDeps.updates;
    member.core = createTidingsCore({
      ...accountDeps,
      clock,
      log,
      settings: accountSettings(preferences, member),
      // The composer shows the sum; an account's own badge would fight it.
      badge: { show: () => undefined },
      notifier: notifierFor(member),
    });
    member.core.setInboxVisible(inboxVisible);
    member.unsubscribe = member.core.subscribe((snapshot) => {
      if (!members.includes(member)) return;
      passOnNotice(member, snapshot);
      changed();
    });
    return member;
  };

  const passOnNotice = (member: Member, snapshot: AppSnapshot): void => {
    const notice = snapshot.notice;
    if (notice === null || notice.id === member.noticeId) return;
    member.noticeId = notice.id;
    publisher.notify(notice.kind, labelled(member, notice.message));
  };

  const drop = async (member: Member): Promise<void> => {
    members = members.filter((other) => other !== member);
    member.unsubscribe();
    await member.core.stop();
  };

  const find = (id: unknown): Member | undefined =>
    typeof id === 'string' ? members.find((member) => idOf(member) === id) : undefined;

  /** The account an intent names, or, when it names none, the only one that could be meant. */
  const target = (account: unknown, holds: (member: Member) => boolean): Member | ActionResult => {
    if (account !== undefined) {
      return find(account) ?? { ok: false, code: 'not_found', message: 'That account is gone.' };
    }
    const [only, ...others] = members.length === 1 ? members : members.filter(holds);
    if (only !== undefined && others.length === 0) return only;
    if (members.length === 0) return { ok: false, code: 'signed_out', message: 'Sign in first.' };
    return { ok: false, code: 'invalid_payload', message: 'Say which account these items are in.' };
  };
  const holdsItem = (ids: unknown[]) => (member: Member) =>
    member.core.snapshot().inbox.items.some((item) => ids.includes(item.id));

  const firstFailure = (results: ActionResult[]): ActionResult =>
    results.find((result) => !result.ok) ?? { ok: true };

  return {
    async start() {
      preferences.load();
      members = preferences.current().accounts.map((account) => createMember({ ...account }));
      await Promise.all(members.map((member) => member.core.start()));
      updates.start();
      changed();
    },
    async stop() {
      updates.stop();
      await Promise.all(members.map((member) => member.core.stop()));
    },
    snapshot: () => publisher.snapshot(),
    subscribe: (listener) => publisher.subscribe(listener),
    wake: () => members.forEach((member) => member.core.wake()),
    setInboxVisible(visible) {
      inboxVisible = visible;
      for (const member of members) member.core.setInboxVisible(visible);
    },
    reloadSettings() {
      preferences.load();
      for (const member of members) member.core.reloadSettings();
      changed();
    },
    async checkServer(serverUrl) {
      const normalized = parseServerAddress(String(serverUrl));
      if (!normalized.ok) return normalized;
      return checkHealth(network, normalized.origin);
    },

    /** Signs in again to an account the app has, or adds one. */
    async signIn(request: SignInRequest) {
      const address = parseServerAddress(String(request?.serverUrl ?? ''));
      const wanted = address.ok
        ? find(accountId({ serverUrl: address.origin, username: String(request.username) }))
        : undefined;
      if (wanted) return wanted.core.signIn(request);
      if (members.length >= MAX_ACCOUNTS) {
        return {
          ok: false,
          code: 'too_many_accounts',
          message: `Tidings follows at most ${MAX_ACCOUNTS} accounts. Remove one first.`,
        };
      }
      const member = createMember(null);
      await member.core.start();
      const result = await member.core.signIn(request);
      if (!result.ok || member.account === null) {
        member.unsubscribe();
        await member.core.stop();
        return result;
      }
      // The server may spell the username its own way: an account the app had is replaced, and
      // one a server signed out (revoked) makes room, as signing in again did with one account.
      const replaced = members.filter(
        (other) =>
          idOf(other) === idOf(member) || other.core.snapshot().status.state === 'signed-out',
      );
      for (const other of replaced) await drop(other);
      members = [...members, member];
      changed();
      return result;
    },

    async signOut() {
      const results = await Promise.all(members.map((member) => member.core.signOut()));
      for (const member of [...members]) await drop(member);
      changed();
      return firstFailure(results);
    },

    async removeAccount(id) {
      const member = find(id);
      if (!member) return { ok: false, code: 'not_found', message: 'That account is gone.' };
      const result = await member.core.signOut();
      await drop(member);
      changed();
      return result;
    },

    async markRead(ids, account) {
      const member = target(account, holdsItem(Array.isArray(ids) ? ids : []));
      return 'core' in member ? member.core.markRead(ids) : member;
    },

    async openItem(id, account) {
      const member = target(account, holdsItem([id]));
      return 'core' in member ? member.core.openItem(id) : member;
    },

    async markAllRead(accounts) {
      if (members.length === 0) return { ok: false, code: 'signed_out', message: 'Sign in first.' };
      const chosen =
        accounts === undefined ? members : members.filter((m) => accounts.includes(idOf(m) ?? ''));
      const unread = chosen.filter((member) => member.core.snapshot().inbox.unreadCount > 0);
      return firstFailure(await Promise.all(unread.map((member) => member.core.markAllRead())));
    },

    async loadOlder() {
      const more = members.filter((member) => {
        const { inbox } = member.core.snapshot();
        return inbox.hasMore || inbox.items.length === 0;
      });
      return firstFailure(await Promise.all(more.map((member) => member.core.loadOlder())));
    },

    updateSettings: async (patch) => preferences.update(patch),
    pauseNotifications: async (minutes) => preferences.pause(minutes),
    dismissNotice: async (id) => publisher.dismissNotice(id),
    checkForUpdates: () => updates.checkNow(),
    installUpdate: () => updates.install(),
  };
}
