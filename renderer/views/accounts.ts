/**
 * Settings' account list: every account the app follows, each with its connection state, its
 * unread count and "Remove account" (signs it out: its token is revoked and leaves the keychain,
 * its items leave the inbox and the badge), and "Add account", which opens the sign-in form for
 * another server or user.
 */
import type { AccountSummary, AppSnapshot, ConnectionStatus } from '../../contract/ipc.js';
import { accountLabel } from '../../contract/accounts.js';
import { el, replaceChildren } from '../elements.js';
import { secondsUntil, unreadLabel } from '../present.js';
import type { ViewContext } from './view.js';

export interface AccountList {
  readonly element: HTMLElement;
  update(snapshot: AppSnapshot): void;
}

/** One short line per state, for the list (the banner says more about the whole app). */
export function accountStatusText(status: ConnectionStatus, now: number): string {
  switch (status.state) {
    case 'online':
      return 'Connected';
    case 'connecting':
      return 'Connecting…';
    case 'offline':
      return `Offline, retrying in ${secondsUntil(status.retryAt, now)} s`;
    case 'signed-out':
      return status.reason ? `Signed out: ${status.reason}` : 'Signed out';
    case 'server-incompatible':
      return `Needs a different app version: ${status.message}`;
    case 'waiting-for-keychain':
      return 'Waiting for the keychain';
  }
}

export function createAccountList(context: ViewContext): AccountList {
  const list = el('ul', { class: 'account-list' });
  const status = el('p', { class: 'settings-status', role: 'status', 'aria-live': 'polite' });
  const add = el('button', { type: 'button', class: 'secondary' }, 'Add account');
  add.addEventListener('click', () => context.navigate('add-account'));
  const element = el(
    'section',
    { 'aria-labelledby': 'settings-accounts' },
    el('h2', { id: 'settings-accounts' }, 'Accounts'),
    list,
    add,
    status,
  );
  const removing = new Set<string>();

  async function remove(account: AccountSummary, button: HTMLButtonElement): Promise<void> {
    removing.add(account.id);
    button.disabled = true;
    status.textContent = '';
    try {
      const result = await context.api.removeAccount(account.id);
      status.textContent = result.ok
        ? `Removed ${accountLabel(account)}.`
        : `Could not remove ${accountLabel(account)}: ${result.message}`;
    } catch {
      status.textContent = 'The app did not answer. Try again.';
    } finally {
      removing.delete(account.id);
      button.disabled = false;
    }
  }

  function row(account: AccountSummary, now: number): HTMLElement {
    const label = accountLabel(account);
    const button = el(
      'button',
      { type: 'button', class: 'secondary', 'aria-label': `Remove account ${label}` },
      'Remove account',
    );
    button.disabled = removing.has(account.id);
    button.addEventListener('click', () => void remove(account, button));
    return el(
      'li',
      { class: 'account-row', 'data-account': account.id },
      el(
        'div',
        { class: 'account-text' },
        el('span', { class: 'account-name' }, label),
        el(
          'span',
          { class: 'account-state', 'data-state': account.status.state },
          `${accountStatusText(account.status, now)} · ${unreadLabel(account.unreadCount)}`,
        ),
      ),
      button,
    );
  }

  return {
    element,
    update(snapshot) {
      const accounts = snapshot.accounts ?? [];
      element.hidden = snapshot.accounts === undefined;
      const now = context.now();
      replaceChildren(list, ...accounts.map((account) => row(account, now)));
    },
  };
}
