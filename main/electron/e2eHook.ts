/**
 * What Playwright's `_electron` test reads from the main process: a tray's tooltip and menu and a
 * native toast cannot be read back or clicked through Electron's API. Exists only when
 * TIDINGS_E2E=1; otherwise `createE2eRecorder` returns null and nothing is recorded.
 */
import type { UrlOpener } from '../core/ports.js';
import type { ShownNotification } from './notifier.js';

export interface E2eHook {
  tooltip(): string;
  menuLabels(): string[];
  /** Chooses a tray menu item by its label; false when there is none. */
  chooseMenuItem(label: string): boolean;
  notifications: ShownNotification[];
  /** URLs the app would have opened in the browser; under test nothing is really opened. */
  openedUrls: string[];
  /** Whether the inbox window is open and focused. */
  inboxShown(): boolean;
}

export interface E2eRecorder {
  recordShown(shown: ShownNotification): void;
  /** Records instead of opening a browser. */
  opener: UrlOpener;
  install(reads: Pick<E2eHook, 'tooltip' | 'menuLabels' | 'chooseMenuItem' | 'inboxShown'>): void;
}

declare global {
  var tidingsE2E: E2eHook | undefined;
}

export function createE2eRecorder(env: NodeJS.ProcessEnv): E2eRecorder | null {
  if (env['TIDINGS_E2E'] !== '1') return null;
  const notifications: ShownNotification[] = [];
  const openedUrls: string[] = [];
  return {
    recordShown: (shown) => notifications.push(shown),
    opener: {
      open: async (url) => {
        openedUrls.push(url);
      },
    },
    install(reads) {
      globalThis.tidingsE2E = { ...reads, notifications, openedUrls };
    },
  };
}
