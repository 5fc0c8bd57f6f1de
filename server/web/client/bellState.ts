/**
 * The bell's state as plain data and pure functions over it: what the menu lists, the unread
 * count and the newest seq seen (sent as `since` when the socket reconnects). The DOM shell in
 * bell.ts feeds it socket events and renders the result. The server's count is authoritative:
 * every payload that carries one replaces ours up to the seq it covers. Between counts (protocol 2 sends none after a new
 * item) each unread item pushed above the seq the last count covers adds one.
 */
import type { NotificationItem, ReadChangePayload, SyncPayload } from '../../../contract/wire.js';

/** How many notifications the menu lists. */
export const MENU_SIZE = 15;

export interface BellState {
  items: readonly NotificationItem[];
  unreadCount: number;
  /** The seq the last count covers: pushed items at or below it are already counted. */
  countedThrough: number;
  /**
   * The highest seq a mark-all marked read through. A push at or below it is read: with several
   * server nodes it can arrive after the mark-all.
   */
  readThrough: number;
  lastSeq: number;
}

/** The page's first count comes from HTML rendered before the socket's `sync`, which replaces it. */
export const initialBell = (unreadCount: number): BellState => ({
  items: [],
  unreadCount,
  countedThrough: 0,
  readThrough: 0,
  lastSeq: 0,
});

function withItems(state: BellState, incoming: readonly NotificationItem[]): BellState {
  const byId = new Map(state.items.map((item) => [item.id, item]));
  for (const item of incoming) byId.set(item.id, item);
  const items = [...byId.values()].sort((a, b) => b.seq - a.seq).slice(0, MENU_SIZE);
  const lastSeq = Math.max(state.lastSeq, ...incoming.map((item) => item.seq));
  return { ...state, items, lastSeq };
}

export const applySync = (state: BellState, sync: SyncPayload): BellState => ({
  ...withItems(state, sync.items),
  unreadCount: sync.unreadCount,
  countedThrough: sync.upToSeq,
});

/** A new item: one more unread unless it is read, already held, or in the last count. */
export function applyNew(state: BellState, pushed: NotificationItem): BellState {
  const item = !pushed.read && pushed.seq <= state.readThrough ? { ...pushed, read: true } : pushed;
  const counted =
    item.read ||
    item.seq <= state.countedThrough ||
    state.items.some((held) => held.id === item.id);
  return {
    ...withItems(state, [item]),
    unreadCount: state.unreadCount + (counted ? 0 : 1),
  };
}

/**
 * A count from the server, covering the unread items up to `upToSeq`, plus the unread items held
 * above it: the count was read before they were committed yet can arrive after their pushes
 * (from another server node, or while its query was in flight), which counted them already.
 */
export const applyCount = (state: BellState, count: number, upToSeq: number): BellState => ({
  ...state,
  unreadCount: count + state.items.filter((item) => item.seq > upToSeq && !item.read).length,
  countedThrough: upToSeq,
});

export function applyRead(state: BellState, change: ReadChangePayload): BellState {
  const isRead =
    'all' in change
      ? (item: NotificationItem) => item.seq <= change.upToSeq
      : (item: NotificationItem) => change.ids.includes(item.id);
  return {
    ...state,
    readThrough: 'all' in change ? Math.max(state.readThrough, change.upToSeq) : state.readThrough,
    items: state.items.map((item) => (!item.read && isRead(item) ? { ...item, read: true } : item)),
  };
}

/** Where a click goes: the post, the announcement's link, or the notifications page. */
export function itemHref(item: NotificationItem): string {
  if (item.type !== 'announcement') return item.post.url;
  return item.announcement.url ?? NOTIFICATIONS_PAGE;
}

const NOTIFICATIONS_PAGE = '/notifications';

/** Only http(s) URLs are ever navigated to, whatever a payload says. */
export function safePostUrl(url: string, base: string): string | undefined {
  try {
    const parsed = new URL(url, base);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}
