/**
 * The accounts the several-account core holds, and their comings and goings: the saved accounts
 * at start, adding one by signing in, removing one, signing out of all. Each account is a
 * one-account core (tidingsCore.ts) whose notifications and notices are tagged with the account
 * and, among several, named. Kept apart from the composer (accountsCore.ts) because this is the
 * only part that changes the list; the composer and the intent routing only read it.
 */
import type { Account, AppSnapshot, SignInRequest, ActionResult } from '../../contract/ipc.js';
import { accountId, accountLabel } from '../../contract/accounts.js';
import { parseServerAddress } from '../../contract/serverAddress.js';
import type { Clock, CoreDependencies, Notifier, TidingsCore } from './ports.js';
import { accountSettings } from './accountSettings.js';
import { findAccount, firstFailure, idOf, type RoutedAccount } from './accountRouting.js';
import type { Preferences } from './preferences.js';
import type { Notice } from './publisher.js';
import { MAX_ACCOUNTS } from './settingsSchema.js';
import { createTidingsCore } from './tidingsCore.js';

interface Member extends RoutedAccount {
  /** The last notice of this account's core already passed on. */
  noticeId: number | null;
  unsubscribe: () => void;
}

export interface AccountListDependencies {
  /** The app's ports; each account's core gets them, but for settings, badge and notifier. */
  deps: CoreDependencies;
  preferences: Preferences;
  clock: Clock;
  log: (message: string) => void;
  /** An account's notice (a failed action, a sign-out…), to show once, in the composer's snapshot. */
  notice: (kind: Notice['kind'], message: string) => void;
  /** Something an account shows changed, or the list did. */
  changed: () => void;
}

export interface AccountList {
  all(): readonly RoutedAccount[];
  /** One core per saved account, started. */
  load(accounts: readonly Account[]): Promise<void>;
  setInboxVisible(visible: boolean): void;
  signIn(request: SignInRequest): Promise<ActionResult>;
  signOut(): Promise<ActionResult>;
  remove(id: unknown): Promise<ActionResult>;
}

export function createAccountList(parts: AccountListDependencies): AccountList {
  const { deps, preferences, clock, log, changed } = parts;
  let members: Member[] = [];
  // Handed to an account added while the window is open, so it does not pop up under the user's eyes.
  let inboxVisible = false;

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

  const passOnNotice = (member: Member, snapshot: AppSnapshot): void => {
    const notice = snapshot.notice;
    if (notice === null || notice.id === member.noticeId) return;
    member.noticeId = notice.id;
    parts.notice(notice.kind, labelled(member, notice.message));
  };

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

  const drop = async (member: Member): Promise<void> => {
    members = members.filter((other) => other !== member);
    member.unsubscribe();
    await member.core.stop();
  };

  return {
    all: () => members,

    async load(accounts) {
      members = accounts.map((account) => createMember({ ...account }));
      await Promise.all(members.map((member) => member.core.start()));
    },

    setInboxVisible(visible) {
      inboxVisible = visible;
      for (const member of members) member.core.setInboxVisible(visible);
    },

    /** Signs in again to an account the app has, or adds one. */
    async signIn(request) {
      const address = parseServerAddress(String(request?.serverUrl ?? ''));
      const wanted = address.ok
        ? findAccount(
            members,
            accountId({ serverUrl: address.origin, username: String(request.username) }),
          )
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

    async remove(id) {
      const member = findAccount(members, id);
      if (!member) return { ok: false, code: 'not_found', message: 'That account is gone.' };
      const result = await member.core.signOut();
      await drop(member);
      changed();
      return result;
    },
  };
}
