/**
 * The global shortcut that opens the inbox from anywhere. The accelerator comes from settings
 * ('' turns it off). Another app may own it already, or the desktop may refuse global shortcuts
 * (some Wayland compositors): that is reported once per accelerator, never fatal.
 */
import { globalShortcut } from 'electron';

export interface InboxShortcut {
  /** Registers `accelerator` in place of the previous one; '' unregisters. */
  set(accelerator: string): void;
  dispose(): void;
}

export function createInboxShortcut(options: {
  onPress: () => void;
  /** Tells the user the shortcut could not be registered (and why it matters). */
  onFailure: (accelerator: string, message: string) => void;
}): InboxShortcut {
  let current = '';
  let reported = '';
  return {
    set(accelerator) {
      if (accelerator === current) return;
      if (current) globalShortcut.unregister(current);
      current = '';
      if (!accelerator) return;
      let registered: boolean;
      try {
        registered = globalShortcut.register(accelerator, options.onPress);
      } catch {
        // Electron throws for an accelerator it cannot parse; settings validation should stop it.
        options.onFailure(accelerator, `"${accelerator}" is not a shortcut Electron understands.`);
        return;
      }
      if (registered) {
        current = accelerator;
        reported = '';
      } else if (reported !== accelerator) {
        reported = accelerator;
        options.onFailure(
          accelerator,
          `The shortcut ${accelerator} is taken by another app or refused by the desktop. ` +
            'Pick another one in Settings.',
        );
      }
    },
    dispose() {
      if (current) globalShortcut.unregister(current);
      current = '';
    },
  };
}
