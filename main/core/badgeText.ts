/** What the tray icon's tooltip says: the unread count when online, the connection state when not. */
import type { ConnectionStatus } from '../../contract/ipc.js';

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
