/**
 * Tells the outside what changed: the badge (only when what it shows changed) and every snapshot
 * listener. It also owns the one notice the window shows, because a notice is only ever set just
 * before a snapshot goes out.
 */
import type { AppSnapshot } from '../../contract/ipc.js';
import type { BadgeSink, Clock } from './ports.js';
import { snapshotTooltip } from './badgeText.js';

export type Notice = NonNullable<AppSnapshot['notice']>;

export interface Publisher {
  snapshot(): AppSnapshot;
  /** Sends the current snapshot to the badge and every listener. */
  publish(): void;
  subscribe(listener: (snapshot: AppSnapshot) => void): () => void;
  /** Sets the notice and publishes. */
  notify(kind: Notice['kind'], message: string): void;
  clearNotice(): void;
  dismissNotice(id: number): void;
}

export function createPublisher(options: {
  /** Everything in the snapshot but the notice, read fresh at every publish. */
  read: () => Omit<AppSnapshot, 'notice'>;
  badge: BadgeSink;
  clock: Clock;
  log: (message: string) => void;
}): Publisher {
  const { badge, clock, log } = options;
  const listeners = new Set<(snapshot: AppSnapshot) => void>();
  let notice: Notice | null = null;
  let noticeCounter = 0;
  let lastBadgeKey = '';

  const snapshot = (): AppSnapshot => ({ ...options.read(), notice });

  const showBadge = (current: AppSnapshot): void => {
    const { unreadCount } = current.inbox;
    const tooltip = snapshotTooltip(current, clock.now());
    const key = `${unreadCount}|${current.status.state}|${tooltip}`;
    if (key === lastBadgeKey) return;
    lastBadgeKey = key;
    try {
      badge.show({ unreadCount, status: current.status.state, tooltip });
    } catch (error) {
      log(`tidings: the badge could not be updated: ${String(error)}`);
    }
  };

  const publish = (): void => {
    const current = snapshot();
    showBadge(current);
    for (const listener of listeners) {
      try {
        listener(current);
      } catch (error) {
        log(`tidings: a snapshot listener failed: ${String(error)}`);
      }
    }
  };

  return {
    snapshot,
    publish,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    notify(kind, message) {
      noticeCounter += 1;
      notice = { id: noticeCounter, kind, message };
      publish();
    },
    clearNotice() {
      notice = null;
    },
    dismissNotice(id) {
      if (notice?.id !== id) return;
      notice = null;
      publish();
    },
  };
}
