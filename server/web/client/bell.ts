/**
 * The header bell: a live unread count and a menu of the latest notifications, over the same
 * socket.io contract the tray app uses. The socket authenticates with the page's session cookie
 * (the server checks the Origin), so no token is ever readable by page script. Server text goes
 * into the page with textContent only.
 */
import { io, type Socket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  NotificationItem,
  ServerToClientEvents,
} from '../../../contract/wire.js';
import {
  applyCount,
  applyNew,
  applyRead,
  applySync,
  initialBell,
  itemHref,
  safePostUrl,
  type BellState,
} from './bellState.js';

type BellSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const ACK_TIMEOUT_MS = 5_000;
const TIME_FORMAT = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function required<T extends Element>(root: ParentNode, selector: string): T {
  const element = root.querySelector<T>(selector);
  if (!element) throw new Error(`bell markup is missing ${selector}`);
  return element;
}

export function startBell(root: HTMLElement): void {
  const link = required<HTMLAnchorElement>(root, 'a[data-bell-link]');
  const button = required<HTMLButtonElement>(root, 'button[data-bell-button]');
  const menu = required<HTMLElement>(root, '[data-bell-menu]');
  const list = required<HTMLUListElement>(root, '[data-bell-list]');
  const empty = required<HTMLElement>(root, '[data-bell-empty]');
  const markAll = required<HTMLButtonElement>(root, '[data-bell-mark-all]');
  const counts = root.querySelectorAll<HTMLElement>('[data-bell-count]');

  let state: BellState = initialBell(Number(counts[0]?.dataset.count ?? 0) || 0);

  // With the script running, the bell is a button that opens a menu instead of a link.
  link.hidden = true;
  button.hidden = false;

  const socket: BellSocket = io({
    // WebSocket only: its handshake always carries Origin, which the server requires before it
    // accepts the session cookie in place of a token (server/web/socketSession.ts).
    transports: ['websocket'],
    // `since` lets the server send only what this page missed while disconnected.
    auth: (send) => send(state.lastSeq > 0 ? { since: state.lastSeq } : {}),
  });

  function update(next: BellState): void {
    state = next;
    render();
  }

  function render(): void {
    const count = state.unreadCount;
    for (const element of counts) {
      element.textContent = String(count);
      element.dataset.count = String(count);
    }
    const label = `Notifications, ${count} unread`;
    button.setAttribute('aria-label', label);
    link.setAttribute('aria-label', label);
    list.replaceChildren(...state.items.map(renderItem));
    empty.hidden = state.items.length > 0;
    markAll.disabled = count === 0;
  }

  function renderItem(item: NotificationItem): HTMLLIElement {
    const entry = document.createElement('li');
    entry.className = item.read ? 'is-read' : 'is-unread';
    const anchor = document.createElement('a');
    anchor.href = safePostUrl(itemHref(item), location.href) ?? '#';
    anchor.dataset.notificationId = item.id;
    const message = document.createElement('span');
    message.className = 'bell-message';
    message.textContent = item.message;
    const time = document.createElement('time');
    time.dateTime = item.createdAt;
    time.textContent = TIME_FORMAT.format(new Date(item.createdAt));
    anchor.append(message, time);
    anchor.addEventListener('click', (event) => {
      event.preventDefault();
      openItem(item);
    });
    entry.append(anchor);
    return entry;
  }

  /** Marks the item read on the server (every device's badge drops), then opens its post. */
  function openItem(item: NotificationItem): void {
    const url = safePostUrl(itemHref(item), location.href);
    const go = (): void => {
      if (url) location.assign(url);
    };
    if (item.read) {
      go();
      return;
    }
    socket
      .timeout(ACK_TIMEOUT_MS)
      .emit('notification:mark-read', { ids: [item.id] }, (error, result) => {
        if (!error && result.ok)
          update(
            applyCount(applyRead(state, { ids: [item.id] }), result.unreadCount, result.upToSeq),
          );
        go();
      });
  }

  function setMenuOpen(open: boolean): void {
    menu.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    root.classList.toggle('is-open', open);
  }

  button.addEventListener('click', () => setMenuOpen(menu.hidden));
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !menu.hidden) {
      setMenuOpen(false);
      button.focus();
    }
  });
  document.addEventListener('click', (event) => {
    if (!menu.hidden && event.target instanceof Node && !root.contains(event.target)) {
      setMenuOpen(false);
    }
  });
  markAll.addEventListener('click', () => {
    socket
      .timeout(ACK_TIMEOUT_MS)
      .emit('notification:mark-read', { all: true }, (error, result) => {
        if (error || !result.ok) return;
        update(
          applyCount(
            applyRead(state, { all: true, upToSeq: result.readUpToSeq ?? state.lastSeq }),
            result.unreadCount,
            result.upToSeq,
          ),
        );
      });
  });

  socket.on('sync', (payload) => update(applySync(state, payload)));
  socket.on('notification:new', (item) => update(applyNew(state, item)));
  socket.on('unread:count', ({ unreadCount, upToSeq }) =>
    update(applyCount(state, unreadCount, upToSeq)),
  );
  socket.on('notification:read', (change) => update(applyRead(state, change)));
  socket.on('connect', () => (root.dataset.state = 'live'));
  socket.on('disconnect', () => (root.dataset.state = 'offline'));
  socket.on('connect_error', () => (root.dataset.state = 'offline'));

  render();
}
