/**
 * The tray icon: its image and tooltip show what the badge sink gives it (badgeSink.ts decides what
 * goes where), and its menu holds the everyday actions. A left click toggles the inbox.
 *
 * The menu is opened differently per OS. Linux needs `setContextMenu` (the StatusNotifierItem
 * protocol has no click events a menu could hang off on many desktops). Windows shows a context
 * menu on right click and sends 'click' for the left button. On macOS a tray with a context menu
 * opens it on every click, so the left click would both open the menu and toggle the window: there
 * the menu is popped up from 'right-click' instead.
 */
import {
  Menu,
  Tray,
  nativeImage,
  nativeTheme,
  type MenuItemConstructorOptions,
  type NativeImage,
  type Rectangle,
} from 'electron';
import {
  assetFiles,
  macTemplateStateFor,
  macTrayTitle,
  trayPanelFor,
  trayStateFor,
  type BadgeState,
} from './trayImages.js';

export interface TrayActions {
  toggleInbox(): void;
  openInbox(): void;
  openSettings(): void;
  markAllRead(): void;
  /** Pause for `minutes`, or resume with 0. */
  pause(minutes: number): void;
  checkForUpdates(): void;
  about(): void;
  signOut(): void;
  quit(): void;
}

export interface TrayMenuState {
  paused: boolean;
  signedIn: boolean;
  hasUnread: boolean;
}

export interface TrayController {
  /** Shows a badge: image, tooltip and (macOS) the title next to the icon. */
  show(badge: BadgeState & { tooltip: string }): void;
  /** Rebuilds the menu (pause vs resume, signed in or not, anything unread). */
  setMenuState(state: TrayMenuState): void;
  /** The last tooltip shown, for the e2e hook (Electron's Tray cannot be read back). */
  tooltip(): string;
  /** The menu's labels, for the e2e hook (a tray menu cannot be read back either). */
  menuLabels(): string[];
  /** Does what choosing that menu item does, for the e2e hook (a tray menu cannot be clicked). */
  chooseMenuItem(label: string): boolean;
  /** Where the icon is on screen; all zeros where the OS does not say (most Linux desktops). */
  bounds(): Rectangle;
  destroy(): void;
}

const PAUSE_MINUTES = 60;

export function createTray(options: {
  assetPath: (relative: string) => string;
  platform: NodeJS.Platform;
  actions: TrayActions;
}): TrayController {
  const { assetPath, actions, platform } = options;
  const isMac = platform === 'darwin';
  let badge: BadgeState & { tooltip: string } = {
    unreadCount: 0,
    status: 'connecting',
    tooltip: 'Tidings',
  };
  let menuState: TrayMenuState = { paused: false, signedIn: false, hasUnread: false };
  let template: MenuItemConstructorOptions[] = [];
  let menu: Menu | null = null;

  // nativeImage finds the @2x sibling by itself when given the 1x path.
  const load = (relative: string): NativeImage => {
    const image = nativeImage.createFromPath(assetPath(relative));
    if (isMac) image.setTemplateImage(relative.includes('Template'));
    return image;
  };
  const imageFor = (state: BadgeState): NativeImage =>
    isMac
      ? load(assetFiles.macTemplate(macTemplateStateFor(state)))
      : load(
          assetFiles.tray(
            trayPanelFor(platform, nativeTheme.shouldUseDarkColorsForSystemIntegratedUI),
            trayStateFor(state),
          ),
        );

  const tray = new Tray(imageFor(badge));
  tray.setToolTip(badge.tooltip);
  tray.on('click', () => actions.toggleInbox());
  if (isMac) tray.on('right-click', () => tray.popUpContextMenu(menu ?? undefined));

  const render = (): void => {
    tray.setImage(imageFor(badge));
    tray.setToolTip(badge.tooltip);
    if (isMac) tray.setTitle(macTrayTitle(badge));
  };

  const buildMenu = (): void => {
    template = [
      { label: 'Open inbox', click: () => actions.openInbox() },
      {
        label: 'Mark all read',
        enabled: menuState.signedIn && menuState.hasUnread,
        click: () => actions.markAllRead(),
      },
      menuState.paused
        ? { label: 'Resume notifications', click: () => actions.pause(0) }
        : { label: 'Pause notifications for 1 hour', click: () => actions.pause(PAUSE_MINUTES) },
      { type: 'separator' },
      { label: 'Settings…', click: () => actions.openSettings() },
      { label: 'Sign out', enabled: menuState.signedIn, click: () => actions.signOut() },
      { type: 'separator' },
      { label: 'Check for updates…', click: () => actions.checkForUpdates() },
      { label: 'About Tidings', click: () => actions.about() },
      { label: 'Quit Tidings', click: () => actions.quit() },
    ];
    menu = Menu.buildFromTemplate(template);
    if (!isMac) tray.setContextMenu(menu);
  };

  nativeTheme.on('updated', render);
  buildMenu();

  return {
    show(next) {
      badge = next;
      render();
    },
    setMenuState(next) {
      if (
        next.paused === menuState.paused &&
        next.signedIn === menuState.signedIn &&
        next.hasUnread === menuState.hasUnread
      )
        return;
      menuState = next;
      buildMenu();
    },
    tooltip: () => badge.tooltip,
    menuLabels: () => template.flatMap((item) => (item.label ? [item.label] : [])),
    chooseMenuItem(label) {
      const item = template.find((entry) => entry.label === label);
      if (!item?.click) return false;
      // Electron passes the item, its window and the event; the menu's handlers read none of them.
      (item.click as () => void)();
      return true;
    },
    bounds: () => tray.getBounds(),
    destroy() {
      nativeTheme.off('updated', render);
      tray.destroy();
    },
  };
}
