/**
 * The one place the core's badge goes. Each OS has its own outlets for an unread count, and this
 * feeds all of them from one call:
 * - every OS: the tray icon's image and tooltip (and on macOS the title beside it);
 * - macOS: the Dock badge (shown whenever the Dock icon is);
 * - Linux: the launcher badge (Ubuntu Dock, KDE's task manager), which Electron's setBadgeCount
 *   sends over the Unity LauncherEntry D-Bus API for the .desktop file named by package.json's
 *   `desktopName`;
 * - Windows: the taskbar overlay icon, which belongs to a window, so it is re-applied whenever the
 *   inbox window is created.
 */
import type { BrowserWindow, NativeImage } from 'electron';
import type { BadgeSink } from '../core/ports.js';
import type { TrayController } from './tray.js';
import { assetFiles, trayStateFor, type BadgeState } from './trayImages.js';

export interface BadgeOutlets {
  platform: NodeJS.Platform;
  tray: Pick<TrayController, 'show'>;
  /** app.setBadgeCount. */
  setBadgeCount: (count: number) => void;
  loadImage: (relative: string) => NativeImage;
}

export interface AppBadgeSink extends BadgeSink {
  /** Gives a newly created window the current overlay (Windows). */
  applyToWindow(window: BrowserWindow): void;
  /** The window whose taskbar button carries the overlay; replaced when it is re-created. */
  setWindow(window: () => BrowserWindow | null): void;
}

export function createBadgeSink(outlets: BadgeOutlets): AppBadgeSink {
  let current: BadgeState & { tooltip: string } = {
    unreadCount: 0,
    status: 'connecting',
    tooltip: 'Tidings',
  };
  let window: () => BrowserWindow | null = () => null;

  const applyOverlay = (target: BrowserWindow | null): void => {
    if (outlets.platform !== 'win32' || !target || target.isDestroyed()) return;
    const state = trayStateFor(current);
    if (state === '0' || state === 'offline' || state === 'signed-out') {
      target.setOverlayIcon(null, '');
      return;
    }
    target.setOverlayIcon(outlets.loadImage(assetFiles.overlay(state)), current.tooltip);
  };

  return {
    show(badge) {
      current = badge;
      outlets.tray.show(badge);
      if (outlets.platform === 'darwin' || outlets.platform === 'linux') {
        // Offline or signed out, a number would claim more than the app knows.
        const state = trayStateFor(badge);
        const count = state === 'offline' || state === 'signed-out' ? 0 : badge.unreadCount;
        outlets.setBadgeCount(Math.max(0, count));
      }
      applyOverlay(window());
    },
    applyToWindow: (target) => applyOverlay(target),
    setWindow(next) {
      window = next;
    },
  };
}
