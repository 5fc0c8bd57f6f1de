/** What the tray icon's tooltip says: the unread count when online, the connection state when not. */
import type { AppSnapshot, ConnectionStatus } from '../../contract/ipc.js';
import { accountLabel } from '../../contract/accounts.js';

export function badgeTooltip(status: ConnectionStatus, unreadCount: number, now: number): string {
  switch (status.state) {
    case 'online':
      return `Tidings: ${unreadCount} unread`;
    case 'connecting':
      return 'Tidings: connecting…';
    case 'offline': {
      const seconds = Math.max(0, Math.ceil((status.retryAt - now) / 1000));
      return `Tidings: offline, retrying in ${seconds} s`;
    }
    case 'signed-out':
      return 'Tidings: signed out';
    case 'server-incompatible':
      return 'Tidings: the server needs a different app version';
    case 'waiting-for-keychain':
      return 'Tidings: waiting for the keychain';
  }
}

/**
 * The tooltip for a whole snapshot. With several accounts it sums their unread items and names,
 * one per line, every account that is not online, so one dead connection cannot hide.
 */
export function snapshotTooltip(
  snapshot: Pick<AppSnapshot, 'status' | 'inbox' | 'accounts'>,
  now: number,
): string {
  const accounts = snapshot.accounts ?? [];
  if (accounts.length <= 1) return badgeTooltip(snapshot.status, snapshot.inbox.unreadCount, now);
  const online = accounts.filter((account) => account.status.state === 'online').length;
  const head =
    online === 0
      ? badgeTooltip(snapshot.status, snapshot.inbox.unreadCount, now)
      : `Tidings: ${snapshot.inbox.unreadCount} unread in ${accounts.length} accounts`;
  const troubled = accounts
    .filter((account) => account.status.state !== 'online')
    .map(
      (account) =>
        `${accountLabel(account)}: ${badgeTooltip(account.status, account.unreadCount, now).replace(/^Tidings: /, '')}`,
    );
  return [head, ...(online === 0 ? [] : troubled)].join('\n');
}
