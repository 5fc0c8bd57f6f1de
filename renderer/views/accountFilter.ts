/**
 * The inbox's account filter: shown only while the app follows more than one account, beside the
 * type filters. "All accounts" or one of them; an account that goes away resets it to all. Under
 * it, the accounts that are not connected are named: the banner speaks for the app as a whole,
 * which is online while any account is.
 */
import type { AccountSummary, ConnectionStatus, InboxItem } from '../../contract/ipc.js';
import { accountLabel } from '../../contract/accounts.js';
import { el, replaceChildren } from '../elements.js';

export interface AccountFilter {
  readonly element: HTMLElement;
  /** The account shown, or null for all of them. */
  selected(): string | null;
  update(accounts: AccountSummary[] | undefined): void;
}

/** Short words for a state; Settings' account list has the details and the countdown. */
const STATE_WORDS: Record<ConnectionStatus['state'], string> = {
  online: 'connected',
  connecting: 'connecting',
  offline: 'offline',
  'signed-out': 'signed out',
  'server-incompatible': 'needs a different app version',
  'waiting-for-keychain': 'waiting for the keychain',
};

export function createAccountFilter(changed: () => void): AccountFilter {
  const select = el('select', { id: 'inbox-account-filter' });
  const trouble = el('p', { class: 'account-trouble', role: 'status', hidden: true });
  const element = el(
    'div',
    { class: 'account-filter', hidden: true },
    el(
      'div',
      { class: 'account-choice' },
      el('label', { for: 'inbox-account-filter' }, 'Account'),
      select,
    ),
    trouble,
  );
  let signature = '';
  select.addEventListener('change', changed);

  return {
    element,
    selected: () => (select.value === '' ? null : select.value),
    update(accounts = []) {
      element.hidden = accounts.length <= 1;
      const troubled = accounts.filter((account) => account.status.state !== 'online');
      trouble.hidden = troubled.length === 0;
      trouble.textContent =
        troubled.length === 0
          ? ''
          : `Not connected: ${troubled.map((account) => `${accountLabel(account)} (${STATE_WORDS[account.status.state]})`).join(', ')}`;
      const next = accounts.map((account) => `${account.id}\n${account.unreadCount}`).join('\n');
      if (next === signature) return;
      signature = next;
      const kept = accounts.some((account) => account.id === select.value) ? select.value : '';
      replaceChildren(
        select,
        el('option', { value: '' }, 'All accounts'),
        ...accounts.map((account) =>
          el(
            'option',
            { value: account.id },
            account.unreadCount > 0
              ? `${accountLabel(account)} (${account.unreadCount})`
              : accountLabel(account),
          ),
        ),
      );
      select.value = kept;
    },
  };
}

/** The items one account filter lets through. */
export function itemsOfAccount(items: InboxItem[], account: string | null): InboxItem[] {
  return account === null ? items : items.filter((item) => item.account === account);
}
