/**
 * The tray icon: its image follows the core's badge (trayImages.ts picks the file), its tooltip is
 * the core's text, and its menu holds the everyday actions. A left click toggles the inbox.
 * On macOS the count goes in the tray title and the dock badge; on Windows the taskbar overlay
 * shows it too (the window controller applies it, as only a window has a taskbar button).
 */
import { Menu, Tray, app, nativeImage, nativeTheme, type NativeImage } from 'electron';
import type { BadgeSink } from '../core/ports.js';
import {
  assetFiles,
  countState,
  macTemplateStateFor,
  macTrayTitle,
  trayStateFor,
  type BadgeState,
  type Panel,
} from './trayImages.js';

export interface TrayActions {
  toggleInbox(): void;
  openInbox(): void;
  openSettings(): void;
  markAllRead(): void;
  /** Pause for `minutes`, or resume with 0. */
  pause(minutes: number): void;
  signOut(): void;
  quit(): void;
}

export interface TrayController {
  badge: BadgeSink;
  /** Rebuilds the menu (pause vs resume, signed in or not). */
  setMenuState(state: { paused: boolean; signedIn: boolean }): void;
  /** The last tooltip shown, for the e2e hook (Electron's Tray cannot be read back). */
  tooltip(): string;
  /** The Windows taskbar overlay for the current count, or null for none. */
  overlay(): { image: NativeImage; description: string } | null;
  destroy(): void;
}

const PAUSE_MINUTES = 60;

export function createTray(options: {
  assetPath: (relative: string) => string;
  actions: TrayActions;
  /** Called after every badge change, so the window can update its overlay icon. */
  onBadgeChanged: () => void;
}): TrayController {
  const { assetPath, actions } = options;
  const isMac = process.platform === 'darwin';
  let badge: BadgeState & { tooltip: string } = {
    unreadCount: 0,
    status: 'connecting',
    tooltip: 'Tidings',
  };
  let menuState = { paused: false, signedIn: false };

  // nativeImage finds the @2x sibling by itself when given the 1x path.
  const load = (relative: string): NativeImage => {
    const image = nativeImage.createFromPath(assetPath(relative));
    if (isMac) image.setTemplateImage(relative.includes('Template'));
    return image;
  };
  const panel = (): Panel => (nativeTheme.shouldUseDarkColors ? 'dark' : 'light');
  const imageFor = (state: BadgeState): NativeImage =>
    isMac
      ? load(assetFiles.macTemplate(macTemplateStateFor(state)))
      : load(assetFiles.tray(panel(), trayStateFor(state)));

  const tray = new Tray(imageFor(badge));
  tray.setToolTip(badge.tooltip);
  // On Linux a tray click opens the context menu on some desktops; the menu has "Open inbox" too.
  tray.on('click', () => actions.toggleInbox());

  const render = (): void => {
    tray.setImage(imageFor(badge));
    tray.setToolTip(badge.tooltip);
    if (isMac) {
      tray.setTitle(macTrayTitle(badge));
      app.setBadgeCount(Math.max(0, badge.unreadCount));
    }
    options.onBadgeChanged();
  };

  const buildMenu = (): void => {
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: 'Open inbox', click: () => actions.openInbox() },
        {
          label: 'Mark all read',
          enabled: menuState.signedIn && badge.unreadCount > 0,
          click: () => actions.markAllRead(),
        },
        menuState.paused
          ? { label: 'Resume notifications', click: () => actions.pause(0) }
          : { label: 'Pause notifications for 1 hour', click: () => actions.pause(PAUSE_MINUTES) },
        { type: 'separator' },
        { label: 'Settings…', click: () => actions.openSettings() },
        { label: 'Sign out', enabled: menuState.signedIn, click: () => actions.signOut() },
        { type: 'separator' },
        { label: 'Quit Tidings', click: () => actions.quit() },
      ]),
    );
  };

  nativeTheme.on('updated', render);
  buildMenu();

  return {
    badge: {
      show(next) {
        const countChanged = countState(next.unreadCount) !== countState(badge.unreadCount);
        badge = next;
        render();
        if (countChanged) buildMenu();
      },
    },
    setMenuState(next) {
      if (next.paused === menuState.paused && next.signedIn === menuState.signedIn) return;
      menuState = next;
      buildMenu();
    },
    tooltip: () => badge.tooltip,
    overlay() {
      const state = trayStateFor(badge);
      if (state === '0' || state === 'offline' || state === 'signed-out') return null;
      return {
        image: nativeImage.createFromPath(assetPath(assetFiles.overlay(state))),
        description: badge.tooltip,
      };
    },
    destroy() {
      nativeTheme.off('updated', render);
      tray.destroy();
    },
  };
}
