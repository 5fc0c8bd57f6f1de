/**
 * The inbox as the tray app holds it: a bounded, newest-first list of notifications without
 * duplicates, and the unread count. Pure functions over immutable data; the connection feeds it
 * server events, the UI reads snapshots of it.
 *
 * The server's unread count is the authority. The list may hold only part of a user's history
 * (it is bounded and paged), so the count is never derived from it. The shown count is the
 * server's last count (plus unread items pushed since) minus the mark-reads still awaiting their
 * ack. Each count says which seq it covers (`upToSeq`, protocol 2): a pushed item adds one only
 * above it, since the server sends no count after a new item and an item can arrive just after
 * a count that already has it. A refused mark-read then just leaves the pending list: a count that arrived meanwhile is
 * neither lost nor counted twice.
 */
import type {
  MarkReadAck,
  NotificationItem,
  ReadChangePayload,
  SyncPayload,
} from '../../contract/wire.js';

/** Enough for weeks of a busy blog; older items are fetched on demand. */
export const INBOX_CAPACITY = 500;

export interface InboxState {
  /** Newest first (highest seq first), unique by id, at most `capacity` long. */
  readonly items: readonly NotificationItem[];
  /** What the badge shows: `serverUnread` minus the pending mark-reads, never below 0. */
  readonly unreadCount: number;
  /** The server's last word on the count, plus the unread items pushed since. */
  readonly serverUnread: number;
  /** The seq the server's last count covers: pushed items at or below it are already in it. */
  readonly countedThrough: number;
  /**
   * The highest seq a mark-all (this device's, once acked, or another's) marked read through.
   * A push at or below it is read: with several server nodes it can arrive after the mark-all.
   */
  readonly readThrough: number;
  /** Optimistic mark-reads whose ack has not come back yet. */
  readonly pending: readonly ReadChange[];
  /** True while older items may exist on the server. */
  readonly hasMore: boolean;
  readonly loadingOlder: boolean;
  /** The highest seq ever seen: what the next handshake sends as `since`. 0 when none. */
  readonly highestSeq: number;
  readonly capacity: number;
}

/** What an optimistic mark-read changed, so it can be undone exactly if the server refuses. */
export interface ReadChange {
  readonly ids: readonly string[];
  /** How much the shown count went down. */
  readonly countDelta: number;
}

export function emptyInbox(capacity = INBOX_CAPACITY): InboxState {
  return {
    items: [],
    unreadCount: 0,
    serverUnread: 0,
    countedThrough: 0,
    readThrough: 0,
    pending: [],
    hasMore: false,
    loadingOlder: false,
    highestSeq: 0,
    capacity,
  };
}

/**
 * A live `notification:new`. `added` is the item as held (read if a mark-all already covered it),
 * or null for a duplicate, which changes nothing.
 */
export function addItem(
  state: InboxState,
  pushed: NotificationItem,
): { state: InboxState; added: NotificationItem | null } {
  if (state.items.some((existing) => existing.id === pushed.id)) return { state, added: null };
  const item = !pushed.read && pushed.seq <= state.readThrough ? { ...pushed, read: true } : pushed;
  const merged = mergeItems(state, [item]);
  const counted = item.read || item.seq <= state.countedThrough;
  return { state: withCount(merged, state.serverUnread + (counted ? 0 : 1)), added: item };
}

/**
 * The reply to a (re)connect. `sentSince` is what the handshake sent: undefined on a first
 * connect, when the reply is simply the newest page. `missed` lists the unread items that were
 * not in the inbox before: the ones the user has not heard about yet.
 */
export function applySync(
  state: InboxState,
  payload: SyncPayload,
  sentSince: number | undefined,
): { state: InboxState; missed: NotificationItem[] } {
  const known = new Set(state.items.map((item) => item.id));
  const missed =
    sentSince === undefined ? [] : payload.items.filter((i) => !i.read && !known.has(i.id));
  // A first sync is the newest page, `truncated` when older items exist. A truncated catch-up
  // leaves a gap between what we hold and what arrived; dropping the older side keeps the list
  // contiguous, so paging back with `before` fills the rest in order.
  const base =
    sentSince === undefined
      ? { ...state, items: [], hasMore: payload.truncated }
      : payload.truncated
        ? { ...state, items: [], hasMore: true }
        : state;
  return {
    state: withCount(
      { ...mergeItems(base, payload.items), countedThrough: payload.upToSeq },
      payload.unreadCount,
    ),
    missed,
  };
}

/** A page from `notification:list` with `before`. Fewer than asked for means the end. */
export function appendOlder(
  state: InboxState,
  page: readonly NotificationItem[],
  requestedLimit: number,
): InboxState {
  // Not trimmed: trimming drops the oldest items, which are the ones the user just asked for.
  // Paging is user-driven, so the list grows only as far as someone scrolls.
  const merged = mergeItems(state, page, { trim: false });
  return { ...merged, loadingOlder: false, hasMore: page.length >= requestedLimit };
}

export function setLoadingOlder(state: InboxState, loadingOlder: boolean): InboxState {
  return { ...state, loadingOlder };
}

/** The seq to page back from: the oldest one held, or undefined when the list is empty. */
export function oldestSeq(state: InboxState): number | undefined {
  return state.items.at(-1)?.seq;
}

export function findItem(state: InboxState, id: string): NotificationItem | undefined {
  return state.items.find((item) => item.id === id);
}

/** Optimistic mark-read of some ids. Unknown or already-read ids change nothing. */
export function markReadLocally(
  state: InboxState,
  ids: readonly string[],
): { state: InboxState; change: ReadChange } {
  const wanted = new Set(ids);
  const changed: string[] = [];
  const items = state.items.map((item) => {
    if (!wanted.has(item.id) || item.read) return item;
    changed.push(item.id);
    return { ...item, read: true };
  });
  const change: ReadChange = {
    ids: changed,
    countDelta: Math.min(changed.length, state.unreadCount),
  };
  return {
    state: withCount({ ...state, items }, state.serverUnread, [...state.pending, change]),
    change,
  };
}

/** Optimistic mark-all-read: every held item read, and the count to 0. */
export function markAllReadLocally(state: InboxState): { state: InboxState; change: ReadChange } {
  const changed = state.items.filter((item) => !item.read).map((item) => item.id);
  const change: ReadChange = { ids: changed, countDelta: state.unreadCount };
  const items = state.items.map((item) => (item.read ? item : { ...item, read: true }));
  return {
    state: withCount({ ...state, items }, state.serverUnread, [...state.pending, change]),
    change,
  };
}

/**
 * The server applied a mark-read and answered with the new count and the seq it covers; a
 * mark-all's ack also says how far it marked (`readUpToSeq`), which an item pushed later may be
 * below.
 */
export function confirmRead(state: InboxState, change: ReadChange, ack: MarkReadAck): InboxState {
  const pending = state.pending.filter((held) => held !== change);
  const marked = withReadThrough(state, ack.readUpToSeq);
  return validCount(ack.unreadCount)
    ? withCount(
        { ...marked, countedThrough: ack.upToSeq },
        withHeldAbove({ ...marked, pending }, ack.unreadCount, ack.upToSeq),
        pending,
      )
    : withCount(marked, marked.serverUnread, pending);
}

/** Undoes an optimistic change the server refused. */
export function rollbackRead(state: InboxState, change: ReadChange): InboxState {
  const undo = new Set(change.ids);
  const items = state.items.map((item) => (undo.has(item.id) ? { ...item, read: false } : item));
  const pending = state.pending.filter((held) => held !== change);
  return withCount({ ...state, items }, state.serverUnread, pending);
}

/**
 * Read state changed on another device. The count is left alone: the server follows every read
 * change with the authoritative `unread:count`, and guessing here could only drift from it.
 */
export function applyRemoteRead(state: InboxState, payload: ReadChangePayload): InboxState {
  const ids = 'ids' in payload ? new Set(payload.ids) : null;
  const isRead = (item: NotificationItem): boolean =>
    ids !== null ? ids.has(item.id) : 'upToSeq' in payload && item.seq <= payload.upToSeq;
  return {
    ...withReadThrough(state, 'upToSeq' in payload ? payload.upToSeq : undefined),
    items: state.items.map((item) => (!item.read && isRead(item) ? { ...item, read: true } : item)),
  };
}

/** Items only ever become read, so the mark only moves up; a malformed one is ignored. */
function withReadThrough(state: InboxState, seq: number | undefined): InboxState {
  return seq !== undefined && Number.isInteger(seq) && seq > state.readThrough
    ? { ...state, readThrough: seq }
    : state;
}

/** An `unread:count`: the count of unread items up to `upToSeq`. */
export function setUnreadCount(state: InboxState, count: number, upToSeq: number): InboxState {
  return validCount(count)
    ? withCount({ ...state, countedThrough: upToSeq }, withHeldAbove(state, count, upToSeq))
    : state;
}

/**
 * A count covering `upToSeq`, plus the items held above it that the server still has unread
 * (unread here, or read here by a mark-read not acked yet). The server read that count before
 * those items were committed, yet it can arrive after their pushes, which counted them already:
 * from another node, or while its query was in flight. Replacing the count would lose them.
 */
function withHeldAbove(state: InboxState, count: number, upToSeq: number): number {
  const pendingIds = new Set(state.pending.flatMap((change) => change.ids));
  let above = 0;
  for (const item of state.items) {
    // Newest first: the rest are covered by the count.
    if (item.seq <= upToSeq) break;
    if (!item.read || pendingIds.has(item.id)) above += 1;
  }
  return count + above;
}

function validCount(count: number): boolean {
  return Number.isInteger(count) && count >= 0;
}

/** Recomputes the shown count from the server's count and the pending changes. */
function withCount(
  state: InboxState,
  serverUnread: number,
  pending: readonly ReadChange[] = state.pending,
): InboxState {
  const held = pending.reduce((sum, change) => sum + change.countDelta, 0);
  return { ...state, serverUnread, pending, unreadCount: Math.max(0, serverUnread - held) };
}

/** Merges items in, keeps newest first, unique by id (the newer copy wins), trims to capacity. */
function mergeItems(
  state: InboxState,
  incoming: readonly NotificationItem[],
  { trim } = { trim: true },
): InboxState {
  const byId = new Map<string, NotificationItem>();
  for (const item of state.items) byId.set(item.id, item);
  for (const item of incoming) {
    const held = byId.get(item.id);
    // An item we already marked read stays read even if a stale copy says otherwise.
    byId.set(item.id, held?.read ? { ...item, read: true } : item);
  }
  const sorted = [...byId.values()].sort((a, b) => b.seq - a.seq);
  const trimmed = trim && sorted.length > state.capacity;
  const highestSeq = Math.max(state.highestSeq, ...incoming.map((item) => item.seq));
  return {
    ...state,
    items: trimmed ? sorted.slice(0, state.capacity) : sorted,
    hasMore: state.hasMore || trimmed,
    highestSeq,
  };
}
