/**
 * What Playwright's `_electron` test reads from the main process: a tray's tooltip and a native
 * toast cannot be read back or clicked through Electron's API. Installed only when TIDINGS_E2E=1.
 */
import type { ShownNotification } from './notifier.js';

export interface E2eHook {
  tooltip(): string;
  notifications: ShownNotification[];
}

declare global {
  var tidingsE2E: E2eHook | undefined;
}

export function installE2eHook(hook: E2eHook): void {
  if (process.env['TIDINGS_E2E'] === '1') globalThis.tidingsE2E = hook;
}
