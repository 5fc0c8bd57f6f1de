/**
 * Which inbox events become native notifications, and what they say. Pure: the caller passes the
 * time, the settings and whether the inbox window is showing, and gets back notifications to
 * raise. The numbers live in ALERT_RULES and are explained in docs/TRAY-CORE.md.
 */
import type { NotificationItem, NotificationType } from '../../contract/wire.js';
import type { QuietHours, Settings } from '../../contract/ipc.js';
import type { NativeNotification } from './ports.js';
import { titleOf } from '../../contract/wire.js';
import { clickTargetOf } from './clickTarget.js';

export const ALERT_RULES = {
  /** More separate notifications than this in one gathered batch become ONE summary. */
  burstThreshold: 3,
  /** A batch closes when no event came for this long... */
  gatherQuietMs: 750,
  /** ...or this long after its first event, whichever is sooner. Bounds the added latency. */
  gatherMaxMs: 2_000,
} as const;

export type AlertRules = typeof ALERT_RULES;

export interface AlertContext {
  settings: Settings;
  inboxVisible: boolean;
  now: number;
  /** Minutes since local midnight for an epoch-ms time; a parameter so tests need no TZ. */
  minutesOfDay?: (epochMs: number) => number;
}

/** A notification to raise and the inbox items a click on it should mark read. */
export interface Alert {
  notification: NativeNotification;
  itemIds: string[];
}

/** Events waiting to be raised together. */
export interface AlertBatch {
  readonly items: readonly NotificationItem[];
  readonly firstAt: number;
  readonly lastAt: number;
}

/** Why nothing may pop up right now, or null when notifications may be raised. */
export function suppressionReason(context: AlertContext): string | null {
  const { settings, now } = context;
  if (!settings.notificationsEnabled) return 'notifications are turned off';
  if (settings.pausedUntil !== null && now < settings.pausedUntil)
    return 'notifications are paused';
  const minutes = (context.minutesOfDay ?? localMinutesOfDay)(now);
  if (isWithinQuietHours(settings.quietHours, minutes)) return 'quiet hours';
  if (context.inboxVisible) return 'the inbox is showing';
  return null;
}

/** Whether an event should be queued for a notification at all. The badge counts it regardless. */
export function wantsAlert(item: NotificationItem, context: AlertContext): boolean {
  return !item.read && !isMuted(item.type, context.settings) && suppressionReason(context) === null;
}

export function isMuted(type: NotificationType, settings: Settings): boolean {
  return settings.mutedTypes.includes(type);
}

/** `minutes` is minutes since local midnight. A range whose end is before its start wraps. */
export function isWithinQuietHours(quietHours: QuietHours, minutes: number): boolean {
  if (!quietHours.enabled) return false;
  const start = parseTimeOfDay(quietHours.start);
  const end = parseTimeOfDay(quietHours.end);
  if (start === null || end === null || start === end) return false;
  return start < end ? minutes >= start && minutes < end : minutes >= start || minutes < end;
}

export function localMinutesOfDay(epochMs: number): number {
  const date = new Date(epochMs);
  return date.getHours() * 60 + date.getMinutes();
}

function parseTimeOfDay(text: string): number | null {
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  return hours < 24 && minutes < 60 ? hours * 60 + minutes : null;
}

export function addToBatch(
  batch: AlertBatch | null,
  item: NotificationItem,
  now: number,
): AlertBatch {
  if (batch === null) return { items: [item], firstAt: now, lastAt: now };
  if (batch.items.some((held) => held.id === item.id)) return batch;
  return { items: [...batch.items, item], firstAt: batch.firstAt, lastAt: now };
}

/** When the batch should be raised. */
export function batchDeadline(batch: AlertBatch, rules: AlertRules = ALERT_RULES): number {
  return Math.min(batch.lastAt + rules.gatherQuietMs, batch.firstAt + rules.gatherMaxMs);
}

/**
 * Turns a closed batch into notifications: one per item, likes on the same post merged into one,
 * and more than `burstThreshold` of those collapsed into a single summary. Items read or muted
 * since they were queued, or arriving while notifications are suppressed, are dropped.
 */
export function composeBatch(
  batch: AlertBatch,
  context: AlertContext,
  isStillUnread: (id: string) => boolean,
  rules: AlertRules = ALERT_RULES,
): Alert[] {
  if (suppressionReason(context) !== null) return [];
  const items = batch.items.filter(
    (item) => isStillUnread(item.id) && !isMuted(item.type, context.settings),
  );
  const alerts = groupLikes(items).map((group) => alertForGroup(group, context.settings));
  if (alerts.length <= rules.burstThreshold) return alerts;
  return [summaryAlert(countsLine(items), 'Click to open the inbox.', context.settings)];
}

/**
 * Items missed while disconnected. One item reads as itself; more become ONE "while you were
 * away" summary, never a flood.
 */
export function composeAwaySummary(
  missed: readonly NotificationItem[],
  context: AlertContext,
): Alert[] {
  if (suppressionReason(context) !== null) return [];
  const items = missed.filter((item) => !item.read && !isMuted(item.type, context.settings));
  if (items.length === 0) return [];
  const groups = groupLikes(items);
  const [only] = groups;
  if (groups.length === 1 && only) return [alertForGroup(only, context.settings)];
  return [summaryAlert('While you were away', countsLine(items), context.settings)];
}

/** "4 new posts and 2 likes", "1 new post", "3 likes", "1 new post, 2 likes and 1 announcement". */
export function countsLine(items: readonly NotificationItem[]): string {
  const posts = items.filter((item) => item.type === 'new_post').length;
  const likes = items.filter((item) => item.type === 'post_liked').length;
  const notices = items.filter((item) => item.type === 'announcement').length;
  const parts = [
    posts > 0 ? `${posts} new ${posts === 1 ? 'post' : 'posts'}` : '',
    likes > 0 ? `${likes} ${likes === 1 ? 'like' : 'likes'}` : '',
    notices > 0 ? `${notices} ${notices === 1 ? 'announcement' : 'announcements'}` : '',
  ].filter((part) => part !== '');
  return parts.length > 1
    ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`
    : (parts[0] ?? '');
}

/** Keeps arrival order; every like on a post joins the first group for that post. */
function groupLikes(items: readonly NotificationItem[]): NotificationItem[][] {
  const groups: NotificationItem[][] = [];
  const likeGroups = new Map<string, NotificationItem[]>();
  for (const item of items) {
    if (item.type !== 'post_liked') {
      groups.push([item]);
      continue;
    }
    const existing = likeGroups.get(item.post.id);
    if (existing) {
      existing.push(item);
    } else {
      const group = [item];
      likeGroups.set(item.post.id, group);
      groups.push(group);
    }
  }
  return groups;
}

function alertForGroup(group: readonly NotificationItem[], settings: Settings): Alert {
  const newest = group.reduce((a, b) => (b.seq > a.seq ? b : a));
  const target = clickTargetOf(newest, settings.serverUrl);
  const action =
    target.kind === 'url' && target.verdict.ok
      ? { kind: 'open-post' as const, itemId: newest.id, url: target.verdict.url }
      : { kind: 'open-inbox' as const };
  const title = quoteTitle(titleOf(newest));
  if (newest.type === 'announcement') {
    return {
      notification: {
        title,
        body: newest.announcement.text ?? newest.message,
        silent: !settings.sound,
        action,
        itemIds: [newest.id],
      },
      itemIds: [newest.id],
    };
  }
  if (newest.type === 'new_post') {
    return {
      notification: {
        title: `New post: ${title}`,
        body: newest.message,
        silent: !settings.sound,
        action,
        itemIds: [newest.id],
      },
      itemIds: [newest.id],
    };
  }
  const names = [...new Set(group.map((item) => item.actor.name))];
  const others = names.length - 1;
  const who =
    others === 0
      ? (names[0] ?? 'Someone')
      : `${names[0]} and ${others} ${others === 1 ? 'other' : 'others'}`;
  return {
    notification: {
      title: `${who} liked “${title}”`,
      body: group.length === 1 ? newest.message : `${group.length} likes on your post`,
      silent: !settings.sound,
      action,
      itemIds: group.map((item) => item.id),
    },
    itemIds: group.map((item) => item.id),
  };
}

function summaryAlert(title: string, body: string, settings: Settings): Alert {
  return {
    notification: {
      title,
      body,
      silent: !settings.sound,
      action: { kind: 'open-inbox' },
      itemIds: [],
    },
    itemIds: [],
  };
}

/** Titles are plain text, but a notification line should stay one short line. */
function quoteTitle(title: string): string {
  const oneLine = title.replace(/\s+/g, ' ').trim();
  return oneLine.length > 80 ? `${oneLine.slice(0, 79)}…` : oneLine;
}
