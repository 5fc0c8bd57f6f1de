/**
 * The core's Notifier as Electron notifications. The core has already decided whether to alert
 * (quiet hours, bursts, muted types); this only shows what it is given.
 */
import { Notification } from 'electron';
import type { NativeNotification, Notifier } from '../core/ports.js';

export interface ShownNotification {
  notification: NativeNotification;
  /** Does what a user's click does (the e2e test uses it: a native toast cannot be clicked). */
  click(): void;
}

export function createElectronNotifier(options: {
  iconPath: string;
  log: (message: string) => void;
  /** Called for each toast shown; the e2e hook records them. */
  onShown?: (shown: ShownNotification) => void;
}): Notifier {
  // Electron drops a Notification's click handler when the object is garbage-collected, so the
  // ones still on screen are kept here until they are clicked or closed.
  const onScreen = new Set<Notification>();
  return {
    notify(notification, onClick) {
      if (!Notification.isSupported()) {
        options.log('notifier: this system has no notification service; only the badge updates');
        return;
      }
      const toast = new Notification({
        title: notification.title,
        // Plain text from the server. It is never turned into HTML; the OS draws it as text.
        body: notification.body,
        silent: notification.silent,
        icon: options.iconPath,
      });
      let handled = false;
      const click = (): void => {
        if (handled) return;
        handled = true;
        onScreen.delete(toast);
        onClick();
      };
      toast.on('click', click);
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
