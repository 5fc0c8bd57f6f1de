/**
 * Turns inbox events into native notifications: gathers live items into batches (the rules are
 * alertPolicy.ts's), raises what the policy returns, and routes a click back to the caller. It
 * holds the open batch, its timer, and whether the user is looking at the inbox.
 */
import type { NotificationItem } from '../../contract/wire.js';
import type { Settings } from '../../contract/ipc.js';
import type { Clock, Notifier } from './ports.js';
import {
  addToBatch,
  batchDeadline,
  composeAwaySummary,
  composeBatch,
  wantsAlert,
  type Alert,
  type AlertBatch,
  type AlertContext,
} from './alertPolicy.js';

export interface Alerts {
  /** A live item arrived (already added to the inbox). */
  itemArrived(item: NotificationItem): void;
  /** Unread items a catch-up brought: at most one "while you were away" summary. */
  missedWhileAway(items: NotificationItem[]): void;
  /** Forgets the open batch (sign-out, a pause, stop). */
  dropPending(): void;
  setInboxVisible(visible: boolean): void;
}

export function createAlerts(options: {
  notifier: Notifier;
  clock: Clock;
  log: (message: string) => void;
  settings: () => Settings;
  /** Whether an item is still unread when its batch closes (it may have been read meanwhile). */
  isUnread: (id: string) => boolean;
  clicked: (alert: Alert) => void;
}): Alerts {
  const { clock } = options;
  let inboxVisible = false;
  let batch: AlertBatch | null = null;
  let batchTimer: { cancel(): void } | null = null;

  const context = (): AlertContext => ({
    settings: options.settings(),
    inboxVisible,
    now: clock.now(),
  });

  const raise = (alerts: Alert[]): void => {
    for (const alert of alerts) {
      try {
        options.notifier.notify(alert.notification, () => options.clicked(alert));
      } catch (error) {
        options.log(`tidings: a notification could not be shown: ${String(error)}`);
      }
    }
  };

  const flushBatch = (): void => {
    batchTimer = null;
    const closing = batch;
    batch = null;
    if (closing === null) return;
    raise(composeBatch(closing, context(), options.isUnread));
  };

  const dropPending = (): void => {
    batchTimer?.cancel();
    batchTimer = null;
    batch = null;
  };

  return {
    itemArrived(item) {
      if (!wantsAlert(item, context())) return;
      batch = addToBatch(batch, item, clock.now());
      batchTimer?.cancel();
      batchTimer = clock.setTimeout(flushBatch, Math.max(0, batchDeadline(batch) - clock.now()));
    },
    missedWhileAway(items) {
      raise(composeAwaySummary(items, context()));
    },
    dropPending,
    setInboxVisible(visible) {
      inboxVisible = visible;
    },
  };
}
