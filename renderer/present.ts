/**
 * What the inbox window shows, as plain functions over data: filters, day groups, relative times,
 * banner and empty-state wording. No DOM here, so it is unit-tested in Node; the clock (`now`) is
 * always a parameter.
 */
import type { ConnectionStatus, InboxItem } from '../contract/ipc.js';
import type { NotificationItem, NotificationType } from '../contract/wire.js';

export const FILTERS = ['all', 'unread', 'posts', 'likes', 'announcements'] as const;
export type InboxFilter = (typeof FILTERS)[number];

export const FILTER_LABELS: Record<InboxFilter, string> = {
  all: 'All',
  unread: 'Unread',
  posts: 'Posts',
  likes: 'Likes',
  announcements: 'Announcements',
};

export const TYPE_LABELS: Record<NotificationType, string> = {
  new_post: 'New post',
  post_liked: 'Like',
  announcement: 'Announcement',
};

/** The item's headline (the post's or the announcement's title). Local: the window bundles no zod. */
export function itemTitle(item: NotificationItem): string {
  return item.type === 'announcement' ? item.announcement.title : item.post.title;
}

/** Where a click leads; undefined for an announcement without a link (it is read in place). */
export function itemLink(item: NotificationItem): string | undefined {
  return item.type === 'announcement' ? item.announcement.url : item.post.url;
}

export function filterItems(items: readonly InboxItem[], filter: InboxFilter): InboxItem[] {
  switch (filter) {
    case 'all':
      return [...items];
    case 'unread':
      return items.filter((item) => !item.read);
    case 'posts':
      return items.filter((item) => item.type === 'new_post');
    case 'likes':
      return items.filter((item) => item.type === 'post_liked');
    case 'announcements':
      return items.filter((item) => item.type === 'announcement');
  }
}

export interface DayGroup {
  /** Local calendar day, "YYYY-MM-DD": stable across re-renders, usable as an element id. */
  key: string;
  label: string;
  items: InboxItem[];
}

function localDayKey(date: Date): string {
  const month = String(date.getMonth() + 1).padStart(2, '0');
  const day = String(date.getDate()).padStart(2, '0');
  return `${date.getFullYear()}-${month}-${day}`;
}

/** "Today", "Yesterday", or the date ("Monday 17 November", with the year when it differs). */
export function dayLabel(date: Date, now: number, locale?: string): string {
  const today = new Date(now);
  if (localDayKey(date) === localDayKey(today)) return 'Today';
  // Built from calendar fields, not now - 24 h, so days with a DST change still line up.
  const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
  if (localDayKey(date) === localDayKey(yesterday)) return 'Yesterday';
  const options: Intl.DateTimeFormatOptions = { weekday: 'long', day: 'numeric', month: 'long' };
  if (date.getFullYear() !== today.getFullYear()) options.year = 'numeric';
  return new Intl.DateTimeFormat(locale, options).format(date);
}

/** Groups items (already newest first) by local day, keeping their order. */
export function groupByDay(items: readonly InboxItem[], now: number, locale?: string): DayGroup[] {
  const groups: DayGroup[] = [];
  for (const item of items) {
    const date = new Date(item.createdAt);
    const key = Number.isNaN(date.getTime()) ? 'unknown' : localDayKey(date);
    let group = groups.at(-1);
    if (group?.key !== key) {
      group = groups.find((existing) => existing.key === key);
      if (!group) {
        const label = key === 'unknown' ? 'Earlier' : dayLabel(date, now, locale);
        group = { key, label, items: [] };
        groups.push(group);
      }
    }
    group.items.push(item);
  }
  return groups;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "just now", "3 min ago", "2 h ago", "4 days ago", then the short date. */
export function relativeTime(createdAt: string, now: number, locale?: string): string {
  const time = Date.parse(createdAt);
  if (Number.isNaN(time)) return '';
  // A clock a little ahead of ours would otherwise say "in 2 min"; the item is new either way.
  const elapsed = Math.max(0, now - time);
  if (elapsed < 45_000) return 'just now';
  if (elapsed < HOUR) return `${Math.max(1, Math.round(elapsed / MINUTE))} min ago`;
  if (elapsed < DAY) return `${Math.floor(elapsed / HOUR)} h ago`;
  const days = Math.floor(elapsed / DAY);
  if (days === 1) return 'yesterday';
  if (days < 7) return `${days} days ago`;
  const date = new Date(time);
  const options: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short' };
  if (date.getFullYear() !== new Date(now).getFullYear()) options.year = 'numeric';
  return new Intl.DateTimeFormat(locale, options).format(date);
}

/** Whole seconds until `retryAt`, never negative. */
export function secondsUntil(retryAt: number, now: number): number {
  return Math.max(0, Math.ceil((retryAt - now) / 1000));
}

export interface Banner {
  tone: 'info' | 'warning' | 'error';
  text: string;
  /** Offer "Sign in again" (the session ended while the account is still set up). */
  offerSignIn: boolean;
  /** Why, when the core knows (a certificate that is not trusted says what to do about it). */
  detail?: string;
}

/** The connection banner above the inbox, or null when online. */
export function connectionBanner(status: ConnectionStatus, now: number): Banner | null {
  switch (status.state) {
    case 'online':
      return null;
    case 'connecting':
      return { tone: 'info', text: 'Connecting…', offerSignIn: false };
    case 'offline': {
      const seconds = secondsUntil(status.retryAt, now);
      const text = seconds > 0 ? `Offline — retrying in ${seconds}s` : 'Offline — retrying now…';
      const reason = status.reason?.trim() ?? '';
      return {
        tone: 'warning',
        text,
        offerSignIn: false,
        ...(reason === '' ? {} : { detail: reason.charAt(0).toUpperCase() + reason.slice(1) }),
      };
    }
    case 'signed-out':
      return {
        tone: 'error',
        text: status.reason ? `Signed out: ${status.reason}` : 'Signed out',
        offerSignIn: true,
      };
    case 'server-incompatible':
      return { tone: 'error', text: `Server incompatible: ${status.message}`, offerSignIn: false };
    case 'waiting-for-keychain': {
      // The reason is keytar's advice, too long for a banner; the state says what to do.
      const seconds = secondsUntil(status.retryAt, now);
      const text =
        seconds > 0
          ? `Waiting for the keychain to unlock — retrying in ${seconds}s`
          : 'Waiting for the keychain to unlock — retrying now…';
      // A keychain that never unlocks must not trap the user: signing in again is the way out.
      return { tone: 'warning', text, offerSignIn: true };
    }
  }
}

export interface EmptyState {
  title: string;
  hint: string;
}

export function emptyStateFor(filter: InboxFilter): EmptyState {
  switch (filter) {
    case 'all':
      return {
        title: 'No notifications yet',
        hint: 'New posts on the blog and likes on your posts will show up here.',
      };
    case 'unread':
      return { title: 'All caught up', hint: 'Nothing unread. Nice.' };
    case 'posts':
      return { title: 'No new posts', hint: 'When the blog publishes a post, it appears here.' };
    case 'likes':
      return {
        title: 'No likes yet',
        hint: 'When someone likes one of your posts, it appears here.',
      };
    case 'announcements':
      return {
        title: 'No announcements',
        hint: 'When the blog’s admin sends a notice, it appears here.',
      };
  }
}

export function unreadLabel(count: number): string {
  return count === 0 ? 'All caught up' : `${count} unread`;
}

/** The window title, so the count also shows in the task switcher. */
export function windowTitle(count: number): string {
  return count === 0 ? 'Tidings' : `Tidings (${count > 99 ? '99+' : count})`;
}

/** The accessible name of one item: read state, type, message and age. */
export function itemLabel(item: NotificationItem, now: number): string {
  const age = relativeTime(item.createdAt, now);
  return `${item.read ? '' : 'Unread. '}${TYPE_LABELS[item.type]}: ${item.message}${age ? `, ${age}` : ''}`;
}

/** Pixels from the bottom at which the next page is requested, so it arrives before the end. */
export const LOAD_OLDER_MARGIN_PX = 240;

export function shouldLoadOlder(view: {
  scrollTop: number;
  clientHeight: number;
  scrollHeight: number;
  hasMore: boolean;
  loadingOlder: boolean;
}): boolean {
  if (!view.hasMore || view.loadingOlder) return false;
  return view.scrollHeight - (view.scrollTop + view.clientHeight) <= LOAD_OLDER_MARGIN_PX;
}

export type SignInField = 'server' | 'username' | 'password' | 'ca' | 'form';

/** Which part of the sign-in form a refusal is about, from the core's error code. */
export function signInErrorField(code: string, message: string): SignInField {
  switch (code) {
    case 'invalid_url':
    case 'unreachable':
    case 'not_tidings':
    case 'server_incompatible':
    case 'certificate_untrusted':
      return 'server';
    case 'invalid_ca_file':
    case 'network_setup':
      return 'ca';
    case 'unauthorized':
    case 'rate_limited':
      return 'password';
    case 'invalid_payload':
      return message.startsWith('username') ? 'username' : 'password';
    default:
      return 'form';
  }
}

const CLOCK_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export function isClockTime(text: string): boolean {
  return CLOCK_TIME.test(text);
}

/** "Paused until 14:30" (or with the day when it is not today), or null when not paused. */
export function pauseDescription(
  pausedUntil: number | null,
  now: number,
  locale?: string,
): string | null {
  if (pausedUntil === null || pausedUntil <= now) return null;
  const until = new Date(pausedUntil);
  const sameDay = localDayKey(until) === localDayKey(new Date(now));
  const options: Intl.DateTimeFormatOptions = sameDay
    ? { hour: '2-digit', minute: '2-digit' }
    : { weekday: 'short', hour: '2-digit', minute: '2-digit' };
  return `Paused until ${new Intl.DateTimeFormat(locale, options).format(until)}`;
}

/** Index of the item to focus after a keyboard move, clamped to the list. */
export function moveFocus(current: number, delta: number, length: number): number {
  if (length === 0) return -1;
  if (current < 0) return delta > 0 ? 0 : length - 1;
  return Math.min(length - 1, Math.max(0, current + delta));
}
