/**
 * Which account an intent from the window goes to, for the several-account core. Two users of
 * one server share an event's id, so an item's id alone does not say whose it is: an intent names
 * its account, or goes to the only account that could be meant, or is refused as ambiguous. Kept
 * apart from the account list so the rules can be read (and changed) without the sign-in code.
 */
import type { ActionResult } from '../../contract/ipc.js';
import { accountId } from '../../contract/accounts.js';
import type { AccountsCore, TidingsCore } from './ports.js';
import type { AccountSlot } from './accountSettings.js';

/** An account the composer holds: what routing needs of it is its id and its core. */
export interface RoutedAccount extends AccountSlot {
  core: TidingsCore;
}

type RoutedIntents = Pick<AccountsCore, 'markRead' | 'openItem' | 'markAllRead' | 'loadOlder'>;

/** The account's id, or null while its first sign-in has not succeeded. */
export function idOf(member: AccountSlot): string | null {
  return member.account === null ? null : accountId(member.account);
}

export function findAccount<M extends RoutedAccount>(
  members: readonly M[],
  id: unknown,
): M | undefined {
  return typeof id === 'string' ? members.find((member) => idOf(member) === id) : undefined;
}

/** Several accounts answer one intent: the first refusal speaks for all, else it went through. */
export function firstFailure(results: ActionResult[]): ActionResult {
  return results.find((result) => !result.ok) ?? { ok: true };
}

/** The account an intent names, or, when it names none, the only one that could be meant. */
function target(
  members: readonly RoutedAccount[],
  account: unknown,
  holds: (member: RoutedAccount) => boolean,
): RoutedAccount | ActionResult {
  if (account !== undefined) {
    return (
      findAccount(members, account) ?? {
        ok: false,
        code: 'not_found',
        message: 'That account is gone.',
      }
    );
  }
  const [only, ...others] = members.length === 1 ? members : members.filter(holds);
  if (only !== undefined && others.length === 0) return only;
  if (members.length === 0) return { ok: false, code: 'signed_out', message: 'Sign in first.' };
  return { ok: false, code: 'invalid_payload', message: 'Say which account these items are in.' };
}

const holdsItems = (ids: unknown[]) => (member: RoutedAccount) =>
  member.core.snapshot().inbox.items.some((item) => ids.includes(item.id));

/** The window's inbox intents, each sent to the account (or accounts) it concerns. */
export function routeIntents(members: () => readonly RoutedAccount[]): RoutedIntents {
  return {
    async markRead(ids, account) {
      const member = target(members(), account, holdsItems(Array.isArray(ids) ? ids : []));
      return 'core' in member ? member.core.markRead(ids) : member;
    },

    async openItem(id, account) {
      const member = target(members(), account, holdsItems([id]));
      return 'core' in member ? member.core.openItem(id) : member;
    },

    async markAllRead(accounts) {
      const all = members();
      if (all.length === 0) return { ok: false, code: 'signed_out', message: 'Sign in first.' };
      const chosen =
        accounts === undefined ? all : all.filter((m) => accounts.includes(idOf(m) ?? ''));
      const unread = chosen.filter((member) => member.core.snapshot().inbox.unreadCount > 0);
      return firstFailure(await Promise.all(unread.map((member) => member.core.markAllRead())));
    },

    // Every account that has more, or has shown nothing yet, pages once.
    async loadOlder() {
      const more = members().filter((member) => {
        const { inbox } = member.core.snapshot();
        return inbox.hasMore || inbox.items.length === 0;
      });
      return firstFailure(await Promise.all(more.map((member) => member.core.loadOlder())));
    },
  };
}
