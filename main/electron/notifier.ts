/**
 * The core's Notifier as Electron notifications. The core has already decided whether to alert
 * (quiet hours, bursts, muted types); this shows what it is given, in the form each OS expects,
 * and does what the user's click or button asks.
 */
import { Notification } from 'electron';
import type { NativeNotification, Notifier } from '../core/ports.js';
import { notificationBody } from './notificationText.js';

export interface ShownNotification {
  notification: NativeNotification;
  /** Does what a user's click does (the e2e test uses it: a native toast cannot be clicked). */
  click(): void;
}

/** The button macOS and Windows toasts carry for a notification about unread items. */
export const MARK_READ_ACTION = 'Mark as read';

export function createElectronNotifier(options: {
  iconPath: string;
  platform: NodeJS.Platform;
  log: (message: string) => void;
  /** A summary's click (and a post whose link failed the origin check) opens the inbox. */
  openInbox: () => void;
  /** An update's "ready — restart to install" opens the About view. */
  openAbout: () => void;
  /** The "Mark as read" button: marks the items read (in their account), opens nothing. */
  markRead: (itemIds: string[], account?: string) => void;
  /** Called for each toast shown; the e2e hook records them. */
  onShown?: (shown: ShownNotification) => void;
}): Notifier {
  // Notification buttons exist on macOS and Windows; Linux daemons differ too much to rely on.
  const hasButtons = options.platform === 'darwin' || options.platform === 'win32';
  // Electron drops a Notification's click handler when the object is garbage-collected, so the
  // ones still on screen are kept here until they are clicked or closed.
  const onScreen = new Set<Notification>();
  return {
    notify(notification, onClick) {
      if (!Notification.isSupported()) {
        options.log('notifier: this system has no notification service; only the badge updates');
        return;
      }
      const markable = hasButtons && notification.itemIds.length > 0;
      const toast = new Notification({
        title: notification.title,
        // Plain text from the server, escaped where the OS would read it as markup.
        body: notificationBody(notification.body, options.platform),
        silent: notification.silent,
        icon: options.iconPath,
        actions: markable ? [{ type: 'button', text: MARK_READ_ACTION }] : [],
      });
      let handled = false;
      const settle = (): boolean => {
        if (handled) return false;
        handled = true;
        onScreen.delete(toast);
        return true;
      };
      const click = (): void => {
        if (!settle()) return;
        // The core opens a post; what opens the inbox is the shell's to do.
        if (notification.action.kind === 'open-inbox') options.openInbox();
        if (notification.action.kind === 'open-about') options.openAbout();
        onClick();
      };
      toast.on('click', click);
      toast.on('action', (details) => {
        if (details.actionIndex !== 0 || !markable || !settle()) return;
        options.markRead(notification.itemIds, notification.account);
      });
      toast.on('close', () => onScreen.delete(toast));
      toast.on('failed', (_event, error) => {
        onScreen.delete(toast);
        options.log(`notifier: the OS refused a notification: ${error}`);
      });
      onScreen.add(toast);
      toast.show();
      options.onShown?.({ notification, click });
    },
  };
}
