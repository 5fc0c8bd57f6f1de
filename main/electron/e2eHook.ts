/**
 * What Playwright's `_electron` test reads from the main process: a tray's tooltip and a native
 * toast cannot be read back or clicked through Electron's API. Exists only when TIDINGS_E2E=1, so
 * the app's own wiring carries no recorders: app.ts asks for one and gets null.
 */
import type { UrlOpener } from '../core/ports.js';
import type { ShownNotification } from './notifier.js';

export interface E2eHook {
  tooltip(): string;
  notifications: ShownNotification[];
  /** URLs the app would have opened in the browser; under test nothing is really opened. */
  openedUrls: string[];
}

declare global {
  var tidingsE2E: E2eHook | undefined;
}

export interface E2eRecorder {
  /** The notifier's `onShown`. */
  recordShown(shown: ShownNotification): void;
  /** Stands in for the browser: records the URL instead of opening it. */
  opener: UrlOpener;
  /** Publishes the hook on `globalThis.tidingsE2E`. */
  install(tooltip: () => string): void;
}

export function createE2eRecorder(): E2eRecorder | null {
  if (process.env['TIDINGS_E2E'] !== '1') return null;
  const notifications: ShownNotification[] = [];
  const openedUrls: string[] = [];
  return {
    recordShown: (shown) => void notifications.push(shown),
    opener: { open: async (url) => void openedUrls.push(url) },
    install(tooltip) {
      globalThis.tidingsE2E = { tooltip, notifications, openedUrls };
    },
  };
}
