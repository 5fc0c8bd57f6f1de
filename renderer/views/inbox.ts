/**
 * The inbox: unread count and "Mark all read", filters, items grouped by day, infinite scroll
 * back through older items, and keyboard navigation (arrows or j/k, Enter opens, m marks read).
 */
import type { AppSnapshot, InboxItem } from '../../contract/ipc.js';
import { accountLabel } from '../../contract/accounts.js';
import { el, replaceChildren } from '../elements.js';
import { icon, typeIcon } from '../icons.js';
import {
  FILTER_LABELS,
  FILTERS,
  emptyStateFor,
  filterItems,
  groupByDay,
  itemLabel,
  itemLink,
  itemTitle,
  moveFocus,
  relativeTime,
  shouldLoadOlder,
  unreadLabel,
  type InboxFilter,
} from '../present.js';
import { createAccountFilter, itemsOfAccount } from './accountFilter.js';
import type { View, ViewContext } from './view.js';

/** Tells rows apart across accounts: two users of one server share an event's id. */
function itemKey(item: InboxItem): string {
  return `${item.account ?? ''} ${item.id}`;
}

/** Only http(s) links get an href; anything else stays a plain, script-free text link. */
function safeHref(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement ||
    (target instanceof HTMLElement && target.isContentEditable)
  );
}

export interface InboxView extends View {
  /** Rewrites the relative times ("3 min ago") in place, without rebuilding the list. */
  refreshTimes(): void;
}

export function createInboxView(context: ViewContext): InboxView {
  let filter: InboxFilter = 'all';
  let focusedKey: string | null = null;
  let snapshot: AppSnapshot | null = null;
  let requestingOlder = false;

  const unread = el('p', { class: 'unread-count', role: 'status', 'aria-live': 'polite' });
  const markAll = el(
    'button',
    { type: 'button', class: 'ghost', title: 'Mark all read (Shift+M)' },
    icon('checkAll'),
    'Mark all read',
  );
  const settingsButton = el(
    'button',
    { type: 'button', class: 'icon-button', 'aria-label': 'Settings', title: 'Settings' },
    icon('gear'),
  );
  const header = el(
    'header',
    { class: 'bar' },
    el('div', { class: 'bar-title' }, el('h1', {}, 'Inbox'), unread),
    el('div', { class: 'bar-actions' }, markAll, settingsButton),
  );

  const filterButtons = new Map<InboxFilter, HTMLButtonElement>();
  const filters = el('div', { class: 'filters', role: 'group', 'aria-label': 'Show' });
  for (const name of FILTERS) {
    const button = el('button', { type: 'button', 'aria-pressed': String(name === filter) });
    button.textContent = FILTER_LABELS[name];
    button.addEventListener('click', () => setFilter(name));
    filterButtons.set(name, button);
    filters.appendChild(button);
  }

  const accountFilter = createAccountFilter(() => {
    list.scrollTop = 0;
    render();
  });

  const list = el('div', { class: 'list', 'aria-label': 'Notifications', tabindex: '-1' });
  const element = el(
    'main',
    { class: 'screen inbox' },
    header,
    filters,
    accountFilter.element,
    list,
  );

  markAll.addEventListener('click', () => void markAllRead());
  settingsButton.addEventListener('click', () => context.navigate('settings'));
  list.addEventListener('scroll', () => maybeLoadOlder(), { passive: true });
  element.addEventListener('keydown', onKeyDown);

  function setFilter(name: InboxFilter): void {
    filter = name;
    for (const [key, button] of filterButtons)
      button.setAttribute('aria-pressed', String(key === name));
    list.scrollTop = 0;
    render();
  }

  async function run(action: Promise<{ ok: boolean; message?: string }>): Promise<void> {
    try {
      const result = await action;
      if (!result.ok) context.showError(result.message ?? 'That did not work. Try again.');
    } catch {
      context.showError('The app did not answer. Try again.');
    }
  }

  /** Marks what the account filter shows: one account, or all of them. */
  function markAllRead(): Promise<void> {
    const account = accountFilter.selected();
    return run(context.api.markAllRead(...(account === null ? [] : [[account]])));
  }

  // An item's account goes along only when it has one: a one-account core never needs it.
  function markRead(id: string, account?: string): Promise<void> {
    return run(context.api.markRead([id], ...(account === undefined ? [] : [account])));
  }

  function open(id: string, account?: string): Promise<void> {
    return run(context.api.openItem(id, ...(account === undefined ? [] : [account])));
  }

  function maybeLoadOlder(): void {
    if (!snapshot || requestingOlder) return;
    const { hasMore, loadingOlder } = snapshot.inbox;
    const { scrollTop, clientHeight, scrollHeight } = list;
    if (!shouldLoadOlder({ scrollTop, clientHeight, scrollHeight, hasMore, loadingOlder })) return;
    requestingOlder = true;
    void run(context.api.loadOlder()).finally(() => {
      requestingOlder = false;
    });
  }

  function rows(): HTMLElement[] {
    return [...list.querySelectorAll<HTMLElement>('.item')];
  }

  function focusRow(row: HTMLElement | undefined): void {
    if (!row) return;
    for (const other of rows()) other.tabIndex = other === row ? 0 : -1;
    focusedKey = row.dataset['key'] ?? null;
    row.focus();
    row.scrollIntoView({ block: 'nearest' });
  }

  function onKeyDown(event: KeyboardEvent): void {
    if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
    const all = rows();
    const row =
      event.target instanceof HTMLElement ? event.target.closest<HTMLElement>('.item') : null;
    const index = row ? all.indexOf(row) : -1;
    const key = event.key;
    if (key === 'ArrowDown' || key === 'j' || key === 'ArrowUp' || key === 'k') {
      const delta = key === 'ArrowDown' || key === 'j' ? 1 : -1;
      // Arrows elsewhere (a filter button) keep their usual meaning; j/k work anywhere.
      if (!row && event.target !== list && key.startsWith('Arrow')) return;
      event.preventDefault();
      focusRow(all[moveFocus(index, delta, all.length)]);
      return;
    }
    if (key === 'Home' && row) {
      event.preventDefault();
      focusRow(all[0]);
    } else if (key === 'End' && row) {
      event.preventDefault();
      focusRow(all.at(-1));
    } else if (key === 'Enter' && row && event.target === row) {
      event.preventDefault();
      void open(row.dataset['id'] ?? '', row.dataset['account']);
    } else if (key === 'm' && row) {
      event.preventDefault();
      void markRead(row.dataset['id'] ?? '', row.dataset['account']);
    } else if (key === 'M' && event.shiftKey) {
      event.preventDefault();
      void markAllRead();
    }
  }

  function renderItem(item: InboxItem, now: number, several: boolean): HTMLElement {
    const link = itemLink(item);
    const headline = itemTitle(item);
    // An announcement without a link is read right here: its title is text, not a link.
    const title =
      link === undefined
        ? el('span', { class: 'post-title' }, headline)
        : el('a', { class: 'post-title', href: safeHref(link), title: link }, headline);
    title.addEventListener('click', (event) => {
      // Links never navigate the app window; the core opens the browser after its origin check.
      event.preventDefault();
      void open(item.id, item.account);
    });
    const text =
      item.type === 'announcement' && item.announcement.text !== undefined
        ? el('p', { class: 'announcement-text' }, item.announcement.text)
        : null;
    const markButton = item.read
      ? null
      : el(
          'button',
          {
            type: 'button',
            class: 'icon-button mark-read',
            'aria-label': `Mark read: ${headline}`,
            title: 'Mark read (m)',
          },
          icon('check'),
        );
    markButton?.addEventListener('click', () => void markRead(item.id, item.account));
    // Among several accounts, each item says whose it is.
    const owner = several ? ownerLabel(item) : null;
    const row = el(
      'article',
      {
        class: `item ${item.read ? 'read' : 'unread'} type-${item.type}`,
        'data-id': item.id,
        'data-key': itemKey(item),
        ...(item.account === undefined ? {} : { 'data-account': item.account }),
        tabindex: '-1',
        'aria-label': owner ? `${itemLabel(item, now)}, ${owner}` : itemLabel(item, now),
      },
      el('span', { class: 'item-icon', 'aria-hidden': 'true' }, typeIcon(item.type)),
      el(
        'div',
        { class: 'item-body' },
        el('p', { class: 'message' }, item.message),
        title,
        owner ? el('p', { class: 'item-account' }, owner) : null,
        text,
        el(
          'time',
          {
            class: 'age',
            datetime: item.createdAt,
            title: new Date(item.createdAt).toLocaleString(),
          },
          relativeTime(item.createdAt, now),
        ),
      ),
      el(
        'div',
        { class: 'item-side' },
        item.read ? null : el('span', { class: 'dot', 'aria-hidden': 'true' }),
        markButton,
      ),
    );
    row.addEventListener('click', (event) => {
      if (event.target === row || !(event.target as Element).closest('a, button')) focusRow(row);
    });
    return row;
  }

  /** Loading, a "Load older" button (the keyboard's way to page, and a retry), or the end. */
  function listFooter(inbox: AppSnapshot['inbox'], shown: number): HTMLElement | null {
    if (inbox.loadingOlder) {
      return el(
        'p',
        { class: 'list-footer', role: 'status' },
        el('span', { class: 'spinner' }),
        'Loading older…',
      );
    }
    if (inbox.hasMore) {
      const more = el('button', { type: 'button', class: 'secondary' }, 'Load older');
      more.addEventListener('click', () => void run(context.api.loadOlder()));
      return el('p', { class: 'list-footer' }, more);
    }
    return shown > 0 ? el('p', { class: 'list-footer' }, 'That’s everything.') : null;
  }

  function ownerLabel(item: InboxItem): string | null {
    const owner = snapshot?.accounts?.find((account) => account.id === item.account);
    return owner ? accountLabel(owner) : null;
  }

  function render(): void {
    if (!snapshot) return;
    const now = context.now();
    const { inbox } = snapshot;
    accountFilter.update(snapshot.accounts);
    const shownAccount = accountFilter.selected();
    const shownUnread =
      shownAccount === null
        ? inbox.unreadCount
        : (snapshot.accounts?.find((account) => account.id === shownAccount)?.unreadCount ?? 0);
    unread.textContent = unreadLabel(shownUnread);
    markAll.disabled = shownUnread === 0;
    const several = (snapshot.accounts?.length ?? 0) > 1;

    const hadFocus = list.contains(document.activeElement);
    const focusedIndex = rows().findIndex((row) => row.dataset['key'] === focusedKey);
    const visible = filterItems(itemsOfAccount(inbox.items, shownAccount), filter);
    list.setAttribute('aria-busy', String(inbox.loadingOlder));

    if (visible.length === 0 && !inbox.loadingOlder && !inbox.hasMore) {
      const empty = emptyStateFor(filter);
      replaceChildren(
        list,
        el(
          'div',
          { class: 'empty' },
          icon('inbox', 'empty-icon'),
          el('h2', {}, empty.title),
          el('p', {}, empty.hint),
        ),
      );
    } else {
      const sections = groupByDay(visible, now).map((group) =>
        el(
          'section',
          { class: 'day', 'aria-labelledby': `day-${group.key}` },
          el('h2', { id: `day-${group.key}`, class: 'day-label' }, group.label),
          el(
            'ul',
            { class: 'items' },
            ...group.items.map((item) => el('li', {}, renderItem(item, now, several))),
          ),
        ),
      );
      replaceChildren(list, ...sections, listFooter(inbox, visible.length));
    }

    const all = rows();
    // An item that left the view (marked read under "Unread") hands focus to the one below it.
    const current =
      all.find((row) => row.dataset['key'] === focusedKey) ??
      all[Math.min(Math.max(focusedIndex, 0), all.length - 1)];
    focusedKey = current?.dataset['key'] ?? focusedKey;
    if (current) current.tabIndex = 0;
    if (hadFocus) (current ?? list).focus({ preventScroll: true });
    // A short first page (or a filter that hides most items) may not fill the window.
    maybeLoadOlder();
  }

  return {
    element,
    update(next) {
      snapshot = next;
      render();
    },
    refreshTimes() {
      if (!snapshot) return;
      const now = context.now();
      const byKey = new Map(snapshot.inbox.items.map((item) => [itemKey(item), item]));
      const several = (snapshot.accounts?.length ?? 0) > 1;
      for (const row of rows()) {
        const item = byKey.get(row.dataset['key'] ?? '');
        const time = row.querySelector('time');
        if (!item || !time) continue;
        time.textContent = relativeTime(item.createdAt, now);
        const owner = several ? ownerLabel(item) : null;
        row.setAttribute(
          'aria-label',
          owner ? `${itemLabel(item, now)}, ${owner}` : itemLabel(item, now),
        );
      }
    },
    focus() {
      // The list itself, not an item: no focus ring on open, and the first arrow or j picks one.
      list.focus({ preventScroll: true });
    },
  };
}
