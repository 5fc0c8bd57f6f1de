/**
 * The inbox's account filter: shown only while the app follows more than one account, beside the
 * type filters. "All accounts" or one of them; an account that goes away resets it to all.
 */
import type { AccountSummary, InboxItem } from '../../contract/ipc.js';
import { accountLabel } from '../../contract/accounts.js';
import { el, replaceChildren } from '../elements.js';

export interface AccountFilter {
  readonly element: HTMLElement;
  /** The account shown, or null for all of them. */
  selected(): string | null;
  update(accounts: AccountSummary[] | undefined): void;
}

export function createAccountFilter(changed: () => void): AccountFilter {
  const select = el('select', { id: 'inbox-account-filter' });
  const element = el(
    'div',
    { class: 'account-filter', hidden: true },
    el('label', { for: 'inbox-account-filter' }, 'Account'),
    select,
  );
  let signature = '';
  select.addEventListener('change', changed);

  return {
    element,
    selected: () => (select.value === '' ? null : select.value),
    update(accounts = []) {
      element.hidden = accounts.length <= 1;
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
