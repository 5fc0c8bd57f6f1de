/**
 * What Playwright's `_electron` test reads from the main process: a tray's tooltip and a native
 * toast cannot be read back or clicked through Electron's API. Installed only when TIDINGS_E2E=1.
 */
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

export const e2eEnabled = process.env['TIDINGS_E2E'] === '1';

export function installE2eHook(hook: E2eHook): void {
  if (e2eEnabled) globalThis.tidingsE2E = hook;
}
